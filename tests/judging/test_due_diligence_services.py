"""Due diligence's services and the award's rule: the default checks, results, evidence with the same checks as a
proposal's files, requests for evidence emailed once, the checks' configuration, and every change on the audit log.
The helpers here are shared by the other test_due_diligence_* modules."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import Event
from judging.models import DEFAULT_CHECKS, DueDiligenceCheck, DueDiligenceItem, DueDiligenceStatus
from judging.selectors.due_diligence import award_blocked_message, due_diligence_blockers
from judging.services.due_diligence import (
    CheckRow,
    due_diligence_attach_evidence,
    due_diligence_checklist,
    due_diligence_checks_configure,
    due_diligence_record,
    due_diligence_request_evidence,
)
from submissions.models import ProposalStatus
from tests.factories.accounts import UserFactory
from tests.factories.organisations import MembershipFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n"
DEFAULT_NAMES = [name for name, _ in DEFAULT_CHECKS]


def pdf(name: str = "insurance-certificate.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def program(name: str = "certificate.pdf") -> SimpleUploadedFile:
    """A Windows program renamed to look like a PDF."""
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00", content_type="application/pdf")


WRONG_TYPE = "The selected file must be a PDF, Word, Excel, OpenDocument text, PNG image or JPEG image"


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def shortlist(proposal, status=ProposalStatus.SHORTLISTED):
    proposal.status = status
    proposal.save(update_fields=["status"])
    return proposal


def item_named(proposal, name: str) -> DueDiligenceItem:
    return next(item for item in due_diligence_checklist(proposal=proposal) if item.name == name)


def shortlisted_with_checklist(scene):
    """The scene's proposal, shortlisted, with its checklist made."""
    shortlist(scene.proposal)
    due_diligence_checklist(proposal=scene.proposal)
    return scene.proposal


@pytest.fixture
def shortlisted(scene):
    return shortlisted_with_checklist(scene)


def settle(proposal, by, *, except_for=()):
    """Pass every check but those named."""
    for item in due_diligence_checklist(proposal=proposal):
        if item.name not in except_for:
            due_diligence_record(item=item, status=DueDiligenceStatus.PASSED, note="", by=by)


# The checklist


def test_the_first_checklist_makes_the_default_checks_and_calling_again_makes_nothing(scene, shortlisted):
    items = due_diligence_checklist(proposal=shortlisted)
    assert [item.name for item in items] == DEFAULT_NAMES
    assert {item.status for item in items} == {DueDiligenceStatus.OPEN}
    assert DEFAULT_NAMES == [
        "Registration confirmed",
        "Financial standing",
        "Insurance",
        "UK GDPR and data protection",
        "Safeguarding (where relevant)",
        "Conflicts of interest declared",
    ]

    again = due_diligence_checklist(proposal=shortlisted)

    assert [item.pk for item in again] == [item.pk for item in items]
    assert DueDiligenceCheck.objects.filter(challenge=scene.challenge).count() == 6
    assert DueDiligenceItem.objects.count() == 6


def test_a_check_added_later_appears_on_the_checklist_open(scene, shortlisted):
    DueDiligenceCheck.objects.create(challenge=scene.challenge, name="Modern slavery statement", sort_order=9)
    items = due_diligence_checklist(proposal=shortlisted)
    assert items[-1].name == "Modern slavery statement" and items[-1].status == DueDiligenceStatus.OPEN


# Results


def test_a_result_is_recorded_with_who_and_when_and_audited(scene, shortlisted):
    item = item_named(shortlisted, "Insurance")
    recorded = due_diligence_record(item=item, status="passed", note="Certificate seen.", by=scene.manager)
    assert recorded.status == "passed" and recorded.note == "Certificate seen."
    assert recorded.decided_by == scene.manager and recorded.decided_at is not None
    event = Event.objects.get(verb="due diligence recorded")
    assert (event.proposal_id, event.challenge_id, event.actor) == (shortlisted.pk, scene.challenge.pk, scene.manager)
    assert (event.subject, event.from_status, event.to_status) == ("Insurance", "Not yet checked", "Passed")
    assert event.note == "Certificate seen."

    due_diligence_record(item=item, status="passed", note="Certificate seen.", by=scene.manager)
    assert Event.objects.filter(verb="due diligence recorded").count() == 1, "saving the same again records nothing"


