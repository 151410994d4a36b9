"""Building pilots for scorecard tests: an announced award, then a pilot on it with milestones, measures and reports
in any state.

Rows are written directly (not through the pilots services), so a test of what the public sees never depends on how
a manager got there. ``leaky_pilot`` is the standard scene: every kind of value the public must *not* see sits beside
the two accepted values it should.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from judging.services.decisions import challenge_announce, decision_record
from pilots.models import Measure, MeasureValue, Milestone, Pilot, PilotStatus, Report, ReportStatus
from submissions.models import ProposalStatus

from .judging import closed_challenge
from .organisations import make_organisation
from .submissions import make_proposal


def decide(challenge, manager, *, organisation: str, title: str, outcome: str = "winner", amount=None, **fields):
    """A proposal with a recorded decision (not yet announced)."""
    proposal = make_proposal(
        challenge,
        status=ProposalStatus.MODERATION,
        organisation=make_organisation(name=organisation),
        title=title,
        **fields,
    )
    decision_record(
        proposal=proposal,
        outcome=outcome,
        feedback=f"Feedback for {title}, for the supplier only.",
        public_rationale=f"Why {title} won: it reached people early." if outcome != "not_selected" else "",
        amount=amount,
        by=manager,
    )
    return proposal


def announced_challenge(sponsor_index, sponsor, manager, winners: list[str], **challenge_fields):
    """An announced challenge whose winners are the titles given, each with its own organisation; returns
    (challenge, [proposals]). Without amounts, so no due diligence is needed: a pilot takes its own."""
    challenge = closed_challenge(sponsor_index, sponsor, **challenge_fields)
    proposals = [decide(challenge, manager, organisation=f"{title} Ltd", title=title) for title in winners]
    challenge_announce(challenge=challenge, by=manager)
    challenge.refresh_from_db()
    return challenge, proposals


def make_pilot(
    proposal, *, by, status=PilotStatus.ON_TRACK, reason="", award=10_000, paid=0, starts_on=None, ends_on=None
) -> Pilot:
    today = timezone.localdate()
    return Pilot.objects.create(
        decision=proposal.decision,
        starts_on=starts_on or today - timedelta(days=90),
        ends_on=ends_on or today + timedelta(days=270),
        status=status,
        status_reason=reason,
        award_amount=Decimal(award),
        payments_approved=Decimal(paid),
        created_by=by,
    )


def add_milestone(pilot: Pilot, name: str, due_on: date, payment=0) -> Milestone:
    return Milestone.objects.create(
        pilot=pilot, name=name, due_on=due_on, payment=Decimal(payment), deliverable=f"What {name} delivers."
    )


def add_measure(pilot: Pilot, name: str, *, unit="households", baseline=0, target=200, public=True, **fields):
    return Measure.objects.create(
        pilot=pilot,
        name=name,
        unit=unit,
        baseline=Decimal(baseline),
        target=Decimal(target),
        is_public=public,
        sort_order=fields.pop("sort_order", pilot.measures.count()),
        **fields,
    )


def add_report(milestone: Milestone, status: str, values: dict, *, narrative="", risks="", public_summary=""):
    """A report on the milestone in ``status``, with a value per measure (``{measure: value}``)."""
    now = timezone.now()
    report = Report.objects.create(
        milestone=milestone,
        status=status,
        narrative=narrative or f"What happened by {milestone.name}.",
        risks=risks,
        public_summary=public_summary,
        submitted_at=None if status == ReportStatus.DRAFT else now,
        accepted_at=now if status == ReportStatus.ACCEPTED else None,
    )
    MeasureValue.objects.bulk_create(
        MeasureValue(report=report, measure=measure, value=Decimal(str(value))) for measure, value in values.items()
    )
    return report


@dataclass(frozen=True)
class Hidden:
    """Text and values the public scorecard must never show."""

    submitted_value = "4321.5"
    changes_value = "5432.5"
    draft_value = "6543.5"
    private_measure = "Caseworker hours recorded privately"
    private_value = "7654.5"
    narrative = "Narrative only the manager reads"
    risks = "A risk only the manager reads"
    draft_summary = "A final summary still in draft"

    def strings(self) -> list[str]:
        numbers = [self.submitted_value, self.changes_value, self.draft_value, self.private_value]
        variants = [f"{Decimal(n):,}" for n in numbers] + numbers
        return [*variants, self.private_measure, self.narrative, self.risks, self.draft_summary]


HIDDEN = Hidden()
HOUSEHOLDS = "Households identified before crisis"


def leaky_pilot(proposal, *, by) -> Pilot:
    """An at-risk pilot with five milestones: two accepted reports (households 80, then 140), then one with
    changes requested, one submitted and one draft, each with a value the public must not see; and a second,
    non-public measure. £10,000 awarded, £5,000 paid."""
    today = timezone.localdate()
    pilot = make_pilot(proposal, by=by, status=PilotStatus.AT_RISK, reason="Referrals slowed over winter.", paid=5000)
    households = add_measure(pilot, HOUSEHOLDS, baseline=0, target=200)
    private = add_measure(pilot, HIDDEN.private_measure, unit="hours", baseline=10, target=20, public=False)
    due = [today + timedelta(days=days) for days in (-60, -30, -10, 0, 30)]
    names = ["Milestone 1", "Milestone 2", "Milestone 3", "Milestone 4", "Milestone 5"]
    milestones = [add_milestone(pilot, name, on, payment=2500) for name, on in zip(names, due, strict=True)]
    add_report(milestones[0], ReportStatus.ACCEPTED, {households: 80, private: HIDDEN.private_value})
    add_report(
        milestones[1],
        ReportStatus.ACCEPTED,
        {households: 140, private: HIDDEN.private_value},
        risks=HIDDEN.risks,
        narrative=HIDDEN.narrative,
    )
    add_report(milestones[2], ReportStatus.CHANGES_REQUESTED, {households: HIDDEN.changes_value})
    add_report(milestones[3], ReportStatus.SUBMITTED, {households: HIDDEN.submitted_value})
    add_report(milestones[4], ReportStatus.DRAFT, {households: HIDDEN.draft_value}, public_summary=HIDDEN.draft_summary)
    return pilot


def sized_pilot(proposal, *, by, size: int) -> Pilot:
    """A pilot with ``size`` milestones, ``size`` public measures and an accepted report on every milestone."""
    today = timezone.localdate()
    pilot = make_pilot(proposal, by=by)
    measures = [add_measure(pilot, f"Measure {n}", baseline=0, target=100) for n in range(size)]
    for n in range(size):
        milestone = add_milestone(pilot, f"Step {n}", today - timedelta(days=10 * (size - n)))
        add_report(milestone, ReportStatus.ACCEPTED, dict.fromkeys(measures, 10 * (n + 1)))
    return pilot
