"""Reading the audit log, newest first, with the names staff need in one query."""

from django.db.models import QuerySet

from .models import Event


def events_for_challenge(challenge) -> QuerySet[Event]:
    return Event.objects.filter(challenge=challenge).select_related("actor").order_by("-created_at", "-pk")


def events_for_proposal(proposal) -> QuerySet[Event]:
    return Event.objects.filter(proposal_id=proposal.pk).select_related("actor").order_by("-created_at", "-pk")
