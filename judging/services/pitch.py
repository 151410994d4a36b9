"""Writes for pitch stages: setting up slots in bulk, booking and assigning them, and recording attendance.

Booking is first come, first served. Two organisations choosing the same slot at the same moment must not both
get it: the slot row is locked (``select_for_update``), re-read, and taken by a conditional ``UPDATE`` that only
succeeds while the slot is still free, and the database allows one slot per proposal per stage. Whoever loses is
told to choose another slot; nothing of theirs changes. Every booking emails the organisation's members a
confirmation carrying the calendar invitation.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import require
from accounts.selectors import organisation_members
from audit.services import event_record
from core.formatting import format_moment, format_time
from notifications.services import notify

from ..models import Attendance, PitchSlot
from ..pitch_permissions import (
    NOT_IN_A_PITCH_STAGE,
    SLOT_TAKEN,
    can_book_pitch,
    can_manage_pitch,
    can_record_attendance,
    is_pitching,
)
from ..selectors.pitch import pitch_ics

MAX_SLOTS = 100


def _planned(*, stage, starts_at: datetime, count: int, minutes: int, gap_minutes: int, location, video_link):
    length, gap = timedelta(minutes=minutes), timedelta(minutes=gap_minutes)
    return [
        PitchSlot(
            stage=stage,
            starts_at=starts_at + n * (length + gap),
            ends_at=starts_at + n * (length + gap) + length,
            location=location,
            video_link=video_link,
        )
        for n in range(count)
    ]


def _check_plan(*, stage, count: int, minutes: int, gap_minutes: int, location: str, video_link: str) -> None:
    errors = {}
    if not 1 <= count <= MAX_SLOTS:
        errors["count"] = f"Enter a number of slots between 1 and {MAX_SLOTS}."
    if minutes < 1:
        errors["minutes"] = "Enter a length of at least 1 minute."
    if gap_minutes < 0:
        errors["gap_minutes"] = "Enter a break of 0 minutes or more."
    if not location.strip() and not video_link.strip():
        errors["location"] = "Enter a location or a video link."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pitch_slots_create(
    *,
    stage,
    starts_at: datetime,
    count: int,
    minutes: int,
    gap_minutes: int = 0,
    location: str = "",
    video_link: str = "",
    by,
) -> list[PitchSlot]:
    """Add ``count`` back-to-back slots of ``minutes`` (``gap_minutes`` apart) from ``starts_at``.

    A manager sets up the day in one go; a clash with a slot already there is refused, naming it, so no two
    organisations are ever asked to pitch at once, and nothing is added until the whole run fits.
    """
    require(can_manage_pitch(by, stage))
    _check_plan(
        stage=stage, count=count, minutes=minutes, gap_minutes=gap_minutes, location=location, video_link=video_link
    )
    slots = _planned(
        stage=stage,
        starts_at=starts_at,
        count=count,
        minutes=minutes,
        gap_minutes=gap_minutes,
        location=location.strip(),
        video_link=video_link.strip(),
    )
    last_end = slots[-1].ends_at
    if last_end > stage.closes_at:
        raise ValidationError(
            {
                "starts_at": f"The last slot would end at {format_moment(last_end)}, after {stage.name} closes "
                f"({format_moment(stage.closes_at)}). Start earlier or add fewer slots."
            }
        )
    if starts_at < stage.opens_at:
        raise ValidationError(
            {"starts_at": f"The first slot must start after {stage.name} opens ({format_moment(stage.opens_at)})."}
        )
    existing = list(
        PitchSlot.objects.select_for_update()
        .filter(stage=stage, starts_at__lt=last_end, ends_at__gt=starts_at)
        .order_by("starts_at")
    )
    for new in slots:
        clash = next((old for old in existing if old.starts_at < new.ends_at and new.starts_at < old.ends_at), None)
        if clash is not None:
            raise ValidationError(
                {
                    "starts_at": f"The slot at {format_moment(new.starts_at)} would overlap the existing slot "
                    f"{format_time(clash.starts_at)} to {format_moment(clash.ends_at)}. "
                    "Choose another start time or fewer slots."
                }
            )
    for slot in slots:
        slot.full_clean()
    created = PitchSlot.objects.bulk_create(slots)
    event_record(
        actor=by,
        verb="pitch slots added",
        challenge=stage.page,
        subject=stage.name,
        note=f"{count} slot{'s' if count != 1 else ''} of {minutes} minutes from {format_moment(starts_at)}, "
        f"{location.strip() or video_link.strip()}",
    )
    return created


def _book(*, proposal, slot: PitchSlot, by, as_manager: bool) -> PitchSlot:
    """Point ``slot`` at ``proposal``, releasing the proposal's previous slot in the stage."""
    if slot.stage_id != proposal.stage_id:
        raise ValidationError("This slot is not in the pitch stage your proposal is in: choose another.")
    now = timezone.now()
    with transaction.atomic():
        locked = {
            row.pk: row
            for row in PitchSlot.objects.select_for_update()
            .filter(Q(pk=slot.pk) | Q(proposal=proposal), stage_id=proposal.stage_id)
            .order_by("pk")
        }
        target = locked.get(slot.pk)
        if target is None:
            raise ValidationError("This slot is no longer available: choose another.")
        if target.proposal_id == proposal.pk:
            return target
        current = next((row for row in locked.values() if row.pk != target.pk), None)
        if target.proposal_id is not None:
            raise ValidationError(SLOT_TAKEN)
        if not as_manager:
            require(can_book_pitch(by, proposal, current=current, target=target, now=now))
        sequence = current.sequence + 1 if current is not None else 0
        if current is not None:
            PitchSlot.objects.filter(pk=current.pk).update(
                proposal=None,
                booked_by=None,
                booked_at=None,
                attendance=Attendance.NOT_RECORDED,
                attendance_recorded_by=None,
                attendance_recorded_at=None,
            )
        try:
            with transaction.atomic():
                taken = PitchSlot.objects.filter(pk=target.pk, proposal__isnull=True).update(
                    proposal=proposal,
                    booked_by=by,
                    booked_at=now,
                    sequence=sequence,
                    attendance=Attendance.NOT_RECORDED,
                )
        except IntegrityError as error:
            # The one-slot-per-proposal constraint: another request booked this proposal a slot meanwhile.
            raise ValidationError(
                "Your organisation has just booked another slot. Check your booking before changing it."
            ) from error
        if taken != 1:
            raise ValidationError(SLOT_TAKEN)
        target.refresh_from_db()
        target.proposal = proposal
        verb = "pitch slot assigned" if as_manager else ("pitch slot changed" if current else "pitch slot booked")
        event_record(
            actor=by,
            verb=verb,
            proposal=proposal,
            subject=target.label[:200],
            note=f"Was {current.label}" if current is not None else "",
        )
        _email_confirmation(slot=target, changed=current is not None)
    return target


