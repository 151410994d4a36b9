"""Pilots in the Wagtail admin, for a challenge's managers: the Pilots tab of a challenge (its awards and their
pilots), setting a pilot up, one pilot's page (dates, milestones, measures, status, and the reports to review),
and the Pilots menu listing every pilot the manager runs.

Each form on the pilot's page posts on its own (``action``), so an error in one keeps everything typed in it and
leaves the others as they were.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from challenges.selectors import manages_any_challenge, request_manages_any_challenge
from core.forms import add_service_errors
from judging.admin_views.base import ChallengeManagerMixin
from judging.forms import describe_errors

from .forms import MeasureFormSet, MilestoneFormSet, PilotDatesForm, ReviewForm, StatusForm
from .models import ReportStatus
from .selectors.admin import award_of, challenge_award_rows, pilot_in, pilots_managed_by, report_in, review_cards
from .selectors.setup import measure_rows, measures_locked_reason
from .services.reports import report_accept, report_request_changes
from .services.setup import (
    MeasureRow,
    MilestoneRow,
    measures_save,
    milestones_save,
    pilot_create,
    pilot_status_set,
    pilot_update,
)

NAMESPACE = "pilots_admin"


def pilots_url(name: str, *args) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=args)


class PilotsTabMixin(ChallengeManagerMixin):
    tab = "pilots_admin:pilots"

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        if self.tab_is_page:
            return items
        return [*items[:-1], {"url": pilots_url("pilots", self.challenge.pk), "label": "Pilots"}, items[-1]]

    tab_is_page = False


class ChallengePilotsView(PilotsTabMixin, TemplateView):
    template_name = "pilots/admin/challenge_pilots.html"
    page_title = "Pilots"
    tab_is_page = True

    def get_context_data(self, **kwargs):
        rows = challenge_award_rows(self.challenge, today=timezone.localdate())
        return super().get_context_data(rows=rows, announced=bool(self.challenge.announced_at), **kwargs)


class PilotCreateView(PilotsTabMixin, TemplateView):
    template_name = "pilots/admin/pilot_create.html"

    @cached_property
    def decision(self):
        decision = award_of(self.challenge, self.kwargs["decision_id"])
        if decision is None:
            raise Http404("No such award in this challenge.")
        return decision

    def get_page_title(self):
        return f"Set up a pilot: {self.decision.recipient_name or self.decision.proposal.organisation.name}"

    def get_context_data(self, form=None, **kwargs):
        if form is None:
            starts = timezone.localdate() + timedelta(days=14)
            form = PilotDatesForm(initial={"starts_on": starts, "ends_on": starts + timedelta(days=182)})
        return super().get_context_data(form=form, decision=self.decision, **kwargs)

    def post(self, request, *args, **kwargs):
        form = PilotDatesForm(request.POST)
        if form.is_valid():
            try:
                pilot = pilot_create(decision=self.decision, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Pilot set up. Now add its milestones and outcome measures.")
                return redirect(pilots_url("pilot", self.challenge.pk, pilot.pk))
        return self.render_to_response(self.get_context_data(form=describe_errors(form)), status=400)


def _milestone_initial(milestones) -> list[dict]:
    return [
        {"id": m.pk, "name": m.name, "due_on": m.due_on, "payment": m.payment, "deliverable": m.deliverable}
        for m in milestones
    ]


def _measure_initial(measures) -> list[dict]:
    return [
        {
            "id": m.pk,
            "name": m.name,
            "unit": m.unit,
            "baseline": m.baseline,
            "target": m.target,
            "higher_is_better": "1" if m.higher_is_better else "0",
            "is_public": m.is_public,
        }
        for m in measures
    ]


class PilotView(PilotsTabMixin, TemplateView):
    """GET: the pilot. POST ``action`` = dates, milestones, measures, status or review (with ``milestone``)."""

    template_name = "pilots/admin/pilot.html"

    @cached_property
    def pilot(self):
        pilot = pilot_in(self.challenge, self.kwargs["pilot_id"])
        if pilot is None:
            raise Http404("No such pilot in this challenge.")
        return pilot

    def get_page_title(self):
        return f"Pilot: {self.pilot.decision.recipient_name or self.pilot.proposal.organisation.name}"

    def _forms(self, bound: dict) -> dict:
        pilot = self.pilot
        today = timezone.localdate()
        dates = bound.get("dates") or PilotDatesForm(
            initial={
                "starts_on": pilot.starts_on,
                "ends_on": pilot.ends_on,
                "report_reminder_days": pilot.report_reminder_days,
            }
        )
        cards = review_cards(pilot)
        milestones = [card["milestone"] for card in cards]
        measures = list(pilot.measures.all())
        milestone_formset = bound.get("milestones") or MilestoneFormSet(
            prefix="milestones", initial=_milestone_initial(milestones)
        )
        measure_formset = bound.get("measures") or MeasureFormSet(prefix="measures", initial=_measure_initial(measures))
        status = bound.get("status") or StatusForm(initial={"status": pilot.status, "reason": pilot.status_reason})
        for card in cards:
            report = card["report"]
            if report is not None and report.status == ReportStatus.SUBMITTED:
                key = ("review", card["milestone"].pk)
                card["form"] = bound.get(key) or ReviewForm(prefix=f"review-{card['milestone'].pk}")
        return {
            "pilot": pilot,
            "proposal": pilot.decision.proposal,
            "dates_form": dates,
            "milestone_formset": milestone_formset,
            "measure_formset": measure_formset,
            "measures_locked": measures_locked_reason(pilot, today=today),
            "measures": measures,
            "measure_pairs": measure_rows(pilot, measures=measures),
            "status_form": status,
            "cards": cards,
            "planned_total": sum((m.payment for m in milestones), 0),
        }

    def get_context_data(self, bound=None, **kwargs):
        return super().get_context_data(**self._forms(bound or {}), **kwargs)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        handler = {
            "dates": self._post_dates,
            "milestones": self._post_milestones,
            "measures": self._post_measures,
            "status": self._post_status,
            "review": self._post_review,
        }.get(action)
        if handler is None:
            raise Http404("Unknown action.")
        bound, anchor = handler(request)
        if bound is None:
            return redirect(pilots_url("pilot", self.challenge.pk, self.pilot.pk) + anchor)
        return self.render_to_response(self.get_context_data(bound=bound), status=400)

    def _post_dates(self, request):
        form = PilotDatesForm(request.POST, prefix=None)
        if form.is_valid():
            try:
                pilot_update(pilot=self.pilot, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The pilot's dates were saved.")
                return None, "#dates"
        return {"dates": describe_errors(form)}, ""

    def _post_milestones(self, request):
        formset = MilestoneFormSet(request.POST, prefix="milestones")
        if formset.is_valid():
            rows = [
                MilestoneRow(
                    id=form.cleaned_data.get("id"),
                    name=form.cleaned_data.get("name", ""),
                    due_on=form.cleaned_data.get("due_on"),
                    payment=form.cleaned_data.get("payment") or 0,
                    deliverable=form.cleaned_data.get("deliverable", ""),
                    delete=bool(form.cleaned_data.get("remove")),
                )
                for form in formset.forms
                if not form.is_blank
            ]
            try:
                milestones_save(pilot=self.pilot, rows=rows, by=request.user)
            except ValidationError as error:
                _formset_errors(formset, error, "milestones")
            else:
                messages.success(request, "The milestones were saved.")
                return None, "#milestones"
        return {"milestones": formset}, ""

    def _post_measures(self, request):
        formset = MeasureFormSet(request.POST, prefix="measures")
        if formset.is_valid():
            rows = [
                MeasureRow(
                    id=form.cleaned_data.get("id"),
                    name=form.cleaned_data.get("name", ""),
                    unit=form.cleaned_data.get("unit", ""),
                    baseline=form.cleaned_data.get("baseline"),
                    target=form.cleaned_data.get("target"),
                    higher_is_better=form.cleaned_data.get("higher_is_better") is not False,
                    is_public=bool(form.cleaned_data.get("is_public")),
                    delete=bool(form.cleaned_data.get("remove")),
                )
                for form in formset.forms
                if not form.is_blank
            ]
            try:
                measures_save(pilot=self.pilot, rows=rows, by=request.user)
            except ValidationError as error:
                _formset_errors(formset, error, "measures")
            else:
                messages.success(request, "The outcome measures were saved.")
                return None, "#measures"
        return {"measures": formset}, ""

    def _post_status(self, request):
        form = StatusForm(request.POST)
        if form.is_valid():
            try:
                pilot = pilot_status_set(pilot=self.pilot, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"The pilot's status is now {pilot.get_status_display().lower()}.")
                return None, "#status"
        return {"status": describe_errors(form)}, ""

    def _post_review(self, request):
        report = report_in(self.pilot, request.POST.get("milestone", ""))
        if report is None:
            raise Http404("No such report.")
        milestone = report.milestone
        form = ReviewForm(request.POST, prefix=f"review-{milestone.pk}")
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "accept":
                    report_accept(report=report, by=request.user, comment=form.cleaned_data["comment"])
                    done = f"The report on {milestone.name} was accepted"
                    if milestone.payment:
                        done += " and its payment approved"
                else:
                    report_request_changes(report=report, comment=form.cleaned_data["comment"], by=request.user)
                    done = f"Changes to the report on {milestone.name} were requested"
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{done}. The supplier has been emailed.")
                return None, f"#milestone-{milestone.pk}"
        return {("review", milestone.pk): describe_errors(form)}, ""


def _formset_errors(formset, error: ValidationError, prefix: str) -> None:
    """A service's errors on a formset: ``<prefix>-<n>`` beside that row, anything else above the table."""
    messages_by_key = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    extra = []
    for key, messages_ in messages_by_key.items():
        if key.startswith(f"{prefix}-") and key.split("-")[-1].isdigit():
            index = int(key.split("-")[-1])
            if index < len(formset.forms):
                formset.forms[index].add_error(None, messages_)
                continue
        extra.extend(messages_)
    formset.service_errors = extra


