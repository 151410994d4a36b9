"""What the public pages keep between requests (core.kept: routes, navigation, breadcrumbs, a challenge's content,
cards, the listing's order) is never shown stale: each kept result is worked out again when what it depends on
changes, in this process at once and in every other once the change commits, and when the clock passes a
deadline it depends on."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageViewRestriction

from challenges.models import ChallengePage, Theme
from core import kept as kept_module
from home.models import StandardPage
from judging.services.decisions import challenge_announce
from tests.challenges.test_winners import decide
from tests.factories import ChallengePageFactory
from tests.factories.judging import closed_challenge

DAY = timedelta(days=1)


def text(response) -> str:
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def warm(client, *urls) -> None:
    """Visit each page twice, so everything it keeps is kept."""
    for url in urls:
        client.get(url)
        client.get(url)


@pytest.mark.django_db
def test_a_published_challenge_appears_on_the_home_page_the_listing_and_at_its_address(
    client, demo_site, django_capture_on_commit_callbacks
):
    warm(client, "/", demo_site.listing.url)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = ChallengePageFactory(
            parent=demo_site.sponsor_index,
            sponsor=demo_site.challenge.sponsor,
            title="Fresh call",
            closes_at=timezone.now() + DAY,
            live=False,
        )
        fresh.save_revision().publish()

    assert [c.title for c in client.get("/").context["open_challenges"]] == [
        "Fresh call",
        "Prevent homelessness with data",
    ]
    listing = client.get(demo_site.listing.url)
    assert listing.context["result_count"] == 2
    assert "Fresh call" in text(listing)
    assert "Fresh call" in text(client.get(fresh.url))


@pytest.mark.django_db
def test_an_unpublished_challenge_is_gone_from_every_kept_list_and_its_address(client, demo_site):
    url = demo_site.challenge.url
    warm(client, "/", demo_site.listing.url, url)
    demo_site.challenge.unpublish()

    assert client.get(url).status_code == 404
    assert client.get("/").context["open_challenges"] == []
    assert client.get(demo_site.listing.url).context["result_count"] == 0


@pytest.mark.django_db
def test_a_page_unpublished_by_another_process_is_not_found_here_before_the_news_arrives(client, demo_site):
    """The kept route only says where a page was: the page itself is read on every request, and must still be
    live at that address, else Wagtail routes the request."""
    url = demo_site.challenge.url
    warm(client, url)
    ChallengePage.objects.filter(pk=demo_site.challenge.pk).update(live=False)  # no signal, no new generation

    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_new_revision_of_the_problem_statement_is_shown_once_published_and_not_before(client, demo_site):
    url = demo_site.challenge.url
    warm(client, url)
    challenge = ChallengePage.objects.get(pk=demo_site.challenge.pk)
    challenge.problem_statement = [("paragraph", "<p>Rough sleeping rose by a third last winter.</p>")]
    challenge.what_we_seek = "<p>Early warnings a caseworker can act on.</p>"
    revision = challenge.save_revision()

    draft = text(client.get(url))
    assert "Rough sleeping rose by a third" not in draft
    assert "Prevention starts with the data we already hold." in draft

    revision.publish()
    published = text(client.get(url))
    assert "Rough sleeping rose by a third last winter." in published
    assert "Early warnings a caseworker can act on." in published
    assert "Prevention starts with the data we already hold." not in published


@pytest.mark.django_db
def test_a_preview_shows_the_draft_not_the_kept_content(client, demo_site):
    warm(client, demo_site.challenge.url)
    challenge = ChallengePage.objects.get(pk=demo_site.challenge.pk)
    challenge.problem_statement = [("paragraph", "<p>A draft nobody has published.</p>")]
    challenge.save_revision()

    preview = challenge.get_latest_revision_as_object().make_preview_request()
    preview.render()
    assert "A draft nobody has published." in preview.content.decode()
    assert "A draft nobody has published." not in text(client.get(demo_site.challenge.url))


@pytest.mark.django_db
def test_renaming_a_sponsor_or_a_theme_shows_on_the_challenge_page_and_its_card(client, demo_site):
    url, listing_url = demo_site.challenge.url, demo_site.listing.url
    warm(client, url, listing_url, "/")
    sponsor = demo_site.challenge.sponsor
    sponsor.name = "Mayor of the West Midlands"
    sponsor.save()
    theme = Theme.objects.get(slug="open-data")
    theme.name = "Open and shared data"
    theme.save()

    page = text(client.get(url))
    assert '<span class="govuk-caption-l">Mayor of the West Midlands</span>' in page
    assert "Open and shared data<br>" in page or "Open and shared data</dd>" in page
    for card_page in (listing_url, "/"):
        body = text(client.get(card_page))
        assert "<dd>Mayor of the West Midlands</dd>" in body
        assert "<dd>West Midlands Combined Authority</dd>" not in body
        assert "Open and shared data" in body


@pytest.mark.django_db
def test_announcing_the_winners_shows_them_on_the_kept_challenge_page(client, sponsor_index, sponsor, manager):
    challenge = closed_challenge(sponsor_index, sponsor, title="A judged challenge")
    decide(challenge, manager, organisation="Kindred Futures CIC", title="Home Truths", outcome="winner")
    warm(client, challenge.url, sponsor_index.url)
    assert "Home Truths" not in text(client.get(challenge.url))

    challenge_announce(challenge=challenge, by=manager)

    body = text(client.get(challenge.url))
    assert '<h2 class="govuk-heading-l" id="winners">Winners</h2>' in body
    assert "Home Truths" in body
    assert 'govuk-tag--turquoise">Winners announced<' in text(client.get(sponsor_index.url))


@pytest.mark.django_db
def test_a_section_made_private_asks_for_its_password_at_once(client, demo_site):
    url = demo_site.challenge.url
    warm(client, url, demo_site.listing.url)
    restriction = PageViewRestriction.objects.create(
        page=demo_site.sponsor_index, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )

    assert "Prevent homelessness with data" not in client.get(url).content.decode()
    assert client.get(demo_site.listing.url).context["result_count"] == 0

    restriction.delete()
    assert "Prevent homelessness with data" in text(client.get(url))


@pytest.mark.django_db
def test_the_footer_and_breadcrumbs_follow_pages_published_and_renamed(client, demo_site, home_page):
    warm(client, demo_site.challenge.url)
    about = StandardPage(title="About the programme", slug="about", body=[])
    home_page.add_child(instance=about)
    about.save_revision().publish()
    section = demo_site.sponsor_index
    section.title = "West Midlands challenges"
    section.save_revision().publish()

    body = text(client.get(demo_site.challenge.url))
    assert 'href="/about/">About the programme</a>' in body
    assert 'class="govuk-breadcrumbs__link" href="/challenges/wmca/">West Midlands challenges</a>' in body


@pytest.mark.django_db
def test_a_deadline_passing_moves_a_challenge_out_of_open_with_no_publish(client, demo_site, monkeypatch):
    now = timezone.now()
    warm(client, "/", demo_site.listing.url)
    later = now + 11 * DAY  # the demo challenge closes in 10 days
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert client.get("/").context["open_challenges"] == []
    listing = text(client.get(demo_site.listing.url))
    assert 'govuk-tag--grey">Closed<' in listing
    assert 'govuk-tag--green">Open<' not in listing


@pytest.mark.django_db
def test_another_process_publishing_makes_this_one_work_everything_out_again(client, demo_site):
    """A change in another process reaches this one through the generation in the shared cache: no signal
    runs here, yet the next request reads the page afresh."""
    warm(client, "/")
    ChallengePage.objects.filter(pk=demo_site.challenge.pk).update(title="Renamed elsewhere")
    assert "Renamed elsewhere" not in text(client.get("/"))  # no news of the change yet: kept

    cache.set(kept_module.GENERATION_KEY, cache.get(kept_module.GENERATION_KEY) + 1, timeout=None)
    assert "Renamed elsewhere" in text(client.get("/"))


@pytest.mark.django_db
def test_nothing_is_kept_while_the_shared_cache_is_unreachable(client, demo_site, settings):
    settings.CACHES = {"default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:9"}}
    warm(client, "/")
    ChallengePage.objects.filter(pk=demo_site.challenge.pk).update(title="Renamed while Redis is down")
    assert "Renamed while Redis is down" in text(client.get("/"))


@pytest.mark.django_db
def test_a_new_theme_is_offered_by_the_kept_filter_form(client, demo_site):
    warm(client, demo_site.listing.url)
    Theme.objects.create(name="Air quality", slug="air-quality")

    assert 'value="air-quality"' in client.get(demo_site.listing.url).content.decode()
