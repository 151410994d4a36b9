"""Wagtail's own page search in the admin keeps working on the configured search backend."""

from django.urls import reverse
from wagtail.search import index

from tests.factories import UserFactory


def test_the_admin_page_search_finds_a_challenge(client, demo_site):
    # Publishing queues Wagtail's index update as a background task (a Celery task when a broker is
    # configured); do that work here so the test is about searching, not about the queue.
    index.insert_or_update_object(demo_site.challenge)
    client.force_login(UserFactory(is_superuser=True, is_staff=True, verified=True, two_factor=True))

    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "homelessness"})

    assert response.status_code == 200
    assert demo_site.challenge.title in response.content.decode()
    missing = client.get(reverse("wagtailadmin_pages:search"), {"q": "zebra crossings"}).content.decode()
    assert demo_site.challenge.title not in missing
