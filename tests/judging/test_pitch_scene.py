"""The pitch scene every ``test_pitch_*`` module shares (its fixtures are imported from here), and a check that it
is what the other tests take it to be.

A challenge of two stages: a written stage that has closed, then a pitch stage, open, with a booking cutoff in
five days and the panel sitting in a week. Two organisations were taken forward to the pitch stage; a third is
still in the written stage. ``judge`` sits on the pitch stage's panel, ``written_judge`` only on the written one.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import Membership
from challenges.models import Stage, StageKind
from core.formatting import UK
from judging.models import PitchSlot
from submissions.models import ProposalStatus
from tests.factories.accounts import UserFactory
from tests.factories.challenges import ChallengePageFactory, make_manager, other_sponsor_section
from tests.factories.judging import QUESTIONS, RUBRIC, make_judge, seat
from tests.factories.submissions import make_proposal


@dataclass
class PitchScene:
    challenge: object
    written: object
    stage: object
    manager: object
    other_manager: object
    judge: object
    written_judge: object
    proposal: object
    supplier: object
    colleague: object
    rival: object
    rival_supplier: object
    outsider_proposal: object
    outsider: object
    day: datetime


def pitch_day(days: int = 7) -> datetime:
    """10am UK time, ``days`` from now."""
    local = (timezone.now() + timedelta(days=days)).astimezone(UK)
    return local.replace(hour=10, minute=0, second=0, microsecond=0)


def build_pitch_scene(listing, sponsor_index, sponsor, *, blind: bool = False) -> PitchScene:
    now = timezone.now()
    written = Stage(
        name="Full proposal",
        kind=StageKind.WRITTEN,
        sort_order=0,
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=10),
        questions=QUESTIONS,
        rubric=RUBRIC,
        judges_per_proposal=2,
    )
    pitch = Stage(
        name="Pitch",
        kind=StageKind.PITCH,
        sort_order=1,
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=20),
        booking_closes_at=now + timedelta(days=5),
        rubric=RUBRIC,
        judges_per_proposal=2,
        blind_judging=blind,
    )
    challenge = ChallengePageFactory(
        parent=sponsor_index,
        sponsor=sponsor,
        title="Prevent homelessness with data",
        opens_at=written.opens_at,
        closes_at=written.closes_at,
        stages=[written, pitch],
    )
    written, stage = challenge.stage_list
    manager = make_manager(sponsor, email="manager@wmca.example")
    judge = make_judge(email="pitch.judge@panel.example")
    written_judge = make_judge(email="written.judge@panel.example")
    seat(challenge, judge, stage=stage)
    seat(challenge, written_judge, stage=written)

    supplier = UserFactory(verified=True, email="ada@brumtech.example")
    proposal = make_proposal(
        challenge, stage=stage, status=ProposalStatus.ELIGIBLE, supplier=supplier, title="Early warning for arrears"
    )
    colleague = UserFactory(verified=True, email="grace@brumtech.example")
    Membership.objects.create(organisation=proposal.organisation, user=colleague, role="member")
    rival_supplier = UserFactory(verified=True, email="alan@rival.example")
    rival = make_proposal(challenge, stage=stage, status=ProposalStatus.ELIGIBLE, supplier=rival_supplier)
    outsider = UserFactory(verified=True, email="kath@written-only.example")
    outsider_proposal = make_proposal(challenge, stage=written, status=ProposalStatus.ELIGIBLE, supplier=outsider)

    _other_section, other_sponsor = other_sponsor_section(listing)
    other_manager = make_manager(other_sponsor, email="manager@gmca.example")
    return PitchScene(
        challenge=challenge,
        written=written,
        stage=stage,
        manager=manager,
        other_manager=other_manager,
        judge=judge,
        written_judge=written_judge,
        proposal=proposal,
        supplier=supplier,
        colleague=colleague,
        rival=rival,
        rival_supplier=rival_supplier,
        outsider_proposal=outsider_proposal,
        outsider=outsider,
        day=pitch_day(),
    )


def add_slots(stage, count: int, *, start: datetime, minutes: int = 30, location="Council House, Committee Room 2"):
    """Slots written directly (not through the service), so a page test is not coupled to it."""
    return PitchSlot.objects.bulk_create(
        PitchSlot(
            stage=stage,
            starts_at=start + timedelta(minutes=minutes * n),
            ends_at=start + timedelta(minutes=minutes * (n + 1)),
            location=location,
        )
        for n in range(count)
    )


def book_directly(slot, proposal, by) -> PitchSlot:
    PitchSlot.objects.filter(pk=slot.pk).update(proposal=proposal, booked_by=by, booked_at=timezone.now())
    slot.refresh_from_db()
    return slot


@pytest.fixture
def pitch(listing, sponsor_index, sponsor) -> PitchScene:
    return build_pitch_scene(listing, sponsor_index, sponsor)


def test_the_scene_has_two_proposals_in_the_pitch_stage_and_one_left_in_the_written_stage(pitch):
    assert pitch.stage.is_pitch and not pitch.written.is_pitch
    assert pitch.proposal.stage == pitch.stage and pitch.rival.stage == pitch.stage
    assert pitch.outsider_proposal.stage == pitch.written
    assert pitch.day.astimezone(UK).hour == 10
