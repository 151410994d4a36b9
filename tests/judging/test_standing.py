"""The ranking's kept figures (judging.services.standing) give exactly the ranking worked out afresh from every
review and score, and are refreshed by whatever changes it: a review submitted, reopened or deleted, a proposal
entering or leaving the ranking."""

import random
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging.chart import MAX_DOTS, calibration_summaries, computed_summaries
from judging.models import JudgeStanding, ProposalStanding, Review, ReviewStatus
from judging.selectors.ranking import challenge_ranking, computed_ranking, ranking_order
from judging.selectors.ranking_page import RankingWindow
from judging.selectors.results import RankingFilters
from judging.services.reviews import Mark, review_reopen, review_submit
from judging.services.standing import standing_rebuild_all
from submissions.models import Progression, Proposal
from submissions.models import ProposalStatus as S
from tests.factories.judging import assign, closed_challenge, criterion, make_judge, score, seat
from tests.factories.submissions import make_proposal

RUBRIC = [
    criterion("impact", "Impact", weight="2"),
    criterion("delivery", "Delivery", comment_required=False),
    criterion("value", "Value", weight="0.5", scale_max=10, comment_required=False),
]
FILTERS = [
    RankingFilters(),
    RankingFilters(status=S.MODERATION),
    RankingFilters(min_reviews=3),
    RankingFilters(flagged=True),
    RankingFilters(status=S.IN_ASSESSMENT, min_reviews=2, flagged=True),
]


def assert_kept_equals_computed(challenge, stage=None) -> None:
    """The kept ranking, every page of the database-ordered one under every filter, and the calibration, all
    equal to the ranking and calibration worked out from scratch."""
    stage = stage or challenge.first_stage
    expected = computed_ranking(challenge=challenge, stage=stage)
    assert challenge_ranking(challenge=challenge, stage=stage) == expected
    assert ranking_order(challenge=challenge, stage=stage) == [row._replace(criterion_means={}) for row in expected]
    for filters in FILTERS:
        kept = filters.apply(expected)
        window = RankingWindow(stage, filters)
        assert window.total == len(expected)
        assert window.count() == len(kept)
        for start in range(0, len(kept) + 1, 4):
            assert window[start : start + 4] == kept[start : start + 4], (filters, start)
    assert calibration_summaries(challenge=challenge, stage=stage) == [
        replace(summary, totals=summary.totals if summary.count <= MAX_DOTS else (), size=summary.count)
        for summary in computed_summaries(challenge=challenge, stage=stage)
    ]


@pytest.fixture
def panel_challenge(scene, sponsor_index, sponsor):
    """A challenge of the scene's sponsor (so the scene's manager manages it) with a three-criterion rubric."""
    return closed_challenge(sponsor_index, sponsor, title="Cut traffic fumes near schools", rubric=RUBRIC)


def random_panel(challenge, rng: random.Random, *, proposals: int = 24, judges: int = 6) -> dict:
    """Proposals in assessment and moderation (and one eligible, whose reviews do not count yet), each reviewed
    by up to four of the panel with random marks; some reviews left as drafts; a judge with a single review and a
    judge who gives everything the same total; ties on the normalised score from identical reviews."""
    panel = [make_judge() for _ in range(judges)]
    single, flat = make_judge(), make_judge()
    seat(challenge, *panel, single, flat)
    made = []
    for number in range(proposals):
        status = rng.choice([S.IN_ASSESSMENT, S.IN_ASSESSMENT, S.MODERATION])
        proposal = make_proposal(challenge, status=status)
        made.append(proposal)
        for judge in rng.sample(panel, rng.randint(0, min(4, judges))):
            review = assign(proposal, judge)
            marks = (rng.randint(0, 5), rng.randint(0, 5), rng.randint(0, 10))
            score(review, *marks, submit=rng.random() < 0.85)
        if number % 5 == 0:
            score(assign(proposal, flat), 3, 3, 6)
    score(assign(made[0], single), 5, 1, 2)
    # Two proposals reviewed identically by the same judges tie on every figure but the submission and reference.
    twins = [make_proposal(challenge, status=S.MODERATION) for _ in range(2)]
    for twin in twins:
        for judge in panel[:2]:
            score(assign(twin, judge), 4, 2, 7)
    eligible = make_proposal(challenge, status=S.ELIGIBLE)
    score(assign(eligible, panel[0]), 5, 5, 10)
    return {"panel": panel, "single": single, "flat": flat, "proposals": made, "eligible": eligible}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_kept_ranking_is_the_ranking_worked_out_afresh_through_every_change(panel_challenge, scene, seed):
    rng = random.Random(seed)
    made = random_panel(panel_challenge, rng)
    assert_kept_equals_computed(panel_challenge)
    ranking = challenge_ranking(challenge=panel_challenge)
    assert any(row.tie_break for row in ranking)
    assert JudgeStanding.objects.get(judge=made["single"]).count == 1

    # A manager reopens two submitted reviews.
    submitted = list(
        Review.objects.filter(
            assignment__proposal__challenge=panel_challenge, status=ReviewStatus.SUBMITTED
        ).select_related("assignment__proposal")
    )
    open_to_change = [r for r in submitted if r.assignment.proposal.status in (S.IN_ASSESSMENT, S.MODERATION)]
    for review in rng.sample(open_to_change, 2):
        review_reopen(review=review, by=scene.manager, reason="Please look again at the costs.")
    assert_kept_equals_computed(panel_challenge)

    # The eligible proposal goes to assessment: its review now counts. One proposal is withdrawn.
    eligible = made["eligible"]
    eligible.status = S.IN_ASSESSMENT
    eligible.save()
    withdrawn = made["proposals"][1]
    withdrawn.status = S.WITHDRAWN
    withdrawn.save()
    assert_kept_equals_computed(panel_challenge)

    # A submitted review is deleted with its assignment; the single review's judge loses theirs.
    Review.objects.get(assignment__judge=made["single"]).assignment.delete()
    assert not JudgeStanding.objects.filter(judge=made["single"]).exists()
    assert_kept_equals_computed(panel_challenge)

    # Rebuilding from scratch (what the migration does) gives the same figures again.
    ProposalStanding.objects.all().delete()
    JudgeStanding.objects.all().delete()
    standing_rebuild_all()
    assert_kept_equals_computed(panel_challenge)


