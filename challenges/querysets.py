"""Reusable filters on challenge pages: ``ChallengePage.objects.live().open_for_proposals()``."""

from datetime import datetime

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from wagtail.models import PageManager, PageQuerySet

from .lifecycle import ChallengeStatus, status_condition, status_expression

# Closing soonest: open challenges by deadline, then upcoming by deadline, then the rest newest first.
SORT_CLOSING_SOONEST = "closing"
SORT_NEWEST = "newest"


class ChallengePageQuerySet(PageQuerySet):
    def with_status(self, *statuses: str, now: datetime | None = None) -> "ChallengePageQuerySet":
        now = now or timezone.now()
        condition = status_condition(statuses[0], now)
        for status in statuses[1:]:
            condition |= status_condition(status, now)
        return self.filter(condition)

    def open_for_proposals(self, now: datetime | None = None) -> "ChallengePageQuerySet":
        return self.with_status(ChallengeStatus.OPEN, now=now)

    def annotate_status(self, now: datetime | None = None) -> "ChallengePageQuerySet":
        return self.annotate(lifecycle_status=status_expression(now or timezone.now()))

    def sorted_by(self, sort: str, now: datetime | None = None) -> "ChallengePageQuerySet":
        if sort == SORT_NEWEST:
            return self.order_by("-opens_at", "-pk")
        now = now or timezone.now()
        stage = Case(
            When(status_condition(ChallengeStatus.OPEN, now), then=Value(0)),
            When(status_condition(ChallengeStatus.UPCOMING, now), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        soonest_first = Case(When(closes_at__gt=now, then="closes_at"), default=None)
        return self.annotate(sort_stage=stage, sort_deadline=soonest_first).order_by(
            "sort_stage", "sort_deadline", "-closes_at", "pk"
        )


ChallengePageManager = PageManager.from_queryset(ChallengePageQuerySet)
