"""The demo's pilots: the 2017-18 Urban Challenge in the archive, its winners' pilots run to their ends (one
complete and successful, one at risk, one stopped early), and the current winners starting their pilots, with one
still to set up and a draft report waiting for Ada.

The demo is seeded once for this module (seeding is slow), inside a transaction rolled back at the end; each test
runs in a savepoint of it. Seeding twice is checked in tests/demo/test_seed_stages.py."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from audit.models import Event
from challenges.lifecycle import ChallengeStatus
from challenges.models import ChallengePage
from judging.models import Decision
from pilots.models import Measure, Pilot, PilotStatus, ReportEvidence, ReportStatus, ReportVersion
from pilots.permissions import can_write_report
from pilots.selectors.setup import measures_locked_reason
from pilots.services.reports import EVIDENCE_TYPES, report_submit
from submissions.files import check_upload
from submissions.models import ProposalStatus

pytestmark = pytest.mark.django_db

PAST = {
    "urban-challenge-well-being": 2,
    "urban-challenge-homelessness": 2,
    "urban-challenge-youth-unemployment": 1,
    "urban-challenge-digital-citizenship": 1,
}


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def past_pilots():
    return Pilot.objects.with_award().filter(decision__proposal__challenge__slug__in=PAST)


def test_the_2017_18_programme_is_in_the_archive_with_its_winners_and_their_pilots():
    for slug, winners in PAST.items():
        challenge = ChallengePage.objects.get(slug=slug)
        assert challenge.status == ChallengeStatus.ARCHIVED
        assert challenge.opens_at.year == 2017 and challenge.announced_at.year == 2018
        assert challenge.sponsor.slug == "west-midlands-combined-authority"
        decisions = Decision.objects.filter(proposal__challenge=challenge, outcome="winner")
        assert decisions.count() == winners
        assert Decision.objects.filter(proposal__challenge=challenge, outcome="not_selected").exists()
        for decision in decisions:
            assert Decimal(20000) <= decision.amount <= Decimal(60000)
            assert decision.pilot.award_amount == decision.amount
        awarded = decisions.aggregate(total=Sum("amount"))["total"]
        assert awarded <= challenge.funding_available
    assert past_pilots().count() == 6


def test_every_past_pilot_has_milestones_within_its_award_and_measures_agreed_before_it_started():
    for pilot in past_pilots():
        milestones = list(pilot.milestones.all())
        assert 3 <= len(milestones) <= 4
        assert sum(m.payment for m in milestones) <= pilot.award_amount
        assert pilot.payments_approved == sum(m.payment for m in milestones if m.payment_approved_at)
        assert 2 <= pilot.measures.count() <= 3
        agreed = Event.objects.filter(proposal_id=pilot.decision.proposal_id, verb="pilot measures agreed").get()
        assert agreed.created_at.date() < pilot.starts_on
    assert Measure.objects.filter(pilot__in=past_pilots(), is_public=False).exists()
    homes = Measure.objects.get(name="Households identified at risk before crisis")
    assert (homes.baseline, homes.target) == (Decimal(0), Decimal(200))


def test_the_outcomes_include_a_success_one_at_risk_and_one_stopped_early():
    statuses = {pilot.status for pilot in past_pilots()}
    assert statuses == {PilotStatus.COMPLETE, PilotStatus.AT_RISK, PilotStatus.STOPPED}
    for pilot in past_pilots().exclude(status=PilotStatus.COMPLETE):
        assert pilot.status_reason
    stopped = past_pilots().get(status=PilotStatus.STOPPED)
    assert "Stopped early" in stopped.status_reason and stopped.payments_approved < stopped.award_amount

    success = past_pilots().get(decision__proposal__title="Early Warning Homes")
    assert success.status == PilotStatus.COMPLETE and success.payments_approved == success.award_amount
    final = success.milestones.order_by("due_on").last().report
    assert final.status == ReportStatus.ACCEPTED and "214 households" in final.public_summary
    reached = final.values.get(measure__name="Households identified at risk before crisis").value
    assert reached >= Decimal(200)
    assert all(m.report.status == ReportStatus.ACCEPTED for m in success.milestones.all())


def test_one_report_went_back_for_changes_and_was_revised():
    twice = [v.report for v in ReportVersion.objects.filter(number=2, report__milestone__pilot__in=past_pilots())]
    assert len(twice) == 1
    first, second = twice[0].versions.order_by("number")
    assert first.outcome == ReportStatus.CHANGES_REQUESTED and first.review_comment
    assert second.outcome == ReportStatus.ACCEPTED and second.submitted_at > first.reviewed_at
    assert second.narrative.startswith(first.narrative) and second.narrative != first.narrative


def test_reports_carry_evidence_files_that_pass_the_upload_checks():
    evidence = ReportEvidence.objects.filter(report__milestone__pilot__in=past_pilots())
    assert {e.name.rsplit(".", 1)[1] for e in evidence} == {"pdf", "png", "csv"}
    for item in evidence:
        with item.file.open("rb") as stored:
            upload = SimpleUploadedFile(item.name, stored.read())
        assert check_upload(upload, allowed_types=EVIDENCE_TYPES, max_size_mb=1).sha256 == item.sha256
        assert item.uploaded_at.year in (2018, 2019)


def test_the_current_winners_are_starting_their_pilots_and_one_has_none_yet():
    today = timezone.localdate()
    journeys = Pilot.objects.filter(decision__proposal__challenge__slug="smarter-journeys-to-work")
    assert (
        journeys.count()
        == Decision.objects.filter(
            proposal__challenge__slug="smarter-journeys-to-work", proposal__status=ProposalStatus.WINNER
        ).count()
        == 2
    )
    started = journeys.get(decision__proposal__organisation__slug="brumtech-analytics")
    starting = journeys.get(decision__proposal__organisation__slug="tramline-labs")
    assert started.starts_on < today < started.ends_on and started.status == PilotStatus.ON_TRACK
    assert today < starting.starts_on and starting.status == PilotStatus.NOT_STARTED
    assert measures_locked_reason(starting, today=today) == ""  # the manager can still change its measures
    assert starting.milestones.count() == 3 and starting.measures.filter(is_public=False).exists()

    waiting = Decision.objects.get(proposal__challenge__slug="open-data-better-bus-journeys", outcome="winner")
    assert waiting.amount == Decimal(40000)
    assert not Pilot.objects.filter(decision=waiting).exists()


def test_ada_can_finish_and_submit_her_draft_report():
    ada = User.objects.get(email="ada@brumtech.example")
    pilot = Pilot.objects.get(
        decision__proposal__challenge__slug="smarter-journeys-to-work",
        decision__proposal__organisation__memberships__user=ada,
    )
    first, second, last = pilot.milestones.order_by("due_on")
    assert first.report.status == ReportStatus.ACCEPTED and first.payment_approved_at
    assert pilot.payments_approved == first.payment
    draft = second.report
    assert draft.status == ReportStatus.DRAFT and can_write_report(ada, draft) == (True, "")
    assert not hasattr(last, "report") or last.report.status == ReportStatus.DRAFT

    for value in draft.values.filter(value__isnull=True):
        value.value = Decimal(2)
        value.save()
    version = report_submit(report=draft, by=ada)
    assert version.number == 1
