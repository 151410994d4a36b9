"""With a real broker and worker: the email goes out only after the event's transaction commits."""

import os
import time

import pytest
from django.core import mail
from django.db import transaction

from config.celery import app as celery_app
from notifications.models import Notification
from notifications.services import notify


@pytest.mark.celery_worker
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (a real Redis broker)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_once_after_commit():
    from celery.contrib.testing.worker import start_worker

    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = os.environ["CELERY_BROKER_URL"]
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            with transaction.atomic():
                notification = notify(to="asha@example.org", template="tests/email/plain", context={}, key="w1")
                notify(to="asha@example.org", template="tests/email/plain", context={}, key="w1")
                time.sleep(1)  # a worker given the message now would find nothing committed
                assert mail.outbox == []
            deadline = time.monotonic() + 20
            while not mail.outbox and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(0.5)
    finally:
        celery_app.conf.task_always_eager = True
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
