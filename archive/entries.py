"""Building archive entries from their sources: what a challenge or a winner looks like in the archive.

Each function returns an ``Entry``, the one shape of an archive row's values (no rows), so the same values feed the
database table and the Elasticsearch documents, and a test can read exactly what would be published.
"""

from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from challenges.lifecycle import ChallengeStatus
from challenges.models import ChallengePage
from core.formatting import format_pounds
from judging.selectors.public import announced_awards, challenge_public_shortlist, public_award
from pilots.selectors.public import public_scorecards


def challenge_key(challenge_id: int) -> str:
    return f"challenge:{challenge_id}"


def winner_key(proposal_id: int) -> str:
    return f"proposal:{proposal_id}"


def _text(value) -> list[str]:
    """Every string inside stored StreamField data, tags removed: the searchable text of a rich page."""
    if isinstance(value, str):
        return [strip_tags(value)]
    if isinstance(value, dict):
        return [text for key, item in value.items() if key not in ("id", "type") for text in _text(item)]
    if isinstance(value, list):
        return [text for item in value for text in _text(item)]
    return []


def is_public(challenge: ChallengePage) -> bool:
    """Live and without a view restriction (a password or a login wall keeps a page out of the archive)."""
    return challenge.live and not challenge.get_view_restrictions().exists()


@dataclass(frozen=True)
class Entry:
    """An archive entry's values, field for field as ``ArchiveEntry`` stores them (``theme_ids`` sets its themes)."""

    key: str
    kind: str
    challenge_id: int
    proposal_id: int | None
    title: str
    summary: str
    body: str
    url: str
    sponsor_slug: str
    sponsor_name: str
    theme_slugs: list[str]
    theme_names: list[str]
    theme_ids: list[int]
    year: int
    date: datetime
    status: str
    status_label: str
    organisation_name: str
    challenge_title: str
    funding: Decimal | None
    source_modified: datetime
    pilot_status: str = ""
    pilot_status_label: str = ""
    """A winner's pilot, as its public scorecard states it; empty for a challenge or an award without a pilot."""

    def row_values(self) -> dict:
        """What ``ArchiveEntry`` stores in its own columns (every field but the key and the themes' ids)."""
        return {
            field.name: getattr(self, field.name) for field in fields(self) if field.name not in ("key", "theme_ids")
        }


def _common(challenge: ChallengePage, themes: list) -> dict:
    return {
        "challenge_id": challenge.pk,
        "challenge_title": challenge.title,
        "sponsor_slug": challenge.sponsor.slug,
        "sponsor_name": challenge.sponsor.name,
        "theme_slugs": [theme.slug for theme in themes],
        "theme_names": [theme.name for theme in themes],
        "theme_ids": [theme.pk for theme in themes],
        "source_modified": challenge.last_public_change,
    }


def challenge_entry(challenge: ChallengePage, themes: list) -> Entry:
    status = challenge.status
    text = [*_text(challenge.problem_statement.raw_data), strip_tags(challenge.what_we_seek or "")]
    text.append(strip_tags(challenge.eligibility or ""))
    shortlist = challenge_public_shortlist(challenge)
    if shortlist:
        text.append("Also shortlisted: " + ", ".join(shortlist) + ".")
    return Entry(
        **_common(challenge, themes),
        key=challenge_key(challenge.pk),
        kind="challenge",
        proposal_id=None,
        title=challenge.title,
        summary=challenge.summary,
        body=" ".join(part.strip() for part in text if part.strip()),
        url=challenge.get_url() or challenge.url_path,
        year=timezone.localtime(challenge.closes_at).year,
        date=challenge.opens_at,
        status=str(status.value if isinstance(status, ChallengeStatus) else status),
        status_label=ChallengeStatus(status).label,
        organisation_name="",
        funding=challenge.funding_available,
    )


def _winner_modified(challenge_modified: datetime, card) -> datetime:
    """When a winner's entry last changed: its challenge, or its pilot's status if later (so a search backend that
    missed a pilot's change is brought up to date by reconcile, which compares these)."""
    changed = card.status_changed_at if card is not None else None
    return max(challenge_modified, changed) if changed else challenge_modified


def winner_entries(challenge: ChallengePage, themes: list) -> list[Entry]:
    """The announced awards, as the public record allows (``judging.selectors.public``); nothing before the
    announcement."""
    if not challenge.announced_at:
        return []
    common = _common(challenge, themes)
    awards = [public_award(proposal) for proposal in announced_awards().filter(challenge_id=challenge.pk)]
    cards = public_scorecards([award.proposal_id for award in awards], today=timezone.localdate())
    return [
        Entry(
            **{**common, "source_modified": _winner_modified(common["source_modified"], cards.get(award.proposal_id))},
            key=winner_key(award.proposal_id),
            kind="winner",
            proposal_id=award.proposal_id,
            title=award.title,
            summary=award.summary,
            body=award.rationale
            + (
                f"\n\nWhy this departs from the panel's ranking: {award.departure_reason}"
                if award.departure_reason
                else ""
            ),
            url=reverse("archive:winner", kwargs={"pk": award.proposal_id}),
            year=timezone.localtime(challenge.announced_at).year,
            date=challenge.announced_at,
            status=award.award,
            status_label=f"{award.award_label}: {format_pounds(award.amount)}" if award.amount else award.award_label,
            organisation_name=award.organisation,
            funding=None,
            pilot_status=cards[award.proposal_id].status if award.proposal_id in cards else "",
            pilot_status_label=cards[award.proposal_id].status_label if award.proposal_id in cards else "",
        )
        for award in sorted(awards, key=lambda award: award.proposal_id)
    ]


def entries_for(challenge: ChallengePage | None) -> list[Entry]:
    """Everything the archive should hold for this challenge now: nothing unless it is live and public."""
    if challenge is None or not is_public(challenge):
        return []
    themes = list(challenge.themes.all())
    return [challenge_entry(challenge, themes), *winner_entries(challenge, themes)]
