"""Reads for setting up and running pilots (the managers' and suppliers' pages)."""

from datetime import date

from ..models import ReportStatus


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
