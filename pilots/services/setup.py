"""Setting a pilot up: its dates, the milestones with their payments, the outcome measures agreed before it
starts, and its status. Every change is on the audit log against the award's proposal."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.permissions import require
from audit.services import event_record
from core.formatting import format_pounds
from core.tasks import after_commit
from judging.permissions import can_manage
from submissions.workflow import AWARDS

from ..models import NEEDS_REASON, Measure, Milestone, Pilot, PilotStatus, ReportEvidence, ReportStatus
from ..permissions import can_manage_pilot
from ..selectors.setup import measures_locked_reason


def _dates_checked(starts_on: date, ends_on: date) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "The end date must be on or after the start date"})


@transaction.atomic
def pilot_create(*, decision, starts_on: date, ends_on: date, by, report_reminder_days: int = 7) -> Pilot:
    """Turn an announced award into a pilot. The award's amount is what its milestones may pay in all."""
    proposal = decision.proposal
    require(can_manage(by, proposal.challenge))
    if decision.outcome not in AWARDS or not proposal.challenge.announced_at:
        raise ValidationError("A pilot follows an award, once the challenge's winners are announced.")
    if Pilot.objects.filter(decision=decision).exists():
        raise ValidationError(f"{decision.recipient_name or proposal.organisation.name} already has a pilot.")
    _dates_checked(starts_on, ends_on)
    pilot = Pilot(
        decision=decision,
        starts_on=starts_on,
        ends_on=ends_on,
        report_reminder_days=report_reminder_days,
        award_amount=decision.amount or Decimal("0"),
        created_by=by,
    )
    pilot.full_clean()
    pilot.save()
    event_record(
        actor=by,
        verb="pilot set up",
        proposal=proposal,
        note=f"{starts_on:%d %B %Y} to {ends_on:%d %B %Y}; award {format_pounds(pilot.award_amount)}",
    )
    return pilot


def _locked(pilot: Pilot) -> Pilot:
    return Pilot.objects.select_for_update(of=("self",)).with_award().get(pk=pilot.pk)


@transaction.atomic
def pilot_update(*, pilot: Pilot, starts_on: date, ends_on: date, report_reminder_days: int, by) -> Pilot:
    pilot = _locked(pilot)
    require(can_manage_pilot(by, pilot))
    _dates_checked(starts_on, ends_on)
    first_due = pilot.milestones.order_by("due_on").values_list("due_on", flat=True).first()
    if first_due and starts_on > first_due:
        raise ValidationError(
            {"starts_on": f"The pilot must start on or before its first milestone's report ({first_due:%-d %B %Y})"}
        )
    before = _dates_text(pilot)
    pilot.starts_on, pilot.ends_on, pilot.report_reminder_days = starts_on, ends_on, report_reminder_days
    pilot.full_clean()
    pilot.save()
    after = _dates_text(pilot)
    if before != after:
        event_record(actor=by, verb="pilot dates changed", proposal=pilot.proposal, note=f"{before} → {after}")
    return pilot


def _dates_text(pilot: Pilot) -> str:
    return (
        f"{pilot.starts_on:%-d %B %Y} to {pilot.ends_on:%-d %B %Y}, "
        f"reminders {pilot.report_reminder_days} days before a report is due"
    )


@dataclass
class MilestoneRow:
    id: int | None
    name: str
    due_on: date
    payment: Decimal
    deliverable: str
    delete: bool = False


@dataclass
class MeasureRow:
    id: int | None
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    higher_is_better: bool
    is_public: bool
    delete: bool = False


def _by_id(rows, existing: dict, label: str) -> None:
    for index, row in enumerate(rows):
        if row.id is not None and row.id not in existing:
            raise ValidationError(f"{label} {index + 1} is not part of this pilot any more: reload the page.")


