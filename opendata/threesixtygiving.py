"""The awards as 360Giving data (Data Standard 1.4): a JSON data package and the same grants as a flat CSV.

Every award of a live, public, announced challenge that carries an amount is a grant. What each says about the
award is ``judging.selectors.public.PublicAward`` (title and summary only with the supplier's consent, the name
on the public record); the planned dates are the pilot's, as ``pilots.selectors.public`` publishes them.

Identifiers follow 360Giving's guidance. A grant is ``360G-<prefix>-<proposal id>``, which never changes once
published. A recipient is ``GB-COH-<number>`` where its Companies House number is known, otherwise
``360G-<prefix>-org-<id>``; a funder is the sponsor's org-id identifier, otherwise ``360G-<prefix>-sponsor-<id>``.
Amounts are JSON numbers, as the standard requires, converted from the exact decimal only at the edge.
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from judging.selectors.public import public_award
from pilots.selectors.public import PublicScorecard, public_scorecards
from submissions.models import Proposal

from .rows import CURRENCY, iso, page_url
from .schema import LICENCE_URL
from .selectors import public_awards

VERSION = "1.4"


def prefix() -> str:
    """``360G-<prefix>``, tolerating a setting given with the ``360G-`` already on it."""
    local = settings.THREESIXTYGIVING_PREFIX.strip().removeprefix("360G-").strip("-")
    return f"360G-{local}"


def number(amount: Decimal) -> int | float:
    """A whole number of pounds as an integer, pence as a float (exact for any amount a DecimalField(12, 2)
    holds)."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def grant_awards() -> QuerySet[Proposal]:
    """The awards that are grants: public awards with an amount, oldest announcement first so the file reads as
    a history."""
    return (
        public_awards()
        .filter(decision__amount__isnull=False)
        .order_by("challenge__announced_at", "challenge_id", "award_order", "pk")
    )


def recipient_id(proposal: Proposal) -> str:
    number_ = proposal.organisation.companies_house_number
    return f"GB-COH-{number_}" if number_ else f"{prefix()}-org-{proposal.organisation_id}"


def funder_id(sponsor) -> str:
    return sponsor.org_id or f"{prefix()}-sponsor-{sponsor.pk}"


def _modified(proposal: Proposal) -> datetime:
    return max(moment for moment in (proposal.decision.decided_at, proposal.challenge.announced_at) if moment)


def grant(proposal: Proposal, scorecard: PublicScorecard | None, request: HttpRequest) -> dict:
    award = public_award(proposal)
    challenge = proposal.challenge
    sponsor = challenge.sponsor
    recipient = {"id": recipient_id(proposal), "name": award.organisation}
    if proposal.organisation.companies_house_number:
        recipient["companyNumber"] = proposal.organisation.companies_house_number
    row = {
        "id": f"{prefix()}-{proposal.pk}",
        "title": award.title,
        "description": award.description,
        "currency": CURRENCY,
        "amountAwarded": number(award.amount),
        "awardDate": f"{timezone.localdate(award.announced_at):%Y-%m-%d}",
        "recipientOrganization": [recipient],
        "fundingOrganization": [{"id": funder_id(sponsor), "name": sponsor.name}],
        "grantProgramme": [
            {"code": f"challenge-{challenge.pk}", "title": challenge.title, "url": page_url(challenge, request)}
        ],
        "dateModified": iso(_modified(proposal)),
    }
    if scorecard is not None:
        row["plannedDates"] = [
            {"startDate": f"{scorecard.starts_on:%Y-%m-%d}", "endDate": f"{scorecard.ends_on:%Y-%m-%d}"}
        ]
    return row


def grants(request: HttpRequest) -> list[dict]:
    """Every grant, in a fixed number of queries."""
    proposals = list(grant_awards())
    scorecards = public_scorecards([p.pk for p in proposals], today=timezone.localdate())
    return [grant(proposal, scorecards.get(proposal.pk), request) for proposal in proposals]


def package(request: HttpRequest) -> dict:
    """The 360Giving data package: the grants and who publishes them, under which licence."""
    site = request.build_absolute_uri("/")
    now = iso(timezone.now())
    return {
        "version": VERSION,
        "extensions": [],
        "title": f"{settings.WAGTAIL_SITE_NAME}: awards",
        "description": (
            "Every award with an amount made in an announced challenge: who received it, how much, from which "
            "sponsor and when, with the pilot's planned dates where it has one."
        ),
        "identifier": f"{prefix()}-awards",
        "issued": now,
        "modified": now,
        "license": LICENCE_URL,
        "publisher": {"name": settings.WAGTAIL_SITE_NAME, "prefix": prefix(), "website": site},
        "accessURL": request.build_absolute_uri(reverse("opendata:data")),
        "downloadURL": request.build_absolute_uri(reverse("opendata:threesixtygiving_json")),
        "grants": grants(request),
    }


def _first(field: str, key: str) -> Callable[[dict], object]:
    return lambda row: row[field][0].get(key) if row.get(field) else None


def _plain(field: str) -> Callable[[dict], object]:
    return lambda row: row[field]


COLUMNS: list[tuple[str, Callable[[dict], object]]] = [
    ("Identifier", _plain("id")),
    ("Title", _plain("title")),
    ("Description", _plain("description")),
    ("Currency", _plain("currency")),
    ("Amount Awarded", _plain("amountAwarded")),
    ("Award Date", _plain("awardDate")),
    ("Recipient Org:Identifier", _first("recipientOrganization", "id")),
    ("Recipient Org:Name", _first("recipientOrganization", "name")),
    ("Funding Org:Identifier", _first("fundingOrganization", "id")),
    ("Funding Org:Name", _first("fundingOrganization", "name")),
    ("Grant Programme:Title", _first("grantProgramme", "title")),
    ("Grant Programme:URL", _first("grantProgramme", "url")),
    ("Planned Dates:Start Date", _first("plannedDates", "startDate")),
    ("Planned Dates:End Date", _first("plannedDates", "endDate")),
    ("Last modified", _plain("dateModified")),
]
"""The standard's own column titles, so 360Giving's tools read the file as it is."""
