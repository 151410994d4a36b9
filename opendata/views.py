"""The open data endpoints: the JSON API, its OpenAPI document, the CSV downloads and the data page.

Everything here is public and read-only, so the only rule to check is "GET or HEAD"; each view parses its
parameters, calls one selector and renders. A bad filter or page gets a 400 (a page past the end, a 404)
naming each parameter and what is wrong with it: never a 500, and never a filter silently dropped, which
would hand a script the wrong data.
"""

from collections.abc import Callable

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from pilots.models import PilotStatus

from . import threesixtygiving
from .exports import CHALLENGE_COLUMNS, OUTCOME_COLUMNS, csv_response
from .filters import (
    AWARD_FILTERS,
    CHALLENGE_FILTERS,
    PILOT_CHECKS,
    PILOT_FILTERS,
    Filters,
    InvalidParameters,
    parse_filters,
    parse_listing,
)
from .rows import award_row, challenge_row
from .schema import LICENCE_NAME, LICENCE_URL, openapi_document
from .scorecards import PILOT_COLUMNS, measure_lines, pilot_awards, pilot_rows
from .selectors import awards_for_api, challenges_for_api, data_page_facts

CACHE_SECONDS = 300
LARGEST_ID = 2**63 - 1
"""The URL accepts any digits; a larger number than a database integer holds is simply not a challenge."""


def _public(response: HttpResponse) -> HttpResponse:
    """Open data may be cached by anyone for a few minutes, and read by a script on any site."""
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _errors(errors: dict[str, str], status: int) -> JsonResponse:
    response = JsonResponse({"errors": errors}, status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _page_link(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _each_row(row: Callable) -> Callable:
    return lambda items, request: [row(item, request) for item in items]


def _listing(
    request: HttpRequest,
    *,
    allowed: tuple[str, ...],
    select: Callable[[Filters], QuerySet],
    row: Callable | None = None,
    rows: Callable | None = None,
    checks: dict | None = None,
):
    """One page of ``select``'s rows: each built by ``row(item, request)``, or the page's all at once by
    ``rows(items, request)`` where rows are cheaper built together."""
    rows = rows or _each_row(row)
    try:
        filters, number, size = parse_listing(request.GET, allowed=allowed, checks=checks)
    except InvalidParameters as error:
        return _errors(error.errors, 400)
    paginator = Paginator(select(filters), size)
    try:
        page = paginator.page(number)
    except EmptyPage:
        return _errors({"page": f"There is no page {number}: the last page is {paginator.num_pages}."}, 404)
    body = {
        "count": paginator.count,
        "next": _page_link(request, number + 1) if page.has_next() else None,
        "previous": _page_link(request, number - 1) if page.has_previous() else None,
        "results": rows(page.object_list, request),
    }
    return _public(JsonResponse(body))


def _challenges(filters: Filters) -> QuerySet:
    return challenges_for_api(filters, now=timezone.now())


@require_safe
def challenge_list(request: HttpRequest) -> HttpResponse:
    return _listing(request, allowed=CHALLENGE_FILTERS, select=_challenges, row=challenge_row)


@require_safe
def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = _challenges(Filters()).filter(pk=pk).first() if pk <= LARGEST_ID else None
    if challenge is None:
        return _errors({"id": f"There is no published challenge with id {pk}."}, 404)
    return _public(JsonResponse(challenge_row(challenge, request)))


@require_safe
def outcome_list(request: HttpRequest) -> HttpResponse:
    return _listing(request, allowed=AWARD_FILTERS, select=awards_for_api, row=award_row)


@require_safe
def pilot_list(request: HttpRequest) -> HttpResponse:
    return _listing(request, allowed=PILOT_FILTERS, checks=PILOT_CHECKS, select=pilot_awards, rows=pilot_rows)


@require_safe
def openapi(request: HttpRequest) -> HttpResponse:
    return _public(JsonResponse(openapi_document(request.build_absolute_uri("/"))))


def _download(request: HttpRequest, *, name: str, allowed, select, row, columns) -> HttpResponse:
    try:
        filters = parse_filters(request.GET, allowed=allowed)
    except InvalidParameters as error:
        return _errors(error.errors, 400)
    return _public(csv_response(name, columns, (row(item, request) for item in select(filters))))


@require_safe
def pilots_csv(request: HttpRequest) -> HttpResponse:
    """One line per public measure (see ``scorecards.measure_lines``)."""
    try:
        filters = parse_filters(request.GET, allowed=PILOT_FILTERS, checks=PILOT_CHECKS)
    except InvalidParameters as error:
        return _errors(error.errors, 400)
    lines = measure_lines(pilot_rows(pilot_awards(filters), request))
    return _public(csv_response("pilots", PILOT_COLUMNS, lines))


@require_safe
def threesixtygiving_json(request: HttpRequest) -> HttpResponse:
    """The 360Giving data package. ``json_dumps_params`` keeps it readable; amounts are numbers already."""
    response = JsonResponse(threesixtygiving.package(request), json_dumps_params={"ensure_ascii": False})
    return _public(response)


@require_safe
def threesixtygiving_csv(request: HttpRequest) -> HttpResponse:
    return _public(csv_response("360giving", threesixtygiving.COLUMNS, threesixtygiving.grants(request)))


@require_safe
def challenges_csv(request: HttpRequest) -> HttpResponse:
    return _download(
        request,
        name="challenges",
        allowed=CHALLENGE_FILTERS,
        select=_challenges,
        row=challenge_row,
        columns=CHALLENGE_COLUMNS,
    )


@require_safe
def outcomes_csv(request: HttpRequest) -> HttpResponse:
    return _download(
        request, name="outcomes", allowed=AWARD_FILTERS, select=awards_for_api, row=award_row, columns=OUTCOME_COLUMNS
    )


@require_safe
def data_page(request: HttpRequest) -> HttpResponse:
    context = {
        **data_page_facts(),
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "threesixtygiving_prefix": threesixtygiving.prefix(),
        "pilot_statuses": PilotStatus.choices,
    }
    return render(request, "opendata/data.html", context)
