"""Reusable filters on challenge pages: ``ChallengePage.objects.live().open_for_proposals()``."""

from datetime import datetime

from django.db import connections
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Value, When
from django.db.models.lookups import StartsWith
from django.utils import timezone
from wagtail.models import PageManager, PageQuerySet, PageViewRestriction

from .lifecycle import ChallengeStatus, date_condition, status_condition, status_expression

# Closing soonest: open challenges by deadline, then upcoming by deadline, then the rest newest first.
SORT_CLOSING_SOONEST = "closing"
SORT_NEWEST = "newest"


# What a challenge card shows (components/challenge_card.html): listings read these columns and no others, so the
# problem statement, questions and rubric (large JSON) are never read for a list.
CARD_FIELDS = (
    "title",
    "slug",
    "url_path",
    "path",
    "depth",
    "live",
    "locale_id",
    "content_type_id",
    "summary",
    "sponsor__name",
    "funding_available",
    "opens_at",
    "closes_at",
    "judging_starts_at",
    "judging_ends_at",
    "announce_at",
    "status_override",
)


def in_private_section() -> Exists:
    """True for a page with a view restriction on itself or an ancestor: a restricted page's path is a prefix of
    its own, which is exactly Wagtail's ``descendant_of(restricted page, inclusive=True)``."""
    return Exists(PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path"))))


class ChallengePageQuerySet(PageQuerySet):
    def public(self) -> "ChallengePageQuerySet":
        """Pages outside any private section, as Wagtail's ``public()`` decides, in the same query.

        Wagtail's version first reads every view restriction (one query each time it is called) to build its
        filter; a listing calls it for every list it shows. Here the restricted sections are a correlated
        subquery instead (see ``in_private_section``)."""
        return self.filter(~in_private_section())

    def for_cards(self) -> "ChallengePageQuerySet":
        """Only what a challenge card shows: its columns, its sponsor's name and its themes' names."""
        from .models import Theme

        return (
            self.select_related("sponsor")
            .only(*CARD_FIELDS)
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.only("name")))
        )

    def with_status(self, *statuses: str, now: datetime | None = None) -> "ChallengePageQuerySet":
        now = now or timezone.now()
        condition = status_condition(statuses[0], now)
        for status in statuses[1:]:
            condition |= status_condition(status, now)
        return self.filter(condition)

    def first_with_status(self, status: str, *, by: str, limit: int, now: datetime) -> "ChallengePageQuerySet":
        """The first ``limit`` rows with ``status`` in ``by`` order, found through the index on ``by``.

        ``with_status`` ORs a forced status with the dates' condition, so PostgreSQL can only walk the whole
        date index filtering row by row (every challenge, to find the three that open next). Here each half
        is its own search, ``limit`` rows at most: a range scan of the date index for the challenges the dates
        put in ``status``, the partial index for those a manager forced into it. PostgreSQL takes both as one
        UNION subquery; SQLite allows no LIMIT inside a compound statement, so there the two small searches
        run first."""
        order = (by, "pk")
        by_dates = self.filter(status_override="").filter(date_condition(status, now)).order_by(*order)
        forced = self.filter(status_override=status).order_by(*order)
        by_dates, forced = by_dates.values("pk")[:limit], forced.values("pk")[:limit]
        if connections[self.db].features.supports_slicing_ordering_in_compound:
            first = by_dates.union(forced, all=True)
        else:
            first = [row["pk"] for row in (*by_dates, *forced)]
        return self.filter(pk__in=first).order_by(*order)[:limit]

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
