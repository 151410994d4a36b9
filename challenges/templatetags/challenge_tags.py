from datetime import datetime

from django import template
from django.utils import timezone

from challenges.lifecycle import ChallengeStatus, deadline_phrase
from core.formatting import format_date, format_moment, format_percent, format_pounds

register = template.Library()

STATUS_COLOURS = {
    ChallengeStatus.UPCOMING: "blue",
    ChallengeStatus.OPEN: "green",
    ChallengeStatus.CLOSED: "grey",
    ChallengeStatus.JUDGING: "purple",
    ChallengeStatus.WINNERS_ANNOUNCED: "turquoise",
    ChallengeStatus.ARCHIVED: "grey",
}


@register.inclusion_tag("components/status_tag.html")
def status_tag(status: str):
    status = ChallengeStatus(status)
    return {"label": status.label, "colour": STATUS_COLOURS[status]}


@register.simple_tag
def deadline(challenge, now: datetime | None = None) -> str:
    return deadline_phrase(
        status=challenge.status,
        opens_at=challenge.opens_at,
        closes_at=challenge.closes_at,
        now=now or timezone.now(),
    )


@register.filter
def uk_moment(moment: datetime | None) -> str:
    return format_moment(moment) if moment else "To be confirmed"


@register.filter
def uk_date(moment: datetime | None) -> str:
    return format_date(moment) if moment else "To be confirmed"


@register.filter
def pounds(amount) -> str:
    return format_pounds(amount)


@register.filter
def percent(share) -> str:
    """A share from 0 to 1 as "35 %"."""
    return format_percent(share)
