"""The winners the public may read about on a challenge's page, in one query.

Nothing is public until the winners are announced (``ChallengePage.announced_at``). Then only awards are
listed, winners first: never a proposal that was not selected, withdrawn or screened out. A proposal's public
summary is shown only where its supplier consented to publication; the rest of a proposal stays private.
"""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When

from judging.models import Outcome
from submissions.models import Proposal, ProposalStatus

AWARDS = (ProposalStatus.WINNER, ProposalStatus.HIGHLY_COMMENDED)


@dataclass(frozen=True)
class PublicWinner:
    organisation: str
    title: str
    award: str
    award_label: str
    rationale: str
    summary: str
    """Empty unless the supplier consented to publishing it."""


def public_winners(challenge) -> list[PublicWinner]:
    """The challenge's announced awards, winners then highly commended, each by organisation name."""
    if challenge is None or not getattr(challenge, "announced_at", None):
        return []
    proposals = (
        Proposal.objects.filter(challenge_id=challenge.pk, status__in=AWARDS, decision__outcome__in=AWARDS)
        .select_related("organisation", "decision")
        .annotate(
            award_order=Case(
                When(status=ProposalStatus.WINNER, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("award_order", "organisation__name", "pk")
    )
    return [
        PublicWinner(
            organisation=proposal.organisation.name,
            title=proposal.title,
            award=proposal.status,
            award_label=Outcome(proposal.status).label,
            rationale=proposal.decision.public_rationale,
            summary=proposal.public_summary if proposal.consent_to_publish is True else "",
        )
        for proposal in proposals
    ]
