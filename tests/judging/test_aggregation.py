"""The ranking a challenge manager reads: every expected number here is worked out by hand in a comment."""

import math
import uuid

import pytest

from judging.models import Assignment, Review, ReviewStatus, Score
from judging.rubric import criteria_from_raw
from judging.selectors.ranking import challenge_ranking, judge_distributions
from submissions.models import Proposal, ProposalStatus
from tests.factories import ChallengePageFactory, UserFactory
from tests.factories.organisations import make_organisation


def criterion(criterion_id: str, *, weight: str = "1", scale_max: int = 5) -> dict:
    return {
        "type": "criterion",
        "id": criterion_id,
        "value": {
            "name": criterion_id.title(),
            "guidance": "",
            "weight": weight,
            "scale_max": scale_max,
            "levels": [],
            "comment_required": False,
        },
    }


IMPACT_AND_DELIVERY = [criterion("impact", weight="2"), criterion("delivery", weight="1")]
"""Total = 100 * (2 * impact / 5 + delivery / 5) / 3, so equal values v on both give 20 * v: (2, 2) is 40."""


@pytest.fixture
def make_challenge(sponsor_index, sponsor):
    def make(rubric=IMPACT_AND_DELIVERY, **kwargs):
        return ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, rubric=rubric, **kwargs)

    return make


@pytest.fixture
def challenge(make_challenge):
    return make_challenge(title="Prevent homelessness with data")


@pytest.fixture
def supplier(db):
    return UserFactory(email="ada@brumtech.example")


@pytest.fixture
def judges(db):
    return [UserFactory(email=f"judge{n}@panel.example") for n in range(3)]


@pytest.fixture
def make_proposal(supplier):
    def make(challenge, reference: str, *, status: str = ProposalStatus.IN_ASSESSMENT, title: str = ""):
        return Proposal.objects.create(
            challenge=challenge,
            stage=challenge.first_stage,
            organisation=make_organisation(name=f"Supplier {uuid.uuid4().hex[:8]}"),
            reference=reference if status != ProposalStatus.DRAFT else None,
            title=title or f"Proposal {reference}",
            status=status,
            created_by=supplier,
        )

    return make


def review(proposal, judge, *values: int, status: str = ReviewStatus.SUBMITTED) -> Review:
    """The judge's review of the proposal, one value per rubric criterion in rubric order. Written directly, with
    no stored total (as before totals were stored): the ranking works it out from the scores. Scored as a draft
    and then marked submitted, as a judge does, which is what refreshes the ranking's kept figures."""
    criteria = criteria_from_raw(proposal.stage.rubric.raw_data)
    assert len(values) == len(criteria)
    assignment = Assignment.objects.create(proposal=proposal, stage=proposal.stage, judge=judge)
    made = Review.objects.create(assignment=assignment)
    Score.objects.bulk_create(
        Score(review=made, criterion_id=c.id, weight=c.weight, scale_max=c.scale_max, value=value)
        for c, value in zip(criteria, values, strict=True)
    )
    if status != made.status:
        made.status = status
        made.save(update_fields=["status"])
    return made


def by_reference(ranking) -> dict:
    return {row.reference: row for row in ranking}


def test_normalising_per_judge_recovers_the_order_a_harsh_and_a_lenient_judge_agree_on(
    challenge, make_proposal, judges
):
    harsh, lenient, _ = judges
    a, b, c = (make_proposal(challenge, f"UC-2027-0000{n}") for n in (1, 2, 3))
    review(a, harsh, 2, 2)  # 40
    review(b, harsh, 1, 1)  # 20
    review(c, harsh, 0, 0)  # 0: harsh mean 20, sd sqrt((400 + 0 + 400) / 3) = sqrt(800 / 3)
    review(b, lenient, 5, 5)  # 100
    review(c, lenient, 3, 3)  # 60: lenient mean 80, sd 20

    ranking = challenge_ranking(challenge=challenge)

    rows = by_reference(ranking)
    # Raw means: A 40, B (20 + 100) / 2 = 60, C (0 + 60) / 2 = 30: B looks best only because the lenient
    # judge saw it and not A.
    assert [rows[ref].raw_mean for ref in ("UC-2027-00001", "UC-2027-00002", "UC-2027-00003")] == [40, 60, 30]
    assert sorted(ranking, key=lambda row: -row.raw_mean)[0].reference == "UC-2027-00002"
    # z: harsh gives A 20 / sqrt(800 / 3) = sqrt(1.5), B 0, C -sqrt(1.5); lenient gives B +1 and C -1.
    assert rows["UC-2027-00001"].normalised == pytest.approx(math.sqrt(1.5), abs=1e-6)
    assert rows["UC-2027-00002"].normalised == pytest.approx(0.5, abs=1e-6)
    assert rows["UC-2027-00003"].normalised == pytest.approx((-math.sqrt(1.5) - 1) / 2, abs=1e-6)
    assert [(row.reference, row.rank) for row in ranking] == [
        ("UC-2027-00001", 1),
        ("UC-2027-00002", 2),
        ("UC-2027-00003", 3),
    ]
    assert [row.review_count for row in ranking] == [1, 2, 2]
    assert judge_distributions(challenge=challenge) == {
        harsh.pk: pytest.approx([0, 20, 40]),
        lenient.pk: pytest.approx([60, 100]),
    }