def test_a_failure_needs_a_note_saying_why(scene, shortlisted):
    item = item_named(shortlisted, "Financial standing")
    with pytest.raises(ValidationError) as error:
        due_diligence_record(item=item, status="failed", note="  ", by=scene.manager)
    assert error.value.message_dict == {"note": ["Say why Financial standing failed"]}
    item.refresh_from_db()
    assert item.status == "open" and not Event.objects.exists()


def test_the_database_refuses_a_failure_without_a_note(scene, shortlisted):
    from django.db import IntegrityError, transaction

    item = item_named(shortlisted, "Insurance")
    with pytest.raises(IntegrityError), transaction.atomic():
        DueDiligenceItem.objects.filter(pk=item.pk).update(status="failed", note="")


def test_an_unknown_result_is_refused(scene, shortlisted):
    with pytest.raises(ValidationError) as error:
        due_diligence_record(item=item_named(shortlisted, "Insurance"), status="open", note="", by=scene.manager)
    assert error.value.message_dict == {"status": ["Choose whether Insurance passed, failed or does not apply"]}


@pytest.mark.parametrize("who", ["judge", "supplier", "other manager"])
def test_only_the_challenges_managers_record_results(scene, shortlisted, who):
    person = {"judge": scene.judges[0], "supplier": scene.supplier, "other manager": scene.other_manager}[who]
    with pytest.raises(PermissionDenied):
        due_diligence_record(item=item_named(shortlisted, "Insurance"), status="passed", note="", by=person)
    assert not Event.objects.exists()


def test_a_proposal_that_is_not_shortlisted_cannot_be_checked(scene):
    item = item_named(scene.proposal, "Insurance")
    with pytest.raises(PermissionDenied, match="Due diligence is for shortlisted proposals and awards"):
        due_diligence_record(item=item, status="passed", note="", by=scene.manager)


# The award's rule


def test_the_blockers_name_each_open_and_failed_check(scene, shortlisted):
    settle(shortlisted, scene.manager, except_for=("Insurance", "Financial standing"))
    due_diligence_record(
        item=item_named(shortlisted, "Financial standing"),
        status="failed",
        note="Accounts overdue at Companies House.",
        by=scene.manager,
    )

    assert due_diligence_blockers(shortlisted) == [
        "Financial standing failed: Accounts overdue at Companies House",
        "Insurance is not yet checked",
    ]
    assert award_blocked_message(shortlisted) == (
        "You cannot confirm this award until due diligence is complete: Financial standing failed: Accounts overdue "
        "at Companies House; Insurance is not yet checked."
    )


def test_passed_and_not_applicable_checks_let_the_award_through(scene, shortlisted):
    settle(shortlisted, scene.manager, except_for=("Safeguarding (where relevant)",))
    safeguarding = item_named(shortlisted, "Safeguarding (where relevant)")
    due_diligence_record(item=safeguarding, status="not_applicable", note="No work with children.", by=scene.manager)
    assert due_diligence_blockers(shortlisted) == []
    assert award_blocked_message(shortlisted) == ""


def test_a_proposal_nobody_has_checked_is_blocked_by_every_default(scene):
    assert due_diligence_blockers(scene.other_proposal) == [f"{name} is not yet checked" for name in DEFAULT_NAMES]


# Evidence


def test_evidence_is_checked_stored_privately_and_audited(scene, shortlisted):
    item = due_diligence_attach_evidence(item=item_named(shortlisted, "Insurance"), upload=pdf(), by=scene.manager)
    assert item.evidence.name.startswith(f"due-diligence/{shortlisted.pk}/")
    assert item.evidence.storage.__class__.__name__ == "InMemoryStorage"
    assert (item.evidence_name, item.evidence_size, item.evidence_content_type) == (
        "insurance-certificate.pdf",
        len(PDF),
        "application/pdf",
    )
    assert len(item.evidence_sha256) == 64 and item.evidence_uploaded_by == scene.manager
    event = Event.objects.get(verb="due diligence evidence uploaded")
    assert event.proposal_id == shortlisted.pk and event.subject == "Insurance"
    assert item.evidence_sha256 in event.note


def test_a_renamed_program_is_refused_with_a_message_for_the_field(scene, shortlisted):
    with pytest.raises(ValidationError) as error:
        due_diligence_attach_evidence(item=item_named(shortlisted, "Insurance"), upload=program(), by=scene.manager)
    assert error.value.message_dict == {"evidence": [WRONG_TYPE]}
    assert not item_named(shortlisted, "Insurance").evidence and not Event.objects.exists()