class PilotsIndexView(WagtailAdminTemplateMixin, TemplateView):
    """The Pilots menu: every pilot of the challenges this manager runs, those needing attention first."""

    template_name = "pilots/admin/index.html"
    page_title = "Pilots"
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not manages_any_challenge(request.user):
            raise Http404("No pilots here.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        pilots = list(pilots_managed_by(self.request.user, today=timezone.localdate()))
        return super().get_context_data(pilots=pilots, **kwargs)


urlpatterns = [
    path("", PilotsIndexView.as_view(), name="index"),
    path("<int:challenge_id>/", ChallengePilotsView.as_view(), name="pilots"),
    path("<int:challenge_id>/awards/<int:decision_id>/pilot/", PilotCreateView.as_view(), name="pilot_create"),
    path("<int:challenge_id>/<int:pilot_id>/", PilotView.as_view(), name="pilot"),
]


class PilotsViewSet(ViewSet):
    name = NAMESPACE
    url_prefix = "pilots"
    icon = "tasks"
    menu_label = "Pilots"
    menu_order = 250
    add_to_admin_menu = True

    @cached_property
    def menu_item_class(self):
        class PilotsMenuItem(MenuItem):
            def is_shown(self, request):
                return request_manages_any_challenge(request)

        return PilotsMenuItem

    def get_urlpatterns(self):
        return urlpatterns
