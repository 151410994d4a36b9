"""A pilot's reports: the supplier drafts, attaches evidence and submits; a manager accepts or asks for changes.

Each submission is kept as a ``ReportVersion`` exactly as sent. Accepting a report approves its milestone's
payment: under a row lock on the pilot, and never past the award (this service says so, and the database's CHECK
on ``Pilot.payments_approved`` refuses it whatever the code). Every move is audited and emails the other side
once (keyed notifications).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts.permissions import require
from accounts.selectors import organisation_members
from audit.services import event_record
from challenges.selectors import challenge_managers
from core.formatting import format_pounds
from core.tasks import after_commit
from notifications.services import notify
from submissions.files import check_upload, uploads_within_limit

from ..models import Measure, MeasureValue, Milestone, Pilot, Report, ReportEvidence, ReportVersion
from ..permissions import can_review_report, can_write_report
from ..workflow import move_for
from .links import page_link

EVIDENCE_TYPES = ["pdf", "docx", "xlsx", "odt", "csv", "png", "jpg"]
EVIDENCE_MAX_MB = 10
EVIDENCE_MAX_FILES = 10
VALUE_LIMIT = Decimal("1e12")


def report_for(milestone: Milestone) -> Report:
    """The milestone's report, made as an empty draft the first time it is asked for."""
    report, _ = Report.objects.get_or_create(milestone=milestone)
    return report


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related(
            "milestone__pilot__decision__proposal__organisation", "milestone__pilot__decision__proposal__challenge"
        )
        .get(pk=report.pk)
    )


def parse_value(raw: str, measure: Measure) -> Decimal | None:
    """A measure's value as typed: empty is "not yet"; anything else must be a number."""
    text = (raw or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) >= VALUE_LIMIT:
        raise ValidationError(f"Enter {measure.name.lower()} as a number, like 140 or 12.5")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(f"Enter {measure.name.lower()} with at most 2 decimal places")
    return value


@transaction.atomic
def report_save(
    *, report: Report, narrative: str, risks: str, public_summary: str, values: dict[int, str], by
) -> Report:
    """Save the report as it stands (a draft, or one sent back for changes). A value that is not a number is
    refused with a message naming its measure, and nothing is saved (not even the report's first row), so the
    form shows everything typed. ``report`` may be one not yet saved: its milestone's first draft."""
    report = _locked(report if report.pk else report_for(report.milestone))
    require(can_write_report(by, report))
    pilot = report.milestone.pilot
    measures = list(pilot.measures.all())
    parsed, errors = {}, {}
    for measure in measures:
        try:
            parsed[measure.pk] = parse_value(values.get(measure.pk, ""), measure)
        except ValidationError as error:
            errors[f"measure_{measure.pk}"] = error.messages
    if errors:
        raise ValidationError(errors)
    report.narrative, report.risks = narrative.strip(), risks.strip()
    report.public_summary = public_summary.strip() if is_final(report.milestone) else ""
    report.updated_by = by
    report.save()
    have = {v.measure_id: v for v in report.values.all()}
    for measure in measures:
        value = have.get(measure.pk)
        if value is None:
            MeasureValue.objects.create(report=report, measure=measure, value=parsed[measure.pk])
        elif value.value != parsed[measure.pk]:
            value.value = parsed[measure.pk]
            value.save(update_fields=["value"])
    return report


def is_final(milestone: Milestone) -> bool:
    """The pilot's last milestone: its report is the final report, with a public summary."""
    last = milestone.pilot.milestones.order_by("-due_on", "-pk").values_list("pk", flat=True).first()
    return last == milestone.pk


def _members_emails(pilot: Pilot) -> list[str]:
    return [m.user.email for m in organisation_members(organisation=pilot.decision.proposal.organisation)]


def _context(report: Report, **extra) -> dict:
    milestone = report.milestone
    proposal = milestone.pilot.decision.proposal
    return {
        "challenge": proposal.challenge.title,
        "organisation": proposal.organisation.name,
        "milestone": milestone.name,
        "due_on": milestone.due_on,
        **extra,
    }


@transaction.atomic
def report_submit(*, report: Report, by) -> ReportVersion:
    """Send the report to the challenge's managers: a narrative, a value for every measure, and (the final
    report) a public summary. Kept as a new version; the managers are emailed once."""
    report = _locked(report)
    require(can_write_report(by, report))
    move = move_for("submit", report.status)
    if move is None:
        raise ValidationError("This report has already been submitted.")
    milestone = report.milestone
    pilot = milestone.pilot
    errors: dict[str, list[str]] = {}
    if not report.narrative:
        errors["narrative"] = [f"Describe the progress made on {milestone.name}"]
    values = {v.measure_id: v.value for v in report.values.all()}
    for measure in pilot.measures.all():
        if values.get(measure.pk) is None:
            errors[f"measure_{measure.pk}"] = [f"Enter the current value of {measure.name.lower()}"]
    if is_final(milestone) and not report.public_summary:
        errors["public_summary"] = ["Write the public summary of what the pilot achieved: it is the final report"]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    number = report.versions.count() + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        narrative=report.narrative,
        risks=report.risks,
        public_summary=report.public_summary,
        values={str(key): str(value) for key, value in values.items()},
        evidence=[{"name": e.name, "size": e.size, "sha256": e.sha256} for e in report.evidence.all()],
        submitted_by=by,
        submitted_at=now,
    )
    before = report.get_status_display()
    report.status, report.submitted_at = move.target, now
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    proposal = pilot.decision.proposal
    event_record(
        actor=by,
        verb="pilot report submitted",
        proposal=proposal,
        subject=milestone.name,
        from_status=before,
        to_status=report.get_status_display(),
        note=f"Version {number}",
    )
    url = page_link("pilots_admin:pilot", [proposal.challenge_id, pilot.pk], f"milestone-{milestone.pk}")
    for manager in challenge_managers(proposal.challenge):
        notify(
            to=manager.email,
            template="pilots/email/report_submitted",
            context=_context(report, version=number, url=url),
            key=f"pilot-report-submitted:{version.pk}:{manager.pk}",
        )
    return version


