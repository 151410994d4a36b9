"""Reads for setting up and running pilots (the managers' and suppliers' pages)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from ..models import REPORT_COLOURS, Measure, MeasureValue, Milestone, Pilot, Report, ReportStatus


def measures_locked_reason(pilot, *, today: date) -> str:
    """Why the pilot's outcome measures can no longer change, or "" while they can: they are agreed before the
    pilot starts, and never change once a report has been measured against them."""
    if pilot.milestones.filter(report__status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)).exists():
        return "A report has been submitted against these outcome measures, so they can no longer change."
    if pilot.starts_on <= today:
        return (
            f"The outcome measures were agreed before the pilot started on {pilot.starts_on:%-d %B %Y}, "
            "so they can no longer change."
        )
    return ""


def pilot_of(pilot_id: int):
    """The pilot with its award, organisation and challenge loaded, or None."""
    return Pilot.objects.with_award().filter(pk=pilot_id).first()


def milestone_of(milestone_id: int):
    return (
        Milestone.objects.select_related(
            "pilot__decision__proposal__organisation", "pilot__decision__proposal__challenge"
        )
        .filter(pk=milestone_id)
        .first()
    )


def latest_accepted_values(pilot) -> dict[int, Decimal]:
    """Each measure's value in the latest accepted report that gave one (one query)."""
    values = (
        MeasureValue.objects.filter(measure__pilot=pilot, report__status=ReportStatus.ACCEPTED, value__isnull=False)
        .order_by("report__milestone__due_on", "report__milestone_id")
        .values_list("measure_id", "value")
    )
    return dict(values)


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    status: str
    label: str
    colour: str
    overdue: bool


def milestone_rows(pilot, *, today: date) -> list[MilestoneRow]:
    """The pilot's milestones in date order, each with where its report stands (one query)."""
    rows = []
    for milestone in pilot.milestones.with_report().order_by("due_on", "pk"):
        status = milestone.report_status or ReportStatus.DRAFT
        started = milestone.report_status is not None
        waiting = status in (ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED)
        label = ReportStatus(status).label if started else "Not started"
        rows.append(
            MilestoneRow(
                milestone=milestone,
                status=status if started else "",
                label=label,
                colour=REPORT_COLOURS[status] if started else "grey",
                overdue=waiting and milestone.due_on < today and not pilot.is_ended,
            )
        )
    return rows


def measure_rows(pilot, *, measures=None) -> list[tuple[Measure, Decimal | None]]:
    """Each measure (``measures`` if already read) with its latest accepted value."""
    latest = latest_accepted_values(pilot)
    return [(measure, latest.get(measure.pk)) for measure in (pilot.measures.all() if measures is None else measures)]


def report_of(milestone) -> Report | None:
    return Report.objects.filter(milestone=milestone).first()


def report_page(report) -> dict:
    """What the report page shows besides the form: its versions with the managers' comments, and its files
    (nothing for a report not yet saved)."""
    if report.pk is None:
        return {"versions": [], "latest_review": None, "evidence": []}
    versions = list(report.versions.select_related("submitted_by", "reviewed_by").order_by("-number"))
    return {
        "versions": versions,
        "latest_review": next((v for v in versions if v.reviewed_at), None),
        "evidence": list(report.evidence.all()),
    }


@dataclass(frozen=True)
class SupplierPilot:
    pilot: Pilot
    next_due: Milestone | None
    waiting: int


def supplier_pilot(proposal) -> SupplierPilot | None:
    """The proposal's pilot, if its award has one, with the next report the supplier still has to send."""
    pilot = Pilot.objects.filter(decision__proposal=proposal).first()
    if pilot is None:
        return None
    waiting = list(
        pilot.milestones.with_report()
        .filter(Q(report__isnull=True) | Q(report__status__in=(ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED)))
        .order_by("due_on", "pk")
    )
    return SupplierPilot(pilot=pilot, next_due=waiting[0] if waiting else None, waiting=len(waiting))
