"""Reads for the public challenge pages. Each returns what a template needs, in a fixed number of queries."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.permission_policies.pages import PagePermissionPolicy

from .lifecycle import ChallengeStatus
from .models import ChallengePage
from .services import manager_group_name


def challenges_user_can_manage(user) -> QuerySet[ChallengePage]:
    """Every challenge page the user may publish, and so manage: all for a superuser, a sponsor's section for
    its managers, none for anyone else (see challenges.permissions)."""
    if not user.is_authenticated or not user.is_active:
        return ChallengePage.objects.none()
    return PagePermissionPolicy(ChallengePage).instances_user_has_permission_for(user, "publish")


def manages_any_challenge(user) -> bool:
    return challenges_user_can_manage(user).exists()


def request_manages_any_challenge(request) -> bool:
    """``manages_any_challenge`` for the request's user, asked once per request however many admin menu items
    (Judging, Pilots, Questions) want to know."""
    if not hasattr(request, "_manages_any_challenge"):
        request._manages_any_challenge = manages_any_challenge(request.user)
    return request._manages_any_challenge


def challenge_managers(challenge: ChallengePage) -> QuerySet:
    """The active members of the challenge's sponsor's manager group: who to tell about its proposals."""
    return get_user_model().objects.filter(groups__name=manager_group_name(challenge.sponsor), is_active=True)


def public_challenges():
    return ChallengePage.objects.live().public().select_related("sponsor").prefetch_related("themes")


def featured_open_challenges(*, limit: int = 3) -> list[ChallengePage]:
    now = timezone.now()
    cards = ChallengePage.objects.live().public().for_cards()
    return list(cards.first_with_status(ChallengeStatus.OPEN, by="closes_at", limit=limit, now=now))


def upcoming_challenges(*, limit: int = 3) -> list[ChallengePage]:
    now = timezone.now()
    cards = ChallengePage.objects.live().public().for_cards()
    return list(cards.first_with_status(ChallengeStatus.UPCOMING, by="opens_at", limit=limit, now=now))


def next_status_change(*, now=None):
    """The next moment a live challenge changes status because one of its key dates passes, or None.

    Cached pages show statuses, so the page cache keeps nothing beyond this moment: a challenge never reads
    "Open" after its deadline."""
    return ChallengePage.objects.live().next_status_change(now)
