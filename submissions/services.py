"""Writes for proposals: start, save a section, attach a file, submit, withdraw.

Every write refuses once the challenge has closed by the server's clock, so a
crafted POST after the deadline changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from challenges.models import ChallengePage, Stage
from core.formatting import format_moment
from core.tasks import after_commit
from notifications.services import notify

from .answers import digest, problems, store_value
from .files import check_upload, uploads_within_limit
from .models import Attachment, Proposal, ProposalStatus, ProposalVersion, ReferenceCounter, validate_fields
from .questions import Question, Section, sections_from_raw
from .workflow import proposal_transition

MAX_TOTAL_MB = 50


class ChallengeClosed(ValidationError):
    pass


def deadline_passed_message(challenge: ChallengePage, stage: Stage | None = None) -> str | None:
    """What to tell a supplier once the deadline has passed, naming the moment, or None while it has not. For a
    stage after the first, the stage's own deadline."""
    if stage is not None and stage.closes_at != challenge.closes_at:
        if stage.closes_at <= timezone.now():
            return (
                f"{stage.name} closed at {format_moment(stage.closes_at)}. Your answers for this stage can no longer "
                "be changed or submitted."
            )
        return None
    if challenge.closes_at <= timezone.now():
        return (
            f"This challenge closed at {format_moment(challenge.closes_at)}. Proposals can no longer be "
            "started, changed, submitted or withdrawn."
        )
    return None


def ensure_open(challenge: ChallengePage, stage: Stage | None = None) -> None:
    """Refuse by the server's clock once ``stage`` (the first, by default) has closed: every write checks this."""
    if not challenge.is_accepting_proposals(stage=stage):
        if stage is not None and stage.opens_at > timezone.now():
            raise ChallengeClosed(f"{stage.name} opens at {format_moment(stage.opens_at)}.")
        raise ChallengeClosed(deadline_passed_message(challenge, stage) or "This challenge is not open for proposals.")


def proposal_sections(proposal: Proposal) -> list[Section]:
    """The sections the proposal answers in the stage it is in."""
    return sections_from_raw(proposal.stage.questions.raw_data)


def proposal_start(*, challenge: ChallengePage, organisation, by) -> Proposal:
    """The organisation's proposal for this challenge, created if it has none: a double click makes one."""
    ensure_open(challenge)
    existing = Proposal.objects.filter(challenge=challenge, organisation=organisation).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            proposal = Proposal(
                challenge=challenge, stage=challenge.first_stage, organisation=organisation, created_by=by
            )
            validate_fields(proposal)
            proposal.save()
            return proposal
    except IntegrityError:
        return Proposal.objects.get(challenge=challenge, organisation=organisation)


def _locked(proposal: Proposal) -> Proposal:
    """The proposal, its row locked until the transaction ends; the challenge comes along unlocked.

    Without ``of`` PostgreSQL would lock the joined challenge row too, and every save, upload and submit on
    the challenge would wait for every other: at the deadline, a queue of hundreds of suppliers.
    """
    locked = Proposal.objects.select_for_update(of=("self",)).select_related("challenge", "stage").get(pk=proposal.pk)
    if "organisation" in proposal._state.fields_cache and locked.organisation_id == proposal.organisation_id:
        # The organisation the request already read, with what it knows of the viewer's membership: the
        # receipt's name and the workflow's membership check ask the database no more.
        locked.organisation = proposal.organisation
    return locked


def _editable(proposal: Proposal) -> None:
    ensure_open(proposal.challenge, proposal.stage)
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise ValidationError("This proposal has been withdrawn and can no longer be changed.")


@transaction.atomic
def proposal_save_answers(*, proposal: Proposal, values: dict[str, object], questions: list[Question], by) -> Proposal:
    """Store answers that passed their checks. Answers that did not are not stored, nor lost: the form keeps them."""
    proposal = _locked(proposal)
    _editable(proposal)
    by_id = {question.id: question for question in questions}
    for question_id, value in values.items():
        store_value(proposal, by_id[question_id], value)
    validate_fields(proposal)
    proposal.save(update_fields=["title", "public_summary", "consent_to_publish", "answers", "updated_at"])
    return proposal


def _unreferenced(proposal: Proposal, attachments: list[Attachment]) -> list[Attachment]:
    """Those of ``attachments`` that no submitted version refers to, and so that nothing needs to keep."""
    if not attachments:
        return []
    kept = {file["attachment"] for files in proposal.versions.values_list("files", flat=True) for file in files}
    return [attachment for attachment in attachments if attachment.pk not in kept]


