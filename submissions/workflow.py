"""The proposal workflow: one status field, one table of allowed moves, one service that makes them.

Read this table to know every way a proposal's status can change; grep for
``proposal_transition`` to find every place that changes it.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import Proposal, ProposalEvent, ProposalStatus

S = ProposalStatus

# (from, to): the verb recorded in the audit trail.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): "submitted",
    (S.SUBMITTED, S.SUBMITTED): "resubmitted",
    (S.DRAFT, S.WITHDRAWN): "withdrawn",
    (S.SUBMITTED, S.WITHDRAWN): "withdrawn",
}


class TransitionNotAllowed(ValidationError):
    pass


def proposal_transition(*, proposal: Proposal, to: str, by, note: str = "") -> Proposal:
    """Move ``proposal`` to ``to`` if the table allows it; save, and record who did it and why.

    Callers check the permission and the deadline first (they own the message a
    person sees) and send any email through ``notifications.notify``, which
    waits for the commit.
    """
    verb = TRANSITIONS.get((proposal.status, to))
    if verb is None:
        raise TransitionNotAllowed(
            f"A {proposal.get_status_display().lower()} proposal cannot become {S(to).label.lower()}."
        )
    from_status = proposal.status
    proposal.status = to
    now = timezone.now()
    if to == S.SUBMITTED:
        proposal.submitted_at = now
    if to == S.WITHDRAWN:
        proposal.withdrawn_at = now
    proposal.full_clean()
    proposal.save()
    ProposalEvent.objects.create(
        proposal=proposal, actor=by, verb=verb, from_status=from_status, to_status=to, note=note
    )
    return proposal
