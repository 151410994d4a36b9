"""The one way to write to the audit log."""

from .models import Event


def event_record(
    *,
    actor,
    verb: str,
    challenge=None,
    proposal=None,
    subject: str = "",
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> Event:
    """Append an event. A proposal's challenge is filled in for it, so every proposal event shows per challenge."""
    if proposal is not None and challenge is None:
        challenge_id = proposal.challenge_id
    else:
        challenge_id = challenge.pk if challenge is not None else None
    return Event.objects.create(
        challenge_id=challenge_id,
        proposal_id=proposal.pk if proposal is not None else None,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        subject=subject[:200],
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def events_record(events: list[Event]) -> list[Event]:
    """Append many events at once (a bulk transition, an automatic assignment)."""
    return Event.objects.bulk_create(events)
