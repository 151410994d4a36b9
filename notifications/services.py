"""Writes for the outbox. ``notify()`` is the one way the platform sends an email.

An event calls ``notify()`` inside its own transaction. The email is rendered there and then, stored as a
``Notification`` row, and handed to Celery only once that transaction commits: a rolled-back event sends
nothing, and a committed one is never lost, because the row waits in the outbox until a worker sends it.
"""

import base64
import logging
import smtplib
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.tasks import after_commit, task_named

from .models import Notification, new_key
from .rendering import build_message, render_email
from .selectors import unsent_notification_ids

logger = logging.getLogger(__name__)

#: Errors worth retrying: the mail server or the network was unavailable for a moment.
SEND_ERRORS = (smtplib.SMTPException, OSError, ConnectionError)
MAX_ERROR_LENGTH = 2000
SEND_TASK = "notifications.tasks.send_notification"


Attachment = tuple[str, str | bytes, str]
"""``(filename, content, mimetype)``: text content is encoded as UTF-8."""


def notify(
    *,
    to: str,
    template: str,
    context: dict,
    key: str | None = None,
    reply_to: str = "",
    attachments: list[Attachment] | tuple[Attachment, ...] = (),
) -> Notification:
    """Queue one email to ``to``, rendered now from ``<template>_subject.txt``, ``_message.txt`` and
    (if it exists) ``_message.html``.

    ``key`` makes the call idempotent: if a notification with that key already exists it is returned as it
    is and nothing new is sent, so a double click, a retried request or a redelivered task never emails twice.
    Choose a key that names the event, such as ``"receipt:42:v3"``. Without a key every call sends.

    The email is rendered at the moment of the event, so it states the facts as they were then, however
    late it is sent. Sending is scheduled with ``transaction.on_commit``, so call this inside the event's
    transaction.

    ``attachments`` are stored with the notification, so the email sent (or re-sent) carries the file as it
    was at the event, like its text.
    """
    if key is not None and (existing := _find(key)) is not None:
        return existing

    rendered = render_email(template=template, context=context)
    notification = Notification(
        key=key or new_key(),
        to_email=to,
        reply_to=reply_to,
        template=template,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        attachments=[_stored_attachment(*attachment) for attachment in attachments],
    )
    # The unique key and the "sent has a sent_at" check are the database's (the insert below catches the first);
    # asking for them here too would cost a savepoint and a query per email.
    notification.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            notification.save(force_insert=True)
    except IntegrityError:
        # Another process created the same key between our look-up and our insert: theirs wins.
        if key is None or (existing := _find(key)) is None:
            raise
        return existing

    _enqueue_on_commit(notification.pk)
    return notification


def _stored_attachment(filename: str, content: str | bytes, mimetype: str) -> dict:
    data = content.encode() if isinstance(content, str) else content
    return {"filename": filename, "mimetype": mimetype, "content_base64": base64.b64encode(data).decode("ascii")}


def _find(key: str) -> Notification | None:
    return Notification.objects.filter(key=key).first()


def _enqueue_on_commit(notification_id: int) -> None:
    """Hand the notification to Celery once the current transaction commits.

    If the broker is down the publish fails fast (the bounded ``CELERY_TASK_PUBLISH_RETRY_POLICY`` and
    socket timeouts), a warning is logged, and the row stays pending for ``send_unsent``; the event that
    caused the email has already committed and must neither fail nor hang because of it.
    """

    def unsent(error: Exception) -> None:
        logger.warning(
            "Notification %s could not be queued, so send_unsent will re-queue it: %s", notification_id, error
        )

    after_commit(SEND_TASK, notification_id, on_error=unsent)


def notification_send(*, notification_id: int) -> bool:
    """Send a pending notification and mark it sent. Returns whether this call sent it.

    The row is locked for the duration, so two workers given the same notification (a redelivered
    message, or ``send_unsent`` re-queueing one that was only slow) send it once: the second waits for
    the lock and then finds it sent. A missing or already sent notification is not an error.

    Delivery is at least once, never at most once: a worker killed at any point before the mail server
    accepts the email (the SIGKILL fault test kills workers in mid-conversation) rolls the transaction back,
    the lock goes with the connection, and the redelivered task sends the email once. The one window left
    open is after the server accepted it and before ``COMMIT`` returns: the row is still pending and a later
    run sends it again. No database transaction can include an SMTP conversation; losing a receipt is worse
    than a rare second copy, so the "sent" mark is written *before* the send and only the ``COMMIT`` round
    trip follows it. The Message-ID stays the same on a repeat, so many mail systems show one copy.

    On SQLite ``select_for_update`` does nothing; the guarantee against concurrent workers needs PostgreSQL.
    """
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != Notification.Status.PENDING:
            return False
        message = build_message(notification)
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk).update(
            status=Notification.Status.SENT,
            sent_at=now,
            last_attempt_at=now,
            attempts=F("attempts") + 1,
            last_error="",
        )
        message.send(fail_silently=False)
    return True


def notification_record_failure(*, notification_id: int, error: BaseException, final: bool) -> None:
    """Record a failed attempt in its own transaction, so it survives the task's retry.

    A pending notification stays pending while retries remain; after the last one it is marked failed,
    and a site administrator can see it, and the error, in the outbox.
    """
    with transaction.atomic():
        Notification.objects.filter(pk=notification_id, status=Notification.Status.PENDING).update(
            status=Notification.Status.FAILED if final else Notification.Status.PENDING,
            attempts=F("attempts") + 1,
            last_attempt_at=timezone.now(),
            last_error=f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH],
        )
    logger.warning("Notification %s not sent (final=%s): %s", notification_id, final, error)


def notification_resend(*, notification: Notification) -> Notification:
    """Give a failed notification another round of attempts, for example once the mail server is fixed."""
    if notification.status != Notification.Status.FAILED:
        return notification
    notification.status = Notification.Status.PENDING
    notification.save(update_fields=["status"])
    _enqueue_on_commit(notification.pk)
    return notification


def notifications_requeue_unsent(*, min_age: timedelta, retry_grace: timedelta, now: datetime | None = None) -> int:
    """Queue a send for every notification that should have gone out by now but has not.

    Catches messages lost while the broker was down or when a worker died mid-task. Notifications that a
    retry is still waiting to send (last attempt within ``retry_grace``) are left to that retry, so a
    struggling mail server is not hit by a growing number of copies of the same task.
    Returns the number queued.
    """
    notification_ids = unsent_notification_ids(now=now or timezone.now(), min_age=min_age, retry_grace=retry_grace)
    for notification_id in notification_ids:
        task_named(SEND_TASK).delay(notification_id)
    return len(notification_ids)
