"""The rows the open data publishes: public challenges and public awards, as querysets with everything each row
needs loaded in a fixed number of queries, however many rows there are.

"Public award": an award of a live, public challenge whose winners were announced, shown as ``judging.selectors.public``
decides (the same rule as the challenge page and the archive). Nothing else about a proposal (scores, judges,
feedback, members, emails) is ever read here.
"""

from datetime import datetime

from django.db.models import F, Prefetch, QuerySet

from challenges.lifecycle import ChallengeStatus
from challenges.models import ChallengePage, Sponsor, Theme
from challenges.selectors import public_challenges
from judging.selectors.public import announced_awards
from submissions.models import Proposal

from .filters import Filters


def public_awards() -> QuerySet[Proposal]:
    """Every award of a live, public, announced challenge (``judging.selectors.public`` decides what each shows), newest
    announcement first, with its decision, challenge, sponsor and themes."""
    visible = ChallengePage.objects.live().public().values("pk")
    return (
        announced_awards()
        .filter(challenge_id__in=visible)
        .select_related("challenge__sponsor")
        .prefetch_related("challenge__themes")
        .order_by("-challenge__announced_at", "challenge_id", "award_order", "decision__recipient_name", "pk")
    )


def challenges_for_api(filters: Filters, *, now: datetime) -> QuerySet[ChallengePage]:
    """Live, public challenges matching ``filters``, newest opening first, each with ``lifecycle_status`` and
    ``public_awards`` (its public awards, winners first)."""
    challenges = (
        public_challenges()
        .annotate_status(now=now)
        .prefetch_related(Prefetch("proposals", queryset=announced_awards(), to_attr="public_awards"))
        .order_by("-opens_at", "-pk")
    )
    if filters.status:
        challenges = challenges.with_status(*filters.status, now=now)
    if filters.theme:
        challenges = challenges.with_themes(filters.theme)
    if filters.sponsor:
        challenges = challenges.filter(sponsor__slug__in=filters.sponsor)
    if filters.year:
        challenges = challenges.filter(closes_at__year__in=filters.year)
    return challenges


def awards_for_api(filters: Filters) -> QuerySet[Proposal]:
    """Public awards matching ``filters``; ``year`` is the year the winners were announced (UK time)."""
    awards = public_awards()
    if filters.theme:
        awards = awards.filter(challenge_id__in=ChallengePage.objects.with_themes(filters.theme).values("pk"))
    if filters.sponsor:
        awards = awards.filter(challenge__sponsor__slug__in=filters.sponsor)
    if filters.year:
        awards = awards.filter(challenge__announced_at__year__in=filters.year)
    return awards


def newest_published_challenges(*, limit: int) -> list[ChallengePage]:
    """For the challenges feed: most recently first published first."""
    newest = F("first_published_at").desc(nulls_last=True)
    return list(public_challenges().order_by(newest, "-pk")[:limit])


def newest_awards(*, limit: int) -> list[Proposal]:
    """For the winners feed: the latest announcement first."""
    return list(public_awards()[:limit])


def data_page_facts() -> dict:
    """What the data page shows: how much there is, and the values each filter accepts."""
    challenges = ChallengePage.objects.live().public()
    return {
        "challenge_count": challenges.count(),
        "outcome_count": public_awards().count(),
        "themes": list(Theme.objects.order_by("name")),
        "sponsors": list(Sponsor.objects.filter(challenges__in=challenges.values("pk")).distinct().order_by("name")),
        "statuses": ChallengeStatus.choices,
        "years": [moment.year for moment in challenges.datetimes("closes_at", "year", order="DESC")],
    }
