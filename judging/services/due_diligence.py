"""Writes for due diligence: the checks a challenge asks, each proposal's results, evidence and requests for it.

Every change is on the audit log, with the proposal it concerns (or the challenge, for its checks). A file is
checked exactly as a proposal's files are (``submissions.files.check_upload``) and counts against the same
hourly upload limit of the person uploading it.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import require
from accounts.selectors import organisation_members
from audit.services import event_record
from core.tasks import after_commit
from notifications.services import notify
from submissions.files import check_upload, uploads_within_limit

from ..due_diligence_permissions import UNSETTLED, can_add_evidence, can_manage_due_diligence
from ..models import DEFAULT_CHECKS, DueDiligenceCheck, DueDiligenceItem, DueDiligenceStatus
from ..permissions import can_manage

EVIDENCE_TYPES = ["pdf", "docx", "xlsx", "odt", "png", "jpg"]
EVIDENCE_MAX_MB = 10
DECIDED = (DueDiligenceStatus.PASSED, DueDiligenceStatus.FAILED, DueDiligenceStatus.NOT_APPLICABLE)
REPEAT_WINDOW = timedelta(minutes=10)
"""The same request made again this soon is a double click or a retried POST: nobody is emailed twice."""


def due_diligence_checks_ensure(*, challenge) -> list[DueDiligenceCheck]:
    """The challenge's checks, made from ``DEFAULT_CHECKS`` if it has none yet. Two requests at once make one set:
    the names are unique per challenge and the second insert is ignored."""
    checks = list(challenge.due_diligence_checks.all())
    if checks:
        return checks
    DueDiligenceCheck.objects.bulk_create(
        [
            DueDiligenceCheck(challenge=challenge, name=name, guidance=guidance, sort_order=order)
            for order, (name, guidance) in enumerate(DEFAULT_CHECKS)
        ],
        ignore_conflicts=True,
    )
    return list(challenge.due_diligence_checks.all())


def due_diligence_checklist(*, proposal) -> list[DueDiligenceItem]:
    """The proposal's item for each of its challenge's checks, in the checks' order, missing ones made open.
    Calling it again makes nothing new."""
    checks = due_diligence_checks_ensure(challenge=proposal.challenge)
    have = set(proposal.due_diligence_items.values_list("due_diligence_check_id", flat=True))
    missing = [DueDiligenceItem(proposal=proposal, due_diligence_check=c) for c in checks if c.pk not in have]
    if missing:
        DueDiligenceItem.objects.bulk_create(missing, ignore_conflicts=True)
    return list(
        proposal.due_diligence_items.select_related(
            "due_diligence_check", "decided_by", "evidence_uploaded_by"
        ).order_by("due_diligence_check__sort_order", "due_diligence_check_id")
    )


def _locked(item: DueDiligenceItem) -> DueDiligenceItem:
    return (
        DueDiligenceItem.objects.select_for_update(of=("self",))
        .select_related("proposal__challenge", "proposal__organisation", "due_diligence_check")
        .get(pk=item.pk)
    )


@transaction.atomic
def due_diligence_record(*, item: DueDiligenceItem, status: str, note: str, by) -> DueDiligenceItem:
    """Record a check's result. A failure needs a note saying why: it is what the award's refusal quotes."""
    item = _locked(item)
    require(can_manage_due_diligence(by, item.proposal))
    note = (note or "").strip()
    if status not in DECIDED:
        raise ValidationError({"status": f"Choose whether {item.name} passed, failed or does not apply"})
    if status == DueDiligenceStatus.FAILED and not note:
        raise ValidationError({"note": f"Say why {item.name} failed"})
    if status == item.status and note == item.note:
        return item
    before = item.get_status_display()
    item.status, item.note = status, note
    item.decided_by, item.decided_at = by, timezone.now()
    item.full_clean(exclude=["evidence"])
    item.save()
    event_record(
        actor=by,
        verb="due diligence recorded",
        proposal=item.proposal,
        subject=item.name,
        from_status=before,
        to_status=item.get_status_display(),
        note=note,
    )
    return item


@transaction.atomic
def due_diligence_attach_evidence(*, item: DueDiligenceItem, upload, by) -> DueDiligenceItem:
    """Store evidence for a check, replacing any it had (that file is deleted once this commits; the audit log
    keeps its name and SHA-256)."""
    item = _locked(item)
    require(can_add_evidence(by, item))
    uploads_within_limit(by, field="evidence")
    try:
        checked = check_upload(upload, allowed_types=EVIDENCE_TYPES, max_size_mb=EVIDENCE_MAX_MB)
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from error
    replaced = item.evidence.name
    upload.seek(0)
    item.evidence.save(checked.name, upload, save=False)
    item.evidence_name = checked.name
    item.evidence_content_type = checked.content_type
    item.evidence_size = checked.size
    item.evidence_sha256 = checked.sha256
    item.evidence_uploaded_by = by
    item.evidence_uploaded_at = timezone.now()
    item.save()
    if replaced and replaced != item.evidence.name:
        after_commit("submissions.delete_private_files", [replaced])
    event_record(
        actor=by,
        verb="due diligence evidence uploaded",
        proposal=item.proposal,
        subject=item.name,
        note=f"{checked.name} ({filesizeformat(checked.size)}), SHA-256 {checked.sha256}",
    )
    return item


def _request_key(item: DueDiligenceItem, event_pk: int, user_pk: int) -> str:
    return f"due-diligence-request:{item.pk}:{event_pk}:{user_pk}"


@transaction.atomic
def due_diligence_request_evidence(*, item: DueDiligenceItem, note: str, by) -> DueDiligenceItem:
    """Ask the organisation for evidence of one check: each member is emailed once for each request, with a link
    to the page where they upload it. The same request again within ``REPEAT_WINDOW`` is taken as a repeat."""
    item = _locked(item)
    require(can_manage_due_diligence(by, item.proposal))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"request_note": f"Say what evidence of {item.name} the supplier should upload"})
    if item.status not in UNSETTLED:
        raise ValidationError(
            {
                "request_note": f"{item.name} is recorded as {item.get_status_display().lower()}, so the supplier "
                "could not upload anything: change the result first if you need more evidence"
            }
        )
    now = timezone.now()
    if (
        item.evidence_request_note == note
        and item.evidence_requested_at
        and now - item.evidence_requested_at < REPEAT_WINDOW
    ):
        return item
    item.evidence_requested_at, item.evidence_request_note = now, note
    item.save(update_fields=["evidence_requested_at", "evidence_request_note"])
    proposal = item.proposal
    event = event_record(
        actor=by, verb="due diligence evidence requested", proposal=proposal, subject=item.name, note=note
    )
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("judging:due_diligence", args=[proposal.pk])
    for membership in organisation_members(organisation=proposal.organisation):
        notify(
            to=membership.user.email,
            template="judging/email/due_diligence_request",
            context={
                "challenge": proposal.challenge.title,
                "reference": proposal.reference or "",
                "organisation": proposal.organisation.name,
                "check": item.name,
                "note": note,
                "url": url,
            },
            key=_request_key(item, event.pk, membership.user_id),
        )
    return item


@dataclass(frozen=True)
class CheckRow:
    """One row of the checks form: an existing check (``pk``) kept, renamed or removed, or a new one."""

    pk: int | None
    name: str
    guidance: str = ""
    remove: bool = False


def _locked_reason(check: DueDiligenceCheck, recorded: int) -> str:
    return (
        f"{check.name} cannot be changed or removed: due diligence on {recorded} "
        f"proposal{'' if recorded == 1 else 's'} records something against it"
    )


@transaction.atomic
def due_diligence_checks_configure(*, challenge, rows: list[CheckRow], by) -> list[DueDiligenceCheck]:
    """Add, rename, reword and remove a challenge's checks in one go, in the rows' order. A check that any result,
    evidence or request records keeps its name and cannot go; errors are keyed ``<pk>-name``, ``<pk>-remove`` or
    ``new-name`` so the form can put each beside its row, and nothing changes unless everything can."""
    require(can_manage(by, challenge))
    checks = {check.pk: check for check in due_diligence_checks_ensure(challenge=challenge)}
    recorded = _recorded_counts(list(checks))
    errors: dict[str, list[str]] = {}
    kept = [row for row in rows if not row.remove]
    names = [row.name.strip() for row in kept]
    for row in rows:
        check = checks.get(row.pk) if row.pk else None
        if row.pk and check is None:
            errors.setdefault("__all__", []).append("A check on this page no longer exists: reload the page")
            continue
        key = f"{row.pk}" if row.pk else "new"
        if check and recorded.get(check.pk) and (row.remove or row.name.strip() != check.name):
            field = "remove" if row.remove else "name"
            errors.setdefault(f"{key}-{field}", []).append(_locked_reason(check, recorded[check.pk]))
        if not row.remove and names.count(row.name.strip()) > 1:
            errors.setdefault(f"{key}-name", []).append(
                f"Give each check a different name: {row.name.strip()} is used twice"
            )
        if not row.remove and not row.name.strip():
            errors.setdefault(f"{key}-name", []).append("Enter the check's name")
    if not kept:
        errors.setdefault("__all__", []).append("Keep at least one check: an award needs something to be checked")
    if errors:
        raise ValidationError(errors)

    try:
        with transaction.atomic():
            _apply(challenge, checks, rows, kept, by)
    except IntegrityError as error:
        raise ValidationError(
            {"__all__": ["Two checks cannot swap names in one go: rename one, save, then rename the other"]}
        ) from error
    return list(challenge.due_diligence_checks.all())


def _recorded_counts(check_ids: list[int]) -> dict[int, int]:
    """How many proposals record a result, evidence or a request against each check."""
    touched = ~Q(status=DueDiligenceStatus.OPEN) | ~Q(evidence="") | Q(evidence_requested_at__isnull=False)
    rows = (
        DueDiligenceItem.objects.filter(touched, due_diligence_check_id__in=check_ids)
        .values("due_diligence_check_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["due_diligence_check_id"]: row["count"] for row in rows}


def _apply(challenge, checks: dict, rows: list[CheckRow], kept: list[CheckRow], by) -> None:
    """Removals first, so a new check may take a removed one's name; then every kept row in its new order."""
    for row in rows:
        if row.remove and row.pk:
            check = checks.pop(row.pk)
            check.delete()
            event_record(actor=by, verb="due diligence check removed", challenge=challenge, subject=check.name)
    for order, row in enumerate(kept):
        name, guidance = row.name.strip(), row.guidance.strip()
        check = checks.get(row.pk) if row.pk else None
        if check is None:
            check = DueDiligenceCheck(challenge=challenge, name=name, guidance=guidance, sort_order=order)
            check.full_clean(validate_constraints=False)
            check.save()
            event_record(actor=by, verb="due diligence check added", challenge=challenge, subject=name, note=guidance)
            continue
        if (check.name, check.guidance, check.sort_order) == (name, guidance, order):
            continue
        if check.name != name or check.guidance != guidance:
            was = f"Was {check.name}" if check.name != name else f"Guidance was: {check.guidance or '(none)'}"
            event_record(actor=by, verb="due diligence check changed", challenge=challenge, subject=name, note=was)
        check.name, check.guidance, check.sort_order = name, guidance, order
        check.full_clean(validate_constraints=False)
        check.save()