def test_an_empty_file_is_refused(scene, shortlisted):
    with pytest.raises(ValidationError) as error:
        due_diligence_attach_evidence(
            item=item_named(shortlisted, "Insurance"), upload=pdf(content=b""), by=scene.manager
        )
    assert error.value.message_dict == {"evidence": ["The selected file is empty"]}


def test_evidence_counts_against_the_uploaders_hourly_limit(scene, shortlisted, settings):
    settings.UPLOADS_PER_HOUR = 1
    item = item_named(shortlisted, "Insurance")
    due_diligence_attach_evidence(item=item, upload=pdf(), by=scene.manager)
    with pytest.raises(ValidationError) as error:
        due_diligence_attach_evidence(item=item, upload=pdf("again.pdf"), by=scene.manager)
    assert "You have uploaded 1 files in the last hour, the most we allow." in error.value.message_dict["evidence"][0]


def test_a_member_adds_evidence_only_where_asked_and_until_the_check_passes(scene, shortlisted):
    insurance = item_named(shortlisted, "Insurance")
    with pytest.raises(PermissionDenied, match="has not asked for evidence of Insurance"):
        due_diligence_attach_evidence(item=insurance, upload=pdf(), by=scene.supplier)

    due_diligence_request_evidence(item=insurance, note="Your public liability certificate.", by=scene.manager)
    stored = due_diligence_attach_evidence(item=insurance, upload=pdf(), by=scene.supplier)
    assert stored.evidence_uploaded_by == scene.supplier

    due_diligence_record(item=insurance, status="passed", note="", by=scene.manager)
    with pytest.raises(PermissionDenied, match="Nothing more is needed for Insurance"):
        due_diligence_attach_evidence(item=insurance, upload=pdf("newer.pdf"), by=scene.supplier)


@pytest.mark.parametrize("who", ["judge", "other manager", "other supplier"])
def test_nobody_else_adds_evidence(scene, shortlisted, who):
    insurance = item_named(shortlisted, "Insurance")
    due_diligence_request_evidence(item=insurance, note="Your certificate.", by=scene.manager)
    person = {
        "judge": scene.judges[0],
        "other manager": scene.other_manager,
        "other supplier": scene.other_proposal.created_by,
    }[who]
    with pytest.raises(PermissionDenied):
        due_diligence_attach_evidence(item=insurance, upload=pdf(), by=person)


# Requests for evidence


def test_a_request_emails_every_member_once(scene, shortlisted, django_capture_on_commit_callbacks):
    colleague = UserFactory(verified=True, email="grace@brumtech.example")
    MembershipFactory(organisation=shortlisted.organisation, user=colleague)
    insurance = item_named(shortlisted, "Insurance")

    with django_capture_on_commit_callbacks(execute=True):
        due_diligence_request_evidence(item=insurance, note="Your public liability certificate.", by=scene.manager)
    with django_capture_on_commit_callbacks(execute=True):
        due_diligence_request_evidence(item=insurance, note="Your public liability certificate.", by=scene.manager)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([scene.supplier.email, colleague.email])
    message = mail.outbox[0]
    assert message.subject == f"Evidence needed for {shortlisted.reference}: Insurance"
    assert "Your public liability certificate." in message.body
    assert f"/judging/due-diligence/{shortlisted.pk}/" in message.body
    assert Event.objects.filter(verb="due diligence evidence requested").count() == 1
    insurance.refresh_from_db()
    assert insurance.evidence_request_note == "Your public liability certificate."

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        due_diligence_request_evidence(item=insurance, note="And your employer's liability one.", by=scene.manager)
    assert len(mail.outbox) == 2, "a different request is a new request"


def test_a_request_needs_a_note(scene, shortlisted):
    with pytest.raises(ValidationError) as error:
        due_diligence_request_evidence(item=item_named(shortlisted, "Insurance"), note=" ", by=scene.manager)
    assert error.value.message_dict == {"request_note": ["Say what evidence of Insurance the supplier should upload"]}
    assert mail.outbox == []


# The checks


def rows_of(challenge, **changes) -> list[CheckRow]:
    return [
        changes.get(check.name, CheckRow(pk=check.pk, name=check.name, guidance=check.guidance))
        for check in challenge.due_diligence_checks.all()
    ]


