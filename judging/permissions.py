"""Who may do what in judging. Each returns ``(allowed, reason)``; views check exactly one, services check it again.

A judge sees a proposal only through an assignment of their own in the stage the proposal is in now, while they
sit on that stage's panel, while the proposal is under review, and never when they have declared a conflict with
the proposal or its organisation, or belong (or belonged while it was prepared) to that organisation. Everything a
manager does follows ``challenges.permissions.can_manage_challenge``.
"""

from django.db.models import Q

from accounts.permissions import can_accept_invitation
from accounts.selectors import members_since
from accounts.two_factor import has_two_factor
from challenges.permissions import can_manage_challenge
from submissions.workflow import UNDER_REVIEW

from .models import Assignment, Conflict, PanelMember, Review, ReviewStatus

NOT_YOURS = "This proposal is not assigned to you."
NOT_ON_A_PANEL = (
    "Only judges can use these pages. You are not on any judging panel: accept the invitation a challenge "
    "manager emailed you first."
)


def can_use_judging_pages(user) -> tuple[bool, str]:
    """The judge's own pages (assignments, conflicts) are for people on at least one panel."""
    if not user.is_authenticated or not user.is_active:
        return False, "Sign in to see your assignments."
    if not PanelMember.objects.filter(judge=user).exists():
        return False, NOT_ON_A_PANEL
    return True, ""


MEMBER_OF_THE_SUPPLIER = (
    "You are, or were while this proposal was prepared, a member of the organisation that made it, so you cannot "
    "judge it."
)


def belonged_while_prepared(left_at, proposal) -> bool:
    """The membership rule: a judge who belongs to the proposing organisation, or belonged to it at any time since
    the proposal was started, is conflicted whether or not they declared it. ``left_at`` is None while they belong."""
    return left_at is None or left_at >= proposal.created_at


def conflict_reason(judge, proposal) -> str:
    """Why ``judge`` may not judge ``proposal`` (a declared conflict, or membership of its organisation), or ""."""
    membership = members_since(user_ids=[judge.pk], organisation_ids=[proposal.organisation_id])
    key = (proposal.organisation_id, judge.pk)
    if key in membership and belonged_while_prepared(membership[key], proposal):
        return MEMBER_OF_THE_SUPPLIER
    declared = Conflict.objects.filter(Q(proposal=proposal) | Q(organisation_id=proposal.organisation_id), judge=judge)
    if declared.exists():
        return "You declared a conflict of interest with this proposal, so you cannot see it."
    return ""


def is_conflicted(judge, proposal) -> bool:
    return bool(conflict_reason(judge, proposal))


def can_open_assignment(user, assignment: Assignment) -> tuple[bool, str]:
    """See the proposal's title (and, unless judging is blind, its organisation) to check for a conflict."""
    if not user.is_authenticated or not user.is_active:
        return False, "Sign in to see your assignments."
    if assignment.judge_id != user.pk:
        return False, NOT_YOURS
    if not has_two_factor(user):
        return False, "Set up two-factor authentication before you see any proposal."
    proposal = assignment.proposal
    if not PanelMember.objects.filter(stage_id=assignment.stage_id, judge=user).exists():
        return False, "You are no longer on this stage's panel."
    if assignment.stage_id != proposal.stage_id or proposal.status not in UNDER_REVIEW:
        return False, "This proposal is no longer being reviewed."
    reason = conflict_reason(user, proposal)
    if reason:
        return False, reason
    return True, ""


def can_read_proposal(user, assignment: Assignment) -> tuple[bool, str]:
    """Read the proposal itself and its files: only after saying they have no conflict with it."""
    allowed, reason = can_open_assignment(user, assignment)
    if not allowed:
        return allowed, reason
    if assignment.no_conflict_confirmed_at is None:
        return False, "Confirm you have no conflict of interest before you read the proposal."
    return True, ""


def can_score(user, review: Review) -> tuple[bool, str]:
    allowed, reason = can_read_proposal(user, review.assignment)
    if not allowed:
        return allowed, reason
    if review.status == ReviewStatus.SUBMITTED:
        return False, "You have submitted this review. Ask the challenge manager to reopen it if you need to change it."
    return True, ""


def can_manage(user, challenge) -> tuple[bool, str]:
    return can_manage_challenge(user, challenge)


# Only the person the invitation was emailed to, proven by a verified address: the same rule as organisations.
can_accept_panel_invitation = can_accept_invitation
