"""What one challenge or one award looks like in the open data: plain dicts of public fields.

The JSON API, the CSV downloads and the feeds all build from these, so a field means the same everywhere; the
OpenAPI document (schema.py) describes exactly these keys, and a test holds the two together. Dates are ISO
8601 in UK time with their offset; money is a decimal string, so no client rounds pounds through a float.
"""

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from challenges.models import ChallengePage
from judging.selectors.public import public_award
from submissions.models import Proposal

CURRENCY = "GBP"


def iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def page_url(page: ChallengePage, request: HttpRequest) -> str:
    return request.build_absolute_uri(page.get_url(request=request))


def winner_url(proposal: Proposal, request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("archive:winner", kwargs={"pk": proposal.pk}))


def challenge_winner(proposal: Proposal, request: HttpRequest) -> dict:
    award = public_award(proposal)
    return {
        "reference": award.reference,
        "title": award.title,
        "organisation": award.organisation,
        "award": award.award,
        "url": winner_url(proposal, request),
    }


def challenge_row(challenge: ChallengePage, request: HttpRequest) -> dict:
    """``challenge`` comes from ``selectors.challenges_for_api``, which loads its status, themes and awards."""
    return {
        "id": challenge.pk,
        "title": challenge.title,
        "url": page_url(challenge, request),
        "summary": challenge.summary,
        "sponsor": {"name": challenge.sponsor.name, "slug": challenge.sponsor.slug},
        "themes": [{"name": theme.name, "slug": theme.slug} for theme in challenge.themes.all()],
        "status": challenge.lifecycle_status,
        "opens_at": iso(challenge.opens_at),
        "closes_at": iso(challenge.closes_at),
        "judging_starts_at": iso(challenge.judging_starts_at),
        "announce_at": iso(challenge.announce_at),
        "announced_at": iso(challenge.announced_at),
        "funding_available": f"{Decimal(challenge.funding_available):.2f}",
        "currency": CURRENCY,
        "winners": [challenge_winner(proposal, request) for proposal in challenge.public_awards],
    }


def award_row(proposal: Proposal, request: HttpRequest) -> dict:
    """``proposal`` comes from ``selectors.public_awards``."""
    challenge = proposal.challenge
    award = public_award(proposal)
    return {
        "reference": award.reference,
        "title": award.title,
        "organisation": award.organisation,
        "award": award.award,
        "public_summary": award.summary,
        "public_rationale": award.rationale,
        "url": winner_url(proposal, request),
        "challenge": {"id": challenge.pk, "title": challenge.title, "url": page_url(challenge, request)},
        "announced_at": iso(challenge.announced_at),
    }
