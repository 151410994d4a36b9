"""The pitch stage's public-facing pages: an organisation books its slot; a judge sees the day and records
no-shows.

Views read input, check one permission, call one service and render. Someone else's proposal is a 404, so its
existence never leaks; an organisation's own proposal that is not pitching, or a judge not on the stage's
panel, gets a 403 that says why.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms_pitch import PitchAttendanceForm, PitchBookingForm
from .pitch_permissions import (
    NOT_YOURS,
    booking_cutoff,
    can_book_pitch,
    can_record_attendance,
    can_see_pitch_booking,
    can_see_pitch_schedule,
)
from .selectors import pitch as selectors
from .services.pitch import pitch_attendance_record, pitch_slot_book


def _refused(request, reason: str):
    if reason == NOT_YOURS:
        raise Http404("No proposal here.")
    return render(request, "judging/pitch/refused.html", {"reason": reason}, status=403)


def _proposal(proposal_id: int):
    proposal = selectors.pitch_proposal_for_page(proposal_id)
    if proposal is None:
        raise Http404("No proposal here.")
    return proposal


@login_required
@require_http_methods(["GET", "POST"])
def pitch_booking(request, proposal_id: int):
    """Book your pitch slot: the free slots as radios, or the booked one with "Change" until the cutoff."""
    proposal = _proposal(proposal_id)
    allowed, reason = can_see_pitch_booking(request.user, proposal)
    if not allowed:
        return _refused(request, reason)
    form = PitchBookingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        slot = selectors.pitch_slot_of(proposal.stage, form.cleaned_data["slot"])
        if slot is None:
            form.add_error("slot", "Choose one of the pitch slots listed")
        else:
            try:
                slot = pitch_slot_book(proposal=proposal, slot=slot, by=request.user)
            except ValidationError as error:
                form.add_error("slot", error.messages[0])
            except PermissionDenied as error:
                return _refused(request, str(error))
            else:
                messages.success(request, f"Pitch slot booked: {slot.label}. We have emailed you the details.")
                return redirect("judging:pitch_booking", proposal.pk)
    return _render_booking(request, proposal, form)


def _render_booking(request, proposal, form):
    now = timezone.now()
    booking = selectors.pitch_booking_of(proposal)
    changeable, closed_reason = can_book_pitch(request.user, proposal, current=booking, target=None, now=now)
    changing = changeable and (booking is None or request.GET.get("change") == "1" or form.is_bound)
    context = {
        "proposal": proposal,
        "stage": proposal.stage,
        "booking": booking,
        "free_slots": selectors.pitch_free_slots(proposal.stage, now=now) if changing else [],
        "changeable": changeable,
        "changing": changing,
        "closed_reason": closed_reason,
        "cutoff": booking_cutoff(proposal.stage, booking),
        "form": form,
    }
    return render(request, "judging/pitch/booking.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def pitch_calendar(request, proposal_id: int):
    """The booked slot as a calendar file, the same one the confirmation email carried."""
    proposal = _proposal(proposal_id)
    allowed, reason = can_see_pitch_booking(request.user, proposal)
    if not allowed:
        return _refused(request, reason)
    booking = selectors.pitch_booking_of(proposal)
    if booking is None:
        raise Http404("No pitch slot booked yet.")
    booking.proposal = proposal
    response = HttpResponse(selectors.pitch_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pitch.ics"'
    return response


def _stage(stage_id: int):
    stage = selectors.pitch_stage(stage_id)
    if stage is None:
        raise Http404("No stage here.")
    return stage


@login_required
@require_GET
def pitch_schedule(request, stage_id: int):
    """The day's slots in time order, one summary card each, readable on a phone held in one hand."""
    stage = _stage(stage_id)
    allowed, reason = can_see_pitch_schedule(request.user, stage)
    if not allowed:
        return _refused(request, reason)
    rows = selectors.pitch_schedule(stage, judge=request.user)
    context = {"stage": stage, "challenge": stage.page, "rows": rows, "form": PitchAttendanceForm()}
    return render(request, "judging/pitch/schedule.html", context)


@login_required
@require_POST
def pitch_attendance(request, stage_id: int, slot_id: int):
    stage = _stage(stage_id)
    slot = selectors.pitch_slot_of(stage, slot_id)
    if slot is None:
        raise Http404("No slot here.")
    allowed, reason = can_record_attendance(request.user, slot)
    if not allowed:
        return _refused(request, reason)
    form = PitchAttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["attendance"][0])
        return redirect(f"{_schedule_url(stage)}#slot-{slot.pk}")
    try:
        slot = pitch_attendance_record(slot=slot, attendance=form.cleaned_data["attendance"], by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{slot.get_attendance_display()} recorded for the pitch at {slot.when}.")
    return redirect(f"{_schedule_url(stage)}#slot-{slot.pk}")


def _schedule_url(stage) -> str:
    return reverse("judging:pitch_schedule", args=[stage.pk])
