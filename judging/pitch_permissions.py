"""Who may do what with a pitch stage's slots. Each returns ``(allowed, reason)``; views check exactly one and the
services (``judging.services.pitch``) check it again, so a crafted POST meets the same rule as the page.

An organisation books for its own proposal only, while the proposal is in the pitch stage and still in play,
until the stage's booking cutoff (or, with no cutoff, until the slot starts). A manager of the challenge sets
up the slots, assigns them whatever the cutoff, and records attendance; so may a judge on that stage's panel,
who sees the day's schedule.
"""

from datetime import datetime

from accounts.two_factor import has_two_factor
from core.formatting import format_moment
from submissions.permissions import is_member
from submissions.workflow import ASSIGNABLE_BY_HAND

from .models import PanelMember, PitchSlot
from .permissions import can_manage

NOT_YOURS = "Only members of the organisation can see this proposal."
NOT_IN_A_PITCH_STAGE = "This proposal has not been invited to pitch."
NOT_ON_THIS_PANEL = "You are not on the judging panel for this pitch stage."
SLOT_TAKEN = "This slot has just been booked by someone else: choose another."

#: A proposal books a pitch while it is in the pitch stage and no decision has ended its part in it: the statuses
#: in which a manager may still assign it judges by hand (eligible, in assessment, moderation).
PITCHING = ASSIGNABLE_BY_HAND


def is_pitching(proposal) -> bool:
    """In a pitch stage, and still taking part in it (not withdrawn, not decided)."""
    return proposal.stage.is_pitch and proposal.status in PITCHING


def booking_cutoff(stage, slot: PitchSlot | None) -> datetime | None:
    """Until when ``slot`` can be booked or given up by the organisation: the stage's cutoff, or its start."""
    if stage.booking_closes_at is not None:
        return stage.booking_closes_at if slot is None else min(stage.booking_closes_at, slot.starts_at)
    return slot.starts_at if slot is not None else None


def can_see_pitch_booking(user, proposal) -> tuple[bool, str]:
    """The "Book your pitch slot" page and its calendar file: members of the proposing organisation only."""
    if not is_member(user, proposal.organisation):
        return False, NOT_YOURS
    if not is_pitching(proposal):
        return False, NOT_IN_A_PITCH_STAGE
    return True, ""


def can_book_pitch(user, proposal, *, current: PitchSlot | None, target: PitchSlot | None, now) -> tuple[bool, str]:
    """Book ``target`` (giving up ``current``, if any): both must still be open to changes by the organisation."""
    allowed, reason = can_see_pitch_booking(user, proposal)
    if not allowed:
        return allowed, reason
    for slot in (current, target):
        cutoff = booking_cutoff(proposal.stage, slot)
        if cutoff is not None and now >= cutoff:
            if slot is not None and slot.starts_at <= now and cutoff == slot.starts_at:
                return False, "This slot has already started. Contact the challenge manager if you need to change it."
            return False, (
                f"Pitch slots could be booked or changed until {format_moment(cutoff)}. "
                "Contact the challenge manager if you need to change your slot."
            )
    return True, ""


def can_manage_pitch(user, stage) -> tuple[bool, str]:
    """Set up a pitch stage's slots and assign them: the challenge's managers, for pitch stages only."""
    allowed, reason = can_manage(user, stage.page)
    if not allowed:
        return allowed, reason
    if not stage.is_pitch:
        return False, "This stage is not a pitch stage, so it has no pitch slots."
    return True, ""


def is_on_pitch_panel(user, stage) -> bool:
    return user.is_authenticated and PanelMember.objects.filter(stage=stage, judge=user).exists()


def can_see_pitch_schedule(user, stage) -> tuple[bool, str]:
    """The pitch day schedule: judges on that stage's panel, signed in with two-factor."""
    if not user.is_authenticated or not user.is_active:
        return False, "Sign in to see the pitch day schedule."
    if not stage.is_pitch or not is_on_pitch_panel(user, stage):
        return False, NOT_ON_THIS_PANEL
    if not has_two_factor(user):
        return False, "Set up two-factor authentication before you see the pitch day schedule."
    return True, ""


def can_record_attendance(user, slot: PitchSlot) -> tuple[bool, str]:
    """Whether the organisation turned up: a judge on the stage's panel (on the day) or a manager."""
    if not slot.stage.is_pitch:
        return False, "This stage is not a pitch stage, so it has no pitch slots."
    if is_on_pitch_panel(user, slot.stage):
        return can_see_pitch_schedule(user, slot.stage)
    allowed, _ = can_manage(user, slot.stage.page)
    if allowed:
        return True, ""
    return False, NOT_ON_THIS_PANEL
