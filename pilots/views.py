"""The winning organisation's pages for its pilot: the plan with where each report stands, and the report on one
milestone (save a draft, add evidence, submit; revise when the managers ask for changes).

A POST saves what it can and says what it could not: the text is saved even when a file beside it is refused, and
an error re-shows everything typed. Anyone who is neither a member of the organisation nor one of the challenge's
managers gets a 404, so the pages never tell an outsider a pilot exists.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from submissions.files import private_file_response
from submissions.permissions import is_member

from .forms import ReportForm
from .models import Report, ReportEvidence
from .permissions import can_manage_pilot, can_see_reports, can_write_report
from .selectors.setup import measure_rows, milestone_of, milestone_rows, pilot_of, report_of, report_page
from .services.reports import (
    is_final,
    report_attach_evidence,
    report_remove_evidence,
    report_save,
    report_submit,
)

NOT_FOUND = "No pilot found"


@login_required
def pilot_detail(request, pilot_id: int):
    pilot = pilot_of(pilot_id)
    if pilot is None or not can_see_reports(request.user, pilot)[0]:
        raise Http404(NOT_FOUND)
    context = {
        "pilot": pilot,
        "proposal": pilot.decision.proposal,
        "milestones": milestone_rows(pilot, today=timezone.localdate()),
        "measures": measure_rows(pilot),
    }
    return render(request, "pilots/pilot.html", context)


def _report_context(request, milestone, report, form) -> dict:
    pilot = milestone.pilot
    allowed, refusal = can_write_report(request.user, report)
    member = is_member(request.user, pilot.decision.proposal.organisation)
    manager = can_manage_pilot(request.user, pilot)[0] and not member
    if manager:
        refusal = "The winning organisation's members write this report; you review it on the pilot's admin page."
    return {
        "review_url": reverse("pilots_admin:pilot", args=[pilot.decision.proposal.challenge_id, pilot.pk])
        if manager
        else "",
        "pilot": pilot,
        "proposal": pilot.decision.proposal,
        "milestone": milestone,
        "report": report,
        "form": form,
        "can_write": allowed,
        "refusal": refusal,
        "final": is_final(milestone),
        "measures": list(pilot.measures.all()),
        **report_page(report),
    }


@login_required
def report(request, milestone_id: int):
    """GET: the report (a form while it can change). POST ``action=save`` or ``action=submit``."""
    milestone = milestone_of(milestone_id)
    if milestone is None or not can_see_reports(request.user, milestone.pilot)[0]:
        raise Http404(NOT_FOUND)
    # Only a save that succeeds makes the report's row.
    report = report_of(milestone) or Report(milestone=milestone)
    report.milestone = milestone
    measures = list(milestone.pilot.measures.all())
    final = is_final(milestone)
    if request.method != "POST":
        form = ReportForm(report, measures, final=final)
        return render(request, "pilots/report.html", _report_context(request, milestone, report, form))

    form = ReportForm(report, measures, final=final, data=request.POST, files=request.FILES)
    allowed, refusal = can_write_report(request.user, report)
    if not allowed:
        form.is_valid()
        form.add_error(None, refusal)
    elif form.is_valid():
        saved = _save(request, form, report)
        if saved and request.POST.get("action") == "submit":
            try:
                version = report_submit(report=saved, by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Version {version.number} of your report on {milestone.name} was sent to the challenge's "
                    "managers. We will email you when they have read it.",
                )
                return redirect("pilots:report", milestone_id=milestone.pk)
        elif saved and not form.errors:
            messages.success(request, f"Your report on {milestone.name} was saved as a draft.")
            return redirect("pilots:report", milestone_id=milestone.pk)
    context = _report_context(request, milestone, report, form)
    context["text_saved"] = getattr(form, "text_saved", False)
    return render(request, "pilots/report.html", context, status=400)


def _save(request, form, report):
    """Save the text and values, then any file. Returns the saved report, or None when the values were refused
    (nothing is saved then, and the form shows what was typed)."""
    try:
        saved = report_save(
            report=report,
            narrative=form.cleaned_data["narrative"],
            risks=form.cleaned_data["risks"],
            public_summary=form.cleaned_data.get("public_summary", ""),
            values=form.values(),
            by=request.user,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    form.text_saved = True
    upload = form.cleaned_data.get("evidence")
    if upload:
        try:
            stored = report_attach_evidence(report=saved, upload=upload, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return None
        messages.success(request, f"{stored.name} was added to your report.")
    return saved


def _evidence_of(evidence_id: int) -> ReportEvidence:
    return get_object_or_404(
        ReportEvidence.objects.select_related(
            "report__milestone__pilot__decision__proposal__organisation",
            "report__milestone__pilot__decision__proposal__challenge",
        ),
        pk=evidence_id,
    )


@login_required
def evidence_download(request, evidence_id: int):
    evidence = _evidence_of(evidence_id)
    if not can_see_reports(request.user, evidence.report.milestone.pilot)[0]:
        raise Http404("No such file")
    return private_file_response(evidence)


@login_required
@require_POST
def evidence_remove(request, evidence_id: int):
    evidence = _evidence_of(evidence_id)
    milestone = evidence.report.milestone
    if not can_see_reports(request.user, milestone.pilot)[0]:
        raise Http404("No such file")
    allowed, refusal = can_write_report(request.user, evidence.report)
    if not allowed:
        messages.error(request, refusal)
    else:
        report_remove_evidence(evidence=evidence, by=request.user)
        messages.success(request, f"{evidence.name} was removed from your report.")
    return redirect("pilots:report", milestone_id=milestone.pk)
