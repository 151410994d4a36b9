"""The judges' pages: accept a panel invitation, see assignments, check for conflicts, read and score proposals.

Views read input, check one permission, call one service and render. An assignment that is not the user's
is a 404, so its title never leaks; the judge's own assignment they may no longer open (a conflict, the
proposal left review) is a 403 that says why and names nothing. Two-factor sign-in is enforced before any
of these by ``accounts.middleware.TwoFactorRequiredMiddleware``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors import invitation_unavailable_reason
from judging.services.assignments import assignment_confirm_no_conflict
from judging.services.conflicts import conflict_declare
from judging.services.invitations import InvitationUnavailable, panel_invitation_accept, panel_invitation_from_token
from judging.services.panel import panel_expertise_set
from judging.services.reviews import review_ready, review_save, review_submit
from submissions.files import private_file_response
from submissions.models import Attachment

from .forms import ExpertiseForm, OrganisationConflictForm, ProposalConflictForm, ScoreForm
from .models import PanelMember, ReviewStatus
from .permissions import (
    NOT_ON_A_PANEL,
    NOT_YOURS,
    can_accept_panel_invitation,
    can_open_assignment,
    can_read_proposal,
    can_score,
    can_use_judging_pages,
)
from .selectors import judge_pages as selectors

GET_AND_POST = require_http_methods(["GET", "POST"])


def _refused(request, reason: str, *, status: int = 403):
    """Someone else's assignment is a 404; the judge's own, refused, says why without naming the proposal."""
    if reason == NOT_YOURS:
        raise Http404("No assignment here.")
    context = {"reason": reason, "on_panel": reason != NOT_ON_A_PANEL}
    return render(request, "judging/refused.html", context, status=status)


def _assignment(assignment_id: int):
    assignment = selectors.assignment_for_page(assignment_id)
    if assignment is None:
        raise Http404("No assignment here.")
    return assignment


def _unavailable(request, message: str, status: int):
    return render(request, "judging/invitation_unavailable.html", {"message": message}, status=status)


@GET_AND_POST
def invitation_accept(request, token: str):
    """Open to signed-out visitors, who are sent to sign in or create an account and brought back here."""
    invitation = panel_invitation_from_token(token)
    if invitation is None:
        message = "This invitation link is not valid. Check you copied the whole link from the email."
        return _unavailable(request, message, 404)
    challenge = invitation.challenge
    user = request.user
    already = user.is_authenticated and invitation.accepted_by_id == user.pk
    if already and PanelMember.objects.filter(stage_id=invitation.stage_id, judge=user).exists():
        messages.info(request, f"You're already on the judging panel for {challenge.title}.")
        return redirect("judging:dashboard")
    unavailable = invitation_unavailable_reason(invitation=invitation)
    if unavailable:
        return _unavailable(request, unavailable, 410)
    if not user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, "judging/invitation_accept.html", {"invitation": invitation, "reason": ""})

    allowed, reason = can_accept_panel_invitation(user, invitation)
    if allowed and request.method == "POST":
        try:
            panel_invitation_accept(invitation=invitation, user=user)
        except InvitationUnavailable as error:
            return _unavailable(request, error.messages[0], 410)
        except PermissionDenied as error:
            allowed, reason = False, str(error)
        else:
            messages.success(request, f"You've joined the judging panel for {challenge.title}.")
            return redirect("judging:dashboard")
    context = {"invitation": invitation, "reason": reason}
    return render(request, "judging/invitation_accept.html", context, status=200 if allowed else 403)


@login_required
@require_GET
def dashboard(request):
    allowed, reason = can_use_judging_pages(request.user)
    if not allowed:
        return _refused(request, reason)
    seats = selectors.panel_seats(request.user)
    groups = selectors.judge_dashboard(seats=seats, user=request.user)
    return render(request, "judging/dashboard.html", {"groups": groups})


@login_required
@require_GET
def review(request, assignment_id: int):
    """One page per assignment: the conflict check first, then the proposal beside the scoring form."""
    assignment = _assignment(assignment_id)
    if assignment.no_conflict_confirmed_at is None:
        allowed, reason = can_open_assignment(request.user, assignment)
        if not allowed:
            return _refused(request, reason)
        return _render_conflict_check(request, assignment, ProposalConflictForm())
    allowed, reason = can_read_proposal(request.user, assignment)
    if not allowed:
        return _refused(request, reason)
    return _show_review(request, assignment)


@login_required
@require_POST
def confirm_no_conflict(request, assignment_id: int):
    """Shown only the reference, the title and (unless blind) the organisation, the judge says they have no
    conflict of interest; then they may read the proposal."""
    assignment = _assignment(assignment_id)
    allowed, reason = can_open_assignment(request.user, assignment)
    if not allowed:
        return _refused(request, reason)
    assignment_confirm_no_conflict(assignment=assignment, by=request.user)
    messages.success(request, "You have confirmed you have no conflict of interest. You can now read and score it.")
    return redirect("judging:review", assignment_id=assignment.pk)


def _show_review(request, assignment, *, status=200, conflict_form=None):
    """The proposal with the scoring form as last saved (or, once submitted, the review read-only)."""
    review_ = selectors.review_of(assignment)
    criteria = selectors.criteria_for(assignment.proposal)
    scores = selectors.stored_marks(review_)
    form = ScoreForm(criteria, initial=ScoreForm.initial_from(criteria, scores))
    return _render_review(
        request, assignment, review_, form, criteria=criteria, scores=scores, status=status, conflict_form=conflict_form
    )


def _render_review(
    request, assignment, review_, form, *, criteria, scores, status=200, draft_kept=False, conflict_form=None
):
    proposal = assignment.proposal
    error_links = form.error_links() if form.is_bound else []
    if conflict_form is not None:
        error_links += [
            (conflict_form["reason"].auto_id, message) for message in conflict_form.errors.get("reason", [])
        ]
    context = {
        "assignment": assignment,
        "proposal": proposal,
        "challenge": proposal.challenge,
        "blind": proposal.stage.blind_judging,
        "review": review_,
        "form": form,
        "rows": form.rows(),
        "error_links": error_links,
        "draft_kept": draft_kept,
        "conflict_form": conflict_form or ProposalConflictForm(),
        **selectors.proposal_for_judge(proposal=proposal, version=selectors.latest_version(proposal)),
    }
    if review_ is not None and review_.status == ReviewStatus.SUBMITTED:
        context["submitted_scores"] = selectors.submitted_scores(criteria, scores)
    return render(request, "judging/review.html", context, status=status)


def _render_conflict_check(request, assignment, form, status=200):
    proposal = assignment.proposal
    context = {
        "assignment": assignment,
        "proposal": proposal,
        "challenge": proposal.challenge,
        "blind": proposal.stage.blind_judging,
        "conflict_form": form,
    }
    return render(request, "judging/conflict_check.html", context, status=status)


@login_required
@require_POST
def declare_conflict(request, assignment_id: int):
    """The assignment goes with the declaration; a submitted review stays on the record, so it cannot."""
    assignment = _assignment(assignment_id)
    allowed, reason = can_open_assignment(request.user, assignment)
    if not allowed:
        return _refused(request, reason)
    review_ = selectors.review_of(assignment)
    if review_ is not None and review_.status == ReviewStatus.SUBMITTED:
        reason = "You have submitted this review. Ask the challenge manager to remove it if you have a conflict."
        return _refused(request, reason)
    form = ProposalConflictForm(request.POST)
    if not form.is_valid():
        if assignment.no_conflict_confirmed_at is None:
            return _render_conflict_check(request, assignment, form, status=400)
        return _show_review(request, assignment, status=400, conflict_form=form)
    proposal = assignment.proposal
    conflict_declare(judge=request.user, proposal=proposal, reason=form.cleaned_data["reason"], by=request.user)
    messages.success(
        request, f"You declared a conflict of interest with {proposal.reference}. It is no longer assigned to you."
    )
    return redirect("judging:dashboard")


@login_required
@require_POST
def save_draft(request, assignment_id: int):
    return _score(request, _assignment(assignment_id), submitting=False)


@login_required
@require_POST
def submit_review(request, assignment_id: int):
    """The "Submit review" button: shows the scores to check, kept as a draft; nothing is locked yet."""
    return _score(request, _assignment(assignment_id), submitting=True)


@login_required
@require_POST
def confirm_submit(request, assignment_id: int):
    """The check page's "Yes, submit my review": posts the scores shown back, and only then is the review locked."""
    return _score(request, _assignment(assignment_id), submitting=True, confirmed=True)


