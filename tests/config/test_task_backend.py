"""Wagtail's background work reaches Celery only once the transaction that caused it has committed."""

import os
import time

import pytest
from django.db import transaction
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backend

from challenges.models import ChallengePage
from config.celery import app as celery_app
from tests.factories import ChallengePageFactory

ON_COMMIT = {"default": {"BACKEND": "config.task_backend.CeleryOnCommitBackend"}}


def search_titles(word: str) -> list[str]:
    return [page.title for page in get_search_backend().search(word, ChallengePage)]


@pytest.fixture
def on_commit_backend(settings):
    settings.TASKS = ON_COMMIT


@pytest.fixture
def sent_messages(monkeypatch):
    """Records what would be sent to the broker, and runs it, as an eager Celery would."""
    from config import task_backend

    sent = []
    original = task_backend.run_django_task.apply_async

    def record(*args, **kwargs):
        sent.append(kwargs["args"][0])
        return original(*args, **kwargs)

    monkeypatch.setattr(task_backend.run_django_task, "apply_async", record)
    return sent


@pytest.mark.django_db
def test_nothing_is_sent_until_commit_then_the_page_is_indexed(
    on_commit_backend, sent_messages, sponsor_index, sponsor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, title="Quokka sensors")
    assert sent_messages == []
    assert search_titles("Quokka") == []

    for callback in callbacks:
        callback()

    assert "modelsearch.tasks.insert_or_update_object_task" in sent_messages
    assert "wagtail.tasks.update_reference_index_task" in sent_messages
    assert search_titles("Quokka") == ["Quokka sensors"]


@pytest.mark.django_db
def test_a_rolled_back_save_never_reaches_the_worker(
    on_commit_backend, sent_messages, sponsor_index, sponsor, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, title="Abandoned draft")
        raise RuntimeError("the editor's request failed")
    assert callbacks == []
    assert sent_messages == []


@pytest.mark.django_db
def test_the_enqueue_result_says_the_task_is_waiting(on_commit_backend, django_capture_on_commit_callbacks):
    from wagtail.tasks import update_reference_index_task

    with django_capture_on_commit_callbacks(execute=False):
        result = update_reference_index_task.enqueue("challenges", "challengepage", "1")
    assert result.status == "READY"
    assert result.backend == "default"
    assert result.args == ["challenges", "challengepage", "1"]


@pytest.mark.celery_worker
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (a real Redis broker)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_indexes_a_page_saved_inside_an_atomic_block(settings, sponsor_index, sponsor):
    from celery.contrib.testing.worker import start_worker

    settings.TASKS = ON_COMMIT
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = os.environ["CELERY_BROKER_URL"]
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            with transaction.atomic():
                page = ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, title="Axolotl wellbeing")
                time.sleep(1)  # a worker given the message now would find nothing committed
                assert search_titles("Axolotl") == []
            deadline = time.monotonic() + 20
            while search_titles("Axolotl") != ["Axolotl wellbeing"] and time.monotonic() < deadline:
                time.sleep(0.2)
            assert search_titles("Axolotl") == ["Axolotl wellbeing"]
            while not ReferenceIndex.get_references_for_object(page).exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert ReferenceIndex.get_references_for_object(page).exists()
    finally:
        celery_app.conf.task_always_eager = True
