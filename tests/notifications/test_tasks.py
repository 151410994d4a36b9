"""The sending task: at most one email per notification, retried with back-off while the mail server is away."""

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from config.celery import app as celery_app
from notifications import tasks
from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import send_notification, send_unsent


def pending(**fields) -> Notification:
    return Notification.objects.create(
        to_email=fields.pop("to_email", "asha@example.org"),
        template="tests/email/plain",
        subject=fields.pop("subject", "Hello"),
        body_text="Hello.\n",
        **fields,
    )


@pytest.mark.django_db
def test_running_the_task_twice_sends_one_email():
    notification = pending()
    assert send_notification(notification.pk) is True
    assert send_notification(notification.pk) is False
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1


@pytest.mark.django_db
def test_a_deleted_notification_is_not_an_error():
    assert send_notification(123456) is False
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_send_error_is_recorded_and_retried_with_back_off(flaky_mail, monkeypatch):
    notification = pending()
    flaky_mail.failures = 1
    retries = []

    def fake_retry(*, exc, countdown):
        retries.append(countdown)
        return Retry(exc=exc, when=countdown)

    monkeypatch.setattr(send_notification, "retry", fake_retry)
    with pytest.raises(Retry):
        send_notification.apply(args=[notification.pk], throw=True)

    assert retries == [60]
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 1
    assert notification.last_attempt_at is not None
    assert notification.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert notification.sent_at is None
    assert mail.outbox == []

    # The retry runs later and the mail server is back: one email, and the record says so.
    monkeypatch.undo()
    send_notification.apply(args=[notification.pk], retries=1, throw=True)
    send_notification.apply(args=[notification.pk], retries=2, throw=True)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2
    assert notification.last_error == ""


@pytest.fixture
def retries_run_eagerly():
    """Let eager Celery run a task's retries in-process, as a worker would (minus the waiting)."""
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = True


@pytest.mark.django_db
def test_an_outage_is_ridden_out_by_the_retries(flaky_mail, retries_run_eagerly, django_capture_on_commit_callbacks):
    flaky_mail.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(to="asha@example.org", template="tests/email/plain", context={}, key="k1")
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 3


@pytest.mark.django_db
def test_after_the_last_retry_the_notification_is_marked_failed(flaky_mail, retries_run_eagerly):
    notification = pending()
    flaky_mail.failures = 100
    result = send_notification.apply(args=[notification.pk])
    assert result.state == "FAILURE"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == tasks.MAX_RETRIES + 1
    assert "SMTPServerDisconnected" in notification.last_error
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_broken_mail_server_does_not_break_the_request_that_caused_the_email(
    flaky_mail, django_capture_on_commit_callbacks
):
    flaky_mail.failures = 100
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(to="asha@example.org", template="tests/email/plain", context={}, key="k1")
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 1
    assert mail.outbox == []


def test_the_back_off_doubles_up_to_an_hour():
    assert [tasks.retry_delay(n) for n in range(8)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]


@pytest.mark.django_db
def test_send_unsent_requeues_only_pending_notifications_older_than_two_minutes():
    now = timezone.now()
    lost = pending(subject="Lost", created_at=now - timedelta(minutes=3))
    fresh = pending(subject="Fresh", created_at=now - timedelta(seconds=30))
    sent = pending(subject="Sent", created_at=now - timedelta(hours=1), status="sent", sent_at=now)
    failed = pending(subject="Failed", created_at=now - timedelta(hours=5), status="failed")
    waiting_for_retry = pending(
        subject="Retrying",
        created_at=now - timedelta(minutes=10),
        attempts=2,
        last_attempt_at=now - timedelta(minutes=5),
    )
    abandoned_retry = pending(
        subject="Abandoned", created_at=now - timedelta(hours=3), attempts=2, last_attempt_at=now - timedelta(hours=2)
    )

    assert send_unsent() == 2

    assert sorted(email.subject for email in mail.outbox) == ["Abandoned", "Lost"]
    statuses = dict(Notification.objects.values_list("subject", "status"))
    assert statuses == {
        "Lost": "sent",
        "Fresh": "pending",
        "Sent": "sent",
        "Failed": "failed",
        "Retrying": "pending",
        "Abandoned": "sent",
    }
    assert {lost.pk, fresh.pk, sent.pk, failed.pk, waiting_for_retry.pk, abandoned_retry.pk}
    assert send_unsent() == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_management_command_sends_what_was_left_behind():
    pending(subject="Lost", created_at=timezone.now() - timedelta(minutes=3))
    from io import StringIO

    out = StringIO()
    call_command("send_unsent_notifications", stdout=out)
    assert out.getvalue() == "Queued 1 unsent notification(s).\n"
    assert [email.subject for email in mail.outbox] == ["Lost"]


def test_the_task_names_beat_schedules_by():
    assert send_notification.name == "notifications.tasks.send_notification"
    assert send_unsent.name == "notifications.tasks.send_unsent"
    assert send_notification.acks_late is True
