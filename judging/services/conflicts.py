"""Writes for conflicts of interest: a judge's declaration, and a judge joining a proposing organisation. Either
way the conflicted pair is never assigned, and an assignment it touches goes, on the record."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from accounts.permissions import require
from audit.models import Event
from audit.services import event_record, events_record
from challenges.selectors import challenge_managers
from notifications.services import notify

from ..labels import judge_label
from ..models import Assignment, Conflict, PanelMember, ReviewStatus
from ..permissions import can_manage


def conflict_declare(*, judge, reason: str, by, organisation=None, proposal=None) -> Conflict:
    """Record a conflict and withdraw any assignment it touches, so a conflicted pair is never assigned or seen.

    Judges declare their own; a manager may record one on a judge's behalf for a challenge they manage.
    """
    if by.pk != judge.pk:
        if proposal is None:
            raise PermissionDenied("Judges declare their own conflicts with organisations.")
        require(can_manage(by, proposal.challenge))
    conflict = Conflict(judge=judge, organisation=organisation, proposal=proposal, reason=reason.strip())
    conflict.full_clean()
    with transaction.atomic():
        conflict.save()
        touched = Assignment.objects.filter(judge=judge).filter(
            Q(proposal=proposal) if proposal else Q(proposal__organisation=organisation)
        )
        subject = judge_label(judge)
        if proposal is not None:
            event_record(actor=by, verb="declared a conflict", proposal=proposal, subject=subject, note=conflict.reason)
        else:
            challenges = PanelMember.objects.filter(judge=judge).values_list("challenge_id", flat=True)
            events_record(
                [
                    Event(
                        challenge_id=challenge_id,
                        actor=by,
                        verb="declared a conflict",
                        subject=f"{subject} with {organisation.name}",
                        note=conflict.reason,
                    )
                    for challenge_id in challenges
                ]
            )
        for assignment in touched.select_related("proposal", "review"):
            review = getattr(assignment, "review", None)
            note = "Judge declared a conflict of interest"
            if review is not None and review.status == ReviewStatus.SUBMITTED:
                total = f"{review.total:.1f}" if review.total is not None else "no total"
                note += f"; their submitted review ({total}) is withdrawn and no longer counts"
            event_record(actor=by, verb="unassigned", proposal=assignment.proposal, subject=subject, note=note)
        touched.delete()
    return conflict


@transaction.atomic
def assignments_withdraw_for_new_member(*, membership) -> list[Assignment]:
    """Someone joined an organisation: take them off every proposal of it they were assigned to judge, record
    why, and tell each challenge's managers, who need to assign another judge. Submitted reviews go too: they
    were written by someone now inside the supplier."""
    judge, organisation = membership.user, membership.organisation
    touched = list(
        Assignment.objects.filter(judge=judge, proposal__organisation=organisation).select_related(
            "proposal__challenge__sponsor", "review"
        )
    )
    subject = judge_label(judge)
    for assignment in touched:
        proposal = assignment.proposal
        note = f"Judge joined {organisation.name}, the organisation that made this proposal: a conflict of interest"
        review = getattr(assignment, "review", None)
        if review is not None and review.status == ReviewStatus.SUBMITTED:
            note += "; their submitted review is withdrawn and no longer counts"
        event_record(actor=judge, verb="unassigned", proposal=proposal, subject=subject, note=note)
        for manager in challenge_managers(proposal.challenge):
            notify(
                to=manager.email,
                template="judging/email/assignment_withdrawn",
                context={
                    "judge": subject,
                    "reference": proposal.reference or "",
                    "challenge": proposal.challenge.title,
                    "had_submitted": bool(review and review.status == ReviewStatus.SUBMITTED),
                },
                key=f"assignment-withdrawn:{assignment.pk}:{manager.pk}",
            )
    Assignment.objects.filter(pk__in=[assignment.pk for assignment in touched]).delete()
    return touched