def test_the_ranking_row_names_the_proposal_and_means_each_criterion(challenge, make_proposal, judges):
    proposal = make_proposal(challenge, "UC-2027-00001", title="Early warning for tenancy loss")
    review(proposal, judges[0], 4, 1)
    review(proposal, judges[1], 5, 2)

    (row,) = challenge_ranking(challenge=challenge)

    assert row.proposal_id == proposal.pk
    assert row.title == "Early warning for tenancy loss"
    assert row.organisation_name == proposal.organisation.name
    assert row.criterion_means == {"impact": 4.5, "delivery": 1.5}
    # Totals 100 * (8 / 5 + 1 / 5) / 3 = 60 and 100 * (10 / 5 + 2 / 5) / 3 = 80.
    assert (row.raw_mean, row.spread, row.flagged) == (70, 20, False)


def test_a_criterion_weighted_2_counts_double(challenge, make_proposal, judges):
    strong_impact = make_proposal(challenge, "UC-2027-00001")
    strong_delivery = make_proposal(challenge, "UC-2027-00002")
    review(strong_impact, judges[0], 5, 0)
    review(strong_delivery, judges[1], 0, 5)

    rows = by_reference(challenge_ranking(challenge=challenge))

    # 100 * (2 * 5 / 5) / 3 = 66.67 against 100 * (5 / 5) / 3 = 33.33; unweighted, both would be 50.
    assert rows["UC-2027-00001"].raw_mean == pytest.approx(200 / 3, abs=1e-6)
    assert rows["UC-2027-00002"].raw_mean == pytest.approx(100 / 3, abs=1e-6)
    assert rows["UC-2027-00001"].rank < rows["UC-2027-00002"].rank


def test_only_submitted_reviews_of_proposals_that_reached_assessment_count(challenge, make_proposal, judges):
    proposal = make_proposal(challenge, "UC-2027-00001")
    review(proposal, judges[0], 4, 4)  # 80
    review(proposal, judges[1], 0, 0, status=ReviewStatus.DRAFT)
    withdrawn = make_proposal(challenge, "UC-2027-00002", status=ProposalStatus.WITHDRAWN)
    review(withdrawn, judges[1], 1, 1)
    ineligible = make_proposal(challenge, "UC-2027-00003", status=ProposalStatus.INELIGIBLE)
    review(ineligible, judges[1], 1, 1)
    make_proposal(challenge, "UC-2027-00004", status=ProposalStatus.SUBMITTED)
    make_proposal(challenge, "", status=ProposalStatus.DRAFT)

    ranking = challenge_ranking(challenge=challenge)

    assert [(row.reference, row.review_count, row.raw_mean) for row in ranking] == [("UC-2027-00001", 1, 80)]
    assert ranking[0].criterion_means == {"impact": 4, "delivery": 4}
    assert judge_distributions(challenge=challenge) == {judges[0].pk: [80]}


def test_a_judge_with_one_review_gives_it_z_0(challenge, make_proposal, judges):
    regular, newcomer, _ = judges
    a, b = make_proposal(challenge, "UC-2027-00001"), make_proposal(challenge, "UC-2027-00002")
    review(a, regular, 4, 4)  # 80: regular mean 60, sd 20, z +1
    review(b, regular, 2, 2)  # 40: z -1
    review(b, newcomer, 1, 1)  # 20, the newcomer's only review: sd 0, z 0

    rows = by_reference(challenge_ranking(challenge=challenge))

    assert rows["UC-2027-00001"].normalised == pytest.approx(1)
    assert rows["UC-2027-00002"].normalised == pytest.approx(-0.5)  # (-1 + 0) / 2


def test_a_judge_who_gives_everything_the_same_total_gives_z_0(challenge, make_proposal, judges):
    a, b = make_proposal(challenge, "UC-2027-00001"), make_proposal(challenge, "UC-2027-00002")
    review(a, judges[0], 3, 0)  # 100 * (6 / 5) / 3 = 40
    review(b, judges[0], 2, 2)  # 100 * (4 / 5 + 2 / 5) / 3 = 40: same total, so sd 0

    ranking = challenge_ranking(challenge=challenge)

    assert [(row.reference, row.normalised, row.raw_mean, row.rank) for row in ranking] == [
        ("UC-2027-00001", 0, 40, 1),
        ("UC-2027-00002", 0, 40, 2),
    ]


