"""Judging's background work: announcing winners when a challenge's announcement time comes, and working out a
stage's decision confidence after its reviews change."""

import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone

from challenges.models import ChallengePage
from judging.services.confidence import confidence_catch_up, confidence_refresh
from judging.services.decisions import challenge_announce

logger = logging.getLogger(__name__)


@shared_task(name="judging.announce_due")
def announce_due() -> list[int]:
    """Every few minutes: announce the winners of each live challenge whose announcement time has come.

    A challenge with proposals still undecided is left alone and logged; its managers see why on the results
    page and can announce once ready.
    """
    announced = []
    due = ChallengePage.objects.live().filter(announce_at__lte=timezone.now(), announced_at__isnull=True)
    for challenge in due:
        try:
            challenge_announce(challenge=challenge)
        except ValidationError as error:
            logger.warning(
                "Winners of %s not announced at the set time: %s", challenge.title, "; ".join(error.messages)
            )
            continue
        announced.append(challenge.pk)
    return announced


@shared_task(name="judging.confidence_refresh")
def confidence_refresh_task(stage_id: int, token: int) -> bool:
    """Work out a stage's decision-confidence figures, unless a newer request will (see services.confidence)."""
    return confidence_refresh(stage_id=stage_id, token=token)


@shared_task(name="judging.confidence_catch_up")
def confidence_catch_up_task() -> list[int]:
    """Every few minutes: queue again the confidence figures whose task was lost (see services.confidence)."""
    return confidence_catch_up()
