"""Reminders about pilot reports, each email sent once (keyed notifications), so a task run twice, retried or
redelivered sends nothing more:

- to the winning organisation's members, a report due within the pilot's reminder days, and one that is overdue;
- to each sponsor's managers, a weekly digest of its pilots that are overdue or at risk.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from accounts.selectors import organisation_members
from challenges.models import Sponsor
from challenges.services import manager_group_name
from notifications.services import notify

from ..models import ENDED, MAX_REMINDER_DAYS, Milestone, Pilot, PilotStatus, ReportStatus
from .links import page_link

WAITING = Q(report__isnull=True) | Q(report__status__in=(ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED))
"""A milestone whose report the supplier still has to send."""


def _waiting_milestones():
    return (
        Milestone.objects.filter(WAITING)
        .exclude(pilot__status__in=ENDED)
        .select_related("pilot__decision__proposal__organisation", "pilot__decision__proposal__challenge")
    )


def _remind(milestone: Milestone, *, kind: str) -> int:
    proposal = milestone.pilot.decision.proposal
    context = {
        "challenge": proposal.challenge.title,
        "organisation": proposal.organisation.name,
        "milestone": milestone.name,
        "due_on": milestone.due_on,
        "url": page_link("pilots:report", [milestone.pk]),
    }
    sent = 0
    for membership in organisation_members(organisation=proposal.organisation):
        notify(
            to=membership.user.email,
            template=f"pilots/email/report_{kind}",
            context=context,
            key=f"pilot-report-{kind}:{milestone.pk}:{membership.user_id}",
        )
        sent += 1
    return sent


def report_reminders_send(*, today: date | None = None) -> int:
    """Remind each waiting report once when it falls due within its pilot's reminder days, and once when it is
    overdue. Returns how many emails were queued (an already-sent key counts, and sends nothing)."""
    today = today or timezone.localdate()
    waiting = _waiting_milestones()
    upcoming = waiting.filter(due_on__gte=today, due_on__lte=today + timedelta(days=MAX_REMINDER_DAYS))
    due_soon = [m for m in upcoming if (m.due_on - today).days <= m.pilot.report_reminder_days]
    sent = sum(_remind(milestone, kind="due") for milestone in due_soon)
    sent += sum(_remind(milestone, kind="overdue") for milestone in waiting.filter(due_on__lt=today))
    return sent


def pilot_digest_send(*, today: date | None = None) -> int:
    """Weekly: tell each sponsor's managers which of its pilots are at risk or have an overdue report. One email
    per manager per ISO week; a sponsor with nothing to report sends nothing."""
    today = today or timezone.localdate()
    year, week, _ = today.isocalendar()
    overdue = {}
    for milestone in _waiting_milestones().filter(due_on__lt=today).order_by("due_on"):
        overdue.setdefault(milestone.pilot_id, []).append(milestone)
    pilots = (
        Pilot.objects.needing_attention(today)
        .with_award()
        .select_related("decision__proposal__challenge__sponsor")
        .order_by("decision__proposal__challenge__title", "pk")
    )
    by_sponsor: dict[int, list[dict]] = {}
    for pilot in pilots:
        proposal = pilot.decision.proposal
        by_sponsor.setdefault(proposal.challenge.sponsor_id, []).append(
            {
                "challenge": proposal.challenge.title,
                "organisation": pilot.decision.recipient_name or proposal.organisation.name,
                "at_risk": pilot.status == PilotStatus.AT_RISK,
                "reason": pilot.status_reason if pilot.status == PilotStatus.AT_RISK else "",
                "overdue": [f"{m.name} (due {m.due_on:%-d %B %Y})" for m in overdue.get(pilot.pk, [])],
                "url": page_link("pilots_admin:pilot", [proposal.challenge_id, pilot.pk]),
            }
        )
    sent = 0
    for sponsor in Sponsor.objects.filter(pk__in=by_sponsor):
        lines = by_sponsor[sponsor.pk]
        managers = get_user_model().objects.filter(groups__name=manager_group_name(sponsor), is_active=True)
        for manager in managers:
            notify(
                to=manager.email,
                template="pilots/email/digest",
                context={"sponsor": sponsor.name, "lines": lines, "count": len(lines), "week": f"{year}-W{week:02d}"},
                key=f"pilot-digest:{sponsor.pk}:{year}-W{week:02d}:{manager.pk}",
            )
            sent += 1
    return sent