FOUR_TENTHS = [criterion(name, scale_max=10) for name in ("need", "impact", "delivery", "value")]
"""Total = 2.5 * the sum of the four values; tenths are inexact in binary, which the boundary must survive."""


def test_a_spread_of_exactly_25_points_is_not_flagged_and_more_is(make_challenge, make_proposal, judges, settings):
    challenge = make_challenge(rubric=FOUR_TENTHS)
    at_limit = make_proposal(challenge, "UC-2027-00001")
    over_limit = make_proposal(challenge, "UC-2027-00002")
    review(at_limit, judges[0], 7, 7, 7, 6)  # 67.5
    review(at_limit, judges[1], 4, 4, 4, 5)  # 42.5: spread 25
    review(over_limit, judges[0], 7, 7, 7, 7)  # 70
    review(over_limit, judges[1], 4, 4, 4, 5)  # 42.5: spread 27.5
    settings.JUDGING_SPREAD_THRESHOLD = 25

    rows = by_reference(challenge_ranking(challenge=challenge))

    assert (rows["UC-2027-00001"].spread, rows["UC-2027-00001"].flagged) == (25, False)
    assert (rows["UC-2027-00002"].spread, rows["UC-2027-00002"].flagged) == (27.5, True)
    assert not by_reference(challenge_ranking(challenge=challenge, threshold=30))["UC-2027-00002"].flagged
    settings.JUDGING_SPREAD_THRESHOLD = 20
    assert by_reference(challenge_ranking(challenge=challenge))["UC-2027-00001"].flagged


def test_proposals_without_a_submitted_review_come_last_and_unranked(challenge, make_proposal, judges):
    unreviewed = make_proposal(challenge, "UC-2027-00001")
    drafted = make_proposal(challenge, "UC-2027-00002")
    reviewed = make_proposal(challenge, "UC-2027-00003")
    review(drafted, judges[0], 5, 5, status=ReviewStatus.DRAFT)
    review(reviewed, judges[0], 1, 1)

    ranking = challenge_ranking(challenge=challenge)

    assert [(row.reference, row.rank) for row in ranking] == [
        ("UC-2027-00003", 1),
        ("UC-2027-00001", None),
        ("UC-2027-00002", None),
    ]
    assert ranking[1].proposal_id == unreviewed.pk
    assert (ranking[1].review_count, ranking[1].raw_mean, ranking[1].normalised) == (0, None, None)
    assert (ranking[1].spread, ranking[1].flagged, ranking[1].criterion_means) == (None, False, {})


def test_ties_go_to_the_higher_raw_mean_then_the_reference(challenge, make_proposal, judges):
    first, second, third = judges
    lower_raw = make_proposal(challenge, "UC-2027-00001")
    higher_raw = make_proposal(challenge, "UC-2027-00002")
    later_reference = make_proposal(challenge, "UC-2027-00003")
    earlier_reference = make_proposal(challenge, "UC-2027-00004")
    review(lower_raw, first, 1, 1)  # 20, first's only review: z 0
    review(higher_raw, second, 3, 3)  # 60, second's only review: z 0
    review(later_reference, third, 2, 2)  # 40, third's only review: z 0
    review(earlier_reference, first, 2, 2)  # 40: first now has 20 and 40, z -1 and +1

    ranking = challenge_ranking(challenge=challenge)

    assert [(row.reference, row.normalised, row.raw_mean) for row in ranking] == [
        ("UC-2027-00004", 1, 40),
        ("UC-2027-00002", 0, 60),
        ("UC-2027-00003", 0, 40),
        ("UC-2027-00001", -1, 20),
    ]


def test_other_challenges_do_not_count(challenge, make_challenge, make_proposal, judges):
    other = make_challenge(title="Youth employment")
    here = make_proposal(challenge, "UC-2027-00001")
    elsewhere = make_proposal(other, "UC-2027-00002")
    review(here, judges[0], 2, 2)  # 40, this judge's only review here: z 0
    review(elsewhere, judges[0], 5, 5)

    (row,) = challenge_ranking(challenge=challenge)

    assert (row.reference, row.raw_mean, row.normalised) == ("UC-2027-00001", 40, 0)
    assert judge_distributions(challenge=challenge) == {judges[0].pk: [40]}


