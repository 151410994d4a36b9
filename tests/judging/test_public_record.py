"""One rule for what the public reads about an award, on every surface that shows awards (``judging.selectors.public``):

- always: the organisation's name as it was at the announcement, the award, and the panel's public reasons;
- only with the supplier's consent: the proposal's title and its public summary.

The challenge page, the winner pages, the archive's search and gallery, the Atom feed, the JSON API and both CSV
files are read here as a visitor would, and must agree. The consent question says the same thing in words.
"""

import json

import pytest
from django.urls import reverse

from accounts.services import organisation_update
from archive.search import DATABASE_BACKEND
from judging.services.decisions import challenge_announce, decision_record
from submissions.models import ProposalStatus as S
from submissions.questions import STANDARD_QUESTIONS
from tests.factories import UserFactory
from tests.factories.challenges import make_manager
from tests.factories.judging import closed_challenge
from tests.factories.organisations import make_organisation
from tests.factories.submissions import make_proposal

pytestmark = pytest.mark.django_db

CONSENTED = {
    "organisation": "Brumtech Analytics Ltd",
    "title": "Early Help Finder",
    "summary": "Rent-arrears signals, explained to caseworkers.",
    "rationale": "The clearest route to fewer evictions the panel saw.",
}
UNCONSENTED = {
    "organisation": "Kindred Futures CIC",
    "title": "Home Truths Programme",
    "summary": "Our confidential approach to tenancy data.",
    "rationale": "A promising community-led model, worth following.",
}


def decide(challenge, manager, facts: dict, *, outcome: str, consent: bool):
    owner = UserFactory(verified=True)
    proposal = make_proposal(
        challenge,
        status=S.MODERATION,
        supplier=owner,
        organisation=make_organisation(name=facts["organisation"], owner=owner),
        title=facts["title"],
        public_summary=facts["summary"],
        consent_to_publish=consent,
    )
    decision_record(
        proposal=proposal, outcome=outcome, feedback="For the supplier only.", public_rationale=facts["rationale"],
        by=manager,
    )  # fmt: skip
    return proposal


@pytest.fixture
def announced(sponsor_index, sponsor, settings, django_capture_on_commit_callbacks):
    settings.ARCHIVE_SEARCH_BACKEND = DATABASE_BACKEND
    challenge = closed_challenge(sponsor_index, sponsor)
    manager = make_manager(sponsor)
    winner = decide(challenge, manager, CONSENTED, outcome="winner", consent=True)
    commended = decide(challenge, manager, UNCONSENTED, outcome="highly_commended", consent=False)
    with django_capture_on_commit_callbacks(execute=True):
        challenge_announce(challenge=challenge, by=manager)
    challenge.refresh_from_db()
    return challenge, winner, commended


def surfaces(client, challenge, winner, commended) -> dict[str, str]:
    """Every public page and file that shows awards, as text."""
    urls = {
        "challenge page": challenge.url,
        "winner page": reverse("archive:winner", args=[winner.pk]),
        "highly commended page": reverse("archive:winner", args=[commended.pk]),
        "archive search": reverse("archive:search") + "?q=",
        "winners gallery": reverse("archive:winners"),
        "winners feed": "/feeds/winners.atom",
        "API outcomes": "/api/v1/outcomes/",
        "API challenge": f"/api/v1/challenges/{challenge.pk}/",
        "outcomes CSV": "/data/outcomes.csv",
        "challenges CSV": "/data/challenges.csv",
    }
    found = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        content = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            content = json.dumps(response.json(), ensure_ascii=False)
        found[name] = content.replace("&amp;", "&").replace("&#x27;", "'")
    return found


LISTS_BOTH = ("challenge page", "archive search", "winners gallery", "winners feed", "API outcomes", "API challenge",
              "outcomes CSV", "challenges CSV")  # fmt: skip
GIVES_REASONS = ("challenge page", "winners feed", "API outcomes", "outcomes CSV")
GIVES_SUMMARIES = ("challenge page", "winners feed", "API outcomes", "outcomes CSV")


def test_every_surface_publishes_the_award_and_only_consented_words(client, announced):
    challenge, winner, commended = announced
    pages = surfaces(client, challenge, winner, commended)

    for name, content in pages.items():
        assert UNCONSENTED["title"] not in content, name
        assert UNCONSENTED["summary"] not in content, name
        assert "For the supplier only." not in content, name
    for name in (*LISTS_BOTH, "highly commended page"):
        assert UNCONSENTED["organisation"] in pages[name], name
    for name in (*LISTS_BOTH, "winner page"):
        assert CONSENTED["organisation"] in pages[name], name
        assert CONSENTED["title"] in pages[name] or name == "challenges CSV", name  # that file lists names only
    for name in (*GIVES_REASONS, "highly commended page"):
        assert UNCONSENTED["rationale"] in pages[name], name
    for name in (*GIVES_REASONS, "winner page"):
        assert CONSENTED["rationale"] in pages[name], name
    for name in (*GIVES_SUMMARIES, "winner page"):
        assert CONSENTED["summary"] in pages[name], name
    assert f"Highly commended in “{challenge.title}”" in pages["highly commended page"]


def test_the_name_on_the_record_is_the_name_at_the_announcement(client, announced):
    challenge, winner, commended = announced
    organisation = commended.organisation
    organisation_update(
        organisation=organisation, by=commended.created_by, name="Kindred Renamed CIC",
        size=organisation.size, sector=organisation.sector, region=organisation.region,
    )  # fmt: skip

    pages = surfaces(client, challenge, winner, commended)
    for name in (*LISTS_BOTH, "highly commended page"):
        assert UNCONSENTED["organisation"] in pages[name], name
        assert "Kindred Renamed CIC" not in pages[name], name


def test_the_consent_question_says_truthfully_what_is_published_either_way():
    consent = next(question for question in STANDARD_QUESTIONS if question.id == "consent_to_publish")
    summary = next(question for question in STANDARD_QUESTIONS if question.id == "public_summary")
    assert consent.label == "If your proposal wins an award, may we also publish its title and public summary?"
    assert consent.help_text == (
        "Public bodies publish the awards they make. If your proposal wins or is highly commended, we always "
        "publish your organisation's name, the award and the judging panel's reasons. We publish your proposal's "
        "title and public summary only if you say yes."
    )
    assert "only if you agree below" in summary.help_text
