"""Reads for due diligence: the one rule an award follows (``due_diligence_blockers``), each proposal's progress
for the managers' list, and what the supplier is asked for. Each runs a fixed number of queries, however many
checks or proposals there are."""

from django.db.models import Count, Q

from submissions.models import Proposal

from ..due_diligence_permissions import DUE_DILIGENCE_STATUSES
from ..models import DEFAULT_CHECKS, DueDiligenceCheck, DueDiligenceItem, DueDiligenceStatus

AWARD_BLOCKED = "You cannot confirm this award until due diligence is complete"


def due_diligence_blockers(proposal) -> list[str]:
    """A message naming each check still open (or never opened) or failed, in the checks' order; empty when the
    award may be confirmed. A challenge whose due diligence nobody has opened yet is blocked by every default."""
    checks = list(DueDiligenceCheck.objects.filter(challenge_id=proposal.challenge_id).values_list("pk", "name"))
    if not checks:
        checks = [(None, name) for name, _ in DEFAULT_CHECKS]
    items = {item.due_diligence_check_id: item for item in DueDiligenceItem.objects.filter(proposal_id=proposal.pk)}
    blockers = []
    for pk, name in checks:
        item = items.get(pk)
        if item is None or item.status == DueDiligenceStatus.OPEN:
            blockers.append(f"{name} is not yet checked")
        elif item.status == DueDiligenceStatus.FAILED:
            blockers.append(f"{name} failed: {item.note.strip().rstrip('.')}")
    return blockers


def award_blocked_message(proposal) -> str:
    """The refusal an award shows while due diligence is incomplete, naming every blocker; "" when complete."""
    blockers = due_diligence_blockers(proposal)
    if not blockers:
        return ""
    return f"{AWARD_BLOCKED}: {'; '.join(blockers)}."


def progress_label(done: int, total: int, failed: int) -> str:
    label = f"{done} of {total} done"
    return f"{label}, {failed} failed" if failed else label


def due_diligence_rows(challenge) -> list[dict]:
    """Every shortlisted or awarded proposal of the challenge with its progress ("4 of 6 done, 1 failed") and how
    many requests for evidence are waiting on the supplier: two queries."""
    total = challenge.due_diligence_checks.count()
    decided = ~Q(due_diligence_items__status=DueDiligenceStatus.OPEN)
    proposals = (
        Proposal.objects.filter(challenge=challenge, status__in=DUE_DILIGENCE_STATUSES)
        .select_related("organisation")
        .annotate(
            done=Count("due_diligence_items", filter=decided),
            failed=Count("due_diligence_items", filter=Q(due_diligence_items__status=DueDiligenceStatus.FAILED)),
            waiting=Count(
                "due_diligence_items",
                filter=Q(
                    due_diligence_items__status=DueDiligenceStatus.OPEN,
                    due_diligence_items__evidence_requested_at__isnull=False,
                    due_diligence_items__evidence="",
                ),
            ),
        )
        .order_by("reference", "pk")
    )
    return [
        {
            "proposal": proposal,
            "progress": progress_label(proposal.done, total, proposal.failed),
            "complete": proposal.done == total and not proposal.failed,
            "waiting": proposal.waiting,
        }
        for proposal in proposals
    ]


def supplier_requests(proposal) -> list[DueDiligenceItem]:
    """The checks a manager asked the organisation for evidence of, in the checks' order."""
    return list(
        DueDiligenceItem.objects.filter(proposal=proposal, evidence_requested_at__isnull=False)
        .select_related("due_diligence_check", "evidence_uploaded_by")
        .order_by("due_diligence_check__sort_order", "due_diligence_check_id")
    )


def evidence_item(item_id: int) -> DueDiligenceItem | None:
    """An item with what its permission check reads (the proposal, its challenge and organisation)."""
    return (
        DueDiligenceItem.objects.select_related("proposal__challenge", "proposal__organisation", "due_diligence_check")
        .filter(pk=item_id)
        .first()
    )
