"""The scheduled emails about proposals (celery beat runs them through tasks.py). Each email has a key, so a run
that repeats or overlaps the last never sends the same reminder twice: the notification outbox is the record of
what was sent."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Membership
from audit.models import Event
from challenges.models import ChallengeIndexPage, ChallengePage
from challenges.services import manager_group_name
from core.formatting import format_moment
from notifications.services import notify

from .models import Proposal, ProposalStatus

# (name, hours before the deadline): the 48-hour reminder stops where the 2-hour one starts.
REMINDER_WINDOWS = (("48h", 48, 2), ("2h", 2, 0))


def reminders_send_due() -> int:
    """Email the owners of unsubmitted drafts 48 hours and 2 hours before the challenge closes."""
    now = timezone.now()
    sent = 0
    for window, hours, until_hours in REMINDER_WINDOWS:
        drafts = Proposal.objects.filter(
            status=ProposalStatus.DRAFT,
            challenge__live=True,
            challenge__closes_at__gt=now + timedelta(hours=until_hours),
            challenge__closes_at__lte=now + timedelta(hours=hours),
        ).select_related("challenge", "organisation")
        for proposal in drafts:
            owners = Membership.objects.filter(organisation=proposal.organisation, role="owner").select_related("user")
            for membership in owners:
                notify(
                    to=membership.user.email,
                    template="submissions/email/reminder",
                    context={
                        "title": proposal.title or "Untitled proposal",
                        "challenge": proposal.challenge.title,
                        "organisation": proposal.organisation.name,
                        "closes_at": format_moment(proposal.challenge.closes_at),
                        "hours": hours,
                        "path": f"/proposals/{proposal.pk}/",
                    },
                    key=f"reminder-{window}:{proposal.pk}:{membership.user_id}",
                )
                sent += 1
    return sent


def manager_digest_send() -> int:
    """Each morning, tell each sponsor's challenge managers what was submitted in the last day."""
    now = timezone.now()
    since = now - timedelta(days=1)
    today = timezone.localdate(now).isoformat()
    sent = 0
    for section in ChallengeIndexPage.objects.filter(sponsor__isnull=False).select_related("sponsor"):
        challenges = ChallengePage.objects.descendant_of(section)
        events = list(
            Event.objects.filter(created_at__gte=since, verb__in=["submitted", "resubmitted"], challenge__in=challenges)
        )
        if not events:
            continue
        proposals = Proposal.objects.select_related("challenge", "organisation").in_bulk(
            {event.proposal_id for event in events}
        )
        submitted = sorted(
            ((proposals[event.proposal_id], event) for event in events if event.proposal_id in proposals),
            key=lambda pair: (pair[0].challenge.title, pair[1].created_at),
        )
        lines = [
            {
                "challenge": proposal.challenge.title,
                "reference": proposal.reference,
                "organisation": proposal.organisation.name,
                "verb": event.verb,
                "at": format_moment(event.created_at),
            }
            for proposal, event in submitted
        ]
        managers = get_user_model().objects.filter(groups__name=manager_group_name(section.sponsor), is_active=True)
        for manager in managers:
            notify(
                to=manager.email,
                template="submissions/email/digest",
                context={"sponsor": section.sponsor.name, "lines": lines, "count": len(lines), "date": today},
                key=f"digest:{section.sponsor_id}:{today}:{manager.pk}",
            )
            sent += 1
    return sent
