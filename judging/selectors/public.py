"""The public record of a challenge's awards: what anyone may read about its winners, decided here and only here.

Public bodies publish the awards they make as a matter of record. So for every award of an announced challenge
(a winner or a highly commended proposal) the public always sees who received it (the organisation's name as it
was when the winners were announced), the award, and the panel's public reasons. What the supplier wrote, the
proposal's title and its public summary, is published only if they consented. Nothing is public before the
announcement, and nothing at all of a proposal that won no award.

The panel's decision is public too, as panel-level figures only (``panel_record``): how many judges, how well they
agreed, and how many places were close calls. Never a judge's name, a judge's own figures or a proposal's scores.

The challenge page, the winner pages and the archive, the feeds, the JSON API and the CSV downloads all build
what they show from ``PublicAward``: change the rule here and every surface follows.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, QuerySet, Value, When

from submissions.models import Proposal, ProposalStatus
from submissions.workflow import AWARDS, OUTCOME_COLOURS

from ..agreement import reading
from ..models import Outcome, StageConfidence


def announced_awards() -> QuerySet[Proposal]:
    """Every award of an announced challenge, winners first, with what ``public_award`` reads (the challenge's
    own visibility, live and unrestricted, is for the caller to check)."""
    award_order = Case(When(status=ProposalStatus.WINNER, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        Proposal.objects.filter(status__in=AWARDS, decision__outcome__in=AWARDS, challenge__announced_at__isnull=False)
        .select_related("organisation", "decision", "challenge")
        .annotate(award_order=award_order)
        .order_by("award_order", "decision__recipient_name", "pk")
    )


@dataclass(frozen=True)
class PublicAward:
    proposal_id: int
    reference: str
    challenge_id: int
    challenge_title: str
    announced_at: datetime
    organisation: str
    """The recipient's name as it was when the winners were announced."""
    award: str
    award_label: str
    colour: str
    rationale: str
    amount: object
    """The award in pounds (None for an award recorded without one)."""
    departure_reason: str
    """Why the decision departed from the panel's ranking, when it did."""
    consented: bool
    title: str
    """The proposal's own title with consent; otherwise a neutral line naming the award and the challenge."""
    summary: str
    """The supplier's public summary with consent; otherwise empty."""

    @property
    def description(self) -> str:
        """One sentence or paragraph about the award for a feed or a data file: the summary, or a neutral line."""
        return self.summary or f"{self.organisation} was {self.award_label.lower()} in “{self.challenge_title}”."


def public_award(proposal: Proposal) -> PublicAward:
    """The public record of one award. ``proposal`` comes from ``announced_awards()`` (or has the same rows loaded)."""
    decision = proposal.decision
    challenge = proposal.challenge
    label = Outcome(proposal.status).label
    consented = proposal.consent_to_publish is True
    return PublicAward(
        proposal_id=proposal.pk,
        reference=proposal.reference or "",
        challenge_id=challenge.pk,
        challenge_title=challenge.title,
        announced_at=challenge.announced_at,
        organisation=decision.recipient_name or proposal.organisation.name,
        award=proposal.status,
        award_label=label,
        colour=OUTCOME_COLOURS[proposal.status],
        rationale=decision.public_rationale,
        amount=decision.amount,
        departure_reason=decision.departure_reason,
        consented=consented,
        title=proposal.title if consented and proposal.title else f"{label} in “{challenge.title}”",
        summary=proposal.public_summary if consented else "",
    )


def challenge_public_awards(challenge) -> list[PublicAward]:
    """The challenge page's list: its awards, winners first, once announced; [] before."""
    if challenge is None or not getattr(challenge, "announced_at", None):
        return []
    return [public_award(proposal) for proposal in announced_awards().filter(challenge_id=challenge.pk)]


def challenge_public_shortlist(challenge) -> list[str]:
    """Once announced, the organisations that reached a multi-stage challenge's last stage without an award, named
    only where they consented to publication; [] before the announcement or for a one-stage challenge."""
    if challenge is None or not getattr(challenge, "announced_at", None):
        return []
    last = challenge.last_stage
    if last is None or last.sort_order == 0:
        return []
    names = (
        Proposal.objects.filter(challenge_id=challenge.pk, stage=last, consent_to_publish=True)
        .exclude(status__in=(*AWARDS, ProposalStatus.WITHDRAWN))
        .order_by("organisation__name")
        .values_list("organisation__name", flat=True)
    )
    return list(names)


@dataclass(frozen=True)
class PanelRecord:
    """How one stage's panel reached its decision, in panel-level figures only."""

    stage_name: str
    judges: int
    alpha: float | None
    close_calls: int
    places: int

    @property
    def reading(self) -> str:
        return reading(self.alpha)


def panel_record(challenge) -> list[PanelRecord]:
    """Once announced, each stage's panel-level figures, in stage order, where they were worked out; [] before.
    One query."""
    if challenge is None or not getattr(challenge, "announced_at", None):
        return []
    rows = (
        StageConfidence.objects.filter(stage__page_id=challenge.pk, computed_at__isnull=False, judges__gt=0)
        .order_by("stage__sort_order", "stage_id")
        .values_list("stage__name", "judges", "alpha", "close_calls", "places")
    )
    return [PanelRecord(*row) for row in rows]
