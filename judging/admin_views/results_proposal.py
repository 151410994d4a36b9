"""One proposal as staff see it: its answers, every review in full, reopening a review, the decision form and
the proposal's audit log (staff, Wagtail admin).

Staff see the judges' names and the organisation whatever the challenge's blind-judging setting: blind
judging hides suppliers from judges, not judges from the people moderating them.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin import messages

from audit.selectors import events_for_proposal
from core.forms import add_service_errors
from submissions.answers import STANDARD_FIELDS
from submissions.files import private_file_response
from submissions.models import Attachment, Proposal, ProposalStatus, ProposalVersion
from submissions.questions import sections_from_raw
from submissions.workflow import UNDER_REVIEW

from ..decisions import DECIDABLE, decision_record
from ..models import Outcome, Review, ReviewStatus
from ..reviews import review_reopen
from ..rubric import criteria_from_raw
from ..services import judge_label
from .base import ChallengeManagerMixin, admin_url

STATUS_LABELS = {**dict(ProposalStatus.choices), **dict(ReviewStatus.choices), **dict(Outcome.choices)}
"""The audit log stores status values; staff read their labels ("In assessment", not "in_assessment")."""


def event_rows(proposal: Proposal) -> list[dict]:
    return [
        {
            "event": event,
            "from": STATUS_LABELS.get(event.from_status, event.from_status),
            "to": STATUS_LABELS.get(event.to_status, event.to_status),
        }
        for event in events_for_proposal(proposal)
    ]


class DecisionForm(forms.Form):
    """Only the outcome is checked here; decision_record says what else an outcome needs, field by field."""

    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an outcome."},
    )
    feedback = forms.CharField(
        label="Feedback for the supplier",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Emailed to everyone in the supplier's organisation when the winners are announced.",
    )
    public_rationale = forms.CharField(
        label="Public rationale",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required for a winner or a highly commended proposal: published with the winners.",
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why reopen this review?",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The judge is emailed this reason with a link to the review.",
    )


def reopen_form(review: Review, data=None) -> ReopenForm:
    form = ReopenForm(data, prefix=f"review-{review.pk}")
    form.fields["reason"].label = f"Why reopen the review by {judge_label(review.assignment.judge)}?"
    return form


def describe_errors(form: forms.Form) -> forms.Form:
    """Tie each field's error message to its input (``aria-describedby``), which Wagtail's field template shows
    but does not link; the templates give the message the id ``<field id>-error``."""
    for name in form.errors:
        if name in form.fields:
            bound = form[name]
            ids = [f"{bound.auto_id}-error"] + ([f"{bound.auto_id}-helptext"] if bound.help_text else [])
            form.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)
    return form


def _version_value(version: ProposalVersion, question):
    if question.id == "consent_to_publish":
        return "yes" if version.consent_to_publish else "no"
    if question.id in STANDARD_FIELDS:
        return getattr(version, question.id) or None
    return version.answers.get(question.id)


def version_answers(version: ProposalVersion | None) -> list[dict]:
    """The answers as submitted, under the questions they answered (the version's own snapshot)."""
    if version is None:
        return []
    return [
        {
            "section": section,
            "answers": [
                {"question": question, "value": _version_value(version, question)} for question in section.questions
            ],
        }
        for section in sections_from_raw(version.questions)
    ]


def review_cards(proposal: Proposal, criteria) -> list[dict]:
    """Every review of the proposal with its scores in rubric order (scores on criteria since removed last)."""
    reviews = (
        Review.objects.filter(assignment__proposal=proposal)
        .select_related("assignment__judge")
        .prefetch_related("scores")
        .order_by("assignment__assigned_at", "pk")
    )
    names = {criterion.id: criterion for criterion in criteria}
    cards = []
    for review in reviews:
        scores = {score.criterion_id: score for score in review.scores.all()}
        marks = [{"criterion": criterion, "score": scores.get(criterion.id)} for criterion in criteria]
        marks += [{"criterion": None, "score": score} for key, score in sorted(scores.items()) if key not in names]
        cards.append({"review": review, "judge": judge_label(review.assignment.judge), "marks": marks})
    return cards


class ProposalView(ChallengeManagerMixin, TemplateView):
    """GET shows the proposal; POST records a decision on it."""

    template_name = "judging/admin/proposal.html"
    tab = "results"

    @cached_property
    def proposal(self) -> Proposal:
        return get_object_or_404(
            Proposal.objects.select_related("organisation", "decision__decided_by"),
            pk=self.kwargs["proposal_id"],
            challenge=self.challenge,
        )

    def get_page_title(self):
        return f"{self.proposal.reference or 'Proposal'}: {self.proposal.title}"

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        return [*items[:-1], {"url": admin_url("results", self.challenge.pk), "label": "Results"}, items[-1]]

    @property
    def can_decide(self) -> bool:
        return not self.challenge.announced_at and self.proposal.status in DECIDABLE

    @property
    def can_reopen(self) -> bool:
        """Reopening is offered only while the judge could then change the review (permissions.can_score)."""
        return not self.challenge.announced_at and self.proposal.status in UNDER_REVIEW

    def initial_decision(self) -> dict:
        decision = getattr(self.proposal, "decision", None)
        if decision is None:
            return {}
        return {
            "outcome": decision.outcome,
            "feedback": decision.feedback,
            "public_rationale": decision.public_rationale,
        }

    def get_context_data(self, decision_form=None, reopen_forms=None, **kwargs):
        proposal = self.proposal
        criteria = criteria_from_raw(self.challenge.rubric.raw_data)
        cards = review_cards(proposal, criteria)
        bound = reopen_forms or {}
        for card in cards:
            review = card["review"]
            if self.can_reopen and review.status == ReviewStatus.SUBMITTED:
                card["reopen_form"] = bound.get(review.pk) or reopen_form(review)
                card["reopen_url"] = admin_url("review_reopen", self.challenge.pk, review.pk)
        version = proposal.versions.order_by("-number").first()
        return super().get_context_data(
            proposal=proposal,
            decision=getattr(proposal, "decision", None),
            version=version,
            answers=version_answers(version),
            criteria=criteria,
            reviews=cards,
            can_decide=self.can_decide,
            can_reopen=self.can_reopen,
            decision_form=decision_form or (DecisionForm(initial=self.initial_decision()) if self.can_decide else None),
            events=event_rows(proposal),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = decision_record(
                    proposal=self.proposal,
                    outcome=data["outcome"],
                    feedback=data["feedback"],
                    public_rationale=data["public_rationale"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Decision recorded for {self.proposal.reference}: {decision.get_outcome_display()}. "
                    "The supplier is told when the winners are announced.",
                )
                return redirect(admin_url("decisions", self.challenge.pk))
        problems = " ".join(form.non_field_errors()) or "Correct the errors below."
        messages.error(request, f"The decision has not been recorded. {problems}")
        return self.render_to_response(self.get_context_data(decision_form=describe_errors(form)))


class ProposalFileView(ProposalView):
    """A file of the proposal, for its challenge's managers: any file a submitted version lists."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        attachment_id = self.kwargs["attachment_id"]
        listed = any(
            entry.get("attachment") == attachment_id
            for files in self.proposal.versions.values_list("files", flat=True)
            for entry in files
        )
        if not listed:
            raise Http404("No such file on this proposal.")
        return private_file_response(get_object_or_404(Attachment, pk=attachment_id, proposal=self.proposal))


class ReviewReopenView(ProposalView):
    """POST only: unlock one submitted review so its judge can change it. Errors show on the proposal's page."""

    http_method_names = ["post"]

    @cached_property
    def review(self) -> Review:
        return get_object_or_404(
            Review.objects.select_related("assignment__judge"),
            pk=self.kwargs["review_id"],
            assignment__proposal__challenge=self.challenge,
        )

    @cached_property
    def proposal(self) -> Proposal:
        return get_object_or_404(
            Proposal.objects.select_related("organisation", "decision__decided_by"),
            pk=self.review.assignment.proposal_id,
        )

    def post(self, request, *args, **kwargs):
        review = self.review
        form = reopen_form(review, request.POST)
        form.is_valid()
        try:
            review_reopen(review=review, by=request.user, reason=form.cleaned_data.get("reason", ""))
        except ValidationError as error:
            add_service_errors(form, error)
            messages.error(request, f"The review has not been reopened. {' '.join(error.messages)}")
            return self.render_to_response(self.get_context_data(reopen_forms={review.pk: describe_errors(form)}))
        messages.success(
            request,
            f"The review by {judge_label(review.assignment.judge)} is open again. "
            "The judge has been emailed your reason.",
        )
        return redirect(admin_url("proposal", self.challenge.pk, self.proposal.pk))


urlpatterns: list = [
    path("<int:challenge_id>/proposals/<int:proposal_id>/", ProposalView.as_view(), name="proposal"),
    path(
        "<int:challenge_id>/proposals/<int:proposal_id>/files/<int:attachment_id>/",
        ProposalFileView.as_view(),
        name="proposal_file",
    ),
    path("<int:challenge_id>/reviews/<int:review_id>/reopen/", ReviewReopenView.as_view(), name="review_reopen"),
]
