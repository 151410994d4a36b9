"""Celery tasks that send the outbox.

``send_notification`` is queued by ``notify()`` when the event's transaction commits. ``send_unsent`` runs
periodically (Celery beat) and re-queues anything that was never sent, such as messages lost while the
broker was down. Both are safe to run any number of times: a notification is sent at most once.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from .services import SEND_ERRORS, notification_record_failure, notification_send, notifications_requeue_unsent

logger = logging.getLogger(__name__)

MAX_RETRIES = 8
RETRY_DELAY_BASE = 60
RETRY_DELAY_MAX = 60 * 60
#: A pending notification this old was probably lost on its way to the worker.
UNSENT_MIN_AGE = timedelta(minutes=2)


def retry_delay(retries: int) -> int:
    """Seconds before the next attempt: 1, 2, 4 … minutes, at most an hour.

    The task waits at most ``CELERY_RETRY_COUNTDOWN_MAX`` of it: on Redis a countdown longer than the
    visibility timeout would have the message delivered again while it waits, once per timeout.
    """
    return min(RETRY_DELAY_BASE * 2**retries, RETRY_DELAY_MAX)


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES, ignore_result=True)
def send_notification(self, notification_id: int) -> bool:
    """Send one notification. Acknowledged late, so a worker that dies mid-send leaves it to be redelivered."""
    try:
        return notification_send(notification_id=notification_id)
    except SEND_ERRORS as error:
        final = self.request.retries >= self.max_retries
        notification_record_failure(notification_id=notification_id, error=error, final=final)
        if final:
            raise
        countdown = min(retry_delay(self.request.retries), settings.CELERY_RETRY_COUNTDOWN_MAX)
        raise self.retry(exc=error, countdown=countdown) from error
    except Exception as error:
        # Not a passing outage but a fault that retrying will not fix: mark it failed so it shows.
        notification_record_failure(notification_id=notification_id, error=error, final=True)
        raise


@shared_task(acks_late=True, ignore_result=True)
def send_unsent() -> int:
    """Re-queue pending notifications older than two minutes that no retry is waiting to send."""
    queued = notifications_requeue_unsent(
        min_age=UNSENT_MIN_AGE, retry_grace=timedelta(seconds=RETRY_DELAY_MAX) + UNSENT_MIN_AGE
    )
    if queued:
        logger.info("Re-queued %d unsent notification(s)", queued)
    return queued