def _retire(proposal: Proposal, attachments: list[Attachment], *, doomed: list[Attachment] | None = None) -> None:
    """Mark files replaced or removed. Those no submitted version refers to (``doomed``, if the caller already
    knows them) are deleted: the rows now, the stored files once the transaction commits (a rolled-back upload
    must not lose the file it replaced)."""
    if not attachments:
        return
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).update(replaced_at=timezone.now())
    doomed = _unreferenced(proposal, attachments) if doomed is None else doomed
    if doomed:
        names = [attachment.file.name for attachment in doomed]
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in doomed]).delete()
        after_commit("submissions.delete_private_files", names)


def attachment_add(*, proposal: Proposal, question: Question, upload, by) -> Attachment:
    """Store a file as the answer to ``question``, replacing the one it had. Counts against the uploader's hourly
    limit and the proposal's storage limit, which includes files kept for earlier submissions.

    The file is checked (its type, a virus scan, its SHA-256: one read of it) before the proposal is locked, so
    at the deadline no other save of the proposal waits for that; the deadline and the withdrawal are checked
    again under the lock."""
    _editable(proposal)
    checked = _checked_upload(question, upload, by=by)
    with transaction.atomic():
        proposal = _locked(proposal)
        _editable(proposal)
        attachment = _attach(proposal, question, upload, checked, by=by)
        proposal.save(update_fields=["answers", "updated_at"])
    return attachment


def _checked_upload(question: Question, upload, *, by):
    uploads_within_limit(by, then="Your other answers are saved: upload this file again")
    return check_upload(
        upload,
        allowed_types=question.options.get("allowed_types") or ["pdf"],
        max_size_mb=int(question.options.get("max_size_mb") or 10),
    )


def section_save(
    *, proposal: Proposal, questions: list[Question], values: dict[str, object], removals, uploads: dict, by
) -> dict[str, str]:
    """A section's form, saved under one lock of the proposal: the answers that passed their checks, the files
    asked to go (``removals``, questions) and the new files (``uploads``, by question id). Returns why each
    refused file was refused, by question id; the answers and the other files are stored all the same.

    What ``proposal_save_answers``, ``attachment_remove`` and ``attachment_add`` do one after another, in one
    transaction: each new file is checked (the hourly limit, its type, a virus scan, its SHA-256) before the
    lock, so at the deadline no other save of the proposal waits for that."""
    _editable(proposal)
    by_id = {question.id: question for question in questions}
    refused: dict[str, str] = {}
    checked = {}
    for question_id, upload in uploads.items():
        try:
            checked[question_id] = _checked_upload(by_id[question_id], upload, by=by)
        except ValidationError as error:
            refused[question_id] = error.messages[0]
    with transaction.atomic():
        locked = _locked(proposal)
        _editable(locked)
        for question_id, value in values.items():
            store_value(locked, by_id[question_id], value)
        for question in removals:
            _detach(locked, question)
        for question_id, file in checked.items():
            try:
                _attach(locked, by_id[question_id], uploads[question_id], file, by=by)
            except ValidationError as error:
                refused[question_id] = error.messages[0]
        validate_fields(locked)
        locked.save(update_fields=["title", "public_summary", "consent_to_publish", "answers", "updated_at"])
    return refused