@transaction.atomic
def milestones_save(*, pilot: Pilot, rows: list[MilestoneRow], by) -> list[Milestone]:
    """Add, change and remove milestones. Their payments together never exceed the award; a milestone whose
    report has been submitted or accepted keeps its payment and cannot be removed."""
    pilot = _locked(pilot)
    require(can_manage_pilot(by, pilot))
    existing = {m.pk: m for m in pilot.milestones.with_report()}
    _by_id(rows, existing, "Milestone")
    errors: dict[str, list[str]] = {}
    kept = [row for row in rows if not row.delete]
    for index, row in enumerate(rows):
        milestone = existing.get(row.id)
        reported = milestone is not None and milestone.report_status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
        if (
            milestone is not None
            and milestone.report_status == ReportStatus.ACCEPTED
            and (row.delete or row.payment != milestone.payment)
        ):
            errors.setdefault(f"milestones-{index}", []).append(
                f"{milestone.name}: its report was accepted and its payment approved, so it cannot change"
            )
        elif reported and row.delete:
            errors.setdefault(f"milestones-{index}", []).append(
                f"{milestone.name}: the supplier has submitted its report, so it cannot be removed"
            )
        if not row.delete and row.due_on < pilot.starts_on:
            errors.setdefault(f"milestones-{index}", []).append(
                f"{row.name}: the report cannot be due before the pilot starts on {pilot.starts_on:%-d %B %Y}"
            )
    names = [row.name.strip().lower() for row in kept]
    if len(names) != len(set(names)):
        errors.setdefault("__all__", []).append("Give each milestone a different name")
    total = sum((row.payment for row in kept), Decimal("0"))
    if total > pilot.award_amount:
        errors.setdefault("__all__", []).append(
            f"The milestones' payments add up to {format_pounds(total)}, more than the "
            f"{format_pounds(pilot.award_amount)} award. Lower a payment so they add up to the award or less"
        )
    if errors:
        raise ValidationError(errors)

    changes = []
    for row in rows:
        milestone = existing.get(row.id)
        if row.delete:
            if milestone is not None:
                stored = list(ReportEvidence.objects.filter(report__milestone=milestone).values_list("file", flat=True))
                milestone.delete()
                if stored:  # a draft report's files go with it, once this commits
                    after_commit("submissions.delete_private_files", stored)
                changes.append(f"removed {milestone.name}")
            continue
        fields = {
            "name": row.name.strip(),
            "due_on": row.due_on,
            "payment": row.payment,
            "deliverable": row.deliverable,
        }
        if milestone is None:
            milestone = Milestone(pilot=pilot, **fields)
            changes.append(f"added {fields['name']} ({format_pounds(row.payment)}, due {row.due_on:%-d %B %Y})")
        elif any(getattr(milestone, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(milestone, key, value)
            changes.append(f"changed {fields['name']} ({format_pounds(row.payment)}, due {row.due_on:%-d %B %Y})")
        else:
            continue
        milestone.full_clean(exclude=["pilot"], validate_unique=False)
        milestone.save()
    if changes:
        event_record(actor=by, verb="pilot milestones changed", proposal=pilot.proposal, note="; ".join(changes))
    return list(pilot.milestones.all())


@transaction.atomic
def measures_save(*, pilot: Pilot, rows: list[MeasureRow], by, today: date | None = None) -> list[Measure]:
    """Add, change and remove outcome measures: only until they are agreed, that is until the pilot starts or its
    first report is submitted, whichever comes first."""
    pilot = _locked(pilot)
    require(can_manage_pilot(by, pilot))
    existing = {m.pk: m for m in pilot.measures.all()}
    _by_id(rows, existing, "Measure")
    fields_of = ("name", "unit", "baseline", "target", "higher_is_better", "is_public")
    changed = [
        row
        for row in rows
        if row.id is None or row.delete or any(getattr(existing[row.id], key) != getattr(row, key) for key in fields_of)
    ]
    if not changed:
        return list(existing.values())
    locked = measures_locked_reason(pilot, today=today or timezone.localdate())
    if locked:
        raise ValidationError(locked)
    kept = [row for row in rows if not row.delete]
    names = [row.name.strip().lower() for row in kept]
    if len(names) != len(set(names)):
        raise ValidationError("Give each measure a different name")
    notes = []
    for order, row in enumerate(rows):
        measure = existing.get(row.id)
        if row.delete:
            if measure is not None:
                measure.delete()
                notes.append(f"removed {measure.name}")
            continue
        measure = measure or Measure(pilot=pilot)
        for key in fields_of:
            setattr(measure, key, getattr(row, key))
        measure.name = row.name.strip()
        measure.sort_order = order
        measure.full_clean(exclude=["pilot"], validate_unique=False)
        measure.save()
        direction = "higher is better" if row.higher_is_better else "lower is better"
        notes.append(
            f"{measure.name}: baseline {row.baseline}, target {row.target} {row.unit} ({direction}"
            f"{', public' if row.is_public else ', not public'})"
        )
    event_record(actor=by, verb="pilot measures agreed", proposal=pilot.proposal, note="; ".join(notes))
    return list(pilot.measures.all())


@transaction.atomic
def pilot_status_set(*, pilot: Pilot, status: str, reason: str, by) -> Pilot:
    """Record where the pilot stands. At risk, complete and stopped say why (published with the scorecard); a
    pilot is complete only once every milestone's report is accepted."""
    pilot = _locked(pilot)
    require(can_manage_pilot(by, pilot))
    reason = (reason or "").strip()
    if status not in PilotStatus.values:
        raise ValidationError({"status": "Choose the pilot's status"})
    label = PilotStatus(status).label.lower()
    if status in NEEDS_REASON and not reason:
        raise ValidationError({"reason": f"Say why the pilot is {label}: it is published with the scorecard"})
    if status == PilotStatus.COMPLETE:
        open_names = list(pilot.milestones.exclude(report__status=ReportStatus.ACCEPTED).values_list("name", flat=True))
        if open_names:
            raise ValidationError(
                {
                    "status": "A pilot is complete once every milestone's report is accepted; not yet: "
                    + ", ".join(open_names)
                    + ". Choose “Stopped” if it ended early"
                }
            )
    if status == pilot.status and reason == pilot.status_reason:
        return pilot
    before = pilot.get_status_display()
    pilot.status = status
    pilot.status_reason = reason if status in NEEDS_REASON else ""
    pilot.status_changed_at = timezone.now()
    pilot.full_clean()
    pilot.save()
    event_record(
        actor=by,
        verb="pilot status changed",
        proposal=pilot.proposal,
        from_status=before,
        to_status=pilot.get_status_display(),
        note=pilot.status_reason,
    )
    return pilot
