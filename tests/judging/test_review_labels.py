"""An assigned review nobody has started has one name everywhere, ``judging.labels.NOT_STARTED``: on the judge's
dashboard, the assignments grid, the proposal's page and the warning before moderation; no page, export or email
of judging spells it another way."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from judging.labels import DRAFT, NOT_STARTED, SUBMITTED, review_state
from judging.models import Review, ReviewStatus
from submissions.models import ProposalStatus as S

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OTHER_NAMES = re.compile(
    r"not yet started|\bpending\b|not begun|unstarted|yet to start|not yet reviewed|awaiting review", re.IGNORECASE
)
OTHER_LABELS = re.compile(r"\bTo do\b|[\"'>]\s*Assigned\s*[\"'<]")
"""Other wordings of an unstarted review; "To do" and "Assigned" as a label only ("what to do" and the audit log's
verb "assigned" are fine)."""


def judging_sources() -> list[Path]:
    code = [path for path in (ROOT / "judging").rglob("*.py") if "migrations" not in path.parts]
    return code + sorted(path for path in (ROOT / "templates" / "judging").rglob("*") if path.is_file())


def text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def test_no_judging_page_export_or_email_names_an_unstarted_review_another_way():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in judging_sources()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if OTHER_NAMES.search(line) or OTHER_LABELS.search(line)
    ]
    assert not found, "\n".join(found)


def test_the_name_is_spelt_once_and_imported_everywhere_else():
    spelt = [
        str(path.relative_to(ROOT))
        for path in judging_sources()
        if re.search(r"not started", path.read_text(), re.IGNORECASE)
    ]
    assert spelt == ["judging/labels.py"]


def test_review_states_in_order_of_progress():
    draft, submitted = Review(status=ReviewStatus.DRAFT), Review(status=ReviewStatus.SUBMITTED)
    assert review_state(None, False) == review_state(draft, False) == NOT_STARTED == "Not started"
    assert review_state(draft, True) == DRAFT
    assert review_state(submitted, True) == SUBMITTED


def test_the_judge_the_grid_the_proposal_page_and_the_moderation_warning_agree(manager_client, scene):
    """scene.review: assigned to judges[0], no conflict, nothing entered."""
    judge = scene.judges[0]
    judge_client = Client()
    judge_client.force_login(judge)
    dashboard = BeautifulSoup(judge_client.get(reverse("judging:dashboard")).content, "html.parser")
    assert dashboard.find(string=scene.proposal.reference).find_next(class_="govuk-tag").get_text() == NOT_STARTED

    grid = BeautifulSoup(
        manager_client.get(reverse("judging_admin:coverage", args=(scene.challenge.pk,))).content, "html.parser"
    )
    proposal_row = grid.find("a", string=scene.proposal.reference).find_parent("tr")
    judges = [th.get_text(strip=True) for th in proposal_row.find_parent("table").thead.find_all("th")][2:]
    cells = [cell.get_text(" ", strip=True) for cell in proposal_row.find_all("td")[1:]]
    assert cells[judges.index(str(judge))].startswith(f"{NOT_STARTED} Unassign")

    page = text(manager_client.get(reverse("judging_admin:proposal", args=(scene.challenge.pk, scene.proposal.pk))))
    assert f"Review by {judge.get_full_name()} <{judge.email}> {NOT_STARTED}." in page

    moving = manager_client.post(
        reverse("judging_admin:proposals", args=(scene.challenge.pk,)),
        {"proposals": [scene.proposal.pk], "to": S.MODERATION},
    )
    assert f"1 review is not submitted: {judge.get_full_name()} ({NOT_STARTED.lower()})." in text(moving)
