"""Demo dates are offsets from today, so every lifecycle status is shown whenever the demo is seeded."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

UK = ZoneInfo(settings.TIME_ZONE)


def uk_moment(offset: tuple[int, int] | None, today=None) -> datetime | None:
    """``(days from today, hour)`` as an aware moment at that UK wall-clock hour."""
    if offset is None:
        return None
    days, hour = offset
    today = today or timezone.localdate(timezone=UK)
    return datetime.combine(today + timedelta(days=days), time(hour), tzinfo=UK)
