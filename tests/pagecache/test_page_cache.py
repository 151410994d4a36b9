"""The anonymous page cache: visitors get stored pages without touching the database, signed-in users never
do, and publishing, deadlines and announcements are never hidden behind a stale copy."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from pagecache.keys import page_key
from pagecache.middleware import HEADER
from tests.factories import ChallengePageFactory, UserFactory

pytestmark = pytest.mark.django_db

cached = override_settings(PAGE_CACHE_SECONDS=300)


@cached
def test_a_second_anonymous_visit_is_served_from_the_cache_without_a_query(
    client, demo_site, django_assert_num_queries
):
    first = client.get(demo_site.challenge.url)
    assert first[HEADER] == "miss"

    with django_assert_num_queries(0):
        second = client.get(demo_site.challenge.url)

    assert second.status_code == 200
    assert second[HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Prevent homelessness with data" in second.content.decode()


@cached
def test_every_page_and_query_string_is_stored_apart(client, demo_site):
    client.get("/")
    home = client.get("/")
    listing = client.get(demo_site.listing.url)
    filtered = client.get(demo_site.listing.url, {"status": "open"})
    assert home[HEADER] == "hit"
    assert listing[HEADER] == "miss" and filtered[HEADER] == "miss"
    assert listing.content != home.content


@cached
def test_a_signed_in_user_never_gets_a_cached_page_nor_leaves_one_behind(client, demo_site):
    client.get("/")
    assert client.get("/")[HEADER] == "hit"

    user = UserFactory(email="ada@brumtech.example")
    client.force_login(user)
    signed_in = client.get("/")
    assert HEADER not in signed_in
    assert "Sign out" in signed_in.content.decode()

    client.logout()
    client.cookies.clear()
    anonymous = client.get("/")
    assert anonymous[HEADER] == "hit"
    assert "Sign out" not in anonymous.content.decode()


@cached
def test_a_page_with_a_form_token_is_never_shared(client, db):
    first = client.get(reverse("account_login"))
    client.cookies.clear()
    second = client.get(reverse("account_login"))
    assert first.status_code == second.status_code == 200
    assert HEADER not in first and HEADER not in second
    assert "csrfmiddlewaretoken" in second.content.decode()


@cached
def test_errors_redirects_and_posts_are_not_stored(client, demo_site):
    assert HEADER not in client.get("/no-such-page/")
    assert HEADER not in client.get("/no-such-page/")
    assert HEADER not in client.get("/proposals/")  # a redirect to sign in
    assert HEADER not in client.post(demo_site.challenge.url)


@cached
def test_publishing_a_change_purges_the_cache(client, demo_site, django_capture_on_commit_callbacks):
    url = demo_site.challenge.url
    client.get(url)
    assert client.get(url)[HEADER] == "hit"

    demo_site.challenge.title = "Prevent homelessness with better data"
    with django_capture_on_commit_callbacks(execute=True):
        demo_site.challenge.save_revision().publish()

    after = client.get(url)
    assert after[HEADER] == "miss"
    assert "Prevent homelessness with better data" in after.content.decode()


@cached
def test_a_page_is_not_kept_past_the_next_deadline(client, demo_site):
    closes_at = timezone.now() + timedelta(seconds=2)
    closing = ChallengePageFactory(
        parent=demo_site.sponsor_index, sponsor=demo_site.challenge.sponsor, title="Last minute", closes_at=closes_at
    )
    client.get(closing.url)
    assert client.get(closing.url)[HEADER] == "hit"

    time.sleep(max((closes_at - timezone.now()).total_seconds(), 0) + 0.05)

    after = client.get(closing.url)
    assert after[HEADER] == "miss"
    assert 'govuk-tag--green">Open<' not in after.content.decode()


@override_settings(
    PAGE_CACHE_SECONDS=300,
    CACHES={"default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:9"}},
)
def test_a_stopped_redis_serves_pages_uncached_instead_of_failing(client, demo_site, caplog):
    first = client.get(demo_site.challenge.url)
    second = client.get(demo_site.challenge.url)
    assert first.status_code == second.status_code == 200
    assert second[HEADER] == "miss"
    assert "Prevent homelessness with data" in second.content.decode()
    assert "Redis cache unreachable" in caplog.text


@override_settings(PAGE_CACHE_SECONDS=300, PAGE_CACHE_LOCAL_SECONDS=1)
def test_each_process_keeps_its_own_copy_and_sees_a_purge_within_a_second(
    client, demo_site, django_capture_on_commit_callbacks, django_assert_num_queries
):
    url = demo_site.challenge.url
    client.get(url)
    cache.delete(page_key_for(url))  # only this process's copy is left
    with django_assert_num_queries(0):
        assert client.get(url)[HEADER] == "hit"

    demo_site.challenge.title = "Prevent homelessness with better data"
    with django_capture_on_commit_callbacks(execute=True):
        demo_site.challenge.save_revision().publish()
    time.sleep(1.05)

    after = client.get(url)
    assert after[HEADER] == "miss"
    assert "Prevent homelessness with better data" in after.content.decode()


def page_key_for(url: str) -> str:
    return page_key(RequestFactory().get(url))
