"""The demo's staged challenges: one run through every stage to its awards (expression of interest, full proposal,
pitch day with a no-show, due diligence, two awards of £10,000), and one in its pitch stage now, with slots booked
and free, Ada's proposal invited to pitch and judge 1 on the pitch panel."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import Event
from challenges.models import ChallengePage
from judging.models import Assignment, Decision, DueDiligenceItem, PanelMember, PitchSlot, Review, ReviewStatus
from notifications.models import Notification
from pilots.models import Measure, Milestone, Pilot, Report, ReportEvidence, ReportVersion
from submissions.models import Progression, Proposal, ProposalStatus, ProposalVersion
from submissions.selectors import supplier_status

pytestmark = pytest.mark.django_db

S = ProposalStatus
TAKEN, NOT_TAKEN = Progression.Outcome.TAKEN_FORWARD, Progression.Outcome.NOT_TAKEN_FORWARD


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def progressions(stage, outcome) -> int:
    return Progression.objects.filter(stage=stage, outcome=outcome).count()


def test_the_past_challenge_ran_through_every_stage_to_its_awards(client):
    seed()
    challenge = ChallengePage.objects.get(slug="smarter-journeys-to-work")
    eoi, full, pitch = challenge.stage_list
    assert [stage.kind for stage in (eoi, full, pitch)] == ["written", "written", "pitch"]
    assert challenge.sponsor.slug == "west-midlands-combined-authority"
    assert challenge.announced_at is not None and challenge.announced_at < timezone.now()
    proposals = Proposal.objects.filter(challenge=challenge)

    # Expression of interest: eight in, six taken forward, two not, their feedback released.
    assert ProposalVersion.objects.filter(stage=eoi, number=1).count() == proposals.count() == 8
    assert progressions(eoi, TAKEN) == 6 and progressions(eoi, NOT_TAKEN) == 2
    assert not Progression.objects.filter(stage=eoi, outcome=NOT_TAKEN, feedback_sent_at__isnull=True).exists()
    assert proposals.filter(status=S.NOT_TAKEN_FORWARD, stage=eoi).count() == 2

    # Full proposal: five of the six submit (one withdraws), starting from the prefilled answer, all five judged
    # and taken forward to the pitch.
    assert ProposalVersion.objects.filter(stage=full).count() == 5
    assert proposals.filter(status=S.WITHDRAWN, stage=full).count() == 1
    prefilled = next(q for q in full.questions.raw_data[0]["value"]["questions"] if q["value"].get("prefill_from"))
    source = next(
        q
        for q in eoi.questions.raw_data[0]["value"]["questions"]
        if q["value"]["label"] == "What problem would you solve, and how?"
    )
    for version in ProposalVersion.objects.filter(stage=full):
        first = ProposalVersion.objects.get(proposal=version.proposal, stage=eoi)
        assert version.answers[prefilled["id"]] == first.answers[source["id"]]
        assert version.submitted_at < full.closes_at and version.files
    assert Review.objects.filter(assignment__stage=full, status=ReviewStatus.SUBMITTED).count() == 5 * 2
    assert progressions(full, TAKEN) == 5 and progressions(full, NOT_TAKEN) == 0

    # Pitch day: five slots booked, four attended, one no-show not taken further.
    slots = PitchSlot.objects.filter(stage=pitch)
    assert slots.count() == 5 and slots.filter(proposal__isnull=True).count() == 0
    assert {slot.location for slot in slots} == {"Council House, Committee Room 2"}
    assert len({slot.starts_at.date() for slot in slots}) == 1
    assert slots.filter(attendance="attended").count() == 4
    no_show = slots.get(attendance="no_show").proposal
    assert no_show.status == S.NOT_SELECTED and "did not attend" in no_show.decision.feedback
    assert not Assignment.objects.filter(proposal=no_show, stage=pitch).exists()
    assert Review.objects.filter(assignment__stage=pitch, status=ReviewStatus.SUBMITTED).count() == 4 * 3
    assert PanelMember.objects.filter(stage=pitch).count() == 3

    # Due diligence complete for the two winners; two awards of £10,000 within the funding; one commended.
    winners = proposals.filter(status=S.WINNER)
    assert winners.count() == 2
    for winner in winners:
        items = DueDiligenceItem.objects.filter(proposal=winner)
        assert items.count() == 6 and all(item.note for item in items)
        assert set(items.values_list("status", flat=True)) <= {"passed", "not_applicable"}
        assert winner.decision.amount == Decimal(10000) and winner.decision.public_rationale
    awarded = sum(d.amount or 0 for d in Decision.objects.filter(proposal__challenge=challenge))
    assert awarded == Decimal(20000) <= challenge.funding_available
    commended = proposals.get(status=S.HIGHLY_COMMENDED)
    assert commended.decision.amount is None and commended.decision.public_rationale
    assert proposals.filter(status=S.NOT_SELECTED).count() == 2
    assert Event.objects.filter(challenge=challenge, verb="winners announced").count() == 1
    assert Notification.objects.filter(template="judging/email/outcome", subject__contains=winners[0].reference)

    page = " ".join(client.get(challenge.url).content.decode().split())
    assert all(winner.title in page for winner in winners) and no_show.title not in page


def test_the_open_challenge_is_in_its_pitch_stage_with_slots_booked_and_free(client):
    seed()
    challenge = ChallengePage.objects.get(slug="warmer-homes-lower-bills")
    eoi, full, pitch = challenge.stage_list
    now = timezone.now()
    assert eoi.closes_at < now and full.closes_at < now and pitch.is_open(now)
    assert challenge.announced_at is None
    assert now < pitch.booking_closes_at < min(slot.starts_at for slot in PitchSlot.objects.filter(stage=pitch))

    slots = PitchSlot.objects.filter(stage=pitch)
    assert slots.count() == 6
    assert slots.filter(proposal__isnull=False).count() == 3 and slots.filter(proposal__isnull=True).count() == 3
    in_pitch = Proposal.objects.filter(challenge=challenge, stage=pitch)
    assert in_pitch.count() == 4 and set(in_pitch.values_list("status", flat=True)) == {S.IN_ASSESSMENT}
    assert progressions(eoi, NOT_TAKEN) == 1 and progressions(full, NOT_TAKEN) == 1

    ada = User.objects.get(email="ada@brumtech.example")
    mine = in_pitch.get(organisation__memberships__user=ada)
    assert supplier_status(mine).label == "Invited to pitch"
    assert slots.filter(proposal=mine).exists()
    assert client.login(username="ada@brumtech.example", password="urban-challenge-demo")
    page = client.get(reverse("judging:pitch_booking", args=[mine.pk]))
    assert page.status_code == 200 and "Brindleford Civic Centre, Room 4" in page.content.decode()

    assert "Invited to pitch" in client.get("/proposals/").content.decode()

    judge = User.objects.get(email="judge1@urban-challenge.example")
    assert PanelMember.objects.filter(stage=pitch, judge=judge).exists()
    client.force_login(judge)
    schedule = client.get(reverse("judging:pitch_schedule", args=[pitch.pk]))
    assert schedule.status_code == 200
    assert mine.reference in schedule.content.decode() and "Score this pitch" in schedule.content.decode()
    assert Assignment.objects.filter(stage=pitch, judge=judge).count() == 4


@pytest.mark.parametrize("slug", ["smarter-journeys-to-work", "warmer-homes-lower-bills"])
def test_the_managers_pages_show_every_stage(client, slug):
    seed()
    challenge = ChallengePage.objects.get(slug=slug)
    client.force_login(User.objects.get(email=f"manager@{challenge.sponsor.slug}.example"))
    for name, args in [
        ("progression", [challenge.pk]),
        ("proposals", [challenge.pk]),
        ("results", [challenge.pk]),
        ("decisions", [challenge.pk]),
        ("due_diligence", [challenge.pk]),
        ("audit", [challenge.pk]),
    ]:
        url = reverse(f"judging_admin:{name}", args=args)
        assert client.get(url).status_code == 200, url


def test_the_manager_sees_the_pitch_slots(client):
    seed()
    challenge = ChallengePage.objects.get(slug="warmer-homes-lower-bills")
    client.force_login(User.objects.get(email=f"manager@{challenge.sponsor.slug}.example"))
    response = client.get(reverse("judging_admin:pitch", args=[challenge.pk, challenge.last_stage.pk]))
    assert response.status_code == 200 and "Brindleford Civic Centre, Room 4" in response.content.decode()


def snapshot() -> dict:
    models = (Proposal, ProposalVersion, Progression, PitchSlot, DueDiligenceItem, Decision, Review, PanelMember)
    models += (Pilot, Milestone, Measure, Report, ReportVersion, ReportEvidence)  # tests/demo/test_seed_pilots.py
    counts = {model.__name__: model.objects.count() for model in models}
    counts["challenges"] = ChallengePage.objects.count()
    counts["events"] = Event.objects.count()
    counts["outbox"] = Notification.objects.count()
    counts["booked"] = sorted(PitchSlot.objects.exclude(proposal=None).values_list("proposal_id", flat=True))
    return counts


def test_seeding_twice_makes_no_duplicates_of_the_staged_challenges():
    seed()
    first = snapshot()
    seed()
    assert snapshot() == first