def _latest_version(report: Report) -> ReportVersion:
    return report.versions.order_by("-number").first()


@transaction.atomic
def report_request_changes(*, report: Report, comment: str, by) -> Report:
    """Send the report back with what to change; the supplier is emailed, revises and submits again."""
    report = _locked(report)
    require(can_review_report(by, report))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Say what the supplier should change"})
    move = move_for("request_changes", report.status)
    return _review(report, move=move, comment=comment, by=by)


@transaction.atomic
def report_accept(*, report: Report, by, comment: str = "") -> Report:
    """Accept the report; its milestone's payment is approved, never past the award."""
    report = _locked(report)
    require(can_review_report(by, report))
    move = move_for("accept", report.status)
    milestone = report.milestone
    pilot = Pilot.objects.select_for_update().get(pk=milestone.pilot_id)
    if milestone.payment and milestone.payment_approved_at is None:
        approved = pilot.payments_approved + milestone.payment
        if approved > pilot.award_amount:
            raise ValidationError(
                f"Approving {milestone.name}'s payment of {format_pounds(milestone.payment)} would bring the "
                f"payments to {format_pounds(approved)}, more than the {format_pounds(pilot.award_amount)} award. "
                "Lower the milestone's payment first."
            )
        pilot.payments_approved = approved
        pilot.save(update_fields=["payments_approved", "updated_at"])
        milestone.payment_approved_at, milestone.payment_approved_by = timezone.now(), by
        milestone.save(update_fields=["payment_approved_at", "payment_approved_by"])
        event_record(
            actor=by,
            verb="pilot payment approved",
            proposal=pilot.decision.proposal,
            subject=milestone.name,
            note=f"{format_pounds(milestone.payment)}; {format_pounds(approved)} of "
            f"{format_pounds(pilot.award_amount)} approved in all",
        )
    report.accepted_at = timezone.now()
    return _review(report, move=move, comment=(comment or "").strip(), by=by)


def _review(report: Report, *, move, comment: str, by) -> Report:
    version = _latest_version(report)
    now = timezone.now()
    version.outcome, version.review_comment = move.target, comment
    version.reviewed_by, version.reviewed_at = by, now
    version.save()
    before = report.get_status_display()
    report.status = move.target
    report.save()
    milestone = report.milestone
    pilot = milestone.pilot
    proposal = pilot.decision.proposal
    event_record(
        actor=by,
        verb="pilot report accepted" if move.name == "accept" else "pilot report changes requested",
        proposal=proposal,
        subject=milestone.name,
        from_status=before,
        to_status=report.get_status_display(),
        note=comment,
    )
    url = page_link("pilots:report", [milestone.pk])
    context = _context(
        report,
        comment=comment,
        version=version.number,
        url=url,
        payment=format_pounds(milestone.payment) if milestone.payment_approved_at else "",
    )
    template = "pilots/email/report_accepted" if move.name == "accept" else "pilots/email/report_changes"
    for email in _members_emails(pilot):
        notify(to=email, template=template, context=context, key=f"{template}:{version.pk}:{email.lower()}")
    return report


@transaction.atomic
def report_attach_evidence(*, report: Report, upload, by) -> ReportEvidence:
    """Store a file with the report, checked exactly as a proposal's files are, on private storage."""
    report = _locked(report)
    require(can_write_report(by, report))
    if report.evidence.count() >= EVIDENCE_MAX_FILES:
        raise ValidationError({"evidence": f"A report can have up to {EVIDENCE_MAX_FILES} files: remove one first"})
    uploads_within_limit(by, field="evidence")
    try:
        checked = check_upload(upload, allowed_types=EVIDENCE_TYPES, max_size_mb=EVIDENCE_MAX_MB)
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from error
    upload.seek(0)
    evidence = ReportEvidence(
        report=report,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    evidence.file.save(checked.name, upload, save=False)
    evidence.save()
    event_record(
        actor=by,
        verb="pilot report evidence uploaded",
        proposal=report.milestone.pilot.decision.proposal,
        subject=report.milestone.name,
        note=f"{checked.name} ({filesizeformat(checked.size)}), SHA-256 {checked.sha256}",
    )
    return evidence


@transaction.atomic
def report_remove_evidence(*, evidence: ReportEvidence, by) -> None:
    """Take a file off a report still being written. A file a submitted version lists stays on the record (its
    name and digest are in that version); the stored copy goes once this commits."""
    report = _locked(evidence.report)
    require(can_write_report(by, report))
    name, stored = evidence.name, evidence.file.name
    evidence.delete()
    after_commit("submissions.delete_private_files", [stored])
    event_record(
        actor=by,
        verb="pilot report evidence removed",
        proposal=report.milestone.pilot.decision.proposal,
        subject=report.milestone.name,
        note=name,
    )
