"""Reads for the managers' pilot pages: a challenge's awards with their pilots, and every pilot a manager runs."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, When

from challenges.selectors import challenges_user_can_manage
from judging.models import Decision, Outcome
from submissions.workflow import AWARDS

from ..models import ENDED, Milestone, Pilot, Report, ReportStatus, ReportVersion


def _counted(pilots, today: date):
    overdue = Milestone.objects.filter(pilot=OuterRef("pk"), due_on__lt=today).exclude(
        report__status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
    )
    return pilots.annotate(
        milestone_count=Count("milestones", distinct=True),
        done_count=Count("milestones", filter=Q(milestones__report__status=ReportStatus.ACCEPTED), distinct=True),
        to_review=Count("milestones", filter=Q(milestones__report__status=ReportStatus.SUBMITTED), distinct=True),
        has_overdue=Exists(overdue),
    )


@dataclass(frozen=True)
class AwardRow:
    decision: Decision
    pilot: Pilot | None


def challenge_award_rows(challenge, *, today: date) -> list[AwardRow]:
    """The challenge's awards (winners first) with their pilots, once announced: two queries."""
    if not challenge.announced_at:
        return []
    decisions = list(
        Decision.objects.filter(proposal__challenge=challenge, outcome__in=AWARDS, proposal__status__in=AWARDS)
        .select_related("proposal__organisation")
        .order_by(Case(When(outcome=Outcome.WINNER, then=0), default=1), "recipient_name", "pk")
    )
    pilots = {
        pilot.decision_id: pilot
        for pilot in _counted(Pilot.objects.filter(decision__in=[d.pk for d in decisions]), today)
    }
    return [AwardRow(decision=decision, pilot=pilots.get(decision.pk)) for decision in decisions]


def pilots_managed_by(user, *, today: date):
    """Every pilot of a challenge this user manages, those needing attention first: the Pilots menu's list."""
    challenges = challenges_user_can_manage(user).values("pk")
    return (
        _counted(Pilot.objects.filter(decision__proposal__challenge__in=challenges).with_award(), today)
        .annotate(ended=Q(status__in=ENDED))
        .order_by("ended", "-has_overdue", "-to_review", "decision__proposal__challenge__title", "pk")
    )


def award_of(challenge, decision_id: int) -> Decision | None:
    return (
        Decision.objects.select_related("proposal__organisation", "proposal__challenge")
        .filter(pk=decision_id, proposal__challenge=challenge, outcome__in=AWARDS)
        .first()
    )


def pilot_in(challenge, pilot_id: int) -> Pilot | None:
    return Pilot.objects.with_award().filter(pk=pilot_id, decision__proposal__challenge=challenge).first()


def report_in(pilot, milestone_id: str) -> Report | None:
    """The report on the pilot's milestone named in a form (None for anything else)."""
    if not str(milestone_id).isdigit():
        return None
    return Report.objects.select_related("milestone").filter(milestone__pilot=pilot, milestone_id=milestone_id).first()


def review_cards(pilot) -> list[dict]:
    """Each milestone with its report, the report's versions (newest first), its values and files: what the
    manager reads to review. Five queries, whatever the number of milestones, reports, versions or files."""
    milestones = list(pilot.milestones.select_related("payment_approved_by").order_by("due_on", "pk"))
    reports = {
        report.milestone_id: report
        for report in Report.objects.filter(milestone__pilot=pilot).prefetch_related(
            Prefetch(
                "versions",
                queryset=ReportVersion.objects.select_related("submitted_by", "reviewed_by").order_by("-number"),
            ),
            "evidence",
        )
    }
    cards = []
    for milestone in milestones:
        report = reports.get(milestone.pk)
        versions = list(report.versions.all()) if report else []
        cards.append(
            {
                "milestone": milestone,
                "report": report,
                "versions": versions,
                "shown": versions[0] if versions else None,
                "evidence": list(report.evidence.all()) if report else [],
            }
        )
    return cards
