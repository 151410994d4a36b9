"""Elasticsearch unreachable: the archive answers from the database, indexing retries, reconcile repairs."""

import logging

import pytest
from celery.signals import task_retry
from django.urls import reverse

from archive.models import ArchiveEntry
from archive.search import DATABASE_BACKEND, SearchRequest
from archive.services import archive_sync_challenge
from archive.tasks import RETRY, reconcile, sync_challenge
from config.celery import app as celery_app
from tests.archive.conftest_elastic import ELASTIC_BACKEND

from .services import free_port

TITLE = "Prevent homelessness with data"


@pytest.fixture
def archived(demo_site, settings):
    """The demo challenge in the archive, written while search was the database."""
    settings.ARCHIVE_SEARCH_BACKEND = DATABASE_BACKEND
    archive_sync_challenge(demo_site.challenge.pk)
    return demo_site.challenge


@pytest.fixture
def search_unreachable(settings):
    """Elasticsearch configured, on a port where nothing listens."""
    settings.ARCHIVE_SEARCH_BACKEND = ELASTIC_BACKEND
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{free_port()}"
    settings.ELASTICSEARCH_TIMEOUT = 2
    return settings


@pytest.mark.django_db
def test_search_and_suggestions_fall_back_to_the_database_with_a_warning(archived, search_unreachable, client, caplog):
    with caplog.at_level(logging.WARNING, logger="archive.search"):
        page = client.get(reverse("archive:search"), {"q": "homelessness"})
        suggestions = client.get(reverse("archive:suggest"), {"q": "Prevent"})
    assert page.status_code == 200
    assert TITLE in page.content.decode()
    assert suggestions.status_code == 200 and TITLE in suggestions.json()
    assert "Archive search fell back to the database" in caplog.text
    assert "Archive suggestions unavailable" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the index is written on commit
def test_indexing_retries_while_search_is_down_and_reconcile_repairs_the_index(
    demo_site, search_unreachable, elasticsearch_cluster, elasticsearch_url, caplog
):
    retries = []
    task_retry.connect(lambda request, reason, **kwargs: retries.append(str(reason)), weak=False, dispatch_uid="h5")
    celery_app.conf.task_eager_propagates = False  # let eager Celery run the retries, as a worker would
    try:
        result = sync_challenge.apply(args=[demo_site.challenge.pk])
    finally:
        celery_app.conf.task_eager_propagates = True
        task_retry.disconnect(dispatch_uid="h5")
    assert result.state == "FAILURE"
    assert len(retries) == RETRY["max_retries"]
    assert all("Connection refused" in reason or "ConnectionError" in reason for reason in retries), retries[:1]
    assert ArchiveEntry.objects.filter(challenge=demo_site.challenge).exists()  # the table is current already

    # Search is back: the periodic reconcile puts in the index what the failed task could not.
    from tests.archive.conftest_elastic import TEST_NODE_CLASS

    settings = search_unreachable
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ARCHIVE_INDEX_PREFIX = "fault"
    settings.ARCHIVE_ELASTICSEARCH_REFRESH = "true"
    if elasticsearch_cluster.emulated:
        settings.ARCHIVE_ELASTICSEARCH_NODE_CLASS = TEST_NODE_CLASS
    report = reconcile.apply().get()
    assert report["backend"] == ArchiveEntry.objects.count() >= 1

    from archive.search import search

    with caplog.at_level(logging.WARNING, logger="archive.search"):
        found = search(SearchRequest(q="homelessness"))
    assert "fell back" not in caplog.text
    assert TITLE in [hit.title for hit in found.hits]
    assert reconcile.apply().get()["backend"] == 0
