"""The results page in the Wagtail admin: the ranking a manager can check by hand, its filters, the calibration
table beside the chart, a steady number of queries, and nobody but the challenge's managers getting in."""

from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from judging.selectors import results as ranking_results
from judging.services.confidence import confidence_refresh
from submissions.models import Proposal
from submissions.models import ProposalStatus as S
from tests.factories.judging import assign, make_judge, score, seat
from tests.factories.submissions import make_proposal

DASH = "\N{EN DASH}"
"""What the page shows where there is no value."""


def url(name: str, *args) -> str:
    return reverse(f"judging_admin:{name}", args=args)


def total(impact: int, delivery: int) -> float:
    """The review total under tests.factories.judging.RUBRIC."""
    return 100 * (2 * impact / 5 + delivery / 5) / 3


def table_rows(html: bytes | str, table_id: str) -> list[list[str]]:
    table = BeautifulSoup(html, "html.parser").find("table", id=table_id)
    assert table is not None, f"no table #{table_id}"
    return [
        [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.find_all(["th", "td"])]
        for row in table.tbody.find_all("tr")
    ]


def name(user, first: str, last: str) -> None:
    User.objects.filter(pk=user.pk).update(first_name=first, last_name=last)


@dataclass
class Scored:
    scene: object
    harsh: object
    lenient: object
    arrears: Proposal
    commons: Proposal
    youth: Proposal
    unreviewed: Proposal


@pytest.fixture
def scored(scene) -> Scored:
    """A harsh judge (totals 40, 20, 60) and a lenient one (100, 80, 66.7) review the same three proposals;
    a fourth proposal in assessment has no submitted review. ``youth`` is in moderation.

    Raw means: arrears (40 + 100) / 2 = 70, commons (20 + 80) / 2 = 50, youth (60 + 66.7) / 2 = 63.3.
    Harsh judge: mean 40, sd 16.33, so z = 0, -1.22, +1.22. Lenient: mean 82.2, sd 13.70, so z = 1.30, -0.16,
    -1.14. Normalised: arrears 0.65, youth 0.04, commons -0.69: that order, though youth's raw mean is lower
    than arrears' and higher than commons'. Spreads 60, 60 and 6.7: the first two are flagged (> 25)."""
    harsh, lenient = scene.judges
    name(harsh, "Hilda", "Harsh")
    name(lenient, "Larry", "Lenient")
    arrears, commons = scene.proposal, scene.other_proposal
    youth = make_proposal(scene.challenge, title="Youth jobs broker", status=S.MODERATION)
    unreviewed = make_proposal(scene.challenge, title="Street outreach app")
    score(scene.review, 2, 2)
    score(assign(arrears, lenient), 5, 5)
    score(assign(commons, harsh), 1, 1)
    score(commons.assignments.get(judge=lenient).review, 4, 4)
    score(assign(youth, harsh), 3, 3)
    score(assign(youth, lenient), 4, 2)
    assign(unreviewed, harsh)
    return Scored(scene, harsh, lenient, arrears, commons, youth, unreviewed)


def test_the_ranking_shows_hand_checkable_figures(scored, manager_client):
    response = manager_client.get(url("results", scored.scene.challenge.pk))
    assert response.status_code == 200
    rows = table_rows(response.content, "ranking")
    arrears, commons, youth, unreviewed = scored.arrears, scored.commons, scored.youth, scored.unreviewed
    assert total(4, 2) == pytest.approx(66.6667, abs=1e-4)
    assert rows == [
        ["1", arrears.reference, arrears.title, arrears.organisation.name, "In assessment", "2", "70.0", "0.65",
         "60.0 Check", DASH, "3.50", "3.50"],
        ["2", youth.reference, youth.title, youth.organisation.name, "Moderation", "2", "63.3", "0.04", "6.7",
         DASH, "3.50", "2.50"],
        ["3", commons.reference, commons.title, commons.organisation.name, "In assessment", "2", "50.0", "-0.69",
         "60.0 Check", DASH, "2.50", "2.50"],
        [DASH, unreviewed.reference, unreviewed.title, unreviewed.organisation.name, "In assessment", "0", DASH, DASH,
         DASH, DASH, DASH, DASH],
    ]  # fmt: skip
    page = BeautifulSoup(response.content, "html.parser")
    headers = [th.get_text(" ", strip=True) for th in page.find("table", id="ranking").thead.find_all("th")]
    assert headers[-2:] == ["Impact mean (0 to 5)", "Delivery mean (0 to 5)"]
    link = page.find("table", id="ranking").find("a", string=arrears.reference)
    assert link["href"] == url("proposal", scored.scene.challenge.pk, arrears.pk)
    assert "more than 25 points apart" in response.content.decode()