def _score(request, assignment, *, submitting: bool, confirmed: bool = False):
    """Save the scores as a draft, check them before submitting, or submit them; what does not pass is shown again
    with every value kept."""
    review_ = selectors.review_of(assignment)
    allowed, reason = can_score(request.user, review_) if review_ else can_read_proposal(request.user, assignment)
    if not allowed:
        return _refused(request, reason)
    criteria = selectors.criteria_for(assignment.proposal)
    form = ScoreForm(criteria, request.POST)
    draft_kept = False
    if form.is_valid():
        marks = form.marks()
        service = (review_submit if confirmed else review_ready) if submitting else review_save
        try:
            review_ = service(assignment=assignment, marks=marks, by=request.user)
        except ValidationError as error:
            form.add_service_errors(error, marks)
            draft_kept = submitting and _keep_draft(assignment, marks, request.user)
        except PermissionDenied as error:
            return _refused(request, str(error))
        else:
            reference = assignment.proposal.reference
            if submitting and not confirmed:
                return _render_check(request, assignment, review_, criteria)
            if submitting:
                messages.success(request, f"Your review of {reference} has been submitted.")
                return redirect("judging:dashboard")
            messages.success(request, f"Your draft review of {reference} has been saved.")
            return redirect("judging:review", assignment_id=assignment.pk)
    review_ = selectors.review_of(assignment)
    scores = selectors.stored_marks(review_)
    return _render_review(
        request, assignment, review_, form, criteria=criteria, scores=scores, status=400, draft_kept=draft_kept
    )