def _attach(proposal: Proposal, question: Question, upload, checked, *, by) -> Attachment:
    """Store a checked file as the answer to ``question`` of the locked ``proposal`` (the caller saves it), or
    refuse it, having written nothing, when the proposal's files would pass their limit."""
    # Everything stored for the proposal, current files and those kept for earlier submissions, in one query;
    # the file this one replaces stops counting if no submitted version keeps it.
    stored_files = list(proposal.attachments.all())
    replaced = [a for a in stored_files if a.question_id == question.id and a.replaced_at is None]
    doomed = _unreferenced(proposal, replaced)
    leaving = {attachment.pk for attachment in doomed}
    stored = sum(attachment.size for attachment in stored_files if attachment.pk not in leaving)
    if stored + checked.size > MAX_TOTAL_MB * 1024 * 1024:
        raise ValidationError(
            f"All the files stored for a proposal, including those kept with earlier submissions, must add up to "
            f"less than {MAX_TOTAL_MB} MB. This file would make them {(stored + checked.size) / 2**20:.1f} MB"
        )
    _retire(proposal, replaced, doomed=doomed)
    attachment = Attachment(
        proposal=proposal,
        question_id=question.id,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    upload.seek(0)
    attachment.file.save(checked.name, upload, save=False)
    attachment.save()
    proposal.answers[question.id] = {"attachment": attachment.pk, "name": attachment.name, "sha256": checked.sha256}
    return attachment


@transaction.atomic
def attachment_remove(*, proposal: Proposal, question: Question, by) -> None:
    proposal = _locked(proposal)
    _editable(proposal)
    _detach(proposal, question)
    proposal.save(update_fields=["answers", "updated_at"])


def _detach(proposal: Proposal, question: Question) -> None:
    _retire(proposal, list(proposal.attachments.filter(question_id=question.id, replaced_at__isnull=True)))
    proposal.answers.pop(question.id, None)


def _next_reference(year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"UC-{year}-{counter.last_number:05d}"


def _files_manifest(proposal: Proposal) -> list[dict]:
    return [
        {"question_id": a.question_id, "attachment": a.pk, "name": a.name, "size": a.size, "sha256": a.sha256}
        for a in proposal.attachments.filter(replaced_at__isnull=True).order_by("question_id")
    ]


def _checked(proposal: Proposal) -> None:
    """Refuse a closed, withdrawn or incomplete proposal, naming every answer still needed."""
    _editable(proposal)
    found = problems(proposal, proposal_sections(proposal))
    if found:
        raise ValidationError(
            [f"{problem.section.title}: {problem.question.label}: {problem.message}" for problem in found]
        )


def _reserve_reference(proposal: Proposal) -> None:
    """Give a complete proposal its reference in a short transaction of its own.

    The year's counter row is locked until the transaction that takes a number commits. Taking it inside
    the submit transaction would hold that one lock while the version is written, the event logged and the
    receipt rendered, so every supplier submitting at the deadline would queue behind every other. Here it
    is held for two statements. A proposal keeps its reference for good, so a submit that fails after this
    (the deadline passing in between) leaves a draft with a reference and a number never shown on a receipt:
    references may skip a number, never repeat one.
    """
    if proposal.reference or transaction.get_connection().in_atomic_block:
        return  # inside a caller's transaction a separate commit is impossible; the submit takes it itself
    with transaction.atomic():
        locked = _locked(proposal)
        if locked.reference:
            return
        _checked(locked)
        locked.reference = _next_reference(timezone.localtime(timezone.now()).year)
        locked.save(update_fields=["reference"])


def proposal_submit(*, proposal: Proposal, by) -> ProposalVersion:
    """Check every answer, then record a numbered version and email a receipt.

    Submitting the same answers again (a double click, a retried POST) returns
    the version already recorded and sends no second receipt.
    """
    _reserve_reference(proposal)
    return _submit(proposal=proposal, by=by)


@transaction.atomic
def _submit(*, proposal: Proposal, by) -> ProposalVersion:
    proposal = _locked(proposal)
    _checked(proposal)
    files = _files_manifest(proposal)
    fingerprint = digest(
        title=proposal.title,
        public_summary=proposal.public_summary,
        consent=bool(proposal.consent_to_publish),
        answers=proposal.answers,
        files=files,
    )
    latest = proposal.versions.filter(stage=proposal.stage).order_by("-number").first()
    if proposal.status == ProposalStatus.SUBMITTED and latest and latest.digest == fingerprint:
        return latest

    now = timezone.now()
    if not proposal.reference:
        proposal.reference = _next_reference(timezone.localtime(now).year)
    version = ProposalVersion.objects.create(
        proposal=proposal,
        stage=proposal.stage,
        number=(latest.number + 1) if latest else 1,
        submitted_at=now,
        submitted_by=by,
        title=proposal.title,
        public_summary=proposal.public_summary,
        consent_to_publish=bool(proposal.consent_to_publish),
        answers=proposal.answers,
        questions=proposal.stage.questions.get_prep_value(),
        files=files,
        digest=fingerprint,
    )
    proposal_transition(
        proposal=proposal, to=ProposalStatus.SUBMITTED, by=by, note=f"{proposal.stage.name}: version {version.number}"
    )
    notify(
        to=by.email,
        template="submissions/email/receipt",
        context={
            "reference": proposal.reference,
            "version": version.number,
            "title": proposal.title,
            "challenge": proposal.challenge.title,
            "stage": proposal.stage.name,
            "organisation": proposal.organisation.name,
            "submitted_at": format_moment(now),
            "closes_at": format_moment(proposal.stage.closes_at),
            "digest": fingerprint,
            "files": files,
        },
        key=f"receipt:{proposal.pk}:s{proposal.stage_id}:v{version.number}",
    )
    return version


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, by, reason: str = "") -> Proposal:
    """Withdraw a proposal under ``workflow.WITHDRAWAL_RULE``: a draft while the challenge is open, a submitted
    proposal until the winners are announced."""
    proposal = _locked(proposal)
    if proposal.status == ProposalStatus.DRAFT:
        ensure_open(proposal.challenge, proposal.stage)
    proposal = proposal_transition(proposal=proposal, to=ProposalStatus.WITHDRAWN, by=by, note=reason)
    notify(
        to=by.email,
        template="submissions/email/withdrawn",
        context={
            "reference": proposal.reference or "",
            "title": proposal.title or "Untitled proposal",
            "challenge": proposal.challenge.title,
            "organisation": proposal.organisation.name,
            "withdrawn_at": format_moment(proposal.withdrawn_at),
        },
        key=f"withdrawn:{proposal.pk}",
    )
    return proposal
