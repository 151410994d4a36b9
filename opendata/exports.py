"""The CSV downloads: the API's rows, flattened to one line each.

Column names are the API's field names, with nested fields joined by an underscore (``sponsor_slug``) and lists
joined by ``"; "`` (``theme_slugs``). Two things every cell gets: text a spreadsheet would run as a formula is
made inert (judging.exports.escape_formula, the OWASP advice), and the file starts with a byte order mark so
Excel reads UTF-8 names correctly.
"""

import csv
from collections.abc import Callable, Iterable

from django.http import HttpResponse
from django.utils import timezone

from judging.exports import escape_formula

SEPARATOR = "; "


def _each(field: str, key: str) -> Callable[[dict], str]:
    return lambda row: SEPARATOR.join(item[key] for item in row[field])


def _nested(field: str, key: str) -> Callable[[dict], object]:
    return lambda row: row[field][key]


def _plain(field: str) -> Callable[[dict], object]:
    return lambda row: row[field]


CHALLENGE_COLUMNS: list[tuple[str, Callable[[dict], object]]] = [
    ("id", _plain("id")),
    ("title", _plain("title")),
    ("url", _plain("url")),
    ("summary", _plain("summary")),
    ("sponsor_name", _nested("sponsor", "name")),
    ("sponsor_slug", _nested("sponsor", "slug")),
    ("theme_names", _each("themes", "name")),
    ("theme_slugs", _each("themes", "slug")),
    ("status", _plain("status")),
    ("opens_at", _plain("opens_at")),
    ("closes_at", _plain("closes_at")),
    ("judging_starts_at", _plain("judging_starts_at")),
    ("announce_at", _plain("announce_at")),
    ("announced_at", _plain("announced_at")),
    ("funding_available", _plain("funding_available")),
    ("currency", _plain("currency")),
    ("winner_references", _each("winners", "reference")),
    ("winner_organisations", _each("winners", "organisation")),
]

OUTCOME_COLUMNS: list[tuple[str, Callable[[dict], object]]] = [
    ("reference", _plain("reference")),
    ("title", _plain("title")),
    ("organisation", _plain("organisation")),
    ("award", _plain("award")),
    ("public_summary", _plain("public_summary")),
    ("public_rationale", _plain("public_rationale")),
    ("url", _plain("url")),
    ("challenge_id", _nested("challenge", "id")),
    ("challenge_title", _nested("challenge", "title")),
    ("challenge_url", _nested("challenge", "url")),
    ("announced_at", _plain("announced_at")),
]


def cell(value) -> str:
    if value is None:
        return ""
    return escape_formula(value) if isinstance(value, str) else str(value)


def csv_response(name: str, columns: list[tuple[str, Callable[[dict], object]]], rows: Iterable[dict]) -> HttpResponse:
    """An attachment named ``<name>-<YYYY-MM-DD>.csv`` (UK date): a header row, then one line per row."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([heading for heading, _ in columns])
    for row in rows:
        writer.writerow([cell(value(row)) for _, value in columns])
    return response
