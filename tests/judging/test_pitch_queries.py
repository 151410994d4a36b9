"""Every pitch page reads in the same number of queries with 3 slots as with 12."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from submissions.models import ProposalStatus
from tests.factories.judging import assign
from tests.factories.submissions import make_proposal

from .test_pitch_scene import PitchScene, add_slots, book_directly, build_pitch_scene


@pytest.fixture
def pitch(listing, sponsor_index, sponsor) -> PitchScene:
    return build_pitch_scene(listing, sponsor_index, sponsor)


def queries(client, url: str) -> int:
    """Counted on a second request, so one-off work of a first (the session, the site's cached root) is left out."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(pitch: PitchScene, count: int, *, start_hours: int, booked: bool):
    """``count`` more slots, each booked (when told) by a new organisation in the pitch stage, with the judge
    assigned to it."""
    slots = add_slots(pitch.stage, count, start=pitch.day + timedelta(hours=start_hours), minutes=20)
    if booked:
        for slot in slots:
            proposal = make_proposal(pitch.challenge, stage=pitch.stage, status=ProposalStatus.ELIGIBLE)
            book_directly(slot, proposal, proposal.created_by)
            assign(proposal, pitch.judge)
    return slots


@pytest.mark.parametrize("booked", [True, False])
def test_the_booking_page(client, pitch, booked):
    client.force_login(pitch.supplier)
    url = reverse("judging:pitch_booking", args=[pitch.proposal.pk])
    if booked:
        book_directly(
            add_slots(pitch.stage, 1, start=pitch.day - timedelta(hours=2))[0], pitch.proposal, pitch.supplier
        )
        url += "?change=1"
    grow(pitch, 3, start_hours=1, booked=False)
    small = queries(client, url)
    grow(pitch, 9, start_hours=3, booked=False)
    assert queries(client, url) == small


def test_the_calendar_file(client, pitch):
    book_directly(add_slots(pitch.stage, 1, start=pitch.day)[0], pitch.proposal, pitch.supplier)
    client.force_login(pitch.supplier)
    url = reverse("judging:pitch_calendar", args=[pitch.proposal.pk])
    grow(pitch, 3, start_hours=1, booked=True)
    small = queries(client, url)
    grow(pitch, 9, start_hours=3, booked=True)
    assert queries(client, url) == small


def test_the_judges_schedule(client, pitch):
    client.force_login(pitch.judge)
    url = reverse("judging:pitch_schedule", args=[pitch.stage.pk])
    grow(pitch, 3, start_hours=0, booked=True)
    small = queries(client, url)
    grow(pitch, 9, start_hours=2, booked=True)
    assert queries(client, url) == small


def test_the_managers_page(client, pitch):
    client.force_login(pitch.manager)
    url = reverse("judging_admin:pitch", args=[pitch.challenge.pk, pitch.stage.pk])
    grow(pitch, 3, start_hours=0, booked=True)
    small = queries(client, url)
    grow(pitch, 9, start_hours=2, booked=True)
    assert queries(client, url) == small