def test_the_calibration_table_shows_a_harsh_and_a_lenient_judge(scored, manager_client):
    response = manager_client.get(url("results", scored.scene.challenge.pk))
    rows = table_rows(response.content, "calibration")
    assert rows == [
        ["Hilda Harsh", "3", "40.0", "40.0", "20.0", "60.0", "16.3", DASH, DASH, "Not worked out yet"],
        ["Larry Lenient", "3", "82.2", "80.0", "66.7", "100.0", "13.7", DASH, DASH, "Not worked out yet"],
    ]
    page = BeautifulSoup(response.content, "html.parser")
    svg = page.find("svg", class_="calibration-chart")
    assert svg["role"] == "img"
    assert [group["data-judge"] for group in svg.find_all("g", class_="judge")] == [
        str(scored.harsh.pk),
        str(scored.lenient.pk),
    ]
    assert svg.find_parent("figure").find_next_sibling("table")["id"] == "calibration"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=moderation", ["youth"]),
        ("flagged=1", ["arrears", "commons"]),
        ("min_reviews=2", ["arrears", "youth", "commons"]),
        ("min_reviews=2&flagged=on&status=in_assessment", ["arrears", "commons"]),
        ("status=bogus&min_reviews=-3&unknown=1", ["arrears", "youth", "commons", "unreviewed"]),
        ("status=winner", []),
    ],
)
def test_filters_narrow_the_ranking_and_unknown_values_are_ignored(scored, manager_client, query, expected):
    response = manager_client.get(url("results", scored.scene.challenge.pk) + "?" + query)
    assert response.status_code == 200
    references = {getattr(scored, key).reference: key for key in ("arrears", "commons", "youth", "unreviewed")}
    if expected:
        assert [references[row[1]] for row in table_rows(response.content, "ranking")] == expected
    else:
        assert "No proposals match these filters." in response.content.decode()
    assert f"Showing {len(expected)} of 4 proposals" in response.content.decode()


def test_export_links_carry_only_the_filters_in_use(scored, manager_client):
    challenge = scored.scene.challenge
    response = manager_client.get(url("results", challenge.pk) + "?status=bogus&flagged=1&min_reviews=x")
    page = BeautifulSoup(response.content, "html.parser")
    hrefs = {link.get_text(" ", strip=True).split(" ")[0]: link["href"] for link in page.select("#ranking-count a")}
    assert hrefs == {
        "CSV": url("results_export", challenge.pk, "csv") + "?flagged=1",
        "Excel": url("results_export", challenge.pk, "xlsx") + "?flagged=1",
    }
    status = page.find("select", attrs={"name": "status"}).find("option", selected=True)
    assert status is None or status["value"] == ""
    assert page.find("input", attrs={"name": "flagged"}).has_attr("checked")


def test_a_challenge_without_reviews_says_so(scene, manager_client):
    response = manager_client.get(url("results", scene.challenge.pk))
    text = response.content.decode()
    assert "No judge has submitted a review yet." in text
    assert "calibration-chart" not in text
    assert [row[0] for row in table_rows(response.content, "ranking")] == [DASH, DASH]


