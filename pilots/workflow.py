"""The one table of how a pilot report moves: who moves it, from where, to where. Services look moves up here;
nothing else decides whether a report may change."""

from dataclasses import dataclass

from .models import ReportStatus as R


@dataclass(frozen=True)
class Move:
    name: str
    by: str
    """"supplier" (a member of the winning organisation) or "manager" (one of the challenge's managers)."""
    sources: tuple[str, ...]
    target: str
    needs_comment: bool = False


MOVES = {
    move.name: move
    for move in (
        Move("submit", "supplier", (R.DRAFT, R.CHANGES_REQUESTED), R.SUBMITTED),
        Move("request_changes", "manager", (R.SUBMITTED,), R.CHANGES_REQUESTED, needs_comment=True),
        Move("accept", "manager", (R.SUBMITTED,), R.ACCEPTED),
    )
}
EDITABLE = (R.DRAFT, R.CHANGES_REQUESTED)
"""Where the supplier may still change the report."""


def move_for(name: str, status: str) -> Move | None:
    """The move called ``name`` if it may start from ``status``; None otherwise."""
    move = MOVES[name]
    return move if status in move.sources else None
