"""Redis stops while suppliers submit: every submission is accepted at once, and the receipts go out, once
each, when Redis is back and the periodic ``send_unsent`` task re-queues what the outage kept in the outbox."""

import logging
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.tasks import send_unsent
from submissions.models import Proposal, ProposalStatus
from tests.factories import UserFactory
from tests.factories.organisations import make_organisation
from tests.submissions.conftest import challenge  # noqa: F401 (a fixture)
from tests.submissions.test_flow import complete, question_ids, start

from .mailbox import received
from .services import publishing_to, requires_real_services, wait_for

pytestmark = [
    requires_real_services,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUPPLIERS = 5
MAX_SUBMIT_SECONDS = 3.0


def test_submissions_are_saved_while_redis_is_down_and_receipts_follow_once_it_is_back(
    challenge,  # noqa: F811
    redis_server,
    start_worker,
    mailbox,
    caplog,
):
    names = question_ids(challenge)
    drafts = []
    for n in range(SUPPLIERS):
        supplier = UserFactory(email=f"supplier{n}@example.org")
        organisation = make_organisation(owner=supplier, name=f"Supplier {n} Ltd")
        client = Client()
        client.force_login(supplier)
        proposal = start(client, challenge, organisation)
        complete(client, proposal, names)
        drafts.append((client, proposal))

    with publishing_to(redis_server.url):
        worker = start_worker()
        redis_server.stop()
        timings = []
        with caplog.at_level(logging.WARNING, logger="notifications.services"):
            for client, proposal in drafts:
                began = time.monotonic()
                response = client.post(reverse("submissions:submit", args=[proposal.pk]))
                timings.append(time.monotonic() - began)
                assert response.status_code == 302, response.content.decode()[:500]
        assert max(timings) < MAX_SUBMIT_SECONDS, timings
        assert caplog.text.count("could not be queued, so send_unsent will re-queue it") == SUPPLIERS

        submitted = Proposal.objects.filter(status=ProposalStatus.SUBMITTED).order_by("pk")
        assert submitted.count() == SUPPLIERS
        receipts = Notification.objects.filter(template="submissions/email/receipt")
        assert sorted(receipts.values_list("key", flat=True)) == sorted(
            f"receipt:{proposal.pk}:s{proposal.stage_id}:v1" for _, proposal in drafts
        )
        assert set(receipts.values_list("status", flat=True)) == {"pending"}

        redis_server.start()  # empty: everything queued before the outage is lost, as after a crash
        # Two minutes pass, and beat runs send_unsent (through the broker, on the worker).
        receipts.update(created_at=timezone.now() - timedelta(minutes=3))
        send_unsent.delay()
        wait_for(lambda: len(received(mailbox)) >= SUPPLIERS, timeout=45, what="the receipts")
        send_unsent.delay()  # a second run, or a second beat, sends nothing again
        time.sleep(3)
        worker.stop()

    emails = received(mailbox)
    assert Counter(email["to"][0] for email in emails) == {f"supplier{n}@example.org": 1 for n in range(SUPPLIERS)}
    references = set(submitted.values_list("reference", flat=True))
    assert {next(ref for ref in references if ref in email["subject"]) for email in emails} == references
    assert set(receipts.values_list("status", flat=True)) == {"sent"}
    print(f"\nsubmit with Redis down: {', '.join(f'{t:.2f}' for t in timings)} s")
