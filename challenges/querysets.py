"""Reusable filters on challenge pages: ``ChallengePage.objects.live().open_for_proposals()``."""

from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Case, Count, Exists, F, IntegerField, Min, OuterRef, Prefetch, Q, Value, When, Window
from django.db.models.lookups import StartsWith
from django.utils import timezone
from wagtail.models import PageManager, PageQuerySet, PageViewRestriction

from core.kept import kept

from .lifecycle import ChallengeStatus, date_condition, status_condition, status_expression

# Closing soonest: open challenges by deadline, then upcoming by deadline, then the rest newest first.
SORT_CLOSING_SOONEST = "closing"
SORT_NEWEST = "newest"
# The key dates at which a challenge's status changes (``challenges.lifecycle``).
STATUS_DATES = ("opens_at", "closes_at", "judging_starts_at", "announce_at")


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
        themes = self.model._meta.get_field("themes").related_model.objects.only("name")
        return self.select_related("sponsor").only(*CARD_FIELDS).prefetch_related(Prefetch("themes", queryset=themes))

    def with_themes(self, slugs) -> "ChallengePageQuerySet":
        """Challenges tagged with any of the themes ``slugs``, each once (a subquery, so no row repeats)."""
        return self.filter(pk__in=self.model.objects.filter(themes__slug__in=slugs).values("pk"))

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

    def next_status_change(self, now: datetime | None = None) -> datetime | None:
        """The next moment one of these challenges changes status because one of its key dates passes, or None."""
        now = now or timezone.now()
        later = {name: Min(name, filter=Q(**{f"{name}__gt": now})) for name in STATUS_DATES}
        moments = [moment for moment in self.order_by().aggregate(**later).values() if moment]
        return min(moments, default=None)

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


def kept_next_status_change(live: ChallengePageQuerySet) -> datetime | None:
    """``next_status_change`` of the ``live`` challenges, worked out once per generation and kept until that moment:
    how long the home page's lists and the listing's order hold (``core.kept``)."""
    return kept(("next-status-change",), live.next_status_change, until=lambda moment: moment)


MAX_ROWS = 10**9
"""No listing holds more rows than this; a page number past it is answered with the last page, never a query."""


class CardPaginator(Paginator):
    """A paginator over challenge cards that reads the page's keys and the total in one query (see
    ``page_of_cards``)."""

    def page_of_cards(self, number, *, read_rows=None) -> Page:
        """``get_page(number)`` holding challenge cards, reading the count and the page's keys in one pass.

        The sort and the filters need every matching row, and so did COUNT(*) again: here one query returns
        the page's keys with the total (a window count over the same rows), and a second reads only those
        rows' card columns (or ``read_rows(keys)`` returns them, kept ones from memory). A number beyond the last
        page falls back to ``get_page``, which shows the last."""
        requested = number
        number = self._requested(requested)
        per_page = self.per_page
        keyed = self.object_list.annotate(total=Window(Count("pk"))).values_list("pk", "total")
        rows = list(keyed[(number - 1) * per_page : number * per_page]) if number else []
        if not rows and number != 1:
            page = self.get_page(requested)
            page.object_list = list(page.object_list.for_cards())
            return page
        self.count = rows[0][1] if rows else 0
        keys = [pk for pk, _ in rows]
        if read_rows is not None:
            return Page(read_rows(keys), number, self)
        cards = self.object_list.model.objects.for_cards().in_bulk(keys)
        return Page([cards[pk] for pk in keys], number, self)

    def _requested(self, number) -> int | None:
        """The page number as ``get_page`` reads it: not a number means the first page; a number below 1, or
        one so large its first row would lie beyond any table (and beyond the database's 64-bit OFFSET), is out
        of range (None), and ``get_page`` then shows the last page."""
        try:
            number = int(number)
        except (TypeError, ValueError, OverflowError):
            return 1
        return number if 1 <= number <= MAX_ROWS // self.per_page else None