def test_a_manager_adds_renames_and_removes_checks_in_one_go(scene, shortlisted):
    checks = {check.name: check for check in scene.challenge.due_diligence_checks.all()}
    rows = rows_of(
        scene.challenge,
        Insurance=CheckRow(pk=checks["Insurance"].pk, name="Insurance cover", guidance="£5m public liability."),
        **{
            "Safeguarding (where relevant)": CheckRow(
                pk=checks["Safeguarding (where relevant)"].pk, name="x", remove=True
            )
        },
    )
    rows.append(CheckRow(pk=None, name="Modern slavery statement", guidance="Over £36m turnover only."))

    due_diligence_checks_configure(challenge=scene.challenge, rows=rows, by=scene.manager)

    names = list(scene.challenge.due_diligence_checks.values_list("name", flat=True))
    assert names == [
        "Registration confirmed",
        "Financial standing",
        "Insurance cover",
        "UK GDPR and data protection",
        "Conflicts of interest declared",
        "Modern slavery statement",
    ]
    assert [item.name for item in due_diligence_checklist(proposal=shortlisted)] == names
    verbs = sorted(Event.objects.filter(challenge=scene.challenge).values_list("verb", "subject"))
    assert verbs == [
        ("due diligence check added", "Modern slavery statement"),
        ("due diligence check changed", "Insurance cover"),
        ("due diligence check removed", "Safeguarding (where relevant)"),
    ]


def test_a_check_something_records_keeps_its_name_and_cannot_go(scene, shortlisted):
    insurance = item_named(shortlisted, "Insurance")
    due_diligence_record(item=insurance, status="passed", note="", by=scene.manager)
    pk = insurance.due_diligence_check_id
    before = Event.objects.count()

    for row, key in [
        (CheckRow(pk=pk, name="Insurance cover"), f"{pk}-name"),
        (CheckRow(pk=pk, name="Insurance", remove=True), f"{pk}-remove"),
    ]:
        with pytest.raises(ValidationError) as error:
            due_diligence_checks_configure(
                challenge=scene.challenge, rows=rows_of(scene.challenge, Insurance=row), by=scene.manager
            )
        assert error.value.message_dict == {
            key: ["Insurance cannot be changed or removed: due diligence on 1 proposal records something against it"]
        }
    assert scene.challenge.due_diligence_checks.filter(name="Insurance").exists()
    assert Event.objects.count() == before


def test_check_names_must_differ_and_one_must_stay(scene, shortlisted):
    with pytest.raises(ValidationError) as error:
        rows = [*rows_of(scene.challenge), CheckRow(pk=None, name="Insurance")]
        due_diligence_checks_configure(challenge=scene.challenge, rows=rows, by=scene.manager)
    assert "Give each check a different name: Insurance is used twice" in error.value.message_dict["new-name"]

    with pytest.raises(ValidationError) as error:
        rows = [CheckRow(pk=row.pk, name=row.name, remove=True) for row in rows_of(scene.challenge)]
        due_diligence_checks_configure(challenge=scene.challenge, rows=rows, by=scene.manager)
    assert error.value.message_dict["__all__"] == ["Keep at least one check: an award needs something to be checked"]


def test_only_the_challenges_managers_configure_checks(scene, shortlisted):
    with pytest.raises(PermissionDenied):
        due_diligence_checks_configure(challenge=scene.challenge, rows=[], by=scene.other_manager)


def test_evidence_is_not_asked_for_a_check_that_passed(scene, shortlisted):
    insurance = item_named(shortlisted, "Insurance")
    due_diligence_record(item=insurance, status="passed", note="", by=scene.manager)
    with pytest.raises(ValidationError) as error:
        due_diligence_request_evidence(item=insurance, note="Another certificate.", by=scene.manager)
    assert error.value.message_dict["request_note"] == [
        "Insurance is recorded as passed, so the supplier could not upload anything: change the result first if "
        "you need more evidence"
    ]
    assert mail.outbox == []


def test_two_checks_swapping_names_are_refused_with_a_message(scene, shortlisted):
    checks = {check.name: check for check in scene.challenge.due_diligence_checks.all()}
    rows = rows_of(
        scene.challenge,
        Insurance=CheckRow(pk=checks["Insurance"].pk, name="Financial standing"),
        **{"Financial standing": CheckRow(pk=checks["Financial standing"].pk, name="Insurance")},
    )
    with pytest.raises(ValidationError) as error:
        due_diligence_checks_configure(challenge=scene.challenge, rows=rows, by=scene.manager)
    assert error.value.message_dict["__all__"] == [
        "Two checks cannot swap names in one go: rename one, save, then rename the other"
    ]
    assert DueDiligenceCheck.objects.get(pk=checks["Insurance"].pk).name == "Insurance"
    assert not Event.objects.exists()