def _render_check(request, assignment, review_, criteria):
    """The scores as saved, to check before the review is locked: "Yes, submit my review" posts them back (hidden
    fields), "Go back and change it" opens the review page, where the draft shows everything typed."""
    proposal = assignment.proposal
    scores = selectors.stored_marks(review_)
    version = selectors.latest_version(proposal)
    context = {
        "assignment": assignment,
        "proposal": proposal,
        "title": version.title if version else proposal.title,
        "challenge": proposal.challenge,
        "records": selectors.submitted_scores(criteria, scores),
        "fields": ScoreForm.initial_from(criteria, scores).items(),
    }
    return render(request, "judging/review_check.html", context)


def _keep_draft(assignment, marks, user) -> bool:
    """An incomplete submission still keeps what was entered, so nothing is lost if the judge leaves."""
    try:
        review_save(assignment=assignment, marks=marks, by=user)
    except (ValidationError, PermissionDenied):
        return False
    return True


@login_required
@require_GET
def download(request, assignment_id: int, attachment_id: int):
    """Only files of the latest submitted version; under blind judging named after the question, not the upload."""
    assignment = _assignment(assignment_id)
    allowed, reason = can_read_proposal(request.user, assignment)
    if not allowed:
        return _refused(request, reason)
    proposal = assignment.proposal
    version = selectors.latest_version(proposal)
    files = selectors.submitted_files(proposal=proposal, version=version) if version else {}
    if attachment_id not in files:
        raise Http404("No such file on this proposal.")
    attachment = get_object_or_404(Attachment, pk=attachment_id, proposal=proposal)
    label, uploaded_name = files[attachment_id]
    filename = selectors.file_display_name(
        proposal=proposal,
        question_label=label,
        uploaded_name=uploaded_name or attachment.name,
        blind=proposal.stage.blind_judging,
    )
    return private_file_response(attachment, filename=filename)


@login_required
@GET_AND_POST
def conflicts(request):
    """Conflicts declared up front with whole organisations, and the list of everything declared so far."""
    allowed, reason = can_use_judging_pages(request.user)
    if not allowed:
        return _refused(request, reason)
    organisations = selectors.organisations_to_declare(request.user)
    form = OrganisationConflictForm(request.POST if request.method == "POST" else None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            conflict_declare(
                judge=request.user, organisation=organisation, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error("reason", error.messages[0])
        else:
            messages.success(
                request,
                f"Your conflict of interest with {organisation.name} has been recorded. "
                "You will not be assigned its proposals.",
            )
            return redirect("judging:conflicts")
    context = {"form": form, "conflicts": selectors.conflicts_of(request.user)}
    return render(request, "judging/conflicts.html", context, status=400 if form.errors else 200)


@login_required
@GET_AND_POST
def expertise(request, challenge_id: int):
    """A panel member says which of the challenge's themes they know; assignment prefers them there."""
    member = get_object_or_404(
        PanelMember.objects.select_related("challenge").filter(challenge_id=challenge_id, judge_id=request.user.pk)[:1]
    )
    challenge = member.challenge
    themes = challenge.themes.order_by("name")
    initial = {"themes": list(member.expertise.values_list("pk", flat=True))}
    form = ExpertiseForm(request.POST if request.method == "POST" else None, themes=themes, initial=initial)
    if request.method == "POST" and form.is_valid():
        panel_expertise_set(member=member, themes=form.cleaned_data["themes"], by=request.user)
        messages.success(request, f"Your expertise for {challenge.title} has been saved.")
        return redirect("judging:dashboard")
    selected = {str(value) for value in form["themes"].value() or []}
    context = {"challenge": challenge, "form": form, "selected": selected}
    return render(request, "judging/expertise.html", context, status=400 if form.errors else 200)
