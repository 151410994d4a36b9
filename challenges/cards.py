"""Challenge cards for the home page and the listing, kept per generation (``core.kept``).

A card's row (its columns, sponsor and themes) and its markup are the same for every visitor until the challenge
is published again or a sponsor or theme is edited. Its status and deadline line follow the clock: they are
worked out on every request, and the markup is kept for each status and line it has shown.
"""

from datetime import datetime

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from core.kept import kept, kept_many

from .lifecycle import challenge_status, deadline_phrase
from .querysets import ChallengePageQuerySet


def card_rows(queryset: ChallengePageQuerySet, pks: list[int]) -> list:
    """The card rows of ``pks``, in that order: kept ones from memory, the rest in one query (and one for their
    themes). A key no longer live and public is dropped."""
    found = kept_many([("card-row", pk) for pk in pks], lambda keys: _read_rows(queryset, keys))
    return [found[("card-row", pk)] for pk in pks if ("card-row", pk) in found]


def _read_rows(queryset: ChallengePageQuerySet, keys: list) -> dict:
    rows = queryset.for_cards().in_bulk([pk for _, pk in keys])
    return {("card-row", pk): row for pk, row in rows.items()}


def render_cards(challenges, *, request, now: datetime, heading_level: int = 3) -> list[SafeString]:
    site = getattr(request, "_wagtail_site", None)
    return [_render_card(challenge, request=request, now=now, heading_level=heading_level, site=site)
            for challenge in challenges]  # fmt: skip


def _render_card(challenge, *, request, now, heading_level, site) -> SafeString:
    status = challenge_status(challenge.key_dates, now=now, override=challenge.status_override)
    deadline = deadline_phrase(status=status, opens_at=challenge.opens_at, closes_at=challenge.closes_at, now=now)
    key = ("card", challenge.pk, heading_level, status, deadline, site.pk if site else None)
    context = {"challenge": challenge, "status": status, "deadline": deadline, "heading_level": heading_level}
    return kept(key, lambda: render_to_string("components/challenge_card.html", context, request=request))
