"""A judge's review: save scores as a draft, check them before submitting, submit (which locks it), and a manager's
reopening with a reason.

Each score copies its criterion's weight and scale from the rubric when saved, so a review keeps the rubric
it was scored against and the database can check every value against its scale.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import require
from audit.services import event_record
from notifications.services import notify
from submissions.workflow import UNDER_REVIEW

from ..labels import judge_label
from ..models import Assignment, Review, ReviewStatus, Score
from ..permissions import can_manage, can_read_proposal, can_score
from ..rubric import Criterion, criteria_from_raw


@dataclass(frozen=True)
class Mark:
    """What a judge entered for one criterion: a value (None while undecided) and a comment."""

    value: int | None
    comment: str = ""


def review_criteria(review: Review) -> list[Criterion]:
    return criteria_from_raw(review.assignment.stage.rubric.raw_data)


def weighted_total(marks: list[tuple[Criterion, int]]) -> float | None:
    """100 * sum(weight * value / scale) / sum(weight): the formula aggregation.py uses, fixed at submission."""
    weights = sum(float(criterion.weight) for criterion, _ in marks)
    if not weights:
        return None
    return 100.0 * sum(float(criterion.weight) * value / criterion.scale_max for criterion, value in marks) / weights


def problems(criteria: list[Criterion], marks: dict[str, Mark], *, submitting: bool) -> dict[str, str]:
    """Per criterion id, what is wrong with the entry. Drafts may leave things out; a submission may not."""
    found = {}
    for criterion in criteria:
        mark = marks.get(criterion.id, Mark(None))
        if mark.value is not None and not 0 <= mark.value <= criterion.scale_max:
            found[criterion.id] = f"Score {criterion.name} from 0 to {criterion.scale_max}"
        elif submitting and mark.value is None:
            found[criterion.id] = f"Score {criterion.name}"
        elif submitting and criterion.comment_required and not mark.comment.strip():
            found[criterion.id] = f"Write a comment on {criterion.name}"
    return found


def _locked(review: Review) -> Review:
    return (
        Review.objects.select_for_update()
        .select_related("assignment__proposal__challenge", "assignment__judge")
        .get(pk=review.pk)
    )


def _review_of(assignment: Assignment, by) -> Review:
    """The assignment's review, locked; made if it has none yet (assignments are made with one), once the judge
    has shown they may read the proposal."""
    review = Review.objects.filter(assignment=assignment).first()
    if review is None:
        require(can_read_proposal(by, assignment))
        review, _ = Review.objects.get_or_create(assignment=assignment)
    return _locked(review)


@transaction.atomic
def review_save(*, assignment: Assignment, marks: dict[str, Mark], by) -> Review:
    """Keep what the judge entered. Values outside the scale are refused; everything else is stored."""
    review = _review_of(assignment, by)
    require(can_score(by, review))
    criteria = review_criteria(review)
    found = problems(criteria, marks, submitting=False)
    if found:
        raise ValidationError(found)
    kept = {score.criterion_id: score for score in review.scores.all()}
    for criterion in criteria:
        mark = marks.get(criterion.id)
        if mark is None:
            continue
        score = kept.get(criterion.id) or Score(criterion_id=criterion.id)
        score.review = review  # the locked review, so the standing receiver reads its status without a query
        score.weight, score.scale_max = criterion.weight, criterion.scale_max
        score.value, score.comment = mark.value, mark.comment.strip()
        score.save()
    review.save(update_fields=["updated_at"])
    return review


@transaction.atomic
def review_ready(*, assignment: Assignment, marks: dict[str, Mark], by) -> Review:
    """The step before submitting: check the review is complete, as ``review_submit`` does, and keep it as a draft
    while the judge checks it, so nothing typed is lost if they go back or leave. Nothing is locked yet."""
    review = _review_of(assignment, by)
    require(can_score(by, review))
    found = problems(review_criteria(review), marks, submitting=True)
    if found:
        raise ValidationError(found)
    return review_save(assignment=review.assignment, marks=marks, by=by)


@transaction.atomic
def review_submit(*, assignment: Assignment, marks: dict[str, Mark], by) -> Review:
    """Save, check every criterion is scored (and commented where the rubric asks), then lock the review.

    Submitting twice (a double click) leaves the first submission as it was.
    """
    review = _review_of(assignment, by)
    if review.status == ReviewStatus.SUBMITTED and review.assignment.judge_id == by.pk:
        return review
    require(can_score(by, review))
    criteria = review_criteria(review)
    found = problems(criteria, marks, submitting=True)
    if found:
        raise ValidationError(found)
    review_save(assignment=review.assignment, marks=marks, by=by)
    by_id = {criterion.id: criterion for criterion in criteria}
    review.scores.exclude(criterion_id__in=by_id).delete()
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = timezone.now()
    review.total = weighted_total([(by_id[key], mark.value) for key, mark in marks.items() if key in by_id])
    review.full_clean()
    review.save()
    event_record(
        actor=by,
        verb="review submitted",
        proposal=review.assignment.proposal,
        subject=judge_label(by),
        from_status=ReviewStatus.DRAFT,
        to_status=ReviewStatus.SUBMITTED,
    )
    return review


@transaction.atomic
def review_reopen(*, review: Review, by, reason: str) -> Review:
    """A manager unlocks a submitted review so its judge can change it; the reason goes on the record."""
    review = _locked(review)
    proposal = review.assignment.proposal
    require(can_manage(by, proposal.challenge))
    if review.status != ReviewStatus.SUBMITTED:
        raise ValidationError("This review has not been submitted, so there is nothing to reopen.")
    if proposal.status not in UNDER_REVIEW:
        raise ValidationError(
            "Reviews can be reopened only while the proposal is in assessment or moderation, so the judge can "
            "change them."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the review is being reopened: the judge is told."})
    review.status = ReviewStatus.DRAFT
    review.submitted_at = None
    review.total = None
    review.save()
    event = event_record(
        actor=by,
        verb="review reopened",
        proposal=proposal,
        subject=judge_label(review.assignment.judge),
        from_status=ReviewStatus.SUBMITTED,
        to_status=ReviewStatus.DRAFT,
        note=reason.strip(),
    )
    notify(
        to=review.assignment.judge.email,
        template="judging/email/review_reopened",
        context={
            "challenge": proposal.challenge.title,
            "reference": proposal.reference or "",
            "reason": reason.strip(),
            "review_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
            + reverse("judging:review", kwargs={"assignment_id": review.assignment_id}),
        },
        key=f"review-reopened:{event.pk}",
    )
    return review
