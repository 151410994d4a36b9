"""The supplier's submission flow, in the GOV.UK task-list pattern.

Views read input, check one permission, call one service and render. A proposal
someone may not see is a 404, so its title never leaks; a proposal they may see
but no longer change explains why.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from challenges.models import ChallengePage

from . import selectors, services
from .files import private_file_response
from .forms import SectionForm
from .models import Proposal, ProposalStatus
from .permissions import (
    can_edit_proposal,
    can_start_proposal,
    can_view_proposal,
    can_withdraw_proposal,
    remember_membership,
)

NOT_SUBMITTED = "Your proposal has not been submitted"


def _proposal(request, pk: int) -> Proposal:
    """The proposal, and in the same query whether the viewer belongs to its organisation."""
    proposal = get_object_or_404(selectors.proposal_for_viewer(request.user), pk=pk)
    remember_membership(proposal.organisation, request.user, proposal.viewer_is_member)
    allowed, _ = can_view_proposal(request.user, proposal)
    if not allowed:
        raise Http404("No proposal found")
    return proposal


def _closed(request, proposal: Proposal, reason: str, *, heading: str = "You cannot change this proposal"):
    context = {"proposal": proposal, "reason": reason, "heading": heading}
    return render(request, "submissions/closed.html", context, status=403)


def _refused_change(request, proposal: Proposal, reason: str, *, heading: str = "You cannot change this proposal"):
    """Refuse a save or a submit; once the deadline has passed, say when it was rather than a vague "closed"."""
    if proposal.status != ProposalStatus.WITHDRAWN:
        reason = services.deadline_passed_message(proposal.challenge, proposal.stage) or reason
    return _closed(request, proposal, reason, heading=heading)


def _section(proposal: Proposal, index: int):
    sections = services.proposal_sections(proposal)
    if not 0 <= index < len(sections):
        raise Http404("No such section")
    return sections, sections[index]


@login_required
def dashboard(request):
    return render(request, "submissions/dashboard.html", selectors.supplier_dashboard(user=request.user))


@login_required
def start(request, challenge_id: int):
    challenge = get_object_or_404(ChallengePage.objects.live().public(), pk=challenge_id)
    organisations = selectors.organisations_of(request.user)
    context = {"challenge": challenge, "organisations": organisations, "error": None}
    if not challenge.is_accepting_proposals():
        return render(request, "submissions/start.html", context, status=403)
    if request.method == "POST":
        organisation = next((o for o in organisations if str(o.pk) == request.POST.get("organisation")), None)
        if organisation is None:
            context["error"] = "Select the organisation this proposal is from"
            return render(request, "submissions/start.html", context, status=400)
        allowed, reason = can_start_proposal(request.user, challenge, organisation)
        if not allowed:
            context["error"] = reason
            return render(request, "submissions/start.html", context, status=403)
        try:
            proposal = services.proposal_start(challenge=challenge, organisation=organisation, by=request.user)
        except services.ChallengeClosed as error:
            context["error"] = error.messages[0]
            return render(request, "submissions/start.html", context, status=403)
        return redirect("submissions:task_list", pk=proposal.pk)
    return render(request, "submissions/start.html", context)


@login_required
def task_list(request, pk: int):
    proposal = _proposal(request, pk)
    return render(request, "submissions/task_list.html", selectors.task_list(proposal=proposal, user=request.user))


@login_required
def section(request, pk: int, index: int):
    proposal = _proposal(request, pk)
    sections, current = _section(proposal, index)
    if request.method == "POST":
        allowed, reason = can_edit_proposal(request.user, proposal)
        if not allowed:
            return _refused_change(request, proposal, reason)
        form = SectionForm(current, proposal, request.POST, request.FILES)
        try:
            _save_section(form, proposal, current, request.user)
        except services.ChallengeClosed as error:
            return _refused_change(request, proposal, error.messages[0])
        if not form.errors:
            if "return" in request.POST or index + 1 >= len(sections):
                messages.success(request, f"“{current.title}” saved.")
                return redirect("submissions:task_list", pk=proposal.pk)
            return redirect("submissions:section", pk=proposal.pk, index=index + 1)
        proposal.refresh_from_db()
    else:
        form = SectionForm(current, proposal)
    context = {
        "proposal": proposal,
        "section": current,
        "form": form,
        "rows": form.rows(),
        "is_last": index + 1 >= len(sections),
        "editable": can_edit_proposal(request.user, proposal)[0],
    }
    return render(request, "submissions/section.html", context, status=400 if form.errors else 200)


def _save_section(form: SectionForm, proposal: Proposal, current, user) -> None:
    """Store every good answer and every good file, even when another answer on the page needs fixing."""
    refused = services.section_save(
        proposal=proposal,
        questions=list(current.questions),
        values=form.cleaned_answers(),
        removals=form.removals(),
        uploads=form.uploads(),
        by=user,
    )
    by_id = {question.id: question for question in current.questions}
    for question_id, message in refused.items():
        form.add_error(by_id[question_id], message)


@login_required
def check_answers(request, pk: int):
    proposal = _proposal(request, pk)
    return render(request, "submissions/check.html", selectors.check_answers(proposal=proposal, user=request.user))


@login_required
@require_POST
def submit(request, pk: int):
    proposal = _proposal(request, pk)
    allowed, reason = can_edit_proposal(request.user, proposal)
    if not allowed:
        return _refused_change(request, proposal, reason, heading=NOT_SUBMITTED)
    try:
        version = services.proposal_submit(proposal=proposal, by=request.user)
    except services.ChallengeClosed as error:
        return _refused_change(request, proposal, error.messages[0], heading=NOT_SUBMITTED)
    except ValidationError:
        messages.error(request, "Your proposal has not been submitted. Answer the questions marked below.")
        return redirect("submissions:check", pk=proposal.pk)
    return redirect("submissions:confirmation", pk=proposal.pk, stage_id=version.stage_id, number=version.number)


@login_required
def confirmation(request, pk: int, stage_id: int, number: int):
    proposal = _proposal(request, pk)
    version = get_object_or_404(proposal.versions.select_related("stage"), stage_id=stage_id, number=number)
    return render(request, "submissions/confirmation.html", {"proposal": proposal, "version": version})


@login_required
def withdraw(request, pk: int):
    proposal = _proposal(request, pk)
    allowed, reason = can_withdraw_proposal(request.user, proposal)
    if not allowed:
        return _closed(request, proposal, reason)
    if request.method == "POST":
        try:
            services.proposal_withdraw(proposal=proposal, by=request.user, reason=request.POST.get("reason", "")[:1000])
        except services.ChallengeClosed as error:
            return _closed(request, proposal, error.messages[0])
        messages.success(request, "Your proposal has been withdrawn. We have emailed you a confirmation.")
        return redirect("submissions:task_list", pk=proposal.pk)
    return render(request, "submissions/withdraw.html", {"proposal": proposal})


@login_required
def download(request, pk: int, attachment_id: int):
    proposal = _proposal(request, pk)
    attachment = get_object_or_404(proposal.attachments, pk=attachment_id)
    return private_file_response(attachment)
