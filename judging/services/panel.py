"""Writes for a challenge's judging panel: seating judges, their declared expertise, removing them."""

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.permissions import require
from accounts.two_factor import JUDGES_GROUP_NAME
from audit.services import event_record

from ..labels import judge_label
from ..models import Assignment, PanelMember, ReviewStatus
from ..permissions import can_manage


@transaction.atomic
def panel_add(*, challenge, judge, by, stage=None, expertise=()) -> PanelMember:
    """Seat a judge on a stage's panel (the first stage's unless told; through an accepted invitation) and in the
    Judges group, which makes two-factor sign-in compulsory for them."""
    stage = stage or challenge.first_stage
    member, created = PanelMember.objects.get_or_create(challenge=challenge, stage=stage, judge=judge)
    if expertise:
        member.expertise.set(expertise)
    judges, _ = Group.objects.get_or_create(name=JUDGES_GROUP_NAME)
    judge.groups.add(judges)
    if created:
        event_record(
            actor=by, verb="joined the panel", challenge=challenge, subject=judge_label(judge), note=stage.name
        )
    return member


@transaction.atomic
def panel_expertise_set(*, member: PanelMember, themes, by) -> PanelMember:
    """A judge declares which of the challenge's themes they know best; assignment prefers them there."""
    if by.pk != member.judge_id:
        require(can_manage(by, member.challenge))
    member.expertise.set(themes)
    return member


@transaction.atomic
def panel_remove(*, member: PanelMember, by) -> None:
    """Take a judge off the panel. Their unsubmitted reviews go; submitted ones stay on the record and count."""
    require(can_manage(by, member.challenge))
    unfinished = Assignment.objects.filter(stage_id=member.stage_id, judge=member.judge).exclude(
        review__status=ReviewStatus.SUBMITTED
    )
    for assignment in unfinished.select_related("proposal"):
        event_record(
            actor=by,
            verb="unassigned",
            proposal=assignment.proposal,
            subject=judge_label(member.judge),
            note="Judge removed from the panel",
        )
    unfinished.delete()
    event_record(actor=by, verb="removed from the panel", challenge=member.challenge, subject=judge_label(member.judge))
    member.delete()
