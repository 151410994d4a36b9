"""A pilot with something public and something private in each part, written directly (not through services).

``make_pilot`` gives an award's pilot two measures, one public and one not, and two milestones: the first with an
accepted report, the second with a draft. Each private thing carries a text from ``PILOT_SECRETS`` (or the value
``DRAFT_VALUE``) so a test can scan what a page or a file shows for it.
"""

from datetime import date, timedelta
from decimal import Decimal

from pilots.models import Measure, MeasureValue, Milestone, Pilot, PilotStatus, Report, ReportStatus

from .accounts import UserFactory

DRAFT_VALUE = Decimal("777.77")
PILOT_SECRETS = (
    "Internal cost per case",  # a measure not published on the scorecard
    "Narrative only the manager reads",  # a report's narrative
    "Risk only the manager reads",  # a report's risks
    "777.77",  # a value from a draft report
    "Summary of a draft",  # the public summary of a report not yet accepted
    "Deliverable for the manager",  # what a milestone delivers, as agreed with the supplier
)


def make_pilot(
    proposal,
    *,
    status: str = PilotStatus.ON_TRACK,
    status_reason: str = "",
    award_amount: Decimal = Decimal("50000.00"),
    paid: Decimal = Decimal("10000.00"),
    starts_on: date = date(2026, 1, 5),
    with_reports: bool = True,
) -> Pilot:
    by = UserFactory()
    pilot = Pilot.objects.create(
        decision=proposal.decision,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=364),
        status=status,
        status_reason=status_reason,
        award_amount=award_amount,
        payments_approved=paid,
        created_by=by,
    )
    public = Measure.objects.create(
        pilot=pilot, name="Households kept in their homes", unit="households", baseline=0, target=120, sort_order=0
    )
    private = Measure.objects.create(
        pilot=pilot, name=PILOT_SECRETS[0], unit="£", baseline=900, target=600, higher_is_better=False, is_public=False
    )
    if not with_reports:
        return pilot
    first = Milestone.objects.create(
        pilot=pilot, name="Discovery", due_on=starts_on + timedelta(days=90), deliverable=PILOT_SECRETS[5]
    )
    second = Milestone.objects.create(
        pilot=pilot, name="Final report", due_on=starts_on + timedelta(days=364), deliverable=PILOT_SECRETS[5]
    )
    accepted = Report.objects.create(
        milestone=first, status=ReportStatus.ACCEPTED, narrative=PILOT_SECRETS[1], risks=PILOT_SECRETS[2]
    )
    MeasureValue.objects.create(report=accepted, measure=public, value=Decimal("42.00"))
    MeasureValue.objects.create(report=accepted, measure=private, value=Decimal("812.50"))
    draft = Report.objects.create(
        milestone=second,
        status=ReportStatus.DRAFT,
        narrative=PILOT_SECRETS[1],
        risks=PILOT_SECRETS[2],
        public_summary=PILOT_SECRETS[4],
    )
    MeasureValue.objects.create(report=draft, measure=public, value=DRAFT_VALUE)
    return pilot
