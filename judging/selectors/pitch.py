"""Reads for pitch stages: the slots, a proposal's booking, the judges' schedule and the calendar invitation.

Every list is read in a fixed number of queries however many slots a stage has.
"""

from dataclasses import dataclass
from datetime import UTC
from email.utils import parseaddr

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress

from challenges.models import Stage
from submissions.models import Proposal

from ..models import Assignment, PitchSlot
from ..pitch_permissions import PITCHING


def pitch_stage(stage_id: int) -> Stage | None:
    return Stage.objects.select_related("page").filter(pk=stage_id).first()


def pitch_stage_of(challenge, stage_id: int) -> Stage | None:
    """A stage of this challenge only, so a manager's URL cannot reach another challenge's stage."""
    return Stage.objects.filter(page_id=challenge.pk, pk=stage_id).first()


def pitch_stages_of(challenge) -> list[Stage]:
    return [stage for stage in Stage.objects.filter(page_id=challenge.pk).order_by("sort_order") if stage.is_pitch]


def pitch_slots_of(stage: Stage) -> list[PitchSlot]:
    """Every slot of the stage in time order, with who booked it."""
    return list(
        PitchSlot.objects.filter(stage=stage)
        .select_related("proposal__organisation", "booked_by")
        .order_by("starts_at", "pk")
    )


def pitch_slot_of(stage: Stage, slot_id) -> PitchSlot | None:
    if not str(slot_id).isdigit():
        return None
    return (
        PitchSlot.objects.select_related("stage__page", "proposal__organisation")
        .filter(stage=stage, pk=slot_id)
        .first()
    )


def pitch_free_slots(stage: Stage, *, now) -> list[PitchSlot]:
    """Slots nobody has booked that are still to come, soonest first."""
    return list(PitchSlot.objects.filter(stage=stage, proposal__isnull=True, starts_at__gt=now).order_by("starts_at"))


def pitch_booking_of(proposal: Proposal) -> PitchSlot | None:
    """The proposal's slot in the stage it is in now, if it has one."""
    return PitchSlot.objects.select_related("stage__page").filter(stage_id=proposal.stage_id, proposal=proposal).first()


def pitch_proposals_of(stage: Stage) -> list[Proposal]:
    """The proposals taking part in a pitch stage, by organisation name, for the manager to assign slots to."""
    return list(
        Proposal.objects.filter(stage=stage, status__in=PITCHING)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def pitch_proposal_for_page(proposal_id: int) -> Proposal | None:
    return Proposal.objects.select_related("stage__page", "organisation", "challenge").filter(pk=proposal_id).first()


@dataclass(frozen=True)
class ScheduleRow:
    slot: PitchSlot
    assignment_id: int | None


def pitch_schedule(stage: Stage, *, judge) -> list[ScheduleRow]:
    """The day as one judge sees it: each slot with their own assignment for its proposal, if they have one."""
    slots = pitch_slots_of(stage)
    assignments = dict(Assignment.objects.filter(stage=stage, judge=judge).values_list("proposal_id", "pk"))
    return [ScheduleRow(slot=slot, assignment_id=assignments.get(slot.proposal_id)) for slot in slots]


def calendar_uid(slot: PitchSlot) -> str:
    """One UID per proposal's pitch in a stage: a changed booking updates the event already in the calendar
    (with a higher SEQUENCE) instead of adding a second one."""
    _, sender = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = sender.rpartition("@")[2] or "localhost"
    return f"pitch-{slot.stage_id}-{slot.proposal_id}@{domain}"


def pitch_ics(slot: PitchSlot) -> bytes:
    """The booked slot as an iCalendar invitation (RFC 5545, METHOD:REQUEST), times in UTC."""
    stage = slot.stage
    challenge = stage.page
    proposal = slot.proposal
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//Pitch slots//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", calendar_uid(slot))
    event.add("sequence", slot.sequence)
    event.add("dtstamp", (slot.booked_at or slot.starts_at).astimezone(UTC))
    event.add("dtstart", slot.starts_at.astimezone(UTC))
    event.add("dtend", slot.ends_at.astimezone(UTC))
    event.add("summary", f"Pitch: {challenge.title}")
    if slot.location:
        event.add("location", slot.location)
    if slot.video_link:
        event.add("url", slot.video_link)
    where = slot.location or "online"
    join = f"\nJoin by video: {slot.video_link}" if slot.video_link else ""
    event.add(
        "description",
        f"{proposal.organisation.name} pitches {proposal.reference} “{proposal.title}” to the judging panel of "
        f"{challenge.title} ({stage.name}), {where}.{join}",
    )
    _, sender = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{sender or 'noreply@localhost'}")
    organizer.params["cn"] = settings.WAGTAIL_SITE_NAME
    event.add("organizer", organizer)
    calendar.add_component(event)
    return calendar.to_ical()
