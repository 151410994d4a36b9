"""How judging reacts to what happens below it."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from accounts.signals import member_joined
from challenges.models import Stage
from judging.models import Assignment, Review, ReviewStatus, Score, StageConfidence
from judging.services.confidence import confidence_request
from judging.services.conflicts import assignments_withdraw_for_new_member
from judging.services.standing import proposal_going, proposal_gone, standing_refresh, standing_sync_proposal
from submissions.models import Progression, Proposal
from submissions.workflow import RANKED

MEMBERSHIP_STATUSES = frozenset((*RANKED, "withdrawn"))
"""A proposal saved in one of these may just have joined or left a stage's ranking (sent to assessment,
withdrawn). Every other move keeps it where it was: out of it, or kept in by the progression recorded with it."""


@receiver(member_joined, dispatch_uid="judging.withdraw_assignments_of_new_member")
def withdraw_assignments_of_new_member(sender, membership, **kwargs) -> None:
    assignments_withdraw_for_new_member(membership=membership)


def _refresh_for(assignment_id: int) -> None:
    assignment = Assignment.objects.filter(pk=assignment_id)
    found = assignment.values_list("stage_id", "proposal_id", "judge_id").first()
    if found:
        stage_id, proposal_id, judge_id = found
        standing_refresh(stage=stage_id, proposal_ids=[proposal_id], judge_ids=[judge_id])


@receiver(post_save, sender=Review, dispatch_uid="judging.standing_after_review_save")
def standing_after_review_save(sender, instance: Review, created: bool, update_fields=None, **kwargs) -> None:
    """A review submitted, reopened or otherwise rewritten changes its stage's ranking. A draft's autosave
    (``update_fields`` of ``updated_at`` alone) and a new draft change nothing."""
    if kwargs.get("raw") or (update_fields is not None and set(update_fields) <= {"updated_at"}):
        return
    if created and instance.status != ReviewStatus.SUBMITTED:
        return
    _refresh_for(instance.assignment_id)


@receiver(post_save, sender=Score, dispatch_uid="judging.standing_after_score_save")
def standing_after_score_save(sender, instance: Score, **kwargs) -> None:
    """Scores change while their review is a draft (no query: the review is the one being saved); a score
    written on a submitted review (a data fix) changes its criterion means, and its total if none was stored."""
    if kwargs.get("raw"):
        return
    review = instance._state.fields_cache.get("review")
    if review is None:
        review = Review.objects.filter(pk=instance.review_id).only("status", "assignment_id").first()
    if review is not None and review.status == ReviewStatus.SUBMITTED:
        _refresh_for(review.assignment_id)


@receiver(pre_delete, sender=Review, dispatch_uid="judging.standing_before_review_delete")
def standing_before_review_delete(sender, instance: Review, **kwargs) -> None:
    if instance.status == ReviewStatus.SUBMITTED:
        assignment = Assignment.objects.filter(pk=instance.assignment_id)
        instance._standing_of = assignment.values_list("stage_id", "proposal_id", "judge_id").first()


@receiver(post_delete, sender=Review, dispatch_uid="judging.standing_after_review_delete")
def standing_after_review_delete(sender, instance: Review, **kwargs) -> None:
    found = getattr(instance, "_standing_of", None)
    if found:
        stage_id, proposal_id, judge_id = found
        standing_refresh(stage=stage_id, proposal_ids=[proposal_id], judge_ids=[judge_id])


@receiver(pre_delete, sender=Proposal, dispatch_uid="judging.standing_before_proposal_delete")
def standing_before_proposal_delete(sender, instance: Proposal, **kwargs) -> None:
    """Its reviews are deleted first, by the cascade: the refreshes they set off leave the proposal out."""
    proposal_going(instance.pk)


@receiver(post_delete, sender=Proposal, dispatch_uid="judging.standing_after_proposal_delete")
def standing_after_proposal_delete(sender, instance: Proposal, **kwargs) -> None:
    proposal_gone(instance.pk)


@receiver(post_save, sender=Proposal, dispatch_uid="judging.standing_after_proposal_save")
def standing_after_proposal_save(sender, instance: Proposal, update_fields=None, **kwargs) -> None:
    if kwargs.get("raw") or instance.status not in MEMBERSHIP_STATUSES:
        return
    if update_fields is not None and not {"status", "stage", "stage_id"} & set(update_fields):
        return
    standing_sync_proposal(instance.pk)


@receiver(post_save, sender=Progression, dispatch_uid="judging.standing_after_progression_save")
@receiver(post_delete, sender=Progression, dispatch_uid="judging.standing_after_progression_delete")
def standing_after_progression(sender, instance: Progression, **kwargs) -> None:
    if not kwargs.get("raw"):
        standing_sync_proposal(instance.proposal_id, [instance.stage_id])


@receiver(post_save, sender=Stage, dispatch_uid="judging.confidence_after_stage_save")
def confidence_after_stage_save(sender, instance: Stage, **kwargs) -> None:
    """A stage saved (its page published) may plan a different number of awards or rename its criteria: the
    confidence figures worked out for it are worked out again. One query for a stage without any."""
    if not kwargs.get("raw") and StageConfidence.objects.filter(stage_id=instance.pk).exists():
        confidence_request(stage_id=instance.pk)