def _grow(scene, proposals: int, judges: int) -> None:
    """``proposals`` more proposals, each scored by ``judges`` new judges seated on the panel."""
    panel = [make_judge() for _ in range(judges)]
    seat(scene.challenge, *panel)
    for number in range(proposals):
        proposal = make_proposal(scene.challenge)
        for offset, judge in enumerate(panel):
            score(assign(proposal, judge), (number + offset) % 6, (number * offset) % 6)


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_results_page_query_count_does_not_grow_with_proposals_or_judges(scene, manager_client):
    path = url("results", scene.challenge.pk)
    _grow(scene, proposals=2, judges=2)
    small = _queries(manager_client, path)
    _grow(scene, proposals=8, judges=2)
    assert Proposal.objects.filter(challenge=scene.challenge, assignments__isnull=False).distinct().count() >= 10
    assert _queries(manager_client, path) == small
    _grow(scene, proposals=1, judges=4)
    assert _queries(manager_client, path) == small


PAGES = [
    ("results", lambda scene: (scene.challenge.pk,)),
    ("results_export", lambda scene: (scene.challenge.pk, "csv")),
    ("results_export", lambda scene: (scene.challenge.pk, "xlsx")),
    ("proposal", lambda scene: (scene.challenge.pk, scene.proposal.pk)),
    ("decisions", lambda scene: (scene.challenge.pk,)),
    ("announce", lambda scene: (scene.challenge.pk,)),
]


def assert_refused(response) -> None:
    """Refused, the Wagtail way: 403, or (what Wagtail's admin does) a redirect to sign in for people who may
    not use the admin and to the dashboard, with an error message, for staff refused by the view."""
    if response.status_code == 403:
        return
    assert response.status_code == 302
    assert response["Location"].startswith((reverse("account_login"), reverse("wagtailadmin_home")))
    assert response["Location"].split("?")[0] != response.wsgi_request.path


@pytest.mark.parametrize(("page", "args"), PAGES)
@pytest.mark.parametrize("who", ["other_manager", "judge", "supplier"])
def test_only_the_challenges_managers_see_the_pages(scored, client, page, args, who):
    scene = scored.scene
    person = {"other_manager": scene.other_manager, "judge": scene.judges[0], "supplier": scene.supplier}[who]
    client.force_login(person)
    response = client.get(url(page, *args(scene)))
    assert_refused(response)
    followed = client.get(url(page, *args(scene)), follow=True)
    body = followed.content.decode(errors="replace")
    assert scene.proposal.title not in body and scene.proposal.reference not in body
    assert "permission" in body


