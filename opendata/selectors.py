"""The rows the open data publishes: public challenges and public awards, as querysets with everything each row
needs loaded in a fixed number of queries, however many rows there are.

"Public award" follows the archive's rule (archive/entries.py): a winning or highly commended proposal of a
live, public challenge whose winners were announced, and whose supplier consented to publication. Nothing
else about a proposal (scores, judges, feedback, members, emails) is ever read here.
"""

from datetime import datetime

from django.db.models import Case, F, IntegerField, Prefetch, QuerySet, Value, When

from challenges.lifecycle import ChallengeStatus
from challenges.models import ChallengePage, Sponsor, Theme
from challenges.selectors import public_challenges
from challenges.winners import AWARDS
from submissions.models import Proposal, ProposalStatus

from .filters import Filters


def awarded_proposals() -> QuerySet[Proposal]:
    """Announced, consented awards, winners first; the challenge's own visibility is checked by the caller."""
    award_order = Case(When(status=ProposalStatus.WINNER, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        Proposal.objects.filter(
            status__in=AWARDS,
            decision__outcome__in=AWARDS,
            consent_to_publish=True,
            challenge__announced_at__isnull=False,
        )
        .select_related("organisation")
        .annotate(award_order=award_order)
        .order_by("award_order", "organisation__name", "pk")
    )


def public_awards() -> QuerySet[Proposal]:
    """Every public award, newest announcement first, with its decision, challenge, sponsor and themes."""
    visible = ChallengePage.objects.live().public().values("pk")
    return (
        awarded_proposals()
        .filter(challenge_id__in=visible)
        .select_related("decision", "challenge", "challenge__sponsor")
        .prefetch_related("challenge__themes")
        .order_by("-challenge__announced_at", "challenge_id", "award_order", "organisation__name", "pk")
    )


def _by_theme(queryset: QuerySet, slugs: tuple[str, ...], field: str) -> QuerySet:
    tagged = ChallengePage.objects.filter(themes__slug__in=slugs).values("pk")
    return queryset.filter(**{f"{field}__in": tagged})


def challenges_for_api(filters: Filters, *, now: datetime) -> QuerySet[ChallengePage]:
    """Live, public challenges matching ``filters``, newest opening first, each with ``lifecycle_status`` and
    ``public_awards`` (its public awards, winners first)."""
    challenges = (
        public_challenges()
        .annotate_status(now=now)
        .prefetch_related(Prefetch("proposals", queryset=awarded_proposals(), to_attr="public_awards"))
        .order_by("-opens_at", "-pk")
    )
    if filters.status:
        challenges = challenges.with_status(*filters.status, now=now)
    if filters.theme:
        challenges = _by_theme(challenges, filters.theme, "pk")
    if filters.sponsor:
        challenges = challenges.filter(sponsor__slug__in=filters.sponsor)
    if filters.year:
        challenges = challenges.filter(closes_at__year__in=filters.year)
    return challenges


def awards_for_api(filters: Filters) -> QuerySet[Proposal]:
    """Public awards matching ``filters``; ``year`` is the year the winners were announced (UK time)."""
    awards = public_awards()
    if filters.theme:
        awards = _by_theme(awards, filters.theme, "challenge_id")
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
