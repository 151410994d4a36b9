"""Who may see and change due diligence. Each returns ``(allowed, reason)``; views check exactly one, services
check it again.

A challenge's managers do everything. The proposal's organisation sees only what it is asked for, and adds
evidence only where a manager asked for it and the check is not settled; nobody else learns the checklist exists.
"""

from submissions.permissions import is_member
from submissions.workflow import DUE_DILIGENCE as DUE_DILIGENCE_STATUSES

from .models import DueDiligenceItem, DueDiligenceStatus
from .permissions import can_manage

UNSETTLED = (DueDiligenceStatus.OPEN, DueDiligenceStatus.FAILED)
"""Checks the supplier can still add evidence for (and a manager can still ask for it)."""

NOT_YOURS = "Only members of the organisation that made this proposal can see what due diligence asks of it."


def can_manage_due_diligence(user, proposal) -> tuple[bool, str]:
    """Record results, request evidence: the challenge's managers, while the proposal may be awarded."""
    allowed, reason = can_manage(user, proposal.challenge)
    if not allowed:
        return allowed, reason
    if proposal.status not in DUE_DILIGENCE_STATUSES:
        return False, (
            f"Due diligence is for shortlisted proposals and awards; {proposal.reference or 'this proposal'} "
            f"is {proposal.get_status_display().lower()}."
        )
    return True, ""


def can_see_supplier_due_diligence(user, proposal) -> tuple[bool, str]:
    if not is_member(user, proposal.organisation):
        return False, NOT_YOURS
    return True, ""


def accepts_supplier_evidence(item: DueDiligenceItem) -> bool:
    """Asked for, not yet settled, and the proposal still in line for an award: where the organisation's upload
    form is shown. ``item.proposal`` is read, so load it with the item."""
    return (
        item.evidence_requested_at is not None
        and item.status in UNSETTLED
        and item.proposal.status in DUE_DILIGENCE_STATUSES
    )


def can_add_evidence(user, item: DueDiligenceItem) -> tuple[bool, str]:
    """A manager at any time the proposal may be awarded; a member of the organisation only where asked and while
    the check is open or failed (a passed check keeps the evidence it passed on). The refusals a member reads are
    the same whatever happened to the proposal, so none of them hints at an outcome before the announcement."""
    if can_manage(user, item.proposal.challenge)[0]:
        return can_manage_due_diligence(user, item.proposal)
    allowed, reason = can_see_supplier_due_diligence(user, item.proposal)
    if not allowed:
        return allowed, reason
    if item.evidence_requested_at is None:
        return False, f"The challenge manager has not asked for evidence of {item.name}."
    if not accepts_supplier_evidence(item):
        return False, f"Nothing more is needed for {item.name}, so its evidence can no longer change."
    return True, ""


def can_download_evidence(user, item: DueDiligenceItem) -> tuple[bool, str]:
    """The organisation's members and the challenge's managers, whatever the proposal's status."""
    if can_manage(user, item.proposal.challenge)[0] or is_member(user, item.proposal.organisation):
        return True, ""
    return False, "Only the organisation's members and the challenge's managers can download this evidence."
