"""One proposal as staff see it: its answers, every review in full, reopening a review, the decision form and
the proposal's audit log (staff, Wagtail admin)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin import messages

from core.forms import add_service_errors
from submissions.files import private_file_response
from submissions.models import Proposal
from submissions.workflow import DECIDABLE, UNDER_REVIEW

from ..forms import DecisionForm, ReopenForm, describe_errors
from ..labels import judge_label
from ..models import Review, ReviewStatus
from ..rubric import criteria_from_raw
from ..selectors.admin_pages import (
    latest_version,
    listed_file,
    proposal_events,
    proposal_of,
    review_cards,
    review_of,
    version_answers,
)
from ..selectors.confidence import CONFIDENCE_RULES, chances
from ..services.decisions import decision_record
from ..services.reviews import review_reopen
from .base import ChallengeManagerMixin, admin_url


def reopen_form(review: Review, data=None) -> ReopenForm:
    return ReopenForm.for_review(review, judge_label(review.assignment.judge), data)


class ProposalView(ChallengeManagerMixin, TemplateView):
    """GET shows the proposal; POST records a decision on it."""

    template_name = "judging/admin/proposal.html"
    tab = "results"

    @cached_property
    def proposal(self) -> Proposal:
        proposal = proposal_of(self.challenge, self.kwargs["proposal_id"])
        if proposal is None:
            raise Http404("No such proposal in this challenge.")
        return proposal

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
            "amount": decision.amount,
            "departure_reason": decision.departure_reason,
            "uncertainty_reason": decision.uncertainty_reason,
        }

    def get_context_data(self, decision_form=None, reopen_forms=None, **kwargs):
        proposal = self.proposal
        criteria = criteria_from_raw(proposal.stage.rubric.raw_data)
        cards = review_cards(proposal, criteria)
        bound = reopen_forms or {}
        for card in cards:
            review = card["review"]
            if self.can_reopen and review.status == ReviewStatus.SUBMITTED:
                card["reopen_form"] = bound.get(review.pk) or reopen_form(review)
                card["reopen_url"] = admin_url("review_reopen", self.challenge.pk, review.pk)
        version = latest_version(proposal)
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
            events=proposal_events(proposal),
            chance=chances(proposal.stage_id, [proposal.pk]).get(proposal.pk),
            confidence_rules=CONFIDENCE_RULES,
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
                    amount=data["amount"],
                    departure_reason=data["departure_reason"],
                    uncertainty_reason=data["uncertainty_reason"],
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
        attachment = listed_file(self.proposal, self.kwargs["attachment_id"])
        if attachment is None:
            raise Http404("No such file on this proposal.")
        return private_file_response(attachment)


class ReviewReopenView(ProposalView):
    """POST only: unlock one submitted review so its judge can change it. Errors show on the proposal's page."""

    http_method_names = ["post"]

    @cached_property
    def review(self) -> Review:
        review = review_of(self.challenge, self.kwargs["review_id"])
        if review is None:
            raise Http404("No such review in this challenge.")
        return review

    @cached_property
    def proposal(self) -> Proposal:
        return proposal_of(self.challenge, self.review.assignment.proposal_id)

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
