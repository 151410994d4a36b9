"""Building archive entries from their sources: what a challenge or a winner looks like in the archive.

Each function returns plain field values (no rows), so the same values feed the database table and the
Elasticsearch documents, and a test can read exactly what would be published.
"""

from datetime import UTC, datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from challenges.lifecycle import ChallengeStatus
from challenges.models import ChallengePage
from judging.models import Outcome
from submissions.models import Proposal, ProposalStatus

AWARDS = (ProposalStatus.WINNER, ProposalStatus.HIGHLY_COMMENDED)
NEVER = datetime(2000, 1, 1, tzinfo=UTC)
"""The modification time of a page with no publishing record (made in code): fixed, so it never looks stale."""


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


def source_modified(challenge: ChallengePage):
    """When anything the archive shows of the challenge last changed: a publish, a revision, the announcement."""
    moments = [challenge.last_published_at, challenge.latest_revision_created_at, challenge.announced_at]
    return max((moment for moment in moments if moment), default=NEVER)


def _common(challenge: ChallengePage, themes: list) -> dict:
    return {
        "challenge_id": challenge.pk,
        "challenge_title": challenge.title,
        "sponsor_slug": challenge.sponsor.slug,
        "sponsor_name": challenge.sponsor.name,
        "theme_slugs": [theme.slug for theme in themes],
        "theme_names": [theme.name for theme in themes],
        "theme_ids": [theme.pk for theme in themes],
        "source_modified": source_modified(challenge),
    }


def challenge_entry(challenge: ChallengePage, themes: list) -> dict:
    status = challenge.status
    text = [*_text(challenge.problem_statement.raw_data), strip_tags(challenge.what_we_seek or "")]
    text.append(strip_tags(challenge.eligibility or ""))
    return {
        **_common(challenge, themes),
        "key": challenge_key(challenge.pk),
        "kind": "challenge",
        "proposal_id": None,
        "title": challenge.title,
        "summary": challenge.summary,
        "body": " ".join(part.strip() for part in text if part.strip()),
        "url": challenge.get_url() or challenge.url_path,
        "year": timezone.localtime(challenge.closes_at).year,
        "date": challenge.opens_at,
        "status": str(status.value if isinstance(status, ChallengeStatus) else status),
        "status_label": ChallengeStatus(status).label,
        "organisation_name": "",
        "funding": challenge.funding_available,
    }


def winner_entries(challenge: ChallengePage, themes: list) -> list[dict]:
    """The announced awards whose suppliers consented to publication. Nothing before the announcement."""
    if not challenge.announced_at:
        return []
    proposals = (
        Proposal.objects.filter(challenge_id=challenge.pk, status__in=AWARDS, consent_to_publish=True)
        .filter(Q(decision__outcome__in=AWARDS))
        .select_related("organisation", "decision")
        .order_by("pk")
    )
    common = _common(challenge, themes)
    return [
        {
            **common,
            "key": winner_key(proposal.pk),
            "kind": "winner",
            "proposal_id": proposal.pk,
            "title": proposal.title,
            "summary": proposal.public_summary,
            "body": proposal.decision.public_rationale,
            "url": reverse("archive:winner", kwargs={"pk": proposal.pk}),
            "year": timezone.localtime(challenge.announced_at).year,
            "date": challenge.announced_at,
            "status": proposal.status,
            "status_label": Outcome(proposal.status).label,
            "organisation_name": proposal.organisation.name,
            "funding": None,
        }
        for proposal in proposals
    ]


def entries_for(challenge: ChallengePage | None) -> list[dict]:
    """Everything the archive should hold for this challenge now: nothing unless it is live and public."""
    if challenge is None or not is_public(challenge):
        return []
    themes = list(challenge.themes.all())
    return [challenge_entry(challenge, themes), *winner_entries(challenge, themes)]
