"""The pitch stage's writes: slots in bulk, booking first come first served, the cutoff, the confirmation email
and its calendar invitation, attendance."""

import base64
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from icalendar import Calendar

from audit.models import Event
from challenges.models import Stage
from core.formatting import UK
from judging.models import Attendance, PitchSlot
from judging.selectors.pitch import pitch_ics
from judging.services.pitch import (
    _email_confirmation,
    pitch_attendance_record,
    pitch_slot_assign,
    pitch_slot_book,
    pitch_slots_create,
)
from notifications.models import Notification
from submissions.models import Proposal, ProposalStatus

from .test_pitch_scene import PitchScene, add_slots, book_directly, build_pitch_scene


@pytest.fixture
def pitch(listing, sponsor_index, sponsor) -> PitchScene:
    return build_pitch_scene(listing, sponsor_index, sponsor)


TAKEN = "This slot has just been booked by someone else: choose another."


def messages_of(error) -> list[str]:
    return error.value.messages


# Slots in bulk


def test_a_manager_adds_eight_slots_of_thirty_minutes_from_ten(pitch: PitchScene):
    created = pitch_slots_create(
        stage=pitch.stage,
        starts_at=pitch.day,
        count=8,
        minutes=30,
        location="Council House, Committee Room 2",
        by=pitch.manager,
    )
    slots = list(PitchSlot.objects.filter(stage=pitch.stage))
    assert len(created) == len(slots) == 8
    assert [slot.starts_at for slot in slots] == [pitch.day + timedelta(minutes=30 * n) for n in range(8)]
    assert all(slot.ends_at - slot.starts_at == timedelta(minutes=30) for slot in slots)
    assert {slot.location for slot in slots} == {"Council House, Committee Room 2"}
    assert all(slot.is_free and slot.attendance == Attendance.NOT_RECORDED for slot in slots)
    event = Event.objects.get(verb="pitch slots added")
    assert event.actor == pitch.manager and event.challenge_id == pitch.challenge.pk
    assert event.note.startswith("8 slots of 30 minutes from 10am")


def test_a_break_between_slots_and_a_video_link(pitch):
    pitch_slots_create(
        stage=pitch.stage,
        starts_at=pitch.day,
        count=3,
        minutes=20,
        gap_minutes=10,
        video_link="https://meet.example/pitch",
        by=pitch.manager,
    )
    starts = list(PitchSlot.objects.filter(stage=pitch.stage).values_list("starts_at", "video_link", "location"))
    assert starts == [(pitch.day + timedelta(minutes=30 * n), "https://meet.example/pitch", "") for n in range(3)]


def test_an_overlap_with_existing_slots_is_refused_naming_the_clash(pitch):
    add_slots(pitch.stage, 4, start=pitch.day)
    with pytest.raises(ValidationError) as error:
        pitch_slots_create(
            stage=pitch.stage,
            starts_at=pitch.day + timedelta(minutes=75),
            count=2,
            minutes=30,
            location="Room 1",
            by=pitch.manager,
        )
    message = error.value.message_dict["starts_at"][0]
    assert message.startswith("The slot at 11:15am, ")
    assert "would overlap the existing slot 11am to 11:30am, " in message
    assert PitchSlot.objects.filter(stage=pitch.stage).count() == 4


def test_slots_right_after_the_existing_ones_are_fine(pitch):
    add_slots(pitch.stage, 4, start=pitch.day)
    pitch_slots_create(
        stage=pitch.stage,
        starts_at=pitch.day + timedelta(hours=2),
        count=2,
        minutes=30,
        location="Room 1",
        by=pitch.manager,
    )
    assert PitchSlot.objects.filter(stage=pitch.stage).count() == 6


