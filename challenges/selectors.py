"""Reads for the public challenge pages. Each returns what a template needs, in a fixed number of queries."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery, Window
from django.http import QueryDict
from django.utils import timezone
from wagtail.permission_policies.pages import PagePermissionPolicy

from .forms import ChallengeFilterForm
from .lifecycle import ChallengeStatus
from .models import ChallengeIndexPage, ChallengePage, Sponsor, Theme
from .querysets import SORT_CLOSING_SOONEST
from .services import manager_group_name

STATUS_DATES = ("opens_at", "closes_at", "judging_starts_at", "announce_at")
MAX_ROWS = 10**9
"""No listing holds more rows than this; a page number past it is answered with the last page, never a query."""


def challenges_user_can_manage(user) -> QuerySet[ChallengePage]:
    """Every challenge page the user may publish, and so manage: all for a superuser, a sponsor's section for
    its managers, none for anyone else (see challenges.permissions)."""
    if not user.is_authenticated or not user.is_active:
        return ChallengePage.objects.none()
    return PagePermissionPolicy(ChallengePage).instances_user_has_permission_for(user, "publish")


def challenge_managers(challenge: ChallengePage) -> QuerySet:
    """The active members of the challenge's sponsor's manager group: who to tell about its proposals."""
    return get_user_model().objects.filter(groups__name=manager_group_name(challenge.sponsor), is_active=True)


def public_challenges():
    return ChallengePage.objects.live().public().select_related("sponsor").prefetch_related("themes")


class WindowPaginator(Paginator):
    """A paginator whose ``page_range`` holds only the page numbers the pagination component shows: the first,
    the last, and two either side of the current page (the outer two of those become ellipses).

    ``components/pagination.html`` loops over ``page_range`` and prints nothing for the other numbers; with
    10,000 challenges that loop ran over 834 numbers and cost more than the rest of the page."""

    current = 1

    def get_page(self, number):
        page = super().get_page(number)
        self.current = page.number
        return page

    def page_of_cards(self, number) -> Page:
        """``get_page(number)`` holding challenge cards, reading the count and the page's keys in one pass.

        The sort and the filters need every matching row, and so did COUNT(*) again: here one query returns
        the page's keys with the total (a window count over the same rows), and a second reads only those
        rows' card columns. A number beyond the last page falls back to ``get_page``, which shows the last."""
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
        cards = ChallengePage.objects.for_cards().in_bulk([pk for pk, _ in rows])
        self.current = number
        return Page([cards[pk] for pk, _ in rows], number, self)

    def _requested(self, number) -> int | None:
        """The page number as ``get_page`` reads it: not a number means the first page; a number below 1, or
        one so large its first row would lie beyond any table (and beyond the database's 64-bit OFFSET), is out
        of range (None), and ``get_page`` then shows the last page."""
        try:
            number = int(number)
        except (TypeError, ValueError, OverflowError):
            return 1
        return number if 1 <= number <= MAX_ROWS // self.per_page else None

    @property
    def page_range(self):
        shown = {1, self.num_pages, *range(self.current - 2, self.current + 3)}
        return [number for number in sorted(shown) if 1 <= number <= self.num_pages]


def sponsors_with_challenges(index: ChallengeIndexPage) -> list[Sponsor]:
    """Sponsors with a live challenge under ``index``. Each sponsor looks up its first such challenge (a
    LIMIT 1 subquery, planned for the first row: its index, then that page), never a pass over every challenge;
    an EXISTS was planned as a hash of all the sponsor's challenges."""
    live_below = ChallengePage.objects.live().descendant_of(index).filter(sponsor=OuterRef("pk"))
    return list(Sponsor.objects.alias(one=Subquery(live_below.order_by().values("pk")[:1])).filter(one__isnull=False))


def challenge_listing(*, index: ChallengeIndexPage, params: QueryDict) -> dict:
    now = timezone.now()
    sponsors = sponsors_with_challenges(index)
    themes = list(Theme.objects.all())
    form = ChallengeFilterForm(params, themes=themes, sponsors=sponsors)
    filters = form.valid_filters()

    challenges = ChallengePage.objects.live().public().descendant_of(index)
    if "theme" in filters:
        tagged = ChallengePage.objects.filter(themes__slug__in=filters["theme"]).values("pk")
        challenges = challenges.filter(pk__in=tagged)
    if "status" in filters:
        challenges = challenges.with_status(*filters["status"], now=now)
    if "sponsor" in filters:
        challenges = challenges.filter(sponsor__slug=filters["sponsor"])
    sort = filters.get("sort", SORT_CLOSING_SOONEST)
    challenges = challenges.sorted_by(sort, now=now)

    paginator = WindowPaginator(challenges, settings.CHALLENGES_PER_PAGE)
    page_obj = paginator.page_of_cards(params.get("page"))
    return {
        "filter_form": form,
        "page_obj": page_obj,
        "challenges": page_obj.object_list,
        "result_count": paginator.count,
        "sort": sort,
        "active_filters": active_filter_labels(form, filters),
        "filter_query": urlencode({k: v for k, v in params.lists() if k != "page"}, doseq=True),
        "show_sponsor_filter": index.sponsor_id is None and len(sponsors) > 1,
        "now": now,
    }


def active_filter_labels(form: ChallengeFilterForm, filters: dict) -> list[str]:
    labels = []
    for name in ("theme", "status", "sponsor"):
        values = filters.get(name)
        if not values:
            continue
        choices = dict(form.fields[name].choices)
        for value in values if isinstance(values, list) else [values]:
            labels.append(str(choices.get(value, value)))
    return labels


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
    now = now or timezone.now()
    later = {name: Min(name, filter=Q(**{f"{name}__gt": now})) for name in STATUS_DATES}
    moments = [moment for moment in ChallengePage.objects.live().aggregate(**later).values() if moment]
    return min(moments, default=None)
