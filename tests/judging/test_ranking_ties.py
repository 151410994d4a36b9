"""Ties in the ranking: proposals with the same normalised score are placed by one stated rule (``TIE_RULE``),
which the results page shows, and each tied row says which step of it placed the proposal."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from judging.selectors.ranking import TIE_RULE, ranking_order
from submissions.models import Proposal
from submissions.models import ProposalStatus as S
from tests.factories.judging import assign, make_judge, score, seat
from tests.factories.submissions import make_proposal

pytestmark = pytest.mark.django_db

DASH = "\N{EN DASH}"

NOW = timezone.now()


def proposal(scene, reference: str, *, submitted_days_ago: int = 2):
    """A proposal in assessment with a chosen reference and submission time."""
    made = make_proposal(scene.challenge, status=S.IN_ASSESSMENT, title=f"Proposal {reference}")
    Proposal.objects.filter(pk=made.pk).update(
        reference=reference, submitted_at=NOW - timedelta(days=submitted_days_ago)
    )
    made.refresh_from_db()
    return made


def reviewed_alone(scene, target, impact: int, delivery: int):
    """A review by a judge who reviews nothing else: a judge's only review has z 0, so every proposal reviewed
    only this way has normalised score 0, and they tie."""
    judge = make_judge()
    seat(scene.challenge, judge)
    score(assign(target, judge), impact, delivery)


def order(scene) -> list[tuple]:
    """The ranked rows (the scene's own proposals have no submitted review, so are unranked)."""
    rows = ranking_order(challenge=scene.challenge)
    return [(row.reference, row.rank, row.normalised, row.tie_break) for row in rows if row.rank is not None]


def test_the_rule_is_stated_once_in_words():
    assert TIE_RULE == (
        "Proposals with the same normalised score are placed by the higher raw mean, then the more submitted reviews, "
        "then the earlier submission, then the reference."
    )


def test_equal_scores_go_to_the_higher_raw_mean(scene):
    reviewed_alone(scene, proposal(scene, "UC-2027-90001"), 2, 2)  # 40
    reviewed_alone(scene, proposal(scene, "UC-2027-90002"), 3, 3)  # 60

    assert order(scene) == [
        ("UC-2027-90002", 1, 0, "the higher raw mean"),
        ("UC-2027-90001", 2, 0, "the higher raw mean"),
    ]


def test_then_to_more_submitted_reviews(scene):
    fewer, more = proposal(scene, "UC-2027-90001"), proposal(scene, "UC-2027-90002")
    reviewed_alone(scene, fewer, 3, 3)  # 60
    reviewed_alone(scene, more, 3, 3)  # 60
    reviewed_alone(scene, more, 3, 3)  # 60: a mean of 60 from two reviews

    assert order(scene) == [
        ("UC-2027-90002", 1, 0, "the more submitted reviews"),
        ("UC-2027-90001", 2, 0, "the more submitted reviews"),
    ]


def test_then_to_the_earlier_submission_before_the_reference(scene):
    later = proposal(scene, "UC-2027-90001", submitted_days_ago=1)
    earlier = proposal(scene, "UC-2027-90002", submitted_days_ago=3)
    reviewed_alone(scene, later, 3, 3)
    reviewed_alone(scene, earlier, 3, 3)

    assert order(scene) == [
        ("UC-2027-90002", 1, 0, "the earlier submission"),
        ("UC-2027-90001", 2, 0, "the earlier submission"),
    ]


def test_then_to_the_reference(scene):
    second, first = proposal(scene, "UC-2027-90002"), proposal(scene, "UC-2027-90001")
    reviewed_alone(scene, second, 3, 3)
    reviewed_alone(scene, first, 3, 3)

    assert order(scene) == [
        ("UC-2027-90001", 1, 0, "the reference"),
        ("UC-2027-90002", 2, 0, "the reference"),
    ]


def test_rows_that_are_not_tied_say_nothing(scene):
    regular = make_judge()
    seat(scene.challenge, regular)
    high, low = proposal(scene, "UC-2027-90001"), proposal(scene, "UC-2027-90002")
    score(assign(high, regular), 4, 4)  # 80: z +1
    score(assign(low, regular), 2, 2)  # 40: z -1

    assert order(scene) == [("UC-2027-90001", 1, 1, ""), ("UC-2027-90002", 2, -1, "")]


def test_the_results_page_states_the_rule_and_marks_the_tied_rows(manager_client, scene):
    """Two proposals with the same score: the one submitted earlier ranks first although its reference is later."""
    later = proposal(scene, "UC-2027-90001", submitted_days_ago=1)
    earlier = proposal(scene, "UC-2027-90002", submitted_days_ago=3)
    reviewed_alone(scene, later, 3, 3)
    reviewed_alone(scene, earlier, 3, 3)

    response = manager_client.get(reverse("judging_admin:results", args=(scene.challenge.pk,)))

    page = BeautifulSoup(response.content, "html.parser")
    assert " ".join(page.find(id="tie-rule").get_text().split()).startswith(TIE_RULE)
    rows = [
        [" ".join(cell.get_text(" ").split()) for cell in row.find_all("td")[:2]]
        for row in page.find("table", id="ranking").tbody.find_all("tr")
    ]
    assert rows[:2] == [
        [f"1 Tied {DASH} placed by the earlier submission", "UC-2027-90002"],
        [f"2 Tied {DASH} placed by the earlier submission", "UC-2027-90001"],
    ]
    assert [row[0] for row in rows[2:]] == [DASH, DASH]  # the scene's two proposals, without a submitted review