@pytest.mark.parametrize(("page", "args"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(scene, client, page, args):
    path = url(page, *args(scene))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={path}"


@pytest.fixture
def two_per_page(monkeypatch):
    """Pages of two rows, so the four proposals of ``scored`` fill two pages."""
    monkeypatch.setattr(ranking_results, "PER_PAGE", 2)


def page_links(html: bytes) -> dict[str, str]:
    nav = BeautifulSoup(html, "html.parser").find("nav", class_="pagination")
    assert nav is not None, "no pagination"
    return {" ".join(link.get_text(" ", strip=True).split()): link["href"] for link in nav.find_all("a", href=True)}


def test_the_second_page_keeps_the_global_ranks_and_means_of_its_rows(scored, manager_client, two_per_page):
    path = url("results", scored.scene.challenge.pk)
    first = manager_client.get(path)
    second = manager_client.get(path + "?p=2")

    assert [row[:2] for row in table_rows(first.content, "ranking")] == [
        ["1", scored.arrears.reference],
        ["2", scored.youth.reference],
    ]
    commons, unreviewed = scored.commons, scored.unreviewed
    assert table_rows(second.content, "ranking") == [
        ["3", commons.reference, commons.title, commons.organisation.name, "In assessment", "2", "50.0", "-0.69",
         "60.0 Check", DASH, "2.50", "2.50"],
        [DASH, unreviewed.reference, unreviewed.title, unreviewed.organisation.name, "In assessment", "0", DASH, DASH,
         DASH, DASH, DASH, DASH],
    ]  # fmt: skip
    assert "Showing 1 to 2 of 4 proposals, page 1 of 2." in first.content.decode()
    assert "Showing 3 to 4 of 4 proposals, page 2 of 2." in second.content.decode()
    assert page_links(first.content) == {"1": "?p=1", "2": "?p=2", "Next": "?p=2"}
    assert page_links(second.content) == {"Previous": "?p=1", "1": "?p=1", "2": "?p=2"}
    current = BeautifulSoup(second.content, "html.parser").select("nav.pagination a[aria-current=page]")
    assert [link.get_text(strip=True) for link in current] == ["2"]


def test_page_links_keep_the_filters_and_the_count_says_what_matched(scored, manager_client, monkeypatch):
    monkeypatch.setattr(ranking_results, "PER_PAGE", 1)
    path = url("results", scored.scene.challenge.pk) + "?flagged=1"
    first = manager_client.get(path)
    second = manager_client.get(path + "&p=2")

    assert [row[:2] for row in table_rows(first.content, "ranking")] == [["1", scored.arrears.reference]]
    assert [row[:2] for row in table_rows(second.content, "ranking")] == [["3", scored.commons.reference]]
    assert page_links(first.content)["Next"] == "?flagged=1&p=2"
    assert page_links(second.content)["Previous"] == "?flagged=1&p=1"
    assert "Showing 2 to 2 of 2 proposals that match the filters, out of 4, page 2 of 2." in second.content.decode()
    page = BeautifulSoup(second.content, "html.parser")
    assert [link["href"] for link in page.select("#ranking-count a")] == [
        url("results_export", scored.scene.challenge.pk, "csv") + "?flagged=1",
        url("results_export", scored.scene.challenge.pk, "xlsx") + "?flagged=1",
    ]
    assert "file of the 2 proposals on every page" in page.select_one("#ranking-count").get_text()


@pytest.mark.parametrize(("asked", "shown"), [("99", "3"), ("0", "3"), ("last", "1"), ("", "1")])
def test_a_page_number_out_of_range_or_not_a_number_still_shows_a_page(
    scored, manager_client, two_per_page, asked, shown
):
    response = manager_client.get(url("results", scored.scene.challenge.pk) + f"?p={asked}")
    assert response.status_code == 200
    assert table_rows(response.content, "ranking")[0][0] == {"3": "3", "1": "1"}[shown]


def test_the_calibration_counts_every_review_whatever_the_page(scored, manager_client, two_per_page):
    path = url("results", scored.scene.challenge.pk)
    expected = [
        ["Hilda Harsh", "3", "40.0", "40.0", "20.0", "60.0", "16.3", DASH, DASH, "Not worked out yet"],
        ["Larry Lenient", "3", "82.2", "80.0", "66.7", "100.0", "13.7", DASH, DASH, "Not worked out yet"],
    ]
    for page in ("1", "2"):
        response = manager_client.get(f"{path}?p={page}")
        assert table_rows(response.content, "calibration") == expected
        svg = BeautifulSoup(response.content, "html.parser").find("svg", class_="calibration-chart")
        assert len(svg.find_all("circle", class_="review")) == 6


RESULTS_PAGE_QUERIES = 18  # the admin menu asks "manages any challenge?" once per request, not once per item
"""Three for the ranking, all of kept figures (its order with the stored chances, the criterion means of the rows
shown, the judges' figures with their names); two for the decision confidence (the stage's figures, the close
calls named); one for the challenge's stages; the rest are sign-in, two-factor, permissions, the challenge and
Wagtail's admin menu. The same at every size."""


@pytest.mark.parametrize("proposals", [3, 12])
@pytest.mark.parametrize("page", ["1", "2"])
def test_the_results_page_takes_the_same_queries_at_two_sizes(
    scene, manager_client, monkeypatch, django_assert_num_queries, proposals, page
):
    monkeypatch.setattr(ranking_results, "PER_PAGE", 2)
    _grow(scene, proposals=proposals, judges=3)
    confidence_refresh(stage_id=scene.challenge.first_stage.pk)
    path = url("results", scene.challenge.pk) + f"?p={page}"
    with django_assert_num_queries(RESULTS_PAGE_QUERIES):
        response = manager_client.get(path)
    assert len(table_rows(response.content, "ranking")) == 2
    assert f"of {proposals + 2} proposals, page {page} of {(proposals + 3) // 2}." in response.content.decode()