def test_a_slot_needs_a_place_and_must_fit_in_the_stage(pitch):
    with pytest.raises(ValidationError) as error:
        pitch_slots_create(stage=pitch.stage, starts_at=pitch.day, count=2, minutes=30, by=pitch.manager)
    assert error.value.message_dict == {"location": ["Enter a location or a video link."]}
    with pytest.raises(ValidationError) as error:
        pitch_slots_create(
            stage=pitch.stage,
            starts_at=pitch.day + timedelta(days=30),
            count=1,
            minutes=30,
            location="Room",
            by=pitch.manager,
        )
    assert "after Pitch closes" in error.value.message_dict["starts_at"][0]
    with pytest.raises(ValidationError):
        pitch_slots_create(stage=pitch.stage, starts_at=pitch.day, count=0, minutes=30, location="R", by=pitch.manager)


def test_the_database_refuses_a_slot_with_no_place_or_ending_before_it_starts(pitch):
    with pytest.raises(IntegrityError), transaction.atomic():
        PitchSlot.objects.create(stage=pitch.stage, starts_at=pitch.day, ends_at=pitch.day + timedelta(minutes=5))
    with pytest.raises(IntegrityError), transaction.atomic():
        PitchSlot.objects.create(stage=pitch.stage, starts_at=pitch.day, ends_at=pitch.day, location="Room")


@pytest.mark.parametrize("who", ["other_manager", "judge", "supplier"])
def test_only_the_challenges_managers_add_slots(pitch, who):
    with pytest.raises(PermissionDenied):
        pitch_slots_create(
            stage=pitch.stage, starts_at=pitch.day, count=1, minutes=30, location="R", by=getattr(pitch, who)
        )
    assert not PitchSlot.objects.exists()


def test_a_written_stage_has_no_slots(pitch):
    with pytest.raises(PermissionDenied, match="not a pitch stage"):
        pitch_slots_create(
            stage=pitch.written, starts_at=pitch.day, count=1, minutes=30, location="R", by=pitch.manager
        )


# Booking


