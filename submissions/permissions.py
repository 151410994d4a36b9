"""Who may see and change a proposal. Each returns ``(allowed, reason)``; views check exactly one.

Membership is asked of the database once per organisation object and user: a page that checks whether the
viewer may see, change and withdraw a proposal asks once, not three times. The answer lives on the
``Organisation`` instance the request read (``MEMBERS_SEEN``), so it lasts one request and never goes stale
across requests.
"""

from accounts.models import Membership

from .models import Proposal, ProposalStatus

MEMBERS_SEEN = "_members_seen"
"""The attribute on an ``Organisation`` instance holding ``{user id: is a member}`` for what was asked."""


def is_member(user, organisation) -> bool:
    if not user.is_authenticated:
        return False
    seen = organisation.__dict__.setdefault(MEMBERS_SEEN, {})
    if user.pk not in seen:
        seen[user.pk] = Membership.objects.filter(user=user, organisation=organisation).exists()
    return seen[user.pk]


def remember_membership(organisation, user, member: bool) -> None:
    """Record what a query that read the organisation already found (``views._proposal`` asks in the same query)."""
    organisation.__dict__.setdefault(MEMBERS_SEEN, {})[user.pk] = bool(member)


def can_view_proposal(user, proposal: Proposal) -> tuple[bool, str]:
    if not is_member(user, proposal.organisation):
        return False, "Only members of the organisation can see this proposal."
    return True, ""


def can_edit_proposal(user, proposal: Proposal) -> tuple[bool, str]:
    allowed, reason = can_view_proposal(user, proposal)
    if not allowed:
        return allowed, reason
    if proposal.status == ProposalStatus.WITHDRAWN:
        return False, "This proposal has been withdrawn and can no longer be changed."
    if not proposal.challenge.is_accepting_proposals(stage=proposal.stage):
        if proposal.stage.is_pitch:
            return False, "This stage is a pitch: there are no written answers to change."
        return False, f"{proposal.stage.name} is closed, so your answers can no longer be changed."
    return True, ""


def can_start_proposal(user, challenge, organisation) -> tuple[bool, str]:
    if not is_member(user, organisation):
        return False, "You can only start a proposal for an organisation you belong to."
    if not challenge.is_accepting_proposals():
        return False, "This challenge is not open for proposals."
    return True, ""


def can_withdraw_proposal(user, proposal: Proposal) -> tuple[bool, str]:
    """The withdrawal rule (``workflow.WITHDRAWAL_RULE``): the same answer whatever screening or judging has
    decided, so the page never hints at an outcome before the announcement."""
    allowed, reason = can_view_proposal(user, proposal)
    if not allowed:
        return allowed, reason
    if proposal.status == ProposalStatus.WITHDRAWN:
        return False, "This proposal has already been withdrawn."
    if proposal.challenge.announced_at:
        return False, "The winners have been announced, so this proposal can no longer be withdrawn."
    if proposal.status == ProposalStatus.DRAFT and not proposal.challenge.is_accepting_proposals(stage=proposal.stage):
        return False, "This challenge is closed, so proposals can no longer be changed."
    return True, ""
