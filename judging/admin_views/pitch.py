"""A pitch stage in the Wagtail admin: set up the day's slots in one go, see who booked which, give a slot to an
organisation that has not booked (whatever the cutoff), and record who attended."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView, View
from wagtail.admin import messages

from ..forms_pitch import PitchAssignForm, PitchAttendanceForm, PitchSlotsForm
from ..selectors.pitch import pitch_proposals_of, pitch_slot_of, pitch_slots_of, pitch_stage_of, pitch_stages_of
from ..services.pitch import pitch_attendance_record, pitch_slot_assign, pitch_slots_create
from .base import ChallengeManagerMixin, admin_url

SLOT_FIELDS = ("count", "minutes", "gap_minutes", "starts_at", "location", "video_link")


class PitchIndexView(ChallengeManagerMixin, View):
    """``/admin/judging/<challenge>/pitch/``: the first pitch stage, so a tab can link here without a stage."""

    def get(self, request, *args, **kwargs):
        stages = pitch_stages_of(self.challenge)
        if not stages:
            raise Http404("This challenge has no pitch stage.")
        return redirect(admin_url("pitch", self.challenge.pk, stages[0].pk))


class _StageFromURL:
    """Runs after ``ChallengeManagerMixin`` has refused non-managers, so a stage's existence never leaks."""

    def dispatch(self, request, *args, **kwargs):
        self.stage = pitch_stage_of(self.challenge, kwargs["stage_id"])
        if self.stage is None or not self.stage.is_pitch:
            raise Http404("No pitch stage here.")
        return super().dispatch(request, *args, **kwargs)


class PitchStageMixin(ChallengeManagerMixin, _StageFromURL):
    """Loads ``self.stage``: a pitch stage of this challenge, or a 404."""

    def back(self):
        return redirect(admin_url("pitch", self.challenge.pk, self.stage.pk))


class PitchView(PitchStageMixin, TemplateView):
    """GET shows the slots; POST adds a run of slots (errors on their fields, what was typed kept)."""

    template_name = "judging/admin/pitch.html"
    tab = "pitch_index"
    stage_links = ()
    """The stage is in the address: the page names it, and a challenge has few pitch stages."""

    def get_page_title(self):
        return f"Pitch slots: {self.stage.name}"

    def get_context_data(self, form=None, assign_form=None, **kwargs):
        slots = pitch_slots_of(self.stage)
        proposals = pitch_proposals_of(self.stage)
        booked = {slot.proposal_id for slot in slots if slot.proposal_id}
        return super().get_context_data(
            slots=slots,
            form=form or PitchSlotsForm(),
            assign_form=assign_form or PitchAssignForm(proposals=proposals, slots=slots),
            unbooked=[proposal for proposal in proposals if proposal.pk not in booked],
            proposals=proposals,
            pitch_stages=pitch_stages_of(self.challenge),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = PitchSlotsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = pitch_slots_create(
                    stage=self.stage,
                    starts_at=data["starts_at"],
                    count=data["count"],
                    minutes=data["minutes"],
                    gap_minutes=data["gap_minutes"] or 0,
                    location=data["location"],
                    video_link=data["video_link"],
                    by=request.user,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, f"{len(created)} slot{'s' if len(created) != 1 else ''} added.")
                return self.back()
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PitchAssignView(PitchView):
    """Give a slot to an organisation in the stage; a slot taken in the meantime is said so on the form."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        slots, proposals = pitch_slots_of(self.stage), pitch_proposals_of(self.stage)
        form = PitchAssignForm(request.POST, proposals=proposals, slots=slots)
        if form.is_valid():
            slot = next(slot for slot in slots if slot.pk == form.cleaned_data["slot"])
            proposal = next(p for p in proposals if p.pk == form.cleaned_data["proposal"])
            try:
                slot = pitch_slot_assign(proposal=proposal, slot=slot, by=request.user)
            except ValidationError as error:
                form.add_error("slot", error.messages[0])
            else:
                messages.success(request, f"{proposal.organisation.name} given the slot at {slot.when}.")
                return self.back()
        return self.render_to_response(self.get_context_data(assign_form=form), status=400)


class PitchAttendanceView(PitchStageMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        slot = pitch_slot_of(self.stage, kwargs["slot_id"])
        if slot is None:
            raise Http404("No such slot.")
        form = PitchAttendanceForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["attendance"][0])
            return self.back()
        try:
            slot = pitch_attendance_record(slot=slot, attendance=form.cleaned_data["attendance"], by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, f"{slot.get_attendance_display()} recorded for {slot.proposal.organisation.name}."
            )
        return self.back()
