"""What the decisions and announcement pages read: what still stops the announcement, and who it will email."""

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Membership
from challenges.models import ChallengePage
from core.formatting import format_moment
from submissions.models import Proposal
from submissions.workflow import AWARDS, OUTCOMES, UNDECIDED


def announcement_blockers(challenge: ChallengePage) -> list[str]:
    """What stops the winners being announced now, in words a manager can act on; empty when ready."""
    blockers = []
    if challenge.announced_at:
        return ["The winners have already been announced."]
    if challenge.closes_at > timezone.now():
        blockers.append(f"The challenge is still open until {format_moment(challenge.closes_at)}.")
    counts = Proposal.objects.filter(challenge=challenge).aggregate(
        undecided=Count("pk", filter=Q(status__in=UNDECIDED)),
        awarded_without_decision=Count("pk", filter=Q(status__in=AWARDS, decision__isnull=True)),
    )
    if counts["undecided"]:
        blockers.append(f"{counts['undecided']} proposal(s) still need a screening or a decision.")
    if counts["awarded_without_decision"]:
        blockers.append(f"{counts['awarded_without_decision']} award(s) have no recorded decision and rationale.")
    return blockers


def outcome_memberships(challenge: ChallengePage):
    """Who the announcement emails: every member of every organisation whose proposal has an outcome."""
    return Membership.objects.filter(
        organisation__proposals__challenge=challenge, organisation__proposals__status__in=OUTCOMES
    )
