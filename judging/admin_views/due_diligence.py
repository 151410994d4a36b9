"""Due diligence in the Wagtail admin: the shortlisted and awarded proposals with their progress, one proposal's
checklist (a small form per check, and a request for evidence), and the challenge's list of checks.

A POST on the checklist saves what it can: evidence that passed its checks is kept even when the result beside it
needs correcting, and a result is recorded even when the file beside it was refused; the page says which, and the
form keeps everything typed.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin import messages

from core.forms import add_service_errors
from submissions.models import Proposal

from ..due_diligence_permissions import UNSETTLED, can_manage_due_diligence
from ..forms import describe_errors
from ..forms_due_diligence import EvidenceRequestForm, ItemResultForm, checks_formset
from ..selectors.admin_pages import proposal_of
from ..selectors.due_diligence import due_diligence_blockers, due_diligence_rows
from ..services.due_diligence import (
    CheckRow,
    due_diligence_attach_evidence,
    due_diligence_checklist,
    due_diligence_checks_configure,
    due_diligence_checks_ensure,
    due_diligence_record,
    due_diligence_request_evidence,
)
from .base import ChallengeManagerMixin, admin_url


class DueDiligenceMixin(ChallengeManagerMixin):
    tab = "due_diligence"


class DueDiligenceListView(DueDiligenceMixin, TemplateView):
    template_name = "judging/admin/due_diligence.html"
    page_title = "Due diligence"

    def get_context_data(self, **kwargs):
        checks = due_diligence_checks_ensure(challenge=self.challenge)
        return super().get_context_data(checks=checks, rows=due_diligence_rows(self.challenge), **kwargs)


class DueDiligenceProposalView(DueDiligenceMixin, TemplateView):
    """GET: the checklist. POST ``action=record`` or ``action=request`` for the item named by ``item``."""

    template_name = "judging/admin/due_diligence_proposal.html"

    @cached_property
    def proposal(self) -> Proposal:
        proposal = proposal_of(self.challenge, self.kwargs["proposal_id"])
        if proposal is None:
            raise Http404("No such proposal in this challenge.")
        proposal.challenge = self.challenge
        return proposal

    def get_page_title(self):
        return f"Due diligence: {self.proposal.reference or 'Proposal'}"

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        link = {"url": admin_url("due_diligence", self.challenge.pk), "label": "Due diligence"}
        return [*items[:-1], link, items[-1]]

    def get_context_data(self, bound: dict | None = None, **kwargs):
        bound = bound or {}
        allowed, reason = can_manage_due_diligence(self.request.user, self.proposal)
        cards = []
        for item in due_diligence_checklist(proposal=self.proposal):
            card = {"item": item}
            if allowed:
                card["form"] = bound.get(("record", item.pk)) or ItemResultForm(item)
                if item.status in UNSETTLED:
                    card["request_form"] = bound.get(("request", item.pk)) or EvidenceRequestForm(item)
            cards.append(card)
        return super().get_context_data(
            proposal=self.proposal,
            cards=cards,
            can_change=allowed,
            refusal=reason,
            blockers=due_diligence_blockers(self.proposal),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        items = {str(item.pk): item for item in due_diligence_checklist(proposal=self.proposal)}
        item = items.get(request.POST.get("item", ""))
        if item is None:
            raise Http404("No such check on this proposal.")
        if request.POST.get("action") == "request":
            return self._request(item)
        return self._record(item)

    def _done(self, item, message: str):
        messages.success(self.request, message)
        return redirect(admin_url("due_diligence_proposal", self.challenge.pk, self.proposal.pk) + f"#item-{item.pk}")

    def _again(self, key, form, message: str):
        messages.error(self.request, message)
        response = self.render_to_response(self.get_context_data(bound={key: describe_errors(form)}))
        response.status_code = 400
        return response

    def _record(self, item):
        form = ItemResultForm(item, self.request.POST, self.request.FILES)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        saved = []
        upload = data.get("evidence")
        if upload and not form.has_error("evidence"):
            try:
                stored = due_diligence_attach_evidence(item=item, upload=upload, by=self.request.user)
                saved.append(f"the evidence file {stored.evidence_name}")
            except ValidationError as error:
                add_service_errors(form, error)
        status = data.get("status")
        if status and not form.has_error("status") and not form.has_error("note"):
            try:
                recorded = due_diligence_record(
                    item=item, status=status, note=data.get("note", ""), by=self.request.user
                )
                saved.append(f"the result ({recorded.get_status_display()})")
            except ValidationError as error:
                add_service_errors(form, error)
        if not form.errors:
            return self._done(item, f"{item.name}: saved {' and '.join(saved)}.")
        kept = f"Saved {' and '.join(saved)}; the rest" if saved else "Nothing has been saved: it"
        return self._again(("record", item.pk), form, f"{item.name}: {kept} needs correcting below.")

    def _request(self, item):
        form = EvidenceRequestForm(item, self.request.POST)
        if form.is_valid():
            try:
                due_diligence_request_evidence(item=item, note=form.cleaned_data["request_note"], by=self.request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return self._done(
                    item,
                    f"{item.name}: evidence requested. The members of {self.proposal.organisation.name} have been "
                    "emailed a link to upload it.",
                )
        return self._again(("request", item.pk), form, f"{item.name}: the request has not been sent. Correct it below.")


class DueDiligenceChecksView(DueDiligenceMixin, TemplateView):
    """The challenge's checks: rename and reword them, add one, remove those nothing records."""

    template_name = "judging/admin/due_diligence_checks.html"
    page_title = "Due diligence checks"

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        link = {"url": admin_url("due_diligence", self.challenge.pk), "label": "Due diligence"}
        return [*items[:-1], link, items[-1]]

    def get_context_data(self, formset=None, page_errors=(), **kwargs):
        if formset is None:
            formset = checks_formset(due_diligence_checks_ensure(challenge=self.challenge))
        return super().get_context_data(formset=formset, page_errors=list(page_errors), **kwargs)

    def post(self, request, *args, **kwargs):
        formset = checks_formset(due_diligence_checks_ensure(challenge=self.challenge), request.POST)
        if formset.is_valid():
            rows = [
                CheckRow(
                    pk=data.get("pk"),
                    name=data.get("name", ""),
                    guidance=data.get("guidance", ""),
                    remove=bool(data.get("remove")),
                )
                for data in formset.cleaned_data
                if data.get("pk") or (data.get("name") or "").strip()
            ]
            try:
                due_diligence_checks_configure(challenge=self.challenge, rows=rows, by=request.user)
            except ValidationError as error:
                page_errors = self._place_errors(formset, error)
            else:
                messages.success(request, "The due diligence checks have been saved.")
                return redirect(admin_url("due_diligence_checks", self.challenge.pk))
        else:
            page_errors = []
        for form in formset:
            describe_errors(form)
        messages.error(request, "The checks have not been saved. Correct the errors below.")
        response = self.render_to_response(self.get_context_data(formset=formset, page_errors=page_errors))
        response.status_code = 400
        return response

    @staticmethod
    def _place_errors(formset, error: ValidationError) -> list[str]:
        """Put each of the service's errors beside its row (``<pk>-name``, ``<pk>-remove``, ``new-name``)."""
        page_errors = []
        for key, texts in error.message_dict.items():
            target, _, field = key.rpartition("-")
            forms = [
                form
                for form in formset
                if (target == "new" and not form.cleaned_data.get("pk") and form.cleaned_data.get("name"))
                or (target.isdigit() and form.cleaned_data.get("pk") == int(target))
            ]
            if not forms or field not in ("name", "remove"):
                page_errors.extend(texts)
                continue
            for form in forms:
                form.add_error(field, texts)
        return page_errors
