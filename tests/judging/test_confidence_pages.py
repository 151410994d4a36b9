"""Where decision confidence shows: the Results tab, the decision step, the Decisions list, the exports and the
public decision record; and where it never shows: any judge-identifying figure anywhere but the managers' pages."""

import csv
import io

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Event
from judging.models import Decision, StageConfidence
from judging.selectors.ranking import ranking_order
from judging.services import confidence as service
from judging.services.decisions import challenge_announce, decision_record
from submissions.models import Proposal
from submissions.models import ProposalStatus as S

from .confidence_panels import CLOSE, judged_panel, random_marks
from .test_admin_results import table_rows
from .test_public_record import surfaces

REASON = "The panel preferred its evidence from two boroughs; the chair recorded the discussion."


def url(name: str, *args) -> str:
    return reverse(f"judging_admin:{name}", args=args)


def text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


@pytest.fixture
def panel(scene):
    """Four proposals scored by three judges (``CLOSE``): a clear first, a close call for the second of two places
    between the next two, a clear last. The scene's own two proposals, unreviewed, are withdrawn."""
    for proposal in (scene.proposal, scene.other_proposal):
        proposal.status = S.WITHDRAWN
        proposal.save(update_fields=["status"])
    panel = judged_panel(scene, CLOSE, places=2)
    Proposal.objects.filter(pk__in=[proposal.pk for proposal in panel.proposals]).update(status=S.MODERATION)
    order = [row.proposal_id for row in ranking_order(challenge=panel.challenge, stage=panel.stage)]
    panel.ranked = [Proposal.objects.get(pk=pk) for pk in order]
    return panel


def test_the_results_tab_shows_agreement_close_calls_and_calibration(panel, manager_client):
    response = manager_client.get(url("results", panel.challenge.pk))
    page = text(response)
    figures = StageConfidence.objects.get(stage=panel.stage)
    assert "Decision confidence" in page
    assert "from 12 submitted reviews by 3 judges of 4 proposals" in page
    assert f"Krippendorff's alpha is {figures.alpha:.2f}" in page
    assert f"The judges agree {'poorly' if figures.alpha < 0.667 else 'moderately'}" in page
    assert "Judges agree well when alpha is 0.80 or more" in page
    assert [row[0] for row in table_rows(response.content, "criterion-agreement")] == ["Impact", "Delivery"]
    assert "This stage plans 2 awards or places" in page
    assert "2 close calls: discuss them before deciding." in page
    close = table_rows(response.content, "close-calls")
    assert sorted(row[0] for row in close) == sorted(p.reference for p in panel.ranked[1:3])
    assert all(row[2].endswith(" %") for row in close)
    ranking = {row[1]: row for row in table_rows(response.content, "ranking")}
    first, second, third, last = (ranking[p.reference][9] for p in panel.ranked)
    assert first.startswith("100 %") and last.startswith("0 %")
    assert "Close call: discuss" in second and "Close call: discuss" in third
    calibration = table_rows(response.content, "calibration")
    assert [row[0] for row in calibration][:1] and all(len(row) == 10 for row in calibration)
    assert all(row[9] == "In line" or row[9].startswith("Far from the panel") for row in calibration)


def test_a_judge_far_from_the_panel_is_highlighted_for_the_chair(scene, manager_client):
    # The fourth judge reverses the other three's order on every proposal.
    marks = [
        [(5, 5), (5, 4), (4, 5), (0, 1)],
        [(4, 3), (4, 4), (4, 2), (1, 1)],
        [(2, 2), (3, 2), (2, 3), (3, 3)],
        [(1, 0), (1, 1), (0, 1), (5, 4)],
    ]
    panel = judged_panel(scene, marks, places=1)
    rows = {row[0]: row for row in table_rows(manager_client.get(url("results", panel.challenge.pk)).content,
                                              "calibration")}  # fmt: skip
    contrarian = rows[panel.judges[3].get_full_name()]
    assert contrarian[9].startswith("Far from the panel Follows the rest of the panel poorly (correlation -")
    assert rows[panel.judges[0].get_full_name()][9] == "In line"


