from datetime import timedelta

import pytest
from django.utils import timezone

from challenges.models import Theme
from tests.challenges.kept_queries import page_queries
from tests.factories import ChallengeIndexPageFactory, ChallengePageFactory, SponsorFactory

DAY = timedelta(days=1)


def titles(response) -> list[str]:
    return [challenge.title for challenge in response.context["challenges"]]


@pytest.fixture
def catalogue(listing, sponsor_index, sponsor):
    """Challenges at different stages, from two sponsors, with known themes."""
    now = timezone.now()
    homelessness = Theme.objects.get(slug="homelessness")
    wellbeing = Theme.objects.get(slug="wellbeing")
    council = SponsorFactory(name="Brindleford City Council", slug="brindleford")
    council_section = ChallengeIndexPageFactory(parent=listing, title=council.name, slug="brindleford", sponsor=council)

    def make(title, section, owner, themes, opens, closes, **dates):
        return ChallengePageFactory(
            parent=section, title=title, sponsor=owner, themes=themes, opens_at=opens, closes_at=closes, **dates
        )

    make("Closes in a week", sponsor_index, sponsor, [homelessness], now - 10 * DAY, now + 7 * DAY)
    make("Closes tomorrow", council_section, council, [wellbeing], now - 10 * DAY, now + DAY)
    make("Opens next month", sponsor_index, sponsor, [wellbeing], now + 30 * DAY, now + 60 * DAY)
    make("Closed last week", council_section, council, [homelessness], now - 60 * DAY, now - 7 * DAY)
    make(
        "In judging",
        sponsor_index,
        sponsor,
        [homelessness, wellbeing],
        now - 90 * DAY,
        now - 30 * DAY,
        judging_starts_at=now - 20 * DAY,
        announce_at=now + 10 * DAY,
    )
    return listing


@pytest.mark.django_db
def test_default_order_is_closing_soonest_with_open_first(client, catalogue):
    response = client.get(catalogue.url)
    assert titles(response) == [
        "Closes tomorrow",
        "Closes in a week",
        "Opens next month",
        "Closed last week",
        "In judging",
    ]
    assert "5 challenges" in response.content.decode()


@pytest.mark.django_db
def test_newest_puts_the_latest_opening_first(client, catalogue):
    response = client.get(catalogue.url, {"sort": "newest"})
    assert titles(response)[0] == "Opens next month"
    assert titles(response)[-1] == "In judging"


@pytest.mark.django_db
def test_filter_by_status(client, catalogue):
    assert titles(client.get(catalogue.url, {"status": "open"})) == ["Closes tomorrow", "Closes in a week"]
    both = client.get(catalogue.url, {"status": ["closed", "judging"]})
    assert sorted(titles(both)) == ["Closed last week", "In judging"]


@pytest.mark.django_db
def test_filter_by_theme_lists_a_challenge_once_even_with_several_matching_themes(client, catalogue):
    response = client.get(catalogue.url, {"theme": ["homelessness", "wellbeing"]})
    assert sorted(titles(response)) == sorted(
        ["Closes in a week", "Closes tomorrow", "Opens next month", "Closed last week", "In judging"]
    )
    only_homelessness = titles(client.get(catalogue.url, {"theme": "homelessness"}))
    assert sorted(only_homelessness) == ["Closed last week", "Closes in a week", "In judging"]


@pytest.mark.django_db
def test_filter_by_sponsor_and_combine_filters(client, catalogue):
    response = client.get(catalogue.url, {"sponsor": "brindleford", "status": "open"})
    assert titles(response) == ["Closes tomorrow"]
    assert "matching Open, Brindleford City Council" in " ".join(response.content.decode().split())


@pytest.mark.django_db
def test_a_sponsors_section_lists_only_its_own_challenges(client, catalogue, sponsor_index):
    response = client.get(sponsor_index.url)
    assert sorted(titles(response)) == ["Closes in a week", "In judging", "Opens next month"]


@pytest.mark.django_db
def test_a_bad_filter_value_is_explained_and_the_other_filters_still_apply(client, catalogue):
    response = client.get(catalogue.url, {"status": "nonsense", "theme": "homelessness"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Choose a status from the list." in body
    assert sorted(titles(response)) == ["Closed last week", "Closes in a week", "In judging"]
    assert "<title>Error: " in body


@pytest.mark.django_db
def test_cards_say_when_each_challenge_closes(client, catalogue):
    body = client.get(catalogue.url).content.decode()
    assert "Closes tomorrow — " in body
    assert "Closes in 7 days — " in body
    assert "Opens in 30 days — " in body


@pytest.mark.django_db
def test_pagination_keeps_the_filters(client, settings, listing, sponsor_index, sponsor):
    settings.CHALLENGES_PER_PAGE = 2
    for number in range(5):
        ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, title=f"Open {number}")
    first = client.get(listing.url, {"status": "open"})
    assert len(first.context["challenges"]) == 2
    assert "?status=open&amp;page=2" in first.content.decode()
    last = client.get(listing.url, {"status": "open", "page": 3})
    assert len(last.context["challenges"]) == 1
    beyond = client.get(listing.url, {"status": "open", "page": 99})
    assert beyond.status_code == 200
    assert beyond.context["page_obj"].number == 3


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"status": "open", "theme": "homelessness", "sort": "newest"}])
def test_listing_query_count_does_not_grow_with_the_number_of_challenges(
    client, settings, listing, sponsor_index, sponsor, params
):
    settings.CHALLENGES_PER_PAGE = 60
    homelessness = Theme.objects.get(slug="homelessness")

    def add(count):
        for _ in range(count):
            ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, themes=[homelessness])

    add(5)
    client.get(listing.url, params)  # warm the content-type cache
    small = page_queries(client, listing.url, params)
    assert len(small.response.context["challenges"]) == 5

    add(45)
    large = page_queries(client, listing.url, params)
    assert (large.cold, large.warm) == (small.cold, small.warm)
    if not params:
        # Unfiltered, the order, the cards and the filter form are kept: only the listing's own row is read.
        assert large.warm == 1
    response = large.response
    assert len(response.context["challenges"]) == 50
