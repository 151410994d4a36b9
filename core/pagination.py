"""The one pagination every list shows (``templates/components/pagination.html``, GOV.UK's pattern): the first and
last pages, the current one and those either side of it, with an ellipsis for each gap, and previous and next links.
Each list says how to link to a page: the archive keeps its words, filters and sort; a listing its query string."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page


@dataclass(frozen=True)
class PageLink:
    number: int = 0
    url: str = ""
    current: bool = False
    ellipsis: bool = False


@dataclass(frozen=True)
class Pagination:
    previous_url: str
    next_url: str
    items: list[PageLink]


def pagination(*, current: int, last: int, url_for: Callable[[int], str]) -> Pagination | None:
    """None when everything fits on one page."""
    if last <= 1:
        return None
    numbers = sorted({1, current - 1, current, current + 1, last} & set(range(1, last + 1)))
    items, previous = [], 0
    for number in numbers:
        if number - previous > 1:
            items.append(PageLink(ellipsis=True))
        items.append(PageLink(number, url_for(number), number == current))
        previous = number
    return Pagination(
        previous_url=url_for(current - 1) if current > 1 else "",
        next_url=url_for(current + 1) if current < last else "",
        items=items,
    )


def page_links(page: Page, *, query: str = "") -> Pagination | None:
    """Pagination for a Django ``Page``, each link the current address's ``query`` (without ``page``) plus the page."""
    prefix = f"?{query}&" if query else "?"
    return pagination(
        current=page.number, last=page.paginator.num_pages, url_for=lambda number: f"{prefix}page={number}"
    )
