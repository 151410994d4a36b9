"""Reads for the end of a stage: who may be taken forward, in ranking order, and what was decided already."""

from dataclasses import dataclass

from submissions.models import Progression, Proposal
from submissions.workflow import PROGRESSABLE

from .confidence import with_chances
from .ranking import ranking_order


@dataclass(frozen=True)
class ProgressionRow:
    proposal: Proposal
    rank: int | None
    normalised: float | None
    review_count: int
    chance: float | None = None
    """Its chance of the stage's places when the panel is resampled (``selectors.confidence``)."""
    close_call: bool = False


def progressable(challenge, stage):
    """The proposals in ``stage`` a manager may take forward or not (eligible, or moderated)."""
    return Proposal.objects.filter(challenge=challenge, stage=stage, status__in=PROGRESSABLE)


def progression_rows(challenge, stage) -> list[ProgressionRow]:
    """The stage's undecided proposals, best ranked first (unranked, such as an expression of interest that was
    screened only, after them by reference), with their chances of the places planned. Three queries however many
    proposals."""
    ranking = {row.proposal_id: row for row in with_chances(stage, ranking_order(challenge=challenge, stage=stage))}
    proposals = list(progressable(challenge, stage).select_related("organisation"))
    rows = []
    for proposal in proposals:
        ranked = ranking.get(proposal.pk)
        rows.append(
            ProgressionRow(
                proposal=proposal,
                rank=ranked.rank if ranked else None,
                normalised=ranked.normalised if ranked else None,
                review_count=ranked.review_count if ranked else 0,
                chance=ranked.chance if ranked else None,
                close_call=ranked.close_call if ranked else False,
            )
        )
    return sorted(rows, key=lambda row: (row.rank is None, row.rank or 0, row.proposal.reference or ""))


def progressions_from(stage) -> list[Progression]:
    """What was decided at the end of ``stage``: each proposal taken forward or not, with its feedback."""
    return list(
        Progression.objects.filter(stage=stage)
        .select_related("proposal__organisation", "to_stage", "decided_by")
        .order_by("outcome", "proposal__reference")
    )