def test_booking_a_slot_emails_every_member_a_calendar_invitation(pitch, django_capture_on_commit_callbacks):
    slot = add_slots(pitch.stage, 3, start=pitch.day)[1]
    with django_capture_on_commit_callbacks(execute=True):
        booked = pitch_slot_book(proposal=pitch.proposal, slot=slot, by=pitch.supplier)
    assert booked.proposal == pitch.proposal and booked.booked_by == pitch.supplier and booked.sequence == 0
    assert sorted(message.to[0] for message in mail.outbox) == [pitch.supplier.email, pitch.colleague.email]
    message = mail.outbox[0]
    assert message.subject.startswith("Pitch slot booked: Prevent homelessness with data, 10:30am to 11am, ")
    assert "Where: Council House, Committee Room 2" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("pitch.ics", "text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == slot.starts_at
    assert Event.objects.filter(verb="pitch slot booked", proposal_id=pitch.proposal.pk).count() == 1


def test_the_calendar_invitation(pitch):
    slot = add_slots(pitch.stage, 1, start=pitch.day)[0]
    pitch_slot_book(proposal=pitch.proposal, slot=slot, by=pitch.supplier)
    notification = Notification.objects.filter(to_email=pitch.supplier.email).get()
    [attachment] = notification.attachments
    calendar = Calendar.from_ical(base64.b64decode(attachment["content_base64"]))
    assert str(calendar["method"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Pitch: Prevent homelessness with data"
    assert str(event["location"]) == "Council House, Committee Room 2"
    assert event.decoded("dtstart") == slot.starts_at and event.decoded("dtend") == slot.ends_at
    raw = event.to_ical().decode()
    assert f"DTSTART:{slot.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in raw
    assert f"DTEND:{slot.ends_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in raw
    assert pitch.proposal.reference in str(event["description"])
    assert int(event["sequence"]) == 0
    assert str(event["uid"]) == f"pitch-{pitch.stage.pk}-{pitch.proposal.pk}@{str(event['uid']).rpartition('@')[2]}"


def test_changing_slot_releases_the_old_one_and_updates_the_same_calendar_event(
    pitch, django_capture_on_commit_callbacks
):
    first, second = add_slots(pitch.stage, 2, start=pitch.day, location="Room 1")
    with django_capture_on_commit_callbacks(execute=True):
        pitch_slot_book(proposal=pitch.proposal, slot=first, by=pitch.supplier)
        pitch_slot_book(proposal=pitch.proposal, slot=second, by=pitch.colleague)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_free and first.booked_by is None
    assert second.proposal == pitch.proposal and second.sequence == 1
    assert len(mail.outbox) == 4
    changed = [m for m in mail.outbox if m.subject.startswith("Pitch slot changed")]
    assert len(changed) == 2
    events = [Calendar.from_ical(m.attachments[0][1]).walk("VEVENT")[0] for m in mail.outbox]
    assert len({str(event["uid"]) for event in events}) == 1
    assert sorted(int(event["sequence"]) for event in events) == [0, 0, 1, 1]
    assert Event.objects.filter(verb="pitch slot changed").count() == 1


def test_booking_the_same_slot_again_changes_nothing_and_emails_nobody(pitch, django_capture_on_commit_callbacks):
    slot = add_slots(pitch.stage, 1, start=pitch.day)[0]
    with django_capture_on_commit_callbacks(execute=True):
        pitch_slot_book(proposal=pitch.proposal, slot=slot, by=pitch.supplier)
    with django_capture_on_commit_callbacks(execute=True):
        pitch_slot_book(proposal=pitch.proposal, slot=slot, by=pitch.colleague)
    assert len(mail.outbox) == 2
    assert Notification.objects.count() == 2
    assert PitchSlot.objects.get().booked_by == pitch.supplier


def test_the_confirmation_is_idempotent_per_booking(pitch, django_capture_on_commit_callbacks):
    slot = add_slots(pitch.stage, 1, start=pitch.day)[0]
    with django_capture_on_commit_callbacks(execute=True):
        pitch_slot_book(proposal=pitch.proposal, slot=slot, by=pitch.supplier)
        _email_confirmation(slot=PitchSlot.objects.select_related("proposal__organisation").get(), changed=False)
    assert len(mail.outbox) == 2


def test_after_the_cutoff_the_organisation_cannot_book_or_change(pitch):
    first, second = add_slots(pitch.stage, 2, start=pitch.day)
    pitch_slot_book(proposal=pitch.proposal, slot=first, by=pitch.supplier)
    Stage.objects.filter(pk=pitch.stage.pk).update(booking_closes_at=timezone.now() - timedelta(minutes=1))
    proposal = Proposal.objects.select_related("stage").get(pk=pitch.proposal.pk)
    with pytest.raises(PermissionDenied) as error:
        pitch_slot_book(proposal=proposal, slot=second, by=pitch.supplier)
    assert str(error.value).startswith("Pitch slots could be booked or changed until ")
    assert str(error.value).endswith("Contact the challenge manager if you need to change your slot.")
    rival = Proposal.objects.select_related("stage").get(pk=pitch.rival.pk)
    with pytest.raises(PermissionDenied):
        pitch_slot_book(proposal=rival, slot=second, by=pitch.rival_supplier)
    first.refresh_from_db()
    assert first.proposal_id == pitch.proposal.pk


def test_without_a_cutoff_a_slot_can_be_booked_until_it_starts(pitch):
    Stage.objects.filter(pk=pitch.stage.pk).update(booking_closes_at=None)
    stage = Stage.objects.get(pk=pitch.stage.pk)
    started = PitchSlot.objects.create(
        stage=stage,
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_at=timezone.now() + timedelta(minutes=25),
        location="Room",
    )
    later = add_slots(stage, 1, start=pitch.day)[0]
    proposal = Proposal.objects.select_related("stage").get(pk=pitch.proposal.pk)
    with pytest.raises(PermissionDenied, match="This slot has already started"):
        pitch_slot_book(proposal=proposal, slot=started, by=pitch.supplier)
    assert pitch_slot_book(proposal=proposal, slot=later, by=pitch.supplier).proposal_id == proposal.pk


def test_a_manager_assigns_a_slot_after_the_cutoff(pitch, django_capture_on_commit_callbacks):
    slot = add_slots(pitch.stage, 1, start=pitch.day)[0]
    Stage.objects.filter(pk=pitch.stage.pk).update(booking_closes_at=timezone.now() - timedelta(minutes=1))
    slot = PitchSlot.objects.select_related("stage__page").get(pk=slot.pk)
    with django_capture_on_commit_callbacks(execute=True):
        pitch_slot_assign(proposal=pitch.proposal, slot=slot, by=pitch.manager)
    assert PitchSlot.objects.get().proposal_id == pitch.proposal.pk
    assert len(mail.outbox) == 2
    assert Event.objects.filter(verb="pitch slot assigned", actor=pitch.manager).count() == 1


def test_a_manager_cannot_assign_a_proposal_that_is_not_pitching(pitch):
    slot = add_slots(pitch.stage, 1, start=pitch.day)[0]
    with pytest.raises(ValidationError, match="has not been invited to pitch"):
        pitch_slot_assign(proposal=pitch.outsider_proposal, slot=slot, by=pitch.manager)
    with pytest.raises(PermissionDenied):
        pitch_slot_assign(proposal=pitch.proposal, slot=slot, by=pitch.other_manager)
    assert PitchSlot.objects.get().is_free


@pytest.mark.parametrize(
    ("proposal", "who", "reason"),
    [
        ("outsider_proposal", "outsider", "This proposal has not been invited to pitch."),
        ("proposal", "rival_supplier", "Only members of the organisation can see this proposal."),
        ("proposal", "judge", "Only members of the organisation can see this proposal."),
    ],
)
def test_only_members_of_an_organisation_in_the_pitch_stage_book(pitch, proposal, who, reason):
    slot = add_slots(pitch.stage, 1, start=pitch.day)[0]
    with pytest.raises(PermissionDenied) as error:
        pitch_slot_book(proposal=getattr(pitch, proposal), slot=slot, by=getattr(pitch, who))
    assert str(error.value) == reason
    assert PitchSlot.objects.get().is_free


def test_a_withdrawn_proposal_cannot_book(pitch):
    slot = add_slots(pitch.stage, 1, start=pitch.day)[0]
    Proposal.objects.filter(pk=pitch.proposal.pk).update(status=ProposalStatus.WITHDRAWN)
    pitch.proposal.refresh_from_db()
    with pytest.raises(PermissionDenied, match="not been invited to pitch"):
        pitch_slot_book(proposal=pitch.proposal, slot=slot, by=pitch.supplier)


def test_a_slot_of_another_stage_cannot_be_booked(pitch, listing, sponsor_index, sponsor):
    slot = PitchSlot.objects.create(
        stage=pitch.written, starts_at=pitch.day, ends_at=pitch.day + timedelta(minutes=30), location="Room"
    )
    with pytest.raises(ValidationError, match="not in the pitch stage"):
        pitch_slot_book(proposal=pitch.proposal, slot=slot, by=pitch.supplier)


# Two organisations, one slot


def test_a_slot_booked_by_someone_else_is_refused_with_a_clear_message(pitch):
    slot, other = add_slots(pitch.stage, 2, start=pitch.day)
    pitch_slot_book(proposal=pitch.proposal, slot=other, by=pitch.supplier)
    pitch_slot_book(proposal=pitch.rival, slot=slot, by=pitch.rival_supplier)
    with pytest.raises(ValidationError) as error:
        pitch_slot_book(proposal=pitch.proposal, slot=slot, by=pitch.supplier)
    assert messages_of(error) == [TAKEN]
    slot.refresh_from_db()
    other.refresh_from_db()
    assert slot.proposal_id == pitch.rival.pk and other.proposal_id == pitch.proposal.pk


def test_two_bookings_at_once_one_wins_the_loser_is_told(pitch, django_capture_on_commit_callbacks):
    """Both requests read the slot as free (the page each was shown); the second to write finds it taken."""
    slot = add_slots(pitch.stage, 1, start=pitch.day)[0]
    seen_by_first, seen_by_second = PitchSlot.objects.get(pk=slot.pk), PitchSlot.objects.get(pk=slot.pk)
    assert seen_by_first.is_free and seen_by_second.is_free
    with django_capture_on_commit_callbacks(execute=True):
        pitch_slot_book(proposal=pitch.rival, slot=seen_by_first, by=pitch.rival_supplier)
        with pytest.raises(ValidationError) as error:
            pitch_slot_book(proposal=pitch.proposal, slot=seen_by_second, by=pitch.supplier)
    assert messages_of(error) == [TAKEN]
    assert PitchSlot.objects.get().proposal_id == pitch.rival.pk
    assert [message.to[0] for message in mail.outbox] == [pitch.rival_supplier.email]


def test_the_database_allows_one_slot_per_proposal_per_stage(pitch):
    first, second = add_slots(pitch.stage, 2, start=pitch.day)
    book_directly(first, pitch.proposal, pitch.supplier)
    with pytest.raises(IntegrityError), transaction.atomic():
        book_directly(second, pitch.proposal, pitch.supplier)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Real row locks need PostgreSQL.")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_requests_for_one_slot_on_postgresql(listing, sponsor_index, sponsor):
    scene = build_pitch_scene(listing, sponsor_index, sponsor)
    slot = add_slots(scene.stage, 1, start=scene.day)[0]
    barrier = threading.Barrier(2)
    outcomes = {}

    def book(name, proposal, user):
        try:
            barrier.wait()
            pitch_slot_book(proposal=Proposal.objects.select_related("stage").get(pk=proposal.pk), slot=slot, by=user)
            outcomes[name] = "booked"
        except ValidationError as error:
            outcomes[name] = error.messages[0]
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=("ours", scene.proposal, scene.supplier)),
        threading.Thread(target=book, args=("theirs", scene.rival, scene.rival_supplier)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == sorted(["booked", TAKEN])
    winner = scene.proposal if outcomes["ours"] == "booked" else scene.rival
    assert PitchSlot.objects.get().proposal_id == winner.pk


# Attendance


def test_a_judge_on_the_panel_records_a_no_show(pitch):
    slot = book_directly(add_slots(pitch.stage, 1, start=pitch.day)[0], pitch.proposal, pitch.supplier)
    recorded = pitch_attendance_record(slot=slot, attendance=Attendance.NO_SHOW, by=pitch.judge)
    assert recorded.attendance == Attendance.NO_SHOW and recorded.attendance_recorded_by == pitch.judge
    event = Event.objects.get(verb="pitch attendance recorded")
    assert (event.from_status, event.to_status, event.proposal_id) == ("not_recorded", "no_show", pitch.proposal.pk)
    pitch_attendance_record(slot=slot, attendance=Attendance.ATTENDED, by=pitch.manager)
    assert PitchSlot.objects.get().attendance == Attendance.ATTENDED


@pytest.mark.parametrize("who", ["written_judge", "supplier", "other_manager"])
def test_attendance_is_for_the_stages_panel_and_managers(pitch, who):
    slot = book_directly(add_slots(pitch.stage, 1, start=pitch.day)[0], pitch.proposal, pitch.supplier)
    with pytest.raises(PermissionDenied):
        pitch_attendance_record(slot=slot, attendance=Attendance.NO_SHOW, by=getattr(pitch, who))
    assert PitchSlot.objects.get().attendance == Attendance.NOT_RECORDED


def test_a_free_slot_has_no_attendance(pitch):
    slot = add_slots(pitch.stage, 1, start=pitch.day)[0]
    with pytest.raises(ValidationError, match="Nobody has booked this slot"):
        pitch_attendance_record(slot=slot, attendance=Attendance.NO_SHOW, by=pitch.judge)


def test_the_calendar_invitation_is_in_utc_in_british_summer_time(pitch):
    start = datetime(2027, 7, 1, 10, 0, tzinfo=UK)
    slot = PitchSlot(
        stage=pitch.stage,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        video_link="https://meet.example/pitch",
        proposal=pitch.proposal,
        booked_at=timezone.now(),
        sequence=2,
    )
    raw = pitch_ics(slot).decode()
    assert "DTSTART:20270701T090000Z" in raw and "DTEND:20270701T093000Z" in raw
    assert "URL:https://meet.example/pitch" in raw and "LOCATION" not in raw
    assert "SEQUENCE:2" in raw and "METHOD:REQUEST" in raw
