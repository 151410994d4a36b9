from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ChallengePageFactory

DAY = timedelta(days=1)


@pytest.mark.django_db
def test_a_visitor_reads_the_problem_the_dates_and_whether_it_is_open(client, demo_site):
    response = client.get(demo_site.challenge.url)
    body = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Prevent homelessness with data</h1>' in body
    assert 'govuk-tag--green">Open<' in body
    assert "Closes in 10 days — " in body
    assert "4,134" in body  # the key statistic block
    assert "Prevention starts with the data we already hold." in body  # the quote block
    assert "Can a consortium apply?" in body
    assert "£50,000" in body
    assert "West Midlands Combined Authority" in body
    assert "Homelessness" in body and "Open data" in body


@pytest.mark.django_db
def test_a_draft_challenge_is_not_found_by_the_public(client, sponsor_index, sponsor):
    draft = ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, live=False, title="Secret plans")
    response = client.get(draft.url_path.removeprefix("/home"))
    assert response.status_code == 404
    assert "Secret plans" not in client.get(sponsor_index.get_parent().url).content.decode()


@pytest.mark.django_db
def test_an_unpublished_challenge_disappears_from_page_and_listing(client, demo_site):
    url = demo_site.challenge.url
    demo_site.challenge.unpublish()
    assert client.get(url).status_code == 404
    listing = client.get(demo_site.listing.url)
    assert listing.context["result_count"] == 0
    assert "No challenges match these filters." in listing.content.decode()


@pytest.mark.django_db
def test_the_home_page_features_open_challenges_soonest_deadline_first(client, demo_site):
    now = timezone.now()
    ChallengePageFactory(
        parent=demo_site.sponsor_index, sponsor=demo_site.challenge.sponsor, title="Last call", closes_at=now + DAY
    )
    ChallengePageFactory(
        parent=demo_site.sponsor_index,
        sponsor=demo_site.challenge.sponsor,
        title="Not yet",
        opens_at=now + 5 * DAY,
        closes_at=now + 40 * DAY,
    )
    response = client.get("/")
    assert [c.title for c in response.context["open_challenges"]] == ["Last call", "Prevent homelessness with data"]
    assert [c.title for c in response.context["upcoming_challenges"]] == ["Not yet"]
    body = response.content.decode()
    assert "Open for proposals" in body and "Coming soon" in body
    assert f'href="{demo_site.listing.url}"' in body  # the header links to the listing


@pytest.mark.django_db
def test_a_closed_challenge_says_it_no_longer_accepts_proposals(client, sponsor_index, sponsor):
    now = timezone.now()
    page = ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, opens_at=now - 40 * DAY, closes_at=now - 2 * DAY)
    body = client.get(page.url).content.decode()
    assert "This challenge is no longer accepting proposals." in body
    assert 'govuk-tag--grey">Closed<' in body


@pytest.mark.django_db
def test_a_past_deadline_is_never_presented_as_open_for_proposals(client, sponsor_index, sponsor):
    now = timezone.now()
    page = ChallengePageFactory(
        parent=sponsor_index, sponsor=sponsor, opens_at=now - 40 * DAY, closes_at=now - DAY, status_override="open"
    )
    body = client.get(page.url).content.decode()
    assert "Start a proposal" not in body
    assert "This challenge is no longer accepting proposals." in body
