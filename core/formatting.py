"""How dates read on the site, in the GOV.UK style and in UK time: "5pm, Friday 12 March 2027"."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

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


def format_pounds(amount) -> str:
    """£10,000, or £10,000.50 when there are pence."""
    if amount is None:
        return ""
    whole = int(amount)
    pence = round((amount - whole) * 100)
    return f"£{whole:,}" if pence == 0 else f"£{whole:,}.{pence:02d}"


def format_percent(share: float) -> str:
    """A share (0 to 1) as the pages write a percentage, whole, with a space before the sign: "35 %"."""
    return f"{round(share * 100)} %"
