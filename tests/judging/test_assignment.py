"""Assignment properties: k judges per proposal, loads within one of each other, never a conflicted pair."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from judging.assignment import AssignmentImpossible, plan_assignments


def check(plan, proposals, judges, k, conflicts):
    for proposal in proposals:
        assert len(plan.assignments[proposal]) == k
        assert all((proposal, judge) not in conflicts for judge in plan.assignments[proposal])
    loads = [len([p for p in proposals if judge in plan.assignments[p]]) for judge in judges]
    assert loads == [plan.loads[judge] for judge in judges]
    assert max(loads) - min(loads) <= 1


def test_ten_proposals_five_judges_three_each():
    plan = plan_assignments(proposals=range(10), judges=range(100, 105), k=3)
    check(plan, range(10), range(100, 105), 3, set())
    assert sorted(plan.loads.values()) == [6, 6, 6, 6, 6]


def test_conflicts_are_never_assigned_and_loads_stay_balanced():
    conflicts = {(0, 100), (1, 100), (2, 101), (3, 102), (0, 103)}
    plan = plan_assignments(proposals=range(6), judges=range(100, 105), k=3, conflicts=conflicts)
    check(plan, range(6), range(100, 105), 3, conflicts)


def test_expertise_is_preferred_when_it_costs_nothing():
    expertise = {(0, 104): True, (1, 104): True}
    plan = plan_assignments(proposals=range(2), judges=range(100, 105), k=1, expertise=expertise)
    assert plan.assignments[0] == {104} or plan.assignments[1] == {104}


def test_existing_assignments_are_kept_and_counted():
    plan = plan_assignments(proposals=range(4), judges=[1, 2], k=1, existing={(0, 1), (1, 1)})
    assert plan.assignments[0] == {1} and plan.assignments[1] == {1}
    assert plan.assignments[2] == {2} and plan.assignments[3] == {2}
    assert plan.new_pairs({(0, 1), (1, 1)}) == [(2, 2), (3, 2)]


def test_too_few_unconflicted_judges_gives_a_clear_message():
    with pytest.raises(AssignmentImpossible) as error:
        plan_assignments(proposals=[7], judges=[1, 2, 3], k=3, conflicts={(7, 1)}, labels={7: "UC-2027-00007"})
    assert str(error.value) == (
        "Each proposal needs 3 judges, but UC-2027-00007 has only 2 without a conflict of interest. "
        "Add judges to the panel or lower the number of judges per proposal."
    )


def test_a_panel_smaller_than_k_is_refused():
    with pytest.raises(AssignmentImpossible, match="the panel has 2"):
        plan_assignments(proposals=[1], judges=[1, 2], k=3)


def test_conflicts_that_make_balance_impossible_are_reported():
    # Judge 3 is conflicted on every proposal but one, so cannot reach a fair share of 2.
    conflicts = {(p, 3) for p in range(1, 6)}
    with pytest.raises(AssignmentImpossible, match="loads cannot be balanced within one"):
        plan_assignments(proposals=range(6), judges=[1, 2, 3], k=1, conflicts=conflicts)


@settings(max_examples=200, deadline=None)
@given(
    n_proposals=st.integers(1, 25),
    n_judges=st.integers(1, 9),
    k=st.integers(1, 4),
    conflict_bits=st.lists(st.booleans(), min_size=225, max_size=225),
    density=st.sampled_from([0, 0.1, 0.25, 0.5]),
)
def test_any_panel_either_gets_a_valid_plan_or_a_clear_refusal(n_proposals, n_judges, k, conflict_bits, density):
    proposals, judges = list(range(n_proposals)), list(range(100, 100 + n_judges))
    cutoff = int(density * 10)
    conflicts = {
        (p, j)
        for p in proposals
        for index, j in enumerate(judges)
        if conflict_bits[(p * 9 + index) % 225] and (p + index) % 10 < cutoff
    }
    try:
        plan = plan_assignments(proposals=proposals, judges=judges, k=k, conflicts=conflicts)
    except AssignmentImpossible as error:
        assert str(error)
        return
    check(plan, proposals, judges, k, conflicts)


def test_a_feasible_balanced_plan_is_found_when_greedy_would_fail():
    # Greedy in id order would give judge 1 both 0 and 1; only moving work round gives everyone one.
    conflicts = {(2, 2), (2, 3)}
    plan = plan_assignments(proposals=range(3), judges=[1, 2, 3], k=1, conflicts=conflicts)
    assert plan.assignments[2] == {1}
    check(plan, range(3), [1, 2, 3], 1, conflicts)


@settings(max_examples=200, deadline=None)
@given(n_proposals=st.integers(1, 40), n_judges=st.integers(1, 12), k=st.integers(1, 5))
def test_without_conflicts_a_plan_always_exists_when_the_panel_is_big_enough(n_proposals, n_judges, k):
    proposals, judges = list(range(n_proposals)), list(range(n_judges))
    if k > n_judges:
        with pytest.raises(AssignmentImpossible):
            plan_assignments(proposals=proposals, judges=judges, k=k)
        return
    check(plan_assignments(proposals=proposals, judges=judges, k=k), proposals, judges, k, set())


@pytest.mark.django_db
class TestAutoAssign:
    @pytest.fixture
    def setup(self, sponsor_index, sponsor):
        from submissions.models import Proposal
        from tests.factories import ChallengePageFactory, UserFactory
        from tests.factories.submissions import make_organisation

        challenge = ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, judges_per_proposal=2)
        owner = UserFactory()
        organisations = [make_organisation(name=f"Supplier {n}", owner=owner) for n in range(4)]
        proposals = [
            Proposal.objects.create(
                challenge=challenge,
                stage=challenge.first_stage,
                organisation=organisation,
                created_by=owner,
                status="eligible",
                reference=f"UC-2027-{n:05d}",
            )
            for n, organisation in enumerate(organisations, start=1)
        ]
        judges = [UserFactory() for _ in range(4)]
        from judging.services.panel import panel_add

        for judge in judges:
            panel_add(challenge=challenge, judge=judge, by=judge)
        manager = UserFactory(is_superuser=True)
        return challenge, organisations, proposals, judges, manager

    def test_assigns_k_judges_each_balanced_and_records_events(self, setup):
        from audit.models import Event
        from judging.models import Assignment, Review
        from judging.services.assignments import assignments_auto

        challenge, _, _proposals, judges, owner = setup
        created = assignments_auto(challenge=challenge, by=owner)
        assert len(created) == 8
        assert Review.objects.count() == 8
        assert Event.objects.filter(verb="assigned").count() == 8
        loads = [Assignment.objects.filter(judge=judge).count() for judge in judges]
        assert loads == [2, 2, 2, 2]
        assert assignments_auto(challenge=challenge, by=owner) == []  # running again adds nothing

    def test_an_organisation_conflict_keeps_the_judge_off_all_its_proposals(self, setup):
        from judging.models import Assignment
        from judging.services.assignments import assignments_auto
        from judging.services.conflicts import conflict_declare

        challenge, organisations, proposals, judges, owner = setup
        conflict_declare(judge=judges[0], organisation=organisations[0], reason="I advise them", by=judges[0])
        assignments_auto(challenge=challenge, by=owner)
        assert not Assignment.objects.filter(judge=judges[0], proposal=proposals[0]).exists()

    def test_declaring_a_conflict_later_withdraws_the_assignment(self, setup):
        from judging.models import Assignment
        from judging.services.assignments import assignments_auto
        from judging.services.conflicts import conflict_declare

        challenge, _, proposals, _judges, owner = setup
        assignments_auto(challenge=challenge, by=owner)
        assignment = Assignment.objects.filter(proposal=proposals[1]).first()
        conflict_declare(judge=assignment.judge, proposal=proposals[1], reason="Former employer", by=assignment.judge)
        assert not Assignment.objects.filter(judge=assignment.judge, proposal=proposals[1]).exists()

    def test_impossible_panels_are_refused_with_the_reason(self, setup):
        from judging.services.assignments import AssignmentImpossible, assignments_auto
        from judging.services.conflicts import conflict_declare

        challenge, _, proposals, judges, owner = setup
        for judge in judges[:3]:
            conflict_declare(judge=judge, proposal=proposals[2], reason="Conflict", by=judge)
        with pytest.raises(AssignmentImpossible, match="UC-2027-00003 has only 1 without a conflict"):
            assignments_auto(challenge=challenge, by=owner)
