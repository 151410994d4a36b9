"""The public challenge pages stay cheap as challenges accumulate: fixed query counts, private sections kept out
of lists, pages found at their current address, and pagination that names only the pages it links to."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from challenges.models import ChallengePage
from tests.challenges.kept_queries import page_queries
from tests.factories import ChallengeIndexPageFactory, ChallengePageFactory, SponsorFactory

DAY = timedelta(days=1)


def add_challenges(section, sponsor, count: int, **fields) -> list[ChallengePage]:
    return [ChallengePageFactory(parent=section, sponsor=sponsor, **fields) for _ in range(count)]


@pytest.mark.django_db
def test_a_challenge_page_makes_the_same_queries_however_many_challenges_and_questions_there_are(client, demo_site):
    client.get(demo_site.challenge.url)
    small = page_queries(client, demo_site.challenge.url)

    add_challenges(demo_site.sponsor_index, demo_site.challenge.sponsor, 30)
    busy = ChallengePageFactory(
        parent=demo_site.sponsor_index,
        sponsor=demo_site.challenge.sponsor,
        title="Busy challenge",
        faqs=[(f"Question {n}?", f"<p>Answer {n}.</p>") for n in range(12)],
    )
    large = page_queries(client, busy.url)
    assert (large.cold, large.warm) == (small.cold, small.warm)
    # Once kept, the page reads only its own row: the site, the route, the navigation, the breadcrumbs, the
    # view restrictions, the stages, questions and themes are the same for every visitor.
    assert large.warm == 1
    body = large.response.content.decode()
    assert body.count('class="govuk-details"') == 12
    assert "Question 11?" in body


@pytest.mark.django_db
def test_a_challenge_is_found_at_its_new_address_after_its_section_is_renamed(client, demo_site):
    old_url = demo_site.challenge.url
    section = demo_site.sponsor_index
    section.slug = "west-midlands"
    section.save_revision().publish()

    moved = client.get("/challenges/west-midlands/prevent-homelessness/")
    assert moved.status_code == 200
    assert "Prevent homelessness with data" in moved.content.decode()
    assert client.get(old_url).status_code == 404
    assert client.get("/challenges/west-midlands/no-such-challenge/").status_code == 404
    assert client.get("/challenges/west-midlands/prevent-homelessness/extra/").status_code == 404


@pytest.mark.django_db
def test_a_challenge_inside_a_password_protected_section_is_listed_nowhere_and_asks_for_the_password(
    client, demo_site, listing
):
    hidden_sponsor = SponsorFactory(name="Hidden Council", slug="hidden")
    hidden = ChallengeIndexPageFactory(parent=listing, title="Hidden Council", slug="hidden", sponsor=hidden_sponsor)
    secret = ChallengePageFactory(
        parent=hidden, sponsor=hidden_sponsor, title="Secret pilot", closes_at=timezone.now() + DAY
    )
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")

    home = client.get("/")
    assert [c.title for c in home.context["open_challenges"]] == ["Prevent homelessness with data"]
    listed = client.get(listing.url)
    assert listed.context["result_count"] == 1
    assert "Secret pilot" not in listed.content.decode()
    page = client.get(secret.url)
    assert "Secret pilot" not in page.content.decode()
    assert "password" in page.content.decode().lower()


@pytest.mark.django_db
def test_the_home_page_shows_challenges_a_manager_forced_open_or_upcoming(client, demo_site):
    now = timezone.now()
    section, sponsor = demo_site.sponsor_index, demo_site.challenge.sponsor
    ChallengePageFactory(
        parent=section, sponsor=sponsor, title="Reopened", opens_at=now - 90 * DAY, closes_at=now - 60 * DAY,
        status_override="open",
    )  # fmt: skip
    ChallengePageFactory(
        parent=section, sponsor=sponsor, title="Held back", opens_at=now - 5 * DAY, closes_at=now + 50 * DAY,
        status_override="upcoming",
    )  # fmt: skip
    ChallengePageFactory(parent=section, sponsor=sponsor, title="Next", opens_at=now + DAY, closes_at=now + 9 * DAY)
    response = client.get("/")
    assert [c.title for c in response.context["open_challenges"]] == ["Reopened", "Prevent homelessness with data"]
    assert [c.title for c in response.context["upcoming_challenges"]] == ["Held back", "Next"]


@pytest.mark.django_db
def test_pagination_links_the_first_last_and_nearby_pages_and_beyond_the_end_shows_the_last(
    client, settings, listing, sponsor_index, sponsor
):
    settings.CHALLENGES_PER_PAGE = 1
    add_challenges(sponsor_index, sponsor, 20)
    response = client.get(listing.url, {"page": 10})
    body = response.content.decode()
    linked = {n for n in range(1, 21) if f'aria-label="Page {n}"' in body}
    assert linked == {1, 9, 10, 11, 20}
    assert body.count("govuk-pagination__item--ellipses") == 2
    assert response.context["result_count"] == 20
    assert len(response.context["challenges"]) == 1

    last = client.get(listing.url, {"page": 99})
    assert last.context["page_obj"].number == 20
    assert 'aria-label="Page 20" aria-current="page"' in last.content.decode()
    assert client.get(listing.url, {"page": "not-a-number"}).context["page_obj"].number == 1
    assert client.get(listing.url, {"page": -3}).context["page_obj"].number == 20
