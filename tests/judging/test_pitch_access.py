"""Every pitch URL against every person who must be refused: none gets the page, none sees the proposal, and a POST
(even one crafted by hand) books, assigns or records nothing. Then the people who may, do."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import Event
from judging.models import Attendance, PitchSlot
from tests.factories.accounts import UserFactory

from .test_pitch_scene import PitchScene, add_slots, book_directly, build_pitch_scene


@pytest.fixture
def pitch(listing, sponsor_index, sponsor) -> PitchScene:
    return build_pitch_scene(listing, sponsor_index, sponsor)


@pytest.fixture
def slots(pitch: PitchScene):
    free, booked = add_slots(pitch.stage, 2, start=pitch.day)
    book_directly(booked, pitch.proposal, pitch.supplier)
    return free, booked


def urls(pitch, slots) -> dict[str, str]:
    challenge, stage = pitch.challenge.pk, pitch.stage.pk
    _free, booked = slots
    return {
        "booking": reverse("judging:pitch_booking", args=[pitch.proposal.pk]),
        "calendar": reverse("judging:pitch_calendar", args=[pitch.proposal.pk]),
        "schedule": reverse("judging:pitch_schedule", args=[stage]),
        "attendance": reverse("judging:pitch_attendance", args=[stage, booked.pk]),
        "admin index": reverse("judging_admin:pitch_index", args=[challenge]),
        "admin": reverse("judging_admin:pitch", args=[challenge, stage]),
        "admin assign": reverse("judging_admin:pitch_assign", args=[challenge, stage]),
        "admin attendance": reverse("judging_admin:pitch_attendance", args=[challenge, stage, booked.pk]),
    }


SUPPLIER_PAGES = {"booking", "calendar"}
JUDGE_PAGES = {"schedule", "attendance"}
MANAGER_PAGES = {"admin index", "admin", "admin assign", "admin attendance"}
ALL = SUPPLIER_PAGES | JUDGE_PAGES | MANAGER_PAGES

# Who may open which pages; everyone else is refused everywhere.
ROLES = {
    "anonymous": set(),
    "supplier of another organisation": set(),
    "organisation not in the pitch stage": set(),
    "judge not on the stage's panel": set(),
    "another sponsor's manager": set(),
    "stranger": set(),
    "supplier": SUPPLIER_PAGES,
    "colleague": SUPPLIER_PAGES,
    "judge": JUDGE_PAGES,
    # A manager records attendance from the admin page, and may post it from the schedule's form too.
    "manager": MANAGER_PAGES | {"attendance"},
}


def person(pitch, role):
    return {
        "anonymous": None,
        "supplier of another organisation": pitch.rival_supplier,
        "organisation not in the pitch stage": pitch.outsider,
        "judge not on the stage's panel": pitch.written_judge,
        "another sponsor's manager": pitch.other_manager,
        "stranger": UserFactory(verified=True, email="stranger@example.org"),
        "supplier": pitch.supplier,
        "colleague": pitch.colleague,
        "judge": pitch.judge,
        "manager": pitch.manager,
    }[role]


def state():
    return sorted(PitchSlot.objects.values_list("pk", "proposal_id", "attendance", "booked_by_id"))


@pytest.mark.parametrize("role", [role for role, allowed in ROLES.items() if allowed != ALL])
@pytest.mark.parametrize("method", ["get", "post"])
def test_refused_everywhere_else(client, pitch, slots, role, method, django_capture_on_commit_callbacks):
    user = person(pitch, role)
    if user is not None:
        client.force_login(user)
    before, events = state(), Event.objects.count()
    free, _booked = slots
    data = {
        "slot": free.pk,
        "attendance": "no_show",
        "proposal": pitch.rival.pk,
        "count": "2",
        "minutes": "30",
        "starts_at": (pitch.day + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Room",
    }
    for name, url in urls(pitch, slots).items():
        if name in ROLES[role]:
            continue
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(client, method)(url, data)
        assert response.status_code in (302, 403, 404, 405), f"{role} {method} {name}: {response.status_code}"
        if response.status_code == 302:
            assert not response.url.startswith(url), f"{role} {method} {name} was let through: {response.url}"
            # To sign in, or (Wagtail's way with a PermissionDenied in the admin) back to the admin's dashboard.
            assert "login" in response.url or response.url == "/admin/", f"{role} {method} {name}: {response.url}"
        body = response.content.decode()
        assert pitch.proposal.title not in body, f"{role} {method} {name} shows the proposal"
        assert pitch.proposal.organisation.name not in body, f"{role} {method} {name} shows the organisation"
    assert state() == before
    assert Event.objects.count() == events
    assert mail.outbox == []


@pytest.mark.parametrize("role", [role for role, allowed in ROLES.items() if allowed])
def test_the_people_who_may_open_their_pages(client, pitch, slots, role):
    client.force_login(person(pitch, role))
    for name, url in urls(pitch, slots).items():
        if name not in ROLES[role] or name in ("attendance", "admin assign", "admin attendance"):
            continue
        response = client.get(url)
        assert response.status_code in (200, 302), f"{role} {name}: {response.status_code}"
        if response.status_code == 302:
            assert name == "admin index"


def test_another_organisations_proposal_is_not_found_and_the_outsider_is_told_why(client, pitch, slots):
    client.force_login(pitch.rival_supplier)
    assert client.get(reverse("judging:pitch_booking", args=[pitch.proposal.pk])).status_code == 404
    client.force_login(pitch.outsider)
    response = client.get(reverse("judging:pitch_booking", args=[pitch.outsider_proposal.pk]))
    assert response.status_code == 403
    assert "This proposal has not been invited to pitch." in response.content.decode()


def test_a_crafted_post_for_an_organisation_not_in_the_pitch_stage_books_nothing(client, pitch, slots):
    free, _ = slots
    client.force_login(pitch.outsider)
    response = client.post(reverse("judging:pitch_booking", args=[pitch.outsider_proposal.pk]), {"slot": free.pk})
    assert response.status_code == 403
    assert PitchSlot.objects.get(pk=free.pk).is_free
    assert not Event.objects.filter(verb__startswith="pitch").exists()


def test_a_slot_of_another_stage_cannot_be_booked_through_the_page(client, pitch, slots):
    elsewhere = PitchSlot.objects.create(
        stage=pitch.written, starts_at=pitch.day, ends_at=pitch.day + timedelta(minutes=30), location="Room"
    )
    client.force_login(pitch.supplier)
    response = client.post(reverse("judging:pitch_booking", args=[pitch.proposal.pk]), {"slot": elsewhere.pk})
    assert response.status_code == 400
    assert "Choose one of the pitch slots listed" in response.content.decode()
    assert PitchSlot.objects.get(pk=elsewhere.pk).is_free


def test_a_manager_cannot_reach_a_stage_or_slot_through_the_wrong_address(client, pitch, slots):
    _, booked = slots
    client.force_login(pitch.manager)
    assert client.get(reverse("judging_admin:pitch", args=[pitch.challenge.pk, 999999])).status_code == 404
    wrong_stage = reverse("judging_admin:pitch_attendance", args=[pitch.challenge.pk, pitch.written.pk, booked.pk])
    assert client.post(wrong_stage, {"attendance": "no_show"}).status_code == 404
    wrong_slot = reverse("judging:pitch_attendance", args=[pitch.written.pk, booked.pk])
    assert client.post(wrong_slot, {"attendance": "no_show"}).status_code == 404
    assert PitchSlot.objects.get(pk=booked.pk).attendance == Attendance.NOT_RECORDED


def test_a_judge_without_two_factor_is_sent_to_set_it_up(client, pitch, slots):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=pitch.judge).delete()
    client.force_login(pitch.judge)
    response = client.get(reverse("judging:pitch_schedule", args=[pitch.stage.pk]))
    assert response.status_code == 302 and "login" not in response.url
