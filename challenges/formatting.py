"""How dates read on the site, in the GOV.UK style and in UK time: "5pm, Friday 12 March 2027"."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from .lifecycle import ChallengeStatus

UK = ZoneInfo(settings.TIME_ZONE)


def format_time(moment: datetime) -> str:
    local = moment.astimezone(UK)
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    if local.hour == 12 and local.minute == 0:
        return "midday"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def format_date(moment: datetime) -> str:
    local = moment.astimezone(UK)
    return f"{local:%A} {local.day} {local:%B %Y}"


def format_moment(moment: datetime) -> str:
    return f"{format_time(moment)}, {format_date(moment)}"


def days_between(now: datetime, moment: datetime) -> int:
    """Whole calendar days in UK time, so a deadline across a clock change is still "in 3 days"."""
    return (moment.astimezone(UK).date() - now.astimezone(UK).date()).days


def relative_days(now: datetime, moment: datetime) -> str:
    days = days_between(now, moment)
    if days <= 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def deadline_phrase(*, status: str, opens_at: datetime, closes_at: datetime, now: datetime) -> str:
    """The one line a visitor needs: when it opens, when it closes, or that it has closed."""
    if status == ChallengeStatus.UPCOMING:
        return f"Opens {relative_days(now, opens_at)} — {format_moment(opens_at)}"
    if status == ChallengeStatus.OPEN:
        return f"Closes {relative_days(now, closes_at)} — {format_moment(closes_at)}"
    return f"Closed {format_moment(closes_at)}"