def _email_confirmation(*, slot: PitchSlot, changed: bool) -> None:
    """Every member of the organisation gets the confirmation and the calendar invitation, once per booking."""
    proposal = slot.proposal
    ics = pitch_ics(slot)
    context = {
        "challenge": slot.stage.page.title,
        "stage": slot.stage.name,
        "organisation": proposal.organisation.name,
        "reference": proposal.reference,
        "title": proposal.title,
        "when": slot.when,
        "location": slot.location,
        "video_link": slot.video_link,
        "changed": changed,
        "booking_path": reverse("judging:pitch_booking", args=[proposal.pk]),
    }
    for membership in organisation_members(organisation=proposal.organisation):
        notify(
            to=membership.user.email,
            template="judging/email/pitch_booked",
            context=context,
            key=f"pitch:{slot.pk}:{proposal.pk}:{slot.booked_at.timestamp()}:{membership.user_id}",
            attachments=[("pitch.ics", ics, "text/calendar")],
        )


def pitch_slot_book(*, proposal, slot: PitchSlot, by) -> PitchSlot:
    """An organisation books (or changes to) a free slot for its proposal, before the booking cutoff."""
    require(can_book_pitch(by, proposal, current=None, target=None, now=timezone.now()))
    return _book(proposal=proposal, slot=slot, by=by, as_manager=False)


def pitch_slot_assign(*, proposal, slot: PitchSlot, by) -> PitchSlot:
    """A manager gives a proposal a slot, whatever the cutoff: for an organisation that did not book, or asks
    to move after the cutoff."""
    require(can_manage_pitch(by, slot.stage))
    if proposal.challenge_id != slot.stage.page_id or not is_pitching(proposal):
        raise ValidationError(NOT_IN_A_PITCH_STAGE)
    return _book(proposal=proposal, slot=slot, by=by, as_manager=True)


@transaction.atomic
def pitch_attendance_record(*, slot: PitchSlot, attendance: str, by) -> PitchSlot:
    """Record whether the organisation pitched or did not turn up; a correction is recorded the same way."""
    require(can_record_attendance(by, slot))
    if attendance not in Attendance.values:
        raise ValidationError({"attendance": "Choose whether the organisation attended."})
    slot = PitchSlot.objects.select_for_update(of=("self",)).select_related("proposal", "stage").get(pk=slot.pk)
    if slot.proposal_id is None:
        raise ValidationError("Nobody has booked this slot, so there is no attendance to record.")
    before = slot.attendance
    slot.attendance = attendance
    slot.attendance_recorded_by = by
    slot.attendance_recorded_at = timezone.now()
    slot.save(update_fields=["attendance", "attendance_recorded_by", "attendance_recorded_at"])
    if before != attendance:
        event_record(
            actor=by,
            verb="pitch attendance recorded",
            proposal=slot.proposal,
            subject=slot.label[:200],
            from_status=before,
            to_status=attendance,
        )
    return slot
