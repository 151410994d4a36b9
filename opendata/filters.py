"""Reading the open data's query parameters: filters and pagination.

Every bad value is reported at once, by parameter, in words a person writing a script can act on; the views
answer 400 with them. An empty value (``?theme=``) means no filter, as an HTML form would send it. A parameter
may repeat (``?theme=homelessness&theme=wellbeing``) to match any of its values.
"""

import re
from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse

from challenges.lifecycle import ChallengeStatus
from challenges.models import Sponsor, Theme
from pilots.models import PilotStatus

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CHALLENGE_FILTERS = ("status", "theme", "sponsor", "year")
AWARD_FILTERS = ("theme", "sponsor", "year")
PILOT_FILTERS = ("status", "challenge")
YEAR = re.compile(r"[0-9]{4}")
WHOLE_NUMBER = re.compile(r"[0-9]+")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
"""Only a value shaped like a slug is looked up: the rest (a NUL byte, say, which PostgreSQL refuses) is unknown."""


class InvalidParameters(Exception):
    """Query parameters the API cannot use; ``errors`` maps each parameter to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class Filters:
    status: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    sponsor: tuple[str, ...] = ()
    year: tuple[int, ...] = ()
    challenge: tuple[int, ...] = ()


def _values(params: QueryDict, name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value.strip() for value in params.getlist(name) if value.strip()))


def _quoted(values) -> str:
    """The values as given, each cut short if long, so an error never echoes a whole pasted document."""
    return ", ".join(f"'{value[:40]}…'" if len(value) > 40 else f"'{value}'" for value in values)


def _check_status(values: tuple[str, ...]) -> str | None:
    unknown = [value for value in values if value not in ChallengeStatus.values]
    if unknown:
        return f"Unknown status {_quoted(unknown)}. Use one of: {', '.join(ChallengeStatus.values)}."
    return None


def _check_pilot_status(values: tuple[str, ...]) -> str | None:
    unknown = [value for value in values if value not in PilotStatus.values]
    if unknown:
        return f"Unknown pilot status {_quoted(unknown)}. Use one of: {', '.join(PilotStatus.values)}."
    return None


def _check_challenge(values: tuple[str, ...]) -> str | None:
    wrong = [value for value in values if not WHOLE_NUMBER.fullmatch(value) or len(value) > 18]
    if wrong:
        return f"Challenge {_quoted(wrong)} is not a challenge id. Give the challenge's id, a whole number."
    return None


def _known(model, values: tuple[str, ...]) -> set[str]:
    slugs = [value for value in values if SLUG.fullmatch(value)]
    return set(model.objects.filter(slug__in=slugs).values_list("slug", flat=True)) if slugs else set()


def _check_theme(values: tuple[str, ...]) -> str | None:
    known = _known(Theme, values)
    unknown = [value for value in values if value not in known]
    if unknown:
        slugs = ", ".join(Theme.objects.order_by("slug").values_list("slug", flat=True))
        return f"Unknown theme {_quoted(unknown)}. Use a theme's slug: {slugs}."
    return None


def _check_sponsor(values: tuple[str, ...]) -> str | None:
    known = _known(Sponsor, values)
    unknown = [value for value in values if value not in known]
    if unknown:
        listed_at = reverse("opendata:data")
        return (
            f"Unknown sponsor {_quoted(unknown)}. Use a sponsor's slug, as listed on the open data page ({listed_at})."
        )
    return None


def _check_year(values: tuple[str, ...]) -> str | None:
    wrong = [value for value in values if not YEAR.fullmatch(value)]
    if wrong:
        return f"Year {_quoted(wrong)} is not a year. Give four digits, such as 2025."
    return None


CHECKS = {"status": _check_status, "theme": _check_theme, "sponsor": _check_sponsor, "year": _check_year}
PILOT_CHECKS = {"status": _check_pilot_status, "challenge": _check_challenge}
"""A pilot's ``status`` is the pilot's, not its challenge's."""


def parse_filters(params: QueryDict, *, allowed: tuple[str, ...], checks: dict | None = None) -> Filters:
    """The filters in ``params`` that ``allowed`` names, each checked by ``checks`` (``CHECKS`` unless given). A
    filter that does not apply here is an error (a script asking for open outcomes must not get every outcome); any
    other parameter is ignored."""
    checks = {**CHECKS, **(checks or {})}
    values = {name: _values(params, name) for name in allowed}
    errors = {
        name: f"These rows cannot be filtered by {name}. Filter them by {', '.join(allowed)}."
        for name in checks
        if name not in allowed and _values(params, name)
    }
    for name, given in values.items():
        message = checks[name](given) if given else None
        if message:
            errors[name] = message
    if errors:
        raise InvalidParameters(errors)
    for name in ("year", "challenge"):
        if name in values:
            values[name] = tuple(int(value) for value in values[name])
    return Filters(**values)


def _whole_number(params: QueryDict, name: str, default: int) -> int | None:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not WHOLE_NUMBER.fullmatch(raw) or int(raw) < 1:
        return None
    return int(raw)


def parse_paging(params: QueryDict) -> tuple[int, int]:
    """(page, page_size). A page size above the maximum is capped, not refused, so a greedy script still works."""
    page = _whole_number(params, "page", 1)
    page_size = _whole_number(params, "page_size", DEFAULT_PAGE_SIZE)
    errors = {}
    if page is None:
        errors["page"] = "Page must be a whole number, 1 or more."
    if page_size is None:
        errors["page_size"] = f"Page size must be a whole number from 1 to {MAX_PAGE_SIZE}."
    if errors:
        raise InvalidParameters(errors)
    return page, min(page_size, MAX_PAGE_SIZE)


def parse_listing(
    params: QueryDict, *, allowed: tuple[str, ...], checks: dict | None = None
) -> tuple[Filters, int, int]:
    """(filters, page, page_size), with the errors of both reported together."""
    errors: dict[str, str] = {}
    try:
        filters = parse_filters(params, allowed=allowed, checks=checks)
    except InvalidParameters as error:
        errors.update(error.errors)
    try:
        page, page_size = parse_paging(params)
    except InvalidParameters as error:
        errors.update(error.errors)
    if errors:
        raise InvalidParameters(errors)
    return filters, page, page_size
