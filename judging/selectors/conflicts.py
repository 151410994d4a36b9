"""Which judge may not be given which proposal: declared conflicts, and membership of the proposing organisation."""

from accounts.selectors import members_since
from submissions.models import Proposal

from ..models import Conflict
from ..permissions import belonged_while_prepared


def conflicted_pairs(*, proposals: list[Proposal], judge_ids: list[int]) -> set[tuple[int, int]]:
    """Every (proposal id, judge id) that may not be assigned: declared conflicts and membership of the supplier."""
    organisation_of = {proposal.pk: proposal.organisation_id for proposal in proposals}
    memberships = members_since(user_ids=judge_ids, organisation_ids=set(organisation_of.values()))
    pairs = {
        (proposal.pk, judge_id)
        for proposal in proposals
        for (organisation_id, judge_id), left_at in memberships.items()
        if organisation_id == proposal.organisation_id and belonged_while_prepared(left_at, proposal)
    }
    for conflict in Conflict.objects.filter(judge_id__in=judge_ids):
        if conflict.proposal_id:
            pairs.add((conflict.proposal_id, conflict.judge_id))
        else:
            pairs.update(
                (proposal_id, conflict.judge_id)
                for proposal_id, organisation_id in organisation_of.items()
                if organisation_id == conflict.organisation_id
            )
    return pairs
