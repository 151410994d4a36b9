"""What the decisions and announcement pages read: what still stops the announcement, and who it will email."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership
from challenges.models import ChallengePage
from core.formatting import format_moment
from submissions.models import Proposal, ProposalStatus
from submissions.workflow import AWARDS, OUTCOMES, UNDECIDED

from ..labels import TAB_LABELS
from ..models import Decision
from .ranking import ranking_order

S = ProposalStatus
NAMED = 10
"""A blocker names this many proposals, then says how many more."""


@dataclass(frozen=True)
class Blocked:
    """A proposal that stops the announcement, as a blocker names it."""

    pk: int
    reference: str
    title: str


@dataclass(frozen=True)
class Blocker:
    """One thing that stops the announcement and the one next step that clears it: ``action`` on the admin tab
    ``tab`` (a url name of ``labels.TABS``, filtered by ``query``), for the proposals named."""

    action: str
    tab: str = ""
    query: str = ""
    proposals: tuple[Blocked, ...] = ()

    @property
    def tab_label(self) -> str:
        return TAB_LABELS.get(self.tab, "")

    @property
    def named(self) -> tuple[Blocked, ...]:
        return self.proposals[:NAMED]

    @property
    def more(self) -> int:
        return max(len(self.proposals) - NAMED, 0)

    def __str__(self) -> str:
        """The blocker in one line, for the log: 'Decide these 2 proposals on the Decisions tab: UC-… Title, …'."""
        where = f" on the {self.tab_label} tab" if self.tab else ""
        names = ", ".join(f"{proposal.reference} {proposal.title}" for proposal in self.named)
        more = f" and {self.more} more" if self.more else ""
        return f"{self.action}{where}: {names}{more}." if self.proposals else f"{self.action}{where}."


def _these(count: int, noun: str = "proposal") -> str:
    return f"this {noun}" if count == 1 else f"these {count} {noun}s"


# What to do next about a proposal that stops the announcement, in the order a manager works: the tab to do it on,
# the filter that lists them there, and the action for a count of them.
STEPS = {
    "screen": ("proposals", f"?status={S.SUBMITTED}", lambda n: f"Screen {_these(n)}"),
    "assign": ("coverage", "", lambda n: f"Assign judges to {_these(n)}"),
    "moderate": ("proposals", f"?status={S.IN_ASSESSMENT}", lambda n: f"Send {_these(n)} to moderation"),
    "decide": ("decisions", "", lambda n: f"Decide {_these(n)}"),
    "award": ("decisions", "", lambda n: f"Record the decision and public rationale for {_these(n, 'award')}"),
}


def _step(status: str) -> str:
    """The next step for a proposal in ``status`` that stops the announcement: a key of ``STEPS``."""
    if status == S.SUBMITTED:
        return "screen"
    if status == S.ELIGIBLE:
        return "assign"
    if status == S.IN_ASSESSMENT:
        return "moderate"
    return "decide" if status in UNDECIDED else "award"


def announcement_blockers(challenge: ChallengePage) -> list[Blocker]:
    """What stops the winners being announced now, each with the one next step and the proposals it concerns
    (reference and title); empty when ready. One query."""
    if challenge.announced_at:
        return [Blocker("The winners have already been announced")]
    blockers = []
    if challenge.closes_at > timezone.now():
        blockers.append(Blocker(f"Wait until the challenge closes at {format_moment(challenge.closes_at)}"))
    rows = (
        Proposal.objects.filter(challenge=challenge)
        .filter(Q(status__in=UNDECIDED) | Q(status__in=AWARDS, decision__isnull=True))
        .order_by("reference", "pk")
        .values_list("pk", "reference", "title", "status")
    )
    waiting: dict[str, list[Blocked]] = {step: [] for step in STEPS}
    for pk, reference, title, status in rows:
        waiting[_step(status)].append(Blocked(pk, reference or "", title))
    for step, (tab, query, action) in STEPS.items():
        if waiting[step]:
            blockers.append(Blocker(action(len(waiting[step])), tab, query, tuple(waiting[step])))
    return blockers


def outcome_memberships(challenge: ChallengePage):
    """Who the announcement emails: every member of every organisation whose proposal has an outcome."""
    return Membership.objects.filter(
        organisation__proposals__challenge=challenge, organisation__proposals__status__in=OUTCOMES
    )


def ranking_departure(proposal: Proposal, outcome: str) -> str:
    """The sentence saying how a decision departs from the panel's ranking in the proposal's stage, or "" when it
    follows it: an award to a proposal ranked below one not selected, or not selecting one ranked above an award."""
    ranks = {row.proposal_id: row.rank for row in ranking_order(challenge=proposal.challenge, stage=proposal.stage)}
    mine = ranks.get(proposal.pk)
    if mine is None:
        return ""
    decided = dict(
        Decision.objects.filter(proposal_id__in=list(ranks))
        .exclude(proposal_id=proposal.pk)
        .values_list("proposal_id", "outcome")
    )
    if outcome in AWARDS:
        passed_over = [pk for pk, rank in ranks.items() if rank and rank < mine and decided.get(pk) == S.NOT_SELECTED]
        if passed_over:
            return f"{proposal.reference} is ranked {mine}, below {_references(passed_over)}, not selected."
    elif outcome == S.NOT_SELECTED:
        below = [pk for pk, rank in ranks.items() if rank and rank > mine and decided.get(pk) in AWARDS]
        if below:
            return f"{proposal.reference} is ranked {mine}, above {_references(below)}, given an award."
    return ""


def _references(proposal_ids: list[int]) -> str:
    return ", ".join(sorted(Proposal.objects.filter(pk__in=proposal_ids).values_list("reference", flat=True)))
