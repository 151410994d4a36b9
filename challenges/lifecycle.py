"""A challenge's lifecycle status, derived from its key dates.

``challenge_status`` is the single definition of which dates mean which status.
``status_condition`` says the same thing as a database filter, so listings can
filter and sort by status without loading every page; the tests hold the two
in agreement at every boundary.

Boundaries are half-open: a challenge that closes at 17:00 is open at
16:59:59.999999 and closed at 17:00:00. All times are aware; display happens in
Europe/London, so a date on either side of a clock change keeps its meaning.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When

from core.formatting import format_moment, relative_days


class ChallengeStatus(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    JUDGING = "judging", "Judging"
    WINNERS_ANNOUNCED = "winners_announced", "Winners announced"
    ARCHIVED = "archived", "Archived"


@dataclass(frozen=True)
class KeyDates:
    opens_at: datetime
    closes_at: datetime
    judging_starts_at: datetime | None = None
    judging_ends_at: datetime | None = None
    announce_at: datetime | None = None


def archive_delay() -> timedelta:
    return timedelta(days=settings.CHALLENGE_ARCHIVE_AFTER_DAYS)


def challenge_status(dates: KeyDates, *, now: datetime, override: str = "") -> ChallengeStatus:
    """Return the status at ``now``.

    upcoming until ``opens_at``; open until ``closes_at``; closed (proposals are
    being screened) until ``judging_starts_at``; judging until ``announce_at``;
    winners announced until the archive delay has passed; then archived. A
    missing later date means that stage has not been scheduled yet, so the
    challenge stays where it is. A manager's explicit override wins.
    """
    if override:
        return ChallengeStatus(override)
    if now < dates.opens_at:
        return ChallengeStatus.UPCOMING
    if now < dates.closes_at:
        return ChallengeStatus.OPEN
    if dates.judging_starts_at is None or now < dates.judging_starts_at:
        return ChallengeStatus.CLOSED
    if dates.announce_at is None or now < dates.announce_at:
        return ChallengeStatus.JUDGING
    if now < dates.announce_at + archive_delay():
        return ChallengeStatus.WINNERS_ANNOUNCED
    return ChallengeStatus.ARCHIVED


def date_condition(status: str, now: datetime) -> Q:
    """The dates' half of ``status_condition``: rows whose dates mean ``status``, overrides aside."""
    archived_before = now - archive_delay()
    started_judging = Q(judging_starts_at__isnull=False, judging_starts_at__lte=now)
    announced = Q(announce_at__isnull=False, announce_at__lte=now)
    closed = Q(opens_at__lte=now, closes_at__lte=now)
    conditions = {
        ChallengeStatus.UPCOMING: Q(opens_at__gt=now),
        ChallengeStatus.OPEN: Q(opens_at__lte=now, closes_at__gt=now),
        ChallengeStatus.CLOSED: closed & ~started_judging,
        ChallengeStatus.JUDGING: closed & started_judging & ~announced,
        ChallengeStatus.WINNERS_ANNOUNCED: closed & started_judging & announced & Q(announce_at__gt=archived_before),
        ChallengeStatus.ARCHIVED: closed & started_judging & Q(announce_at__lte=archived_before),
    }
    return conditions[ChallengeStatus(status)]


def status_condition(status: str, now: datetime) -> Q:
    """The database filter equivalent of ``challenge_status(...) == status``."""
    return Q(status_override=status) | (Q(status_override="") & date_condition(status, now))


def status_expression(now: datetime) -> Case:
    """An annotation giving each row its status, for sorting and grouping."""
    return Case(
        *(When(status_condition(status, now), then=Value(status)) for status in ChallengeStatus.values),
        default=Value(""),
        output_field=models.CharField(),
    )


def deadline_phrase(*, status: str, opens_at: datetime, closes_at: datetime, now: datetime) -> str:
    """The one line a visitor needs: when it opens, when it closes, or that it has closed."""
    if status == ChallengeStatus.UPCOMING:
        return f"Opens {relative_days(now, opens_at)} — {format_moment(opens_at)}"
    if status == ChallengeStatus.OPEN:
        return f"Closes {relative_days(now, closes_at)} — {format_moment(closes_at)}"
    return f"Closed {format_moment(closes_at)}"
