"""Balanced assignment of judges to proposals, as a pure function over ids.

Every proposal gets ``k`` different judges, no judge reviews a proposal they
are conflicted on, and judges' loads differ by at most one. This is a
b-matching: the plan fills every judge up to the lower fair load first, then
up to the higher one, each time growing assignments along augmenting paths
(give proposal P judge J; if J is full, move one of J's other proposals to a
judge with room, and so on). Loads only ever grow, so once every judge has
reached the lower fair load they stay there, which is what makes the ±1
balance provable rather than hoped for. Judges whose declared expertise
matches a proposal's themes are tried first.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field


class AssignmentImpossible(Exception):
    """The panel cannot cover the proposals under these rules; the message says why and what to change."""


@dataclass
class Plan:
    assignments: dict[int, set[int]] = field(default_factory=dict)
    loads: dict[int, int] = field(default_factory=dict)
    by_judge: dict[int, set[int]] = field(default_factory=dict)
    fixed: set[tuple[int, int]] = field(default_factory=set)

    def add(self, proposal: int, judge: int) -> None:
        self.assignments[proposal].add(judge)
        self.by_judge[judge].add(proposal)
        self.loads[judge] += 1

    def remove(self, proposal: int, judge: int) -> None:
        self.assignments[proposal].discard(judge)
        self.by_judge[judge].discard(proposal)
        self.loads[judge] -= 1

    def new_pairs(self, existing: set[tuple[int, int]]) -> list[tuple[int, int]]:
        return sorted(
            (proposal, judge)
            for proposal, judges in self.assignments.items()
            for judge in judges
            if (proposal, judge) not in existing
        )


def plan_assignments(
    *,
    proposals: Iterable[int],
    judges: Iterable[int],
    k: int,
    conflicts: set[tuple[int, int]] = frozenset(),
    existing: set[tuple[int, int]] = frozenset(),
    expertise: dict[tuple[int, int], bool] | None = None,
    labels: dict[int, str] | None = None,
) -> Plan:
    """Assign ``k`` judges to every proposal. Pairs in ``conflicts`` and ``existing`` are (proposal, judge)."""
    proposals, judges = sorted(set(proposals)), sorted(set(judges))
    expertise = expertise or {}
    labels = labels or {}
    if k < 1:
        raise AssignmentImpossible("Each proposal needs at least one judge.")
    if not proposals:
        return Plan()
    if len(judges) < k:
        raise AssignmentImpossible(
            f"Each proposal needs {k} judges, but the panel has {len(judges)}. Add judges to the panel or lower "
            "the number of judges per proposal."
        )

    eligible = {
        proposal: sorted(
            (judge for judge in judges if (proposal, judge) not in conflicts),
            key=lambda judge, proposal=proposal: (not expertise.get((proposal, judge), False), judge),
        )
        for proposal in proposals
    }
    for proposal, options in eligible.items():
        if len(options) < k:
            name = labels.get(proposal, f"proposal {proposal}")
            raise AssignmentImpossible(
                f"Each proposal needs {k} judges, but {name} has only {len(options)} without a conflict of "
                "interest. Add judges to the panel or lower the number of judges per proposal."
            )

    plan = Plan(
        assignments={proposal: set() for proposal in proposals},
        loads=dict.fromkeys(judges, 0),
        by_judge={judge: set() for judge in judges},
        fixed=set(existing),
    )
    for proposal, judge in existing:
        if proposal in plan.assignments and judge in plan.loads:
            plan.add(proposal, judge)

    total = sum(max(k, len(plan.assignments[p])) for p in proposals)
    low, remainder = divmod(total, len(judges))
    high = low + (1 if remainder else 0)

    for cap in (low, high):
        for proposal in sorted(proposals, key=lambda p: len(eligible[p])):
            while len(plan.assignments[proposal]) < k and _augment(plan, eligible, proposal, cap):
                pass
        if cap == low and any(load < low for load in plan.loads.values()):
            short = [judge for judge, load in plan.loads.items() if load < low]
            raise AssignmentImpossible(
                f"The declared conflicts leave {len(short)} judge(s) unable to take a fair share of proposals, so "
                "loads cannot be balanced within one. Add judges, or assign some proposals by hand."
            )
    uncovered = [p for p in proposals if len(plan.assignments[p]) < k]
    if uncovered:
        names = ", ".join(labels.get(p, f"proposal {p}") for p in uncovered[:3])
        raise AssignmentImpossible(
            f"The panel cannot give {names}{' and others' if len(uncovered) > 3 else ''} {k} judges each without "
            "a conflict of interest or an unbalanced load. Add judges to the panel or lower the number per proposal."
        )
    return plan


def _augment(plan: Plan, eligible: dict[int, list[int]], proposal: int, cap: int) -> bool:
    """Give ``proposal`` one more judge, moving other proposals between judges if that makes room."""
    seen: set[int] = set()
    for judge in eligible[proposal]:
        if judge in plan.assignments[proposal] or judge in seen:
            continue
        seen.add(judge)
        if _make_room(plan, eligible, judge, cap, seen):
            plan.add(proposal, judge)
            return True
    return False


def _make_room(plan: Plan, eligible: dict[int, list[int]], judge: int, cap: int, seen: set[int]) -> bool:
    """Leave ``judge`` below ``cap``, if need be by handing one of their proposals to a judge with room."""
    if plan.loads[judge] < cap:
        return True
    for other in sorted(plan.by_judge[judge]):
        if (other, judge) in plan.fixed:
            continue
        for substitute in eligible[other]:
            if substitute in plan.assignments[other] or substitute in seen:
                continue
            seen.add(substitute)
            if _make_room(plan, eligible, substitute, cap, seen):
                plan.remove(other, judge)
                plan.add(other, substitute)
                return True
    return False
