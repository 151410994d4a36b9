"""Reads for the outbox."""

from datetime import datetime, timedelta

from django.db.models import Q

from .models import Notification

#: How many notifications one ``send_unsent`` run re-queues; the next run takes the rest.
REQUEUE_BATCH_SIZE = 500


def unsent_notification_ids(*, now: datetime, min_age: timedelta, retry_grace: timedelta) -> list[int]:
    """Pending notifications created more than ``min_age`` ago that no retry is waiting to send."""
    return list(
        Notification.objects.filter(status=Notification.Status.PENDING, created_at__lt=now - min_age)
        .filter(Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lt=now - retry_grace))
        .order_by("created_at")
        .values_list("pk", flat=True)[:REQUEUE_BATCH_SIZE]
    )