def test_a_criterion_weighted_0_is_averaged_but_moves_no_total(make_challenge, make_proposal, judges):
    challenge = make_challenge(rubric=[criterion("impact", weight="1"), criterion("notes", weight="0")])
    proposal = make_proposal(challenge, "UC-2027-00001")
    review(proposal, judges[0], 3, 5)  # 100 * (3 / 5) / 1 = 60
    review(proposal, judges[1], 4, 0)  # 80

    (row,) = challenge_ranking(challenge=challenge)

    assert (row.raw_mean, row.criterion_means) == (70, {"impact": 3.5, "notes": 2.5})


def test_a_review_whose_weights_are_all_0_has_no_total(make_challenge, make_proposal, judges):
    challenge = make_challenge(rubric=[criterion("notes", weight="0")])
    proposal = make_proposal(challenge, "UC-2027-00001")
    review(proposal, judges[0], 4)

    (row,) = challenge_ranking(challenge=challenge)

    assert (row.rank, row.review_count, row.raw_mean, row.criterion_means) == (None, 0, None, {"notes": 4})
    assert judge_distributions(challenge=challenge) == {}


def test_scores_on_a_criterion_since_removed_from_the_rubric_still_count(
    challenge, make_proposal, judges, django_assert_num_queries
):
    proposal = make_proposal(challenge, "UC-2027-00001")
    review(proposal, judges[0], 4, 4)  # 80
    Score.objects.create(review=Review.objects.get(), criterion_id="retired", weight=1, scale_max=5, value=1)
    # 100 * (2 * 4 / 5 + 4 / 5 + 1 / 5) / 4 = 65: the weights and scales copied on to the scores still apply.

    stage = challenge.first_stage
    with django_assert_num_queries(1):  # the kept figures hold every criterion's mean, on the rubric or not
        (row,) = challenge_ranking(challenge=challenge, stage=stage)

    assert row.raw_mean == 65
    assert row.criterion_means == {"impact": 4, "delivery": 4, "retired": 1}


@pytest.mark.parametrize("proposals", [2, 12])
def test_the_ranking_takes_one_query_however_many_proposals(
    challenge, make_proposal, judges, proposals, django_assert_num_queries
):
    for n in range(proposals):
        proposal = make_proposal(challenge, f"UC-2027-{n:05}")
        for judge in judges:
            review(proposal, judge, n % 6, (n + judge.pk) % 6)

    stage = challenge.first_stage  # the page has it already; the ranking itself reads its kept figures once
    with django_assert_num_queries(1):
        ranking = challenge_ranking(challenge=challenge, stage=stage)
    with django_assert_num_queries(1):
        distributions = judge_distributions(challenge=challenge, stage=stage)

    assert [row.rank for row in ranking] == list(range(1, proposals + 1))
    assert sum(len(totals) for totals in distributions.values()) == proposals * len(judges)


def test_a_page_of_the_ranking_reads_the_order_once_and_the_means_of_its_own_rows(
    challenge, make_proposal, judges, django_assert_num_queries
):
    from judging.selectors.ranking import ranking_order, with_criterion_means

    for n in range(5):
        proposal = make_proposal(challenge, f"UC-2027-{n:05}")
        for judge in judges:
            review(proposal, judge, n % 6, (n + judge.pk) % 6)
    everything = challenge_ranking(challenge=challenge)

    stage = challenge.first_stage
    with django_assert_num_queries(1):
        order = ranking_order(challenge=challenge, stage=stage)
    with django_assert_num_queries(1):
        page = with_criterion_means(challenge=challenge, stage=stage, rows=order[2:4])

    assert [row._replace(criterion_means={}) for row in everything] == order
    assert all(row.criterion_means == {} for row in order)
    assert page == everything[2:4]
    assert all(row.criterion_means for row in page)
    with django_assert_num_queries(0):
        assert with_criterion_means(challenge=challenge, rows=[]) == []


def test_totals_stored_at_submission_and_totals_worked_out_from_scores_rank_alike(challenge, make_proposal, judges):
    from judging.services.reviews import weighted_total

    for n in range(4):
        proposal = make_proposal(challenge, f"UC-2027-{n:05}")
        for judge in judges:
            review(proposal, judge, (n * judge.pk) % 6, (n + judge.pk) % 6)
    from_scores = challenge_ranking(challenge=challenge)
    distributions = judge_distributions(challenge=challenge)
    criteria = {c.id: c for c in criteria_from_raw(challenge.first_stage.rubric.raw_data)}
    for made in Review.objects.order_by("pk")[::2]:
        made.total = weighted_total([(criteria[s.criterion_id], s.value) for s in made.scores.all()])
        made.save(update_fields=["total"])

    assert Review.objects.filter(total__isnull=False).count() == 6
    assert challenge_ranking(challenge=challenge) == from_scores
    assert judge_distributions(challenge=challenge) == distributions