def test_the_page_never_waits_for_the_figures(scene, manager_client, monkeypatch):
    panel = judged_panel(scene, CLOSE, places=2, compute=False)
    monkeypatch.setattr(service, "confidence_compute", lambda stage: pytest.fail("the page worked the figures out"))
    page = text(manager_client.get(url("results", panel.challenge.pk)))
    assert "The figures are being worked out in the background" in page


def test_the_page_says_when_reviews_changed_since(panel, manager_client):
    StageConfidence.objects.filter(stage=panel.stage).update(requested=10**6)
    page = text(manager_client.get(url("results", panel.challenge.pk)))
    assert "Reviews have changed since: new figures are being worked out" in page
    assert "2 close calls" in page  # the last figures still show meanwhile


def test_the_close_calls_filter_keeps_only_close_calls(panel, manager_client):
    response = manager_client.get(url("results", panel.challenge.pk) + "?close_calls=1")
    assert sorted(row[1] for row in table_rows(response.content, "ranking")) == sorted(
        p.reference for p in panel.ranked[1:3]
    )
    csv_rows = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    manager_client.get(
                        url("results_export", panel.challenge.pk, "csv") + "?close_calls=1"
                    ).streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    assert len(csv_rows) == 3 and all(row[13] == "Close call: discuss" for row in csv_rows[1:])  # fmt: skip


def test_the_decisions_list_puts_close_calls_first(panel, manager_client):
    response = manager_client.get(url("decisions", panel.challenge.pk))
    rows = table_rows(response.content, "decisions")
    references = [row[1] for row in rows]
    assert set(references[:2]) == {p.reference for p in panel.ranked[1:3]}
    assert references[2:] == [panel.ranked[0].reference, panel.ranked[3].reference]
    assert all("Close call: discuss" in row[5] for row in rows[:2])
    assert "Chance of the top 2" in text(response)


# --- The decision step -------------------------------------------------------------------------------------------


def decide(client, challenge, proposal, **fields):
    data = {"outcome": "highly_commended", "feedback": "Good work.", "public_rationale": "A strong local model."}
    return client.post(url("proposal", challenge.pk, proposal.pk), data | fields)


def test_awarding_a_close_call_asks_why_and_keeps_what_was_typed(panel, manager_client):
    close = panel.ranked[1]
    chance = round(
        service.ProposalConfidence.objects.get(stage=panel.stage, proposal=close).chance * 100
    )  # the chance the page shows
    page = manager_client.get(url("proposal", panel.challenge.pk, close.pk))
    assert f"this proposal is in the top 2 {chance} % of the time" in text(page)
    assert "Close call: discuss it before deciding" in text(page)

    response = decide(manager_client, panel.challenge, close)
    assert response.status_code == 200
    message = f"You are awarding a proposal with a {chance} % chance of being in the top 2: record why."
    soup = BeautifulSoup(response.content, "html.parser")
    field = soup.find("textarea", attrs={"name": "uncertainty_reason"})
    error = soup.find(id=f"{field['id']}-error")
    assert error is not None and message in error.get_text(" ", strip=True)
    assert f"{field['id']}-error" in field["aria-describedby"]
    assert soup.find("textarea", attrs={"name": "feedback"}).get_text().strip() == "Good work."
    assert soup.find("textarea", attrs={"name": "public_rationale"}).get_text().strip() == "A strong local model."
    assert not Decision.objects.filter(proposal=close).exists()

    assert decide(manager_client, panel.challenge, close, uncertainty_reason=REASON).status_code == 302
    decision = Decision.objects.get(proposal=close)
    assert decision.uncertainty_reason == REASON
    note = Event.objects.filter(proposal_id=close.pk, verb="decision recorded").get().note
    assert f"You are awarding a proposal with a {chance} % chance of being in the top 2: {REASON}" in note
    page = text(manager_client.get(url("proposal", panel.challenge.pk, close.pk)))
    assert f"Why the panel decided this way although its ranking is uncertain {REASON}" in page


