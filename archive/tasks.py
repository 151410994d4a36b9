"""Archive indexing tasks. Each is idempotent, so a retry or a redelivery changes nothing twice."""

import logging

from celery import shared_task
from django.conf import settings

from .reconcile import archive_reconcile
from .search import SearchUnavailable, get_backend
from .services import archive_sync_challenge

logger = logging.getLogger(__name__)
#: Back-off 5, 10, 20 … s, never longer than the broker's visibility timeout allows (see settings); after the
#: last retry the reconcile task repairs the index.
RETRY = {
    "autoretry_for": (SearchUnavailable,),
    "retry_backoff": 5,
    "retry_backoff_max": settings.CELERY_RETRY_COUNTDOWN_MAX,
    "max_retries": 10,
}


@shared_task(name="archive.sync_challenge", **RETRY)
def sync_challenge(challenge_id: int) -> list[str]:
    written, removed = archive_sync_challenge(challenge_id)
    return written + removed


@shared_task(name="archive.remove_entries", **RETRY)
def remove_entries(keys: list[str]) -> int:
    get_backend().remove(keys)
    return len(keys)


@shared_task(name="archive.reconcile")
def reconcile() -> dict:
    report = archive_reconcile()
    if any(report.values()):
        logger.info("Archive drift repaired: %s", report)
    return report
