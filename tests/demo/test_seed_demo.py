from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from accounts.models import User
from challenges.lifecycle import ChallengeStatus
from challenges.models import ChallengeIndexPage, ChallengePage, Sponsor
from home.models import StandardPage


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "pages": Page.objects.count(),
        "challenges": ChallengePage.objects.count(),
        "sponsors": Sponsor.objects.count(),
        "users": User.objects.count(),
        "faqs": sum(page.faqs.count() for page in ChallengePage.objects.all()),
    }


@pytest.mark.django_db
def test_demo_site_covers_every_status_and_prints_working_credentials(client):
    output = seed()
    statuses = Counter(page.status for page in ChallengePage.objects.live())
    assert set(statuses) == set(ChallengeStatus)
    assert statuses[ChallengeStatus.OPEN] >= 3
    assert statuses[ChallengeStatus.ARCHIVED] >= 2
    assert ChallengePage.objects.count() >= 8
    assert Sponsor.objects.count() == 2
    assert {p.slug for p in StandardPage.objects.all()} == {"about", "accessibility", "privacy"}

    assert "admin@urban-challenge.example / urban-challenge-demo" in output
    managers = [line for line in output.splitlines() if "Challenge manager" in line]
    assert len(managers) == 2
    email = managers[0].split(": ")[1].split(" / ")[0]
    assert client.login(username=email, password="urban-challenge-demo")
    # The seed gives staff an authenticator app, which the admin requires.
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_one_open_challenge_closes_within_48_hours():
    from django.utils import timezone

    seed()
    soon = ChallengePage.objects.open_for_proposals().filter(
        closes_at__lte=timezone.now() + timezone.timedelta(hours=48)
    )
    assert soon.exists()


@pytest.mark.django_db
def test_running_it_again_changes_nothing_but_keeps_dates_current():
    seed()
    first = snapshot()
    statuses = {page.slug: page.status for page in ChallengePage.objects.all()}
    seed()
    assert snapshot() == first
    assert {page.slug: page.status for page in ChallengePage.objects.all()} == statuses
    assert not Page.find_problems()[0]  # the page tree is intact


@pytest.mark.django_db
def test_every_demo_page_is_served(client):
    seed()
    for page in Page.objects.live().filter(depth__gte=2).specific():
        assert client.get(page.url).status_code == 200, page.url


@pytest.mark.django_db
def test_scale_adds_many_live_challenges_with_a_valid_tree(client):
    seed("--scale", "120")
    # 15 in the demo (2 of them staged: test_seed_stages.py; 4 from 2017-18 with pilots: test_seed_pilots.py)
    assert ChallengePage.objects.count() == 15 + 120
    problems = Page.find_problems()
    assert all(not problem for problem in problems), problems
    for section in ChallengeIndexPage.objects.filter(sponsor__isnull=False):
        assert section.numchild == section.get_children().count()
    generated = ChallengePage.objects.filter(summary__startswith="A generated challenge").first()
    assert generated.themes.exists()
    assert client.get(generated.url).status_code == 200
    listing = client.get("/challenges/", {"page": 2})
    assert listing.context["result_count"] == 135
    seed("--scale", "4")
    assert ChallengePage.objects.count() == 139


@pytest.mark.django_db
def test_rejects_a_short_password():
    with pytest.raises(CommandError, match="at least 12 characters"):
        seed("--password", "short")
