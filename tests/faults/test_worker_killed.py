"""A Celery worker killed with SIGKILL, three times, while it sends 1,500 emails: each email still arrives once.

Each kill lands while every pool process is in the middle of an SMTP conversation (the recording mail server
holds them there; see tests/faults/mailbox.py), so the emails they were sending were not yet accepted. Their
messages were never acknowledged (``acks_late``): once the visibility timeout passes, kombu gives them to the
restarted worker, which finds the outbox rows still pending (the killed transactions rolled back) and sends
them. Everything already sent is skipped on redelivery. What this cannot cover, by design, is a kill after
the server accepted an email and before the database committed "sent": that email goes out twice (at least
once; see ``notification_send``), which tests/notifications/test_tasks.py shows.
"""

import time
from collections import Counter

import pytest
import redis
from django.conf import settings
from django.db import transaction

from notifications.models import Notification
from notifications.services import notify

from .mailbox import received
from .services import VISIBILITY_TIMEOUT, publishing_to, requires_real_services, wait_for

pytestmark = [
    requires_real_services,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TOTAL = 1500
KILL_AFTER = (150, 450, 750)
"""Kill when this many emails have been accepted. The last kill must still find emails to send: while the test waits
for a kill's redelivery (the visibility timeout) the restarted worker sends freely, about 300 emails on a quiet
2-core machine, so TOTAL leaves that much and more after the last threshold."""


def queue_emails(broker_url: str) -> None:
    with publishing_to(broker_url), transaction.atomic():
        for n in range(TOTAL):
            notify(
                to=f"supplier{n}@example.org",
                template="submissions/email/withdrawn",
                context={
                    "reference": f"UC-2027-{n:05}",
                    "title": f"Proposal {n}",
                    "challenge": "Prevent homelessness with data",
                    "organisation": f"Supplier {n} Ltd",
                    "withdrawn_at": "1 March 2027, 9:30am",
                },
                key=f"fault:{n}",
            )


def test_a_worker_killed_three_times_sends_every_email_exactly_once(redis_server, start_worker, mailbox, tmp_path):
    started = time.monotonic()
    queue_emails(redis_server.url)
    broker = redis.Redis.from_url(redis_server.url)
    assert broker.llen(settings.CELERY_TASK_DEFAULT_QUEUE) == TOTAL

    hold, holding = tmp_path / "hold", tmp_path / "hold.d"
    worker = start_worker()
    killed_mid_send: list[str] = []
    recoveries = []
    for threshold in KILL_AFTER:
        wait_for(lambda threshold=threshold: len(received(mailbox)) >= threshold, timeout=60, what=f"{threshold} sent")
        hold.touch()
        in_flight = wait_for(
            lambda worker=worker: (
                (keys := [p.read_text() for p in holding.glob("*")]) and len(keys) == worker.concurrency and keys
            ),
            timeout=20,
            what="every pool process in mid-conversation",
        )
        worker.kill()
        killed_mid_send += in_flight
        for marker in holding.glob("*"):
            marker.unlink()
        hold.unlink()
        assert not {email["key"] for email in received(mailbox)} & set(in_flight)

        restarted = time.monotonic()
        worker = start_worker()
        wait_for(
            lambda in_flight=in_flight: set(in_flight) <= {email["key"] for email in received(mailbox)},
            timeout=VISIBILITY_TIMEOUT + 60,
            what="the killed sends to be redelivered",
        )
        recoveries.append(round(time.monotonic() - restarted, 1))

    wait_for(lambda: len(received(mailbox)) >= TOTAL, timeout=90, what=f"all {TOTAL} emails")
    wait_for(
        lambda: broker.llen(settings.CELERY_TASK_DEFAULT_QUEUE) == 0 and broker.hlen("unacked") == 0,
        timeout=30,
        what="an empty broker",
    )
    time.sleep(1)  # a duplicate would have time to arrive
    worker.stop()

    emails = received(mailbox)
    copies = Counter(email["key"] for email in emails)
    assert len(killed_mid_send) == len(KILL_AFTER) * worker.concurrency
    assert set(copies) == {f"fault:{n}" for n in range(TOTAL)}
    assert [key for key, count in copies.items() if count > 1] == []
    assert len(emails) == TOTAL
    assert len({email["message_id"] for email in emails}) == TOTAL
    assert Counter(Notification.objects.values_list("status", "attempts")) == {("sent", 1): TOTAL}
    print(
        f"\n{TOTAL} emails, 3 SIGKILLs: recovery after restart {recoveries} s, total {time.monotonic() - started:.1f} s"
    )
