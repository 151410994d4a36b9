"""A judge's review: drafts keep what was typed, submission checks everything and locks, a manager reopens."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import Event
from judging.models import ReviewStatus, Score
from judging.services.reviews import Mark, review_reopen, review_save, review_submit
from submissions.models import ProposalStatus
from tests.factories.judging import assign, score


def marks(impact=None, delivery=None, impact_comment="", delivery_comment=""):
    return {"impact": Mark(impact, impact_comment), "delivery": Mark(delivery, delivery_comment)}


def test_a_draft_keeps_a_partial_review(scene):
    review_save(
        assignment=scene.review.assignment, marks=marks(impact=3, impact_comment="Strong evidence"), by=scene.judges[0]
    )
    stored = {s.criterion_id: (s.value, s.comment) for s in Score.objects.filter(review=scene.review)}
    assert stored == {"impact": (3, "Strong evidence"), "delivery": (None, "")}
    scene.review.refresh_from_db()
    assert scene.review.status == ReviewStatus.DRAFT and scene.review.total is None


def test_a_score_outside_the_scale_is_refused_naming_the_criterion(scene):
    with pytest.raises(ValidationError) as error:
        review_save(assignment=scene.review.assignment, marks=marks(impact=6), by=scene.judges[0])
    assert error.value.message_dict == {"impact": ["Score Impact from 0 to 5"]}
    assert not Score.objects.filter(review=scene.review).exists()


def test_submitting_needs_every_score_and_the_required_comments(scene):
    with pytest.raises(ValidationError) as error:
        review_submit(assignment=scene.review.assignment, marks=marks(impact=4, delivery=None), by=scene.judges[0])
    assert error.value.message_dict == {"impact": ["Write a comment on Impact"], "delivery": ["Score Delivery"]}
    scene.review.refresh_from_db()
    assert scene.review.status == ReviewStatus.DRAFT


def test_submitting_locks_the_review_with_its_weighted_total_and_records_it(scene):
    judge = scene.judges[0]
    review_submit(assignment=scene.review.assignment, marks=marks(4, 2, impact_comment="Clear need"), by=judge)
    scene.review.refresh_from_db()
    # 100 * (2 * 4 / 5 + 2 / 5) / 3 = 66.67
    assert scene.review.status == ReviewStatus.SUBMITTED
    assert scene.review.total == pytest.approx(200 / 3)
    assert Event.objects.filter(proposal_id=scene.proposal.pk, verb="review submitted").count() == 1

    again = review_submit(
        assignment=scene.review.assignment, marks=marks(0, 0, impact_comment="changed my mind"), by=judge
    )
    assert again.total == pytest.approx(200 / 3)  # a second submit (double click) changes nothing
    with pytest.raises(PermissionDenied, match="You have submitted this review"):
        review_save(assignment=scene.review.assignment, marks=marks(0, 0), by=judge)
    assert Score.objects.get(review=scene.review, criterion_id="impact").value == 4


@pytest.mark.parametrize("who", ["judge1", "conflicted", "unassigned", "other_judge", "manager", "supplier"])
def test_nobody_but_the_assigned_judge_scores(scene, who):
    person = {
        "judge1": scene.judges[1],
        "conflicted": scene.conflicted_judge,
        "unassigned": scene.unassigned_judge,
        "other_judge": scene.other_judge,
        "manager": scene.manager,
        "supplier": scene.supplier,
    }[who]
    with pytest.raises(PermissionDenied):
        review_submit(assignment=scene.review.assignment, marks=marks(4, 2, impact_comment="x"), by=person)
    assert not Score.objects.filter(review=scene.review).exists()


def test_a_conflicted_judge_cannot_score_even_with_an_assignment_row(scene):
    review = assign(scene.proposal, scene.conflicted_judge)
    with pytest.raises(PermissionDenied, match="conflict of interest"):
        review_save(assignment=review.assignment, marks=marks(1), by=scene.conflicted_judge)


def test_a_judge_must_say_they_have_no_conflict_before_scoring(scene):
    review = assign(scene.other_proposal, scene.unassigned_judge, confirmed=False)
    with pytest.raises(PermissionDenied, match="Confirm you have no conflict"):
        review_save(assignment=review.assignment, marks=marks(1), by=scene.unassigned_judge)


def test_a_proposal_out_of_review_cannot_be_scored(scene):
    scene.proposal.status = ProposalStatus.SHORTLISTED
    scene.proposal.save()
    with pytest.raises(PermissionDenied, match="no longer being reviewed"):
        review_save(assignment=scene.review.assignment, marks=marks(1), by=scene.judges[0])


def test_a_manager_reopens_with_a_reason_and_the_judge_is_told(scene, django_capture_on_commit_callbacks):
    score(scene.review, 4, 2)
    with pytest.raises(ValidationError, match="Say why"):
        review_reopen(review=scene.review, by=scene.manager, reason=" ")
    with pytest.raises(PermissionDenied):
        review_reopen(review=scene.review, by=scene.other_manager, reason="Recheck")
    with django_capture_on_commit_callbacks(execute=True):
        review_reopen(review=scene.review, by=scene.manager, reason="Please look at the revised budget")
    scene.review.refresh_from_db()
    assert scene.review.status == ReviewStatus.DRAFT and scene.review.total is None
    event = Event.objects.get(verb="review reopened")
    assert (event.from_status, event.to_status, event.note) == (
        "submitted",
        "draft",
        "Please look at the revised budget",
    )
    assert [m.to for m in mail.outbox] == [[scene.judges[0].email]]
    assert "Please look at the revised budget" in mail.outbox[0].body
    review_save(assignment=scene.review.assignment, marks=marks(5, 5), by=scene.judges[0])
