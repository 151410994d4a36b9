"""The home page and the site chrome every page shows cost a fixed number of queries, however many challenges
and footer pages there are."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from home.models import StandardPage
from tests.challenges.kept_queries import page_queries
from tests.factories import ChallengePageFactory

DAY = timedelta(days=1)


def add_challenges(site, count: int) -> None:
    now = timezone.now()
    for n in range(count):
        upcoming = n % 2 == 0
        ChallengePageFactory(
            parent=site.sponsor_index,
            sponsor=site.challenge.sponsor,
            opens_at=now + (n + 1) * DAY if upcoming else now - DAY,
            closes_at=now + (n + 40) * DAY,
        )


@pytest.mark.django_db
def test_the_home_page_query_count_does_not_grow_with_the_number_of_challenges(client, demo_site):
    add_challenges(demo_site, 4)
    client.get("/")
    small = page_queries(client, "/")

    add_challenges(demo_site, 40)
    large = page_queries(client, "/")
    assert (large.cold, large.warm) == (small.cold, small.warm)
    # Kept: the home page's own row is all it reads until a page is published or a challenge changes status.
    assert large.warm == 1
    assert len(large.response.context["open_challenges"]) == 3
    assert len(large.response.context["upcoming_challenges"]) == 3


@pytest.mark.django_db
def test_the_footer_lists_public_top_level_pages_only(client, demo_site, home_page):
    about = StandardPage(title="About the programme", slug="about", body=[])
    home_page.add_child(instance=about)
    private = StandardPage(title="Staff notes", slug="staff", body=[])
    home_page.add_child(instance=private)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    body = client.get(demo_site.challenge.url).content.decode()
    assert 'href="/about/">About the programme</a>' in body
    assert "Staff notes" not in body
    assert 'href="/challenges/"' in body
