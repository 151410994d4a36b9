"""A pilot with something public and something private in each part, written directly (not through services)
with the scorecard tests' builders (``pilot_scorecards``).

``make_pilot`` gives an award's pilot two measures, one public and one not, and two milestones: the first with an
accepted report, the second with a draft. Each private thing carries a text from ``PILOT_SECRETS`` (or the value
``DRAFT_VALUE``) so a test can scan what a page or a file shows for it.
"""

from datetime import date, timedelta
from decimal import Decimal

from pilots.models import Milestone, Pilot, PilotStatus, ReportStatus

from . import pilot_scorecards as scorecards
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
    pilot = scorecards.make_pilot(
        proposal,
        by=UserFactory(),
        status=status,
        reason=status_reason,
        award=award_amount,
        paid=paid,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=364),
    )
    public = scorecards.add_measure(pilot, "Households kept in their homes", target=120)
    private = scorecards.add_measure(
        pilot, PILOT_SECRETS[0], unit="£", baseline=900, target=600, higher_is_better=False, public=False
    )
    if not with_reports:
        return pilot
    first = scorecards.add_milestone(pilot, "Discovery", starts_on + timedelta(days=90))
    second = scorecards.add_milestone(pilot, "Final report", starts_on + timedelta(days=364))
    Milestone.objects.filter(pilot=pilot).update(deliverable=PILOT_SECRETS[5])
    texts = {"narrative": PILOT_SECRETS[1], "risks": PILOT_SECRETS[2]}
    scorecards.add_report(first, ReportStatus.ACCEPTED, {public: "42.00", private: "812.50"}, **texts)
    scorecards.add_report(second, ReportStatus.DRAFT, {public: DRAFT_VALUE}, public_summary=PILOT_SECRETS[4], **texts)
    return pilot
