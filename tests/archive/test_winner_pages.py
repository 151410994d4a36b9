"""The public page of each winning proposal, and the winners gallery, from real archive entries: a real
challenge, real decisions and a real announcement. Only a published winner has a page; everything else 404s."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.backends.database import DatabaseBackend
from archive.models import ArchiveEntry
from archive.search import DATABASE_BACKEND
from archive.services import archive_sync_challenge
from challenges.models import Theme
from judging.services.decisions import challenge_announce, decision_record
from submissions.models import ProposalStatus as S
from tests.factories.judging import closed_challenge
from tests.factories.organisations import make_organisation
from tests.factories.submissions import make_proposal

pytestmark = pytest.mark.django_db

WINNER_SUMMARY = "Rent-arrears signals, explained to caseworkers."
SECRET_SUMMARY = "Our confidential approach to tenancy data."


def text(response) -> str:
    body = re.sub(r"</?(a|span|strong)\b[^>]*>", "", response.content.decode())
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def winner_url(proposal) -> str:
    return reverse("archive:winner", kwargs={"pk": proposal.pk})


def decide(challenge, manager, *, organisation: str, title: str, outcome: str, **fields):
    proposal = make_proposal(
        challenge, status=S.MODERATION, organisation=make_organisation(name=organisation), title=title, **fields
    )
    decision_record(
        proposal=proposal,
        outcome=outcome,
        feedback=f"Feedback for {title}, for the supplier only.",
        public_rationale=f"Why {title} won: it reached tenants before arrears became eviction."
        if outcome != "not_selected"
        else "",
        by=manager,
    )
    return proposal


@pytest.fixture
def scene(sponsor_index, sponsor, manager, django_capture_on_commit_callbacks):
    """An announced challenge with a winner, a highly commended proposal, an unconsented award, a proposal not
    selected and a withdrawn one; and a second challenge whose decisions are not announced yet."""
    challenge = closed_challenge(
        sponsor_index, sponsor, themes=list(Theme.objects.filter(slug__in=["homelessness", "open-data"]))
    )
    proposals = {
        "winner": decide(
            challenge,
            manager,
            organisation="Brumtech Analytics Ltd",
            title="Early Help Finder",
            outcome="winner",
            public_summary=WINNER_SUMMARY,
        ),
        "commended": decide(
            challenge, manager, organisation="Kindred Futures CIC", title="Home Truths", outcome="highly_commended"
        ),
        "unconsented": decide(
            challenge,
            manager,
            organisation="Quiet Ltd",
            title="Silent Partner",
            outcome="winner",
            public_summary=SECRET_SUMMARY,
            consent_to_publish=False,
        ),
        "not_selected": decide(
            challenge, manager, organisation="Also Ran Ltd", title="Rent Radar", outcome="not_selected"
        ),
        "withdrawn": make_proposal(challenge, status=S.WITHDRAWN, title="Withdrawn Widget"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        challenge_announce(challenge=challenge, by=manager)
    challenge.refresh_from_db()

    pending_challenge = closed_challenge(sponsor_index, sponsor, title="Safer streets at night", slug="safer-streets")
    proposals["unannounced"] = decide(
        pending_challenge, manager, organisation="Lamplight Ltd", title="Night Watch", outcome="winner"
    )
    archive_sync_challenge(pending_challenge.pk)
    return challenge, proposals


def test_a_winner_page_shows_what_the_public_may_read(client, scene):
    challenge, proposals = scene
    response = client.get(winner_url(proposals["winner"]))
    assert response.status_code == 200
    page = text(response)
    assert "Brumtech Analytics Ltd Early Help Finder Winner" in page
    assert WINNER_SUMMARY in page
    assert (
        "Why the panel chose it Why Early Help Finder won: it reached tenants before arrears became eviction." in page
    )
    assert f"Challenge {challenge.title}" in page and f'href="{challenge.url}"' in response.content.decode()
    assert "Sponsor West Midlands Combined Authority" in page
    assert f"Year {challenge.announced_at.year}" in page
    assert "Themes Homelessness, Open data" in page
    assert "for the supplier only" not in page and proposals["winner"].reference not in page


def test_a_highly_commended_page_says_so(client, scene):
    response = client.get(winner_url(scene[1]["commended"]))
    assert response.status_code == 200
    assert "Award Highly commended" in text(response)


def test_an_award_without_consent_shows_the_public_record_only(client, scene):
    """The organisation, the award and the panel's reasons are on the record; the supplier's own words are not."""
    challenge, proposals = scene
    response = client.get(winner_url(proposals["unconsented"]))
    assert response.status_code == 200
    page = text(response)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1)
    assert html.unescape(heading) == f"Winner in “{challenge.title}”"  # not the supplier's title, "Silent Partner"
    assert "Quiet Ltd" in page and "Award Winner" in page
    assert "Why the panel chose it Why Silent Partner won: it reached tenants" in page  # the panel's own words
    assert SECRET_SUMMARY not in page


@pytest.mark.parametrize("which", ["not_selected", "withdrawn", "unannounced"])
def test_anything_but_an_announced_award_is_not_found(client, scene, which):
    response = client.get(winner_url(scene[1][which]))
    assert response.status_code == 404
    for hidden in ("Rent Radar", "Withdrawn Widget", "Night Watch"):
        assert hidden not in response.content.decode()


@pytest.mark.parametrize("pk", [999999, 10**30])
def test_an_unknown_winner_is_not_found(client, scene, pk):
    assert client.get(reverse("archive:winner", kwargs={"pk": pk})).status_code == 404


def test_an_unpublished_challenge_takes_its_winners_pages_with_it(client, scene, django_capture_on_commit_callbacks):
    challenge, proposals = scene
    with django_capture_on_commit_callbacks(execute=True):
        challenge.unpublish()
    assert client.get(winner_url(proposals["winner"])).status_code == 404


def test_a_winner_page_reads_a_fixed_number_of_queries(client, scene, sponsor_index, sponsor, manager):
    _, proposals = scene
    client.get(winner_url(proposals["winner"]))  # warm the site's own lookups
    with CaptureQueriesContext(connection) as first:
        client.get(winner_url(proposals["winner"]))

    busier = closed_challenge(
        sponsor_index, sponsor, title="Youth jobs", slug="youth-jobs", themes=list(Theme.objects.all()[:5])
    )
    others = [
        decide(busier, manager, organisation=f"Org {n}", title=f"Jobs idea {n}", outcome="winner") for n in range(4)
    ]
    challenge_announce(challenge=busier, by=manager)
    archive_sync_challenge(busier.pk)
    with CaptureQueriesContext(connection) as second:
        response = client.get(winner_url(others[2]))
    assert "Jobs idea 2" in text(response)
    assert len(second) == len(first)
    assert sum("archive_archiveentry" in query["sql"] for query in second.captured_queries) == 1


needs_database_search = pytest.mark.skipif(
    not hasattr(DatabaseBackend, "search"), reason="archive.backends.database.DatabaseBackend has no search() yet"
)


@needs_database_search
def test_the_gallery_lists_only_published_winners(client, scene, settings):
    settings.ARCHIVE_SEARCH_BACKEND = DATABASE_BACKEND
    challenge, proposals = scene
    assert ArchiveEntry.objects.filter(challenge=challenge).count() == 4  # the challenge and its three awards
    response = client.get(reverse("archive:winners"))
    assert response.status_code == 200
    page = text(response)
    assert "Early Help Finder" in page and "Home Truths" in page
    assert "Brumtech Analytics Ltd" in page and "Quiet Ltd" in page
    assert "3 winners" in page
    for hidden in ("Rent Radar", "Withdrawn Widget", "Night Watch", SECRET_SUMMARY):
        assert hidden not in page
    assert winner_url(proposals["winner"]) in response.content.decode()
    # The challenge itself is in the archive, but not in the gallery.
    assert f'href="{challenge.url}"' not in response.content.decode()


@needs_database_search
def test_the_gallery_filters_by_year_and_theme(client, scene, settings):
    settings.ARCHIVE_SEARCH_BACKEND = DATABASE_BACKEND
    challenge, _ = scene
    year = str(challenge.announced_at.year)
    page = text(client.get(reverse("archive:winners"), {"year": year, "theme": "open-data"}))
    assert "Early Help Finder" in page and "3 winners matching" in page
    page = text(client.get(reverse("archive:winners"), {"theme": "wellbeing"}))
    assert "No winners match these filters." in page