def test_a_clear_decision_needs_no_reason_and_going_against_one_does(panel, manager):
    first, _, _, last = panel.ranked
    decision_record(proposal=first, outcome="winner", feedback="Yes.", public_rationale="Best.", by=manager)
    decision_record(proposal=last, outcome="not_selected", feedback="Not this time.", by=manager)
    assert Decision.objects.get(proposal=first).uncertainty_reason == ""
    with pytest.raises(Exception) as refused:
        decision_record(proposal=first, outcome="not_selected", feedback="No.", by=manager)
    assert "You are not selecting a proposal with a 100 % chance of being in the top 2: record why." in str(
        refused.value
    )


# --- Exports -----------------------------------------------------------------------------------------------------


def test_the_exports_carry_each_proposals_chance_and_the_panels_agreement_but_no_judge(panel, manager_client):
    csv_text = b"".join(manager_client.get(url("results_export", panel.challenge.pk, "csv")).streaming_content).decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0][10:14] == ["Chance of the top 2 (%)", "Normalised score, interval low",
                              "Normalised score, interval high", "Close call"]  # fmt: skip
    by_reference = {row[1]: row for row in rows[1:]}
    assert by_reference[panel.ranked[0].reference][10] == "100.0"
    assert by_reference[panel.ranked[3].reference][10] == "0.0"
    assert by_reference[panel.ranked[1].reference][13] == "Close call: discuss"

    response = manager_client.get(url("results_export", panel.challenge.pk, "xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Sheet1", "Panel agreement"]
    sheet = {row[0]: row[1:] for row in book["Panel agreement"].iter_rows(values_only=True) if row and row[0]}
    figures = StageConfidence.objects.get(stage=panel.stage)
    assert sheet["Judges"][0] == 3 and sheet["Close calls"][0] == 2
    assert sheet["Review totals"][0] == pytest.approx(figures.alpha)
    assert {"Impact", "Delivery"} <= set(sheet)
    xlsx_text = " ".join(
        str(value) for name in book.sheetnames for row in book[name].iter_rows(values_only=True) for value in row
    )
    for judge in panel.judges:
        for identifying in (judge.email, judge.first_name, judge.last_name):
            assert identifying not in csv_text and identifying not in xlsx_text


# --- Only managers see judges' figures; the public sees the panel's ------------------------------------------------


MANAGERS_ONLY = ("Far from the panel", "Correlation with the rest of the panel", "At the ends of the scale",
                 "Chance of the top", "Close call: discuss", REASON)  # fmt: skip


def identifying(panel) -> list[str]:
    found = [*MANAGERS_ONLY]
    for judge in panel.judges:
        found += [judge.email, judge.first_name, judge.last_name]
    return found


@pytest.fixture
def announced(panel, manager, django_capture_on_commit_callbacks):
    first, upper, lower, last = panel.ranked
    decision_record(proposal=first, outcome="winner", feedback="Yes.", public_rationale="Best.", by=manager)
    decision_record(
        proposal=upper, outcome="highly_commended", feedback="Close.", public_rationale="Strong.",
        uncertainty_reason=REASON, by=manager,
    )  # fmt: skip
    decision_record(proposal=lower, outcome="not_selected", feedback="Close.", uncertainty_reason=REASON, by=manager)
    decision_record(proposal=last, outcome="not_selected", feedback="Not this time.", by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        challenge_announce(challenge=panel.challenge, by=manager)
    panel.challenge.refresh_from_db()
    return panel


def test_the_public_decision_record_gives_panel_level_figures_only(client, announced):
    panel = announced
    figures = StageConfidence.objects.get(stage=panel.stage)
    pages = surfaces(client, panel.challenge, panel.ranked[0], panel.ranked[1])
    challenge_page = " ".join(BeautifulSoup(pages["challenge page"], "html.parser").get_text(" ").split())
    assert "How the panel decided" in challenge_page
    assert "Judges 3" in challenge_page
    reading = "poorly" if figures.alpha < 0.667 else "moderately"
    assert (
        f"Agreement between judges The judges agree {reading} (Krippendorff's alpha {figures.alpha:.2f})"
        in challenge_page
    )
    assert (
        "Close calls 2 proposals whose place among the 2 awards or places planned was uncertain; the panel discussed "
        "each before deciding"
    ) in challenge_page
    for name, content in pages.items():
        for word in identifying(panel):
            assert word not in content, f"{word!r} reaches the public on the {name}"


def test_judges_never_see_judge_level_figures_while_judging(client, panel, manager):
    client.force_login(manager)
    results = client.get(url("results", panel.challenge.pk)).content.decode()
    assert "Far from the panel" in results or "In line" in results  # what the scan looks for is there to find
    assert "Chance of the top" in results and "Krippendorff" in results
    judge = panel.judges[0]
    client.force_login(judge)
    pages = {
        "judge dashboard": reverse("judging:dashboard"),
        "judge's review": reverse("judging:review", args=[judge.assignments.get(proposal=panel.ranked[0]).pk]),
    }
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, name  # the page itself, not a refusal with nothing to scan
        content = response.content.decode()
        for word in MANAGERS_ONLY:
            assert word not in content, f"{word!r} reaches a judge on the {name}"
        assert "Krippendorff" not in content
    assert panel.ranked[0].title in content  # the review page shows the proposal being judged


def test_suppliers_never_see_judge_level_figures(client, announced):
    panel = announced
    client.force_login(panel.ranked[1].created_by)
    response = client.get(reverse("submissions:task_list", args=[panel.ranked[1].pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Highly commended" in content  # the supplier reads their outcome on this page
    for word in identifying(panel):
        assert word not in content, f"{word!r} reaches the supplier"


def test_the_public_challenge_page_takes_the_same_queries_whatever_the_panels_size(
    client, scene, django_capture_on_commit_callbacks
):
    counts = []
    for size in (4, 16):
        panel = judged_panel(scene, random_marks(size, seed=size), places=2)
        panel.challenge.__class__.objects.filter(pk=panel.challenge.pk).update(announced_at=panel.challenge.closes_at)
        client.get(panel.challenge.url)
        with CaptureQueriesContext(connection) as queries:
            assert "How the panel decided" in client.get(panel.challenge.url).content.decode()
        counts.append(len(queries))
        Proposal.objects.filter(challenge=panel.challenge).delete()
        panel.challenge.__class__.objects.filter(pk=panel.challenge.pk).update(announced_at=None)
    assert counts[0] == counts[1]


def test_the_decisions_page_takes_the_same_queries_at_two_sizes(scene, manager_client):
    counts = []
    for size in (4, 16):
        panel = judged_panel(scene, random_marks(size, seed=size), places=2)
        Proposal.objects.filter(challenge=panel.challenge).update(status=S.MODERATION)
        with CaptureQueriesContext(connection) as queries:
            assert manager_client.get(url("decisions", panel.challenge.pk)).status_code == 200
        counts.append(len(queries))
        Proposal.objects.filter(challenge=panel.challenge).delete()
    assert counts[0] == counts[1]


def test_reviews_counted_before_the_figures_existed_get_them_when_the_results_are_opened(
    scene, manager_client, django_capture_on_commit_callbacks
):
    panel = judged_panel(scene, CLOSE, places=2, compute=False)
    StageConfidence.objects.filter(stage=panel.stage).delete()  # as in a database from before the figures
    with django_capture_on_commit_callbacks(execute=True):
        page = text(manager_client.get(url("results", panel.challenge.pk)))
    assert "The figures are being worked out in the background" in page
    assert StageConfidence.objects.get(stage=panel.stage).computed_at is not None
    assert "2 close calls" in text(manager_client.get(url("results", panel.challenge.pk)))


def test_a_proposal_with_one_review_says_it_has_nothing_to_resample(scene, manager_client):
    panel = judged_panel(scene, [[(5, 5)], [(3, 3)], [(1, 1)]], places=1)
    response = manager_client.get(url("results", panel.challenge.pk))
    ranking = {row[1]: row for row in table_rows(response.content, "ranking")}
    assert ranking[panel.proposals[0].reference][9] == "100 % One review: nothing to resample"
    assert ranking[panel.proposals[1].reference][9] == "0 % One review: nothing to resample"
    assert "A proposal with a single review has nothing to resample" in text(response)
