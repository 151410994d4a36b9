"""Writes for screening: moving the proposals a manager ticked on to one status, in bulk.

Each proposal moves through ``submissions.workflow`` on its own (checked, logged, refused with a reason). A move
to moderation is held back while any of the proposals has a review not yet submitted: the manager is shown who
has not submitted (``selectors.admin_pages.unsubmitted_reviews``) and moves them only by saying so, for exactly
those reviews. With every review in, the move happens straight away.
"""

from collections.abc import Collection
from dataclasses import dataclass, field

from submissions.models import Proposal, ProposalStatus
from submissions.workflow import proposal_transition_bulk

from ..selectors.admin_pages import Unsubmitted, unsubmitted_reviews


@dataclass
class ScreeningMove:
    """What a bulk move did: ``moved`` and ``refused`` (with the reason) as ``proposal_transition_bulk`` reports,
    or, when nothing moved because reviews are not submitted, those in ``held``."""

    moved: list[Proposal] = field(default_factory=list)
    refused: list[tuple[Proposal, str]] = field(default_factory=list)
    held: list[Unsubmitted] = field(default_factory=list)

    @property
    def acknowledged(self) -> str:
        """The held reviews' assignment ids, as the "move anyway" button sends them back."""
        return ",".join(str(review.assignment_id) for item in self.held for review in item.reviews)


def proposals_move(
    *, proposals: list[Proposal], to: str, by, note: str = "", acknowledged: Collection[int] = ()
) -> ScreeningMove:
    """Move ``proposals`` to ``to``. To moderation, nothing moves while a review the manager has not acknowledged
    (``acknowledged``: assignment ids) is unsubmitted; the result's ``held`` lists them."""
    if to == ProposalStatus.MODERATION:
        held = unsubmitted_reviews(proposals)
        waiting = {review.assignment_id for item in held for review in item.reviews}
        if waiting - set(acknowledged):
            return ScreeningMove(held=held)
    result = proposal_transition_bulk(proposals=proposals, to=to, by=by, note=note)
    return ScreeningMove(moved=result.moved, refused=result.refused)
