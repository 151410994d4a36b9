"""Pilots as open data: what each public award's pilot has delivered, for the JSON API and a CSV.

Everything here is built from ``pilots.selectors.public.public_scorecards``, the one rule for what of a pilot is
public (its public measures, and only the values of accepted reports); nothing reads a pilot's own rows. Money
and measure values are decimal strings, like the rest of the API; dates are ``YYYY-MM-DD``.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from judging.selectors.public import public_award
from pilots.selectors.public import PublicMeasure, PublicScorecard, public_pilots, public_scorecards
from submissions.models import Proposal

from .filters import Filters
from .rows import CURRENCY, page_url, winner_url
from .selectors import public_awards


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _day(value: date) -> str:
    return f"{value:%Y-%m-%d}"


def pilot_awards(filters: Filters) -> QuerySet[Proposal]:
    """Public awards that have a public pilot, matching ``filters`` (pilot ``status``, ``challenge`` id)."""
    pilots = public_pilots()
    if filters.status:
        pilots = pilots.filter(status__in=filters.status)
    awards = public_awards().filter(decision__pilot__in=pilots.values("pk"))
    if filters.challenge:
        awards = awards.filter(challenge_id__in=filters.challenge)
    return awards


def measure_row(measure: PublicMeasure) -> dict:
    return {
        "name": measure.name,
        "unit": measure.unit,
        "baseline": _decimal(measure.baseline),
        "target": _decimal(measure.target),
        "higher_is_better": measure.higher_is_better,
        "latest": _decimal(measure.latest),
        "latest_on": _day(measure.readings[-1].on) if measure.readings else None,
    }


def pilot_row(proposal: Proposal, card: PublicScorecard, request: HttpRequest) -> dict:
    award = public_award(proposal)
    challenge = proposal.challenge
    return {
        "challenge": {"id": challenge.pk, "title": challenge.title, "url": page_url(challenge, request)},
        "reference": award.reference,
        "organisation": award.organisation,
        "url": winner_url(proposal, request),
        "status": card.status,
        "status_label": card.status_label,
        "status_reason": card.status_reason,
        "starts_on": _day(card.starts_on),
        "ends_on": _day(card.ends_on),
        "milestones_done": card.milestones_done,
        "milestones_total": card.milestones_total,
        "award_amount": _decimal(card.award_amount),
        "paid": _decimal(card.paid),
        "currency": CURRENCY,
        "final_summary": card.final_summary,
        "measures": [measure_row(measure) for measure in card.measures],
    }


def pilot_rows(proposals, request: HttpRequest) -> list[dict]:
    """The rows of these awards' pilots, in their order, in a fixed number of queries."""
    proposals = list(proposals)
    cards = public_scorecards([p.pk for p in proposals], today=timezone.localdate())
    return [pilot_row(p, cards[p.pk], request) for p in proposals if p.pk in cards]


def measure_lines(rows: list[dict]):
    """The CSV's lines: one per public measure of each pilot, the pilot's columns repeated, and one line with the
    measure columns empty for a pilot without a public measure, so every pilot appears."""
    for row in rows:
        for measure in row["measures"] or [None]:
            yield {**row, "measure": measure}


def _pilot(*keys: str) -> Callable[[dict], object]:
    def value(line: dict) -> object:
        found = line
        for key in keys:
            found = found[key]
        return found

    return value


def _measure(key: str) -> Callable[[dict], object]:
    return lambda line: line["measure"][key] if line["measure"] else None


PILOT_COLUMNS: list[tuple[str, Callable[[dict], object]]] = [
    ("challenge_id", _pilot("challenge", "id")),
    ("challenge_title", _pilot("challenge", "title")),
    ("reference", _pilot("reference")),
    ("organisation", _pilot("organisation")),
    ("url", _pilot("url")),
    ("status", _pilot("status")),
    ("status_label", _pilot("status_label")),
    ("status_reason", _pilot("status_reason")),
    ("starts_on", _pilot("starts_on")),
    ("ends_on", _pilot("ends_on")),
    ("milestones_done", _pilot("milestones_done")),
    ("milestones_total", _pilot("milestones_total")),
    ("award_amount", _pilot("award_amount")),
    ("paid", _pilot("paid")),
    ("currency", _pilot("currency")),
    ("final_summary", _pilot("final_summary")),
    ("measure_name", _measure("name")),
    ("measure_unit", _measure("unit")),
    ("measure_baseline", _measure("baseline")),
    ("measure_target", _measure("target")),
    ("measure_higher_is_better", _measure("higher_is_better")),
    ("measure_latest", _measure("latest")),
    ("measure_latest_on", _measure("latest_on")),
]