def test_a_proposal_not_taken_forward_from_eligible_joins_its_stage_ranking(panel_challenge, scene):
    rng = random.Random(7)
    made = random_panel(panel_challenge, rng, proposals=6, judges=3)
    eligible = made["eligible"]
    assert eligible.pk not in {row.proposal_id for row in ranking_order(challenge=panel_challenge)}
    eligible.status = S.NOT_TAKEN_FORWARD
    eligible.save()
    Progression.objects.create(
        proposal=eligible,
        stage=panel_challenge.first_stage,
        outcome=Progression.Outcome.NOT_TAKEN_FORWARD,
        decided_by=scene.manager,
        decided_at=eligible.created_at,
    )
    assert eligible.pk in {row.proposal_id for row in ranking_order(challenge=panel_challenge)}
    assert_kept_equals_computed(panel_challenge)


def results_order(client, challenge) -> list[str]:
    from bs4 import BeautifulSoup

    response = client.get(reverse("judging_admin:results", args=[challenge.pk]))
    assert response.status_code == 200
    table = BeautifulSoup(response.content, "html.parser").find(id="ranking")
    return [" ".join(row.find_all(["td", "th"])[1].get_text().split()) for row in table.find("tbody").find_all("tr")]


def test_submitting_and_reopening_a_review_changes_the_results_page_at_once(scene, manager_client):
    """Two proposals, the first ahead on one judge's review; the second judge's submission puts the second ahead,
    and reopening it puts the first back."""
    challenge = scene.challenge
    first, second = scene.proposal, scene.other_proposal
    for proposal in (first, second):
        proposal.status = S.IN_ASSESSMENT
        proposal.save()
    judge, other = scene.judges
    score(scene.review, 4, 4)  # first: 80 from judges[0]
    score(assign(second, judge), 2, 2)  # second: 40 from judges[0]
    score(assign(first, other), 1, 1)  # first: 20 from judges[1], their only review so far (z 0)
    assert results_order(manager_client, challenge) == [first.reference, second.reference]

    draft = Review.objects.get(assignment__proposal=second, assignment__judge=other)
    review_submit(assignment=draft.assignment, marks={"impact": Mark(5, "Strong."), "delivery": Mark(5)}, by=other)
    # judges[0]: 80 and 40 give z +1 and -1; judges[1]: 20 and 100 give z -1 and +1, the other way round:
    # both proposals average 0, and the tie goes to the higher raw mean: second (70) before first (50).
    assert results_order(manager_client, challenge) == [second.reference, first.reference]

    review_reopen(review=Review.objects.get(assignment=draft.assignment), by=scene.manager, reason="Check it.")
    assert results_order(manager_client, challenge) == [first.reference, second.reference]


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        assert response.status_code == 200
        b"".join(response) if response.streaming else response.content
    return len(queries)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_an_export_takes_the_same_queries_at_two_sizes(panel_challenge, manager_client, export_format):
    path = reverse("judging_admin:results_export", args=[panel_challenge.pk, export_format])
    random_panel(panel_challenge, random.Random(3), proposals=3, judges=3)
    small = _queries(manager_client, path)
    random_panel(panel_challenge, random.Random(4), proposals=30, judges=5)
    assert Proposal.objects.filter(challenge=panel_challenge).count() > 30
    assert _queries(manager_client, path) == small
    filtered = f"{path}?flagged=1&min_reviews=2"
    assert _queries(manager_client, filtered) == small


def test_deleting_a_reviewed_proposal_or_a_judge_leaves_the_ranking_of_the_rest(panel_challenge):
    made = random_panel(panel_challenge, random.Random(11), proposals=8, judges=3)
    reviewed = next(p for p in made["proposals"] if Review.objects.filter(assignment__proposal=p).exists())
    reviewed.delete()
    made["panel"][0].delete()
    assert_kept_equals_computed(panel_challenge)
