"""The pitch stage's pages as each person uses them: an organisation books and changes its slot, a judge follows
the day on a phone and records a no-show, a manager sets up the slots, assigns one and records attendance.
GOV.UK markup: one h1, labelled fields, an error summary whose links land on the fields."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from challenges.models import Stage
from judging.models import Attendance, PitchSlot
from tests.factories.judging import assign

from .test_pitch_scene import PitchScene, add_slots, book_directly, build_pitch_scene


@pytest.fixture
def pitch(listing, sponsor_index, sponsor) -> PitchScene:
    return build_pitch_scene(listing, sponsor_index, sponsor)


TAKEN = "This slot has just been booked by someone else: choose another."


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text(response) -> str:
    return " ".join(soup(response).get_text(" ", strip=True).split())


def booking_url(proposal) -> str:
    return reverse("judging:pitch_booking", args=[proposal.pk])


def admin_url(name, pitch, *args) -> str:
    return reverse(f"judging_admin:{name}", args=[pitch.challenge.pk, pitch.stage.pk, *args])


def link(page, starting: str):
    return next((a for a in page.find_all("a") if a.get_text(" ", strip=True).startswith(starting)), None)


def assert_error_summary_links_to_fields(page: BeautifulSoup) -> list[str]:
    """Every link in the error summary lands on an element that exists; returns the messages."""
    summary = page.find(class_="govuk-error-summary") or page.find(id="error-summary")
    assert summary is not None, "no error summary"
    messages = []
    for link in summary.find_all("a"):
        target = link["href"].lstrip("#")
        assert page.find(id=target) is not None, f"the error summary links to #{target}, which is not on the page"
        messages.append(link.get_text(strip=True))
    return messages


def assert_labelled(page: BeautifulSoup, form) -> None:
    for field in form.find_all(["input", "select", "textarea"]):
        if field.get("type") in ("hidden", "submit"):
            continue
        assert page.find("label", attrs={"for": field["id"]}) is not None, f"{field.get('name')} has no label"


# The organisation


def test_an_organisation_books_a_free_slot(client, pitch: PitchScene, django_capture_on_commit_callbacks):
    slots = add_slots(pitch.stage, 3, start=pitch.day)
    book_directly(slots[0], pitch.rival, pitch.rival_supplier)
    client.force_login(pitch.supplier)

    page = soup(client.get(booking_url(pitch.proposal)))
    assert [h.get_text(strip=True) for h in page.find_all("h1")] == ["Book your pitch slot"]
    assert "You can book or change your slot until" in text(client.get(booking_url(pitch.proposal)))
    radios = page.find_all("input", attrs={"type": "radio"})
    assert [int(radio["value"]) for radio in radios] == [slots[1].pk, slots[2].pk]
    assert_labelled(page, page.find("form", id="slot-choice"))
    assert page.find("legend").get_text(strip=True) == "Choose a pitch slot"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(booking_url(pitch.proposal), {"slot": slots[2].pk}, follow=True)
    assert response.redirect_chain[-1][0] == booking_url(pitch.proposal)
    assert "Pitch slot booked: 11am to 11:30am, " in text(response)
    assert PitchSlot.objects.get(pk=slots[2].pk).proposal_id == pitch.proposal.pk
    assert len(mail.outbox) == 2
    page = soup(response)
    assert link(page, "Change")["href"] == "?change=1#slot-choice"
    assert not page.find_all("input", attrs={"type": "radio"})
    assert page.find("a", href=reverse("judging:pitch_calendar", args=[pitch.proposal.pk])) is not None


def test_an_organisation_changes_its_slot_until_the_cutoff(client, pitch):
    first, second = add_slots(pitch.stage, 2, start=pitch.day)
    book_directly(first, pitch.proposal, pitch.supplier)
    client.force_login(pitch.supplier)
    page = soup(client.get(booking_url(pitch.proposal) + "?change=1"))
    assert page.find("legend").get_text(strip=True) == "Choose a new slot"
    assert [int(r["value"]) for r in page.find_all("input", attrs={"type": "radio"})] == [second.pk]
    response = client.post(booking_url(pitch.proposal), {"slot": second.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_free and second.proposal_id == pitch.proposal.pk


def test_choosing_nothing_or_a_slot_just_taken_is_explained_on_the_field(client, pitch):
    slots = add_slots(pitch.stage, 2, start=pitch.day)
    client.force_login(pitch.supplier)
    response = client.post(booking_url(pitch.proposal), {})
    assert response.status_code == 400
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    assert assert_error_summary_links_to_fields(page) == ["Choose a pitch slot"]
    assert page.find(id="id_slot-error").get_text(" ", strip=True) == "Error: Choose a pitch slot"

    book_directly(slots[0], pitch.rival, pitch.rival_supplier)
    response = client.post(booking_url(pitch.proposal), {"slot": slots[0].pk})
    assert response.status_code == 400
    assert assert_error_summary_links_to_fields(soup(response)) == [TAKEN]
    assert [int(r["value"]) for r in soup(response).find_all("input", attrs={"type": "radio"})] == [slots[1].pk]


def test_after_the_cutoff_the_booking_is_read_only(client, pitch):
    slot = add_slots(pitch.stage, 2, start=pitch.day)[0]
    book_directly(slot, pitch.proposal, pitch.supplier)
    Stage.objects.filter(pk=pitch.stage.pk).update(booking_closes_at=timezone.now() - timedelta(hours=1))
    client.force_login(pitch.supplier)
    response = client.get(booking_url(pitch.proposal) + "?change=1")
    assert response.status_code == 200
    page = soup(response)
    assert page.find("form", id="slot-choice") is None
    assert link(page, "Change") is None
    assert "Pitch slots could be booked or changed until" in page.find(class_="govuk-inset-text").get_text()


def test_the_calendar_file_download(client, pitch):
    slot = book_directly(add_slots(pitch.stage, 1, start=pitch.day)[0], pitch.proposal, pitch.supplier)
    client.force_login(pitch.colleague)
    response = client.get(reverse("judging:pitch_calendar", args=[pitch.proposal.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="pitch.ics"'
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == slot.starts_at
    assert str(event["summary"]) == "Pitch: Prevent homelessness with data"


def test_no_calendar_file_before_a_booking(client, pitch):
    client.force_login(pitch.supplier)
    assert client.get(reverse("judging:pitch_calendar", args=[pitch.proposal.pk])).status_code == 404


# The judge


def schedule_url(pitch) -> str:
    return reverse("judging:pitch_schedule", args=[pitch.stage.pk])


def test_the_judge_sees_the_day_in_time_order_and_scores_each_pitch(client, pitch):
    slots = add_slots(pitch.stage, 3, start=pitch.day)
    book_directly(slots[2], pitch.proposal, pitch.supplier)
    book_directly(slots[0], pitch.rival, pitch.rival_supplier)
    review = assign(pitch.proposal, pitch.judge)
    client.force_login(pitch.judge)
    response = client.get(schedule_url(pitch))
    assert response.status_code == 200
    page = soup(response)
    assert [h.get_text(strip=True) for h in page.find_all("h1")] == ["Pitch day schedule"]
    assert page.find("table") is None
    cards = page.find_all(class_="govuk-summary-card")
    assert [card["id"] for card in cards] == [f"slot-{slot.pk}" for slot in slots]
    assert pitch.rival.organisation.name in cards[0].get_text()
    assert "Not booked" in cards[1].get_text()
    assert pitch.proposal.organisation.name in cards[2].get_text()
    score = link(cards[2], "Score this pitch")
    assert score["href"] == reverse("judging:review", args=[review.assignment_id])
    assert link(cards[0], "Score this pitch") is None


def test_a_blind_stage_hides_the_organisation(client, listing, sponsor_index, sponsor):
    pitch = build_pitch_scene(listing, sponsor_index, sponsor, blind=True)
    book_directly(add_slots(pitch.stage, 1, start=pitch.day)[0], pitch.proposal, pitch.supplier)
    client.force_login(pitch.judge)
    body = text(client.get(schedule_url(pitch)))
    assert pitch.proposal.organisation.name not in body
    assert pitch.proposal.reference in body


def test_the_judge_records_a_no_show(client, pitch):
    slot = book_directly(add_slots(pitch.stage, 1, start=pitch.day)[0], pitch.proposal, pitch.supplier)
    client.force_login(pitch.judge)
    url = reverse("judging:pitch_attendance", args=[pitch.stage.pk, slot.pk])
    response = client.post(url, {"attendance": "no_show"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{schedule_url(pitch)}#slot-{slot.pk}"
    assert "Did not attend recorded for the pitch at 10am to 10:30am" in text(response)
    assert PitchSlot.objects.get().attendance == Attendance.NO_SHOW
    response = client.post(url, {"attendance": "nonsense"}, follow=True)
    assert "Select a valid choice." in text(response)
    assert PitchSlot.objects.get().attendance == Attendance.NO_SHOW


def test_the_schedule_reflows_on_a_phone(client, pitch):
    """No table and no fixed widths: summary cards and lists, which GOV.UK Frontend stacks below 641px."""
    book_directly(add_slots(pitch.stage, 2, start=pitch.day)[0], pitch.proposal, pitch.supplier)
    client.force_login(pitch.judge)
    page = soup(client.get(schedule_url(pitch)))
    main = page.find("main")
    assert main.find("table") is None
    assert not [tag for tag in main.find_all(style=True) if "width" in tag["style"]]
    assert main.find_all(class_="govuk-summary-list")


# The manager


def test_the_manager_adds_slots_in_bulk(client, pitch):
    client.force_login(pitch.manager)
    page = soup(client.get(admin_url("pitch", pitch)))
    form = page.find("form", attrs={"aria-labelledby": "add-heading"})
    labels = [label.get_text(" ", strip=True) for label in form.find_all("label")]
    for expected in ("Number of slots", "Length in minutes", "Break between slots", "First slot starts", "Location"):
        assert any(label.startswith(expected) for label in labels), expected
    assert_labelled(page, form)
    data = {
        "count": "8",
        "minutes": "30",
        "gap_minutes": "0",
        "starts_at": pitch.day.strftime("%Y-%m-%dT%H:%M"),
        "location": "Council House, Committee Room 2",
        "video_link": "",
    }
    response = client.post(admin_url("pitch", pitch), data, follow=True)
    assert "8 slots added." in text(response)
    assert PitchSlot.objects.filter(stage=pitch.stage).count() == 8
    assert len(soup(response).find(id="slots").find("tbody").find_all("tr")) == 8


def test_an_overlap_is_shown_on_the_start_field_keeping_what_was_typed(client, pitch):
    add_slots(pitch.stage, 2, start=pitch.day)
    client.force_login(pitch.manager)
    data = {"count": "3", "minutes": "30", "starts_at": pitch.day.strftime("%Y-%m-%dT%H:%M"), "location": "Room 9"}
    response = client.post(admin_url("pitch", pitch), data)
    assert response.status_code == 400
    page = soup(response)
    [message] = assert_error_summary_links_to_fields(page)
    assert message.startswith("The slot at 10am, ") and "would overlap the existing slot 10am to 10:30am" in message
    assert page.find(id="id_location")["value"] == "Room 9"
    assert page.find(id="id_count")["value"] == "3"
    response = client.post(admin_url("pitch", pitch), {"count": "", "minutes": "30", "starts_at": ""})
    assert set(assert_error_summary_links_to_fields(soup(response))) == {
        "Enter the number of slots",
        "Enter when the first slot starts",
        "Enter a location or a video link",
    }


def test_the_manager_assigns_a_slot_and_records_attendance(client, pitch, django_capture_on_commit_callbacks):
    slots = add_slots(pitch.stage, 2, start=pitch.day)
    client.force_login(pitch.manager)
    page = soup(client.get(admin_url("pitch", pitch)))
    options = [o.get_text() for o in page.find(id="id_proposal").find_all("option")]
    assert options[1:] == sorted([f"{p.organisation.name} ({p.reference})" for p in (pitch.proposal, pitch.rival)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            admin_url("pitch_assign", pitch), {"proposal": pitch.proposal.pk, "slot": slots[1].pk}, follow=True
        )
    assert f"{pitch.proposal.organisation.name} given the slot at 10:30am to 11am" in text(response)
    assert len(mail.outbox) == 2
    response = client.post(admin_url("pitch_assign", pitch), {"proposal": pitch.rival.pk, "slot": slots[1].pk})
    assert response.status_code == 400
    assert assert_error_summary_links_to_fields(soup(response)) == [TAKEN]
    response = client.post(
        admin_url("pitch_assign", pitch), {"proposal": pitch.outsider_proposal.pk, "slot": slots[0].pk}
    )
    assert response.status_code == 400
    assert PitchSlot.objects.get(pk=slots[0].pk).is_free

    response = client.post(admin_url("pitch_attendance", pitch, slots[1].pk), {"attendance": "attended"}, follow=True)
    assert f"Attended recorded for {pitch.proposal.organisation.name}." in text(response)
    assert PitchSlot.objects.get(pk=slots[1].pk).attendance == Attendance.ATTENDED


def test_the_pitch_index_goes_to_the_first_pitch_stage_and_a_written_stage_has_no_pitch_page(client, pitch):
    client.force_login(pitch.manager)
    response = client.get(reverse("judging_admin:pitch_index", args=[pitch.challenge.pk]))
    assert response.status_code == 302 and response.url == admin_url("pitch", pitch)
    written = reverse("judging_admin:pitch", args=[pitch.challenge.pk, pitch.written.pk])
    assert client.get(written).status_code == 404
