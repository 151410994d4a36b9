"""A supplier drafts over several visits, checks the answers, submits, gets a receipt, resubmits and withdraws."""

import hashlib
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import Event
from submissions.models import Proposal, ProposalStatus, ProposalVersion

from .conftest import PDF, question_ids

pytestmark = pytest.mark.django_db


def start(client, challenge, organisation) -> Proposal:
    response = client.post(reverse("submissions:start", args=[challenge.pk]), {"organisation": organisation.pk})
    assert response.status_code == 302
    return Proposal.objects.get(challenge=challenge, organisation=organisation)


def section_url(proposal, index):
    return reverse("submissions:section", args=[proposal.pk, index])


def about(**overrides):
    data = {
        "q-title": "Early Help Finder",
        "q-public_summary": "Finds households at risk.",
        "q-consent_to_publish": "yes",
    }
    return data | overrides


def solution(names, **overrides):
    data = {
        names["Describe your solution"]: "A data tool that flags households at risk of losing their home.",
        names["Product name"]: "Early Help Finder",
        names["Cost of the pilot"]: "45,000",
        names["Stage of development"]: "Prototype",
        names["Who benefits"]: ["Residents", "Staff"],
    }
    return data | overrides


def delivery(names, **overrides):
    data = {
        names["Can you start within 6 weeks?"]: "yes",
        f"{names['Earliest start date']}-day": "1",
        f"{names['Earliest start date']}-month": "2",
        f"{names['Earliest start date']}-year": "2027",
        names["Project plan"]: SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
        names["Declaration"]: "confirmed",
    }
    return data | overrides


def complete(client, proposal, names):
    assert client.post(section_url(proposal, 0), about()).status_code == 302
    assert client.post(section_url(proposal, 1), solution(names)).status_code == 302
    assert client.post(section_url(proposal, 2), delivery(names)).status_code == 302


def submit(client, proposal, callbacks_fixture):
    with callbacks_fixture(execute=True):
        return client.post(reverse("submissions:submit", args=[proposal.pk]))


def test_starting_twice_makes_one_proposal(supplier_client, challenge, organisation):
    first = start(supplier_client, challenge, organisation)
    second = start(supplier_client, challenge, organisation)
    assert first.pk == second.pk
    assert Proposal.objects.count() == 1
    assert first.status == ProposalStatus.DRAFT


def test_draft_over_two_visits_keeps_every_answer(supplier_client, client, supplier, challenge, organisation):
    names = question_ids(challenge)
    proposal = start(supplier_client, challenge, organisation)
    supplier_client.post(section_url(proposal, 1), {**solution(names), "return": "1"})
    supplier_client.logout()

    client.force_login(supplier)
    page = client.get(section_url(proposal, 1)).content.decode()
    assert 'value="Early Help Finder"' in page
    assert "A data tool that flags households" in page
    assert 'value="45000"' in page
    task_list = client.get(reverse("submissions:task_list", args=[proposal.pk])).content.decode()
    assert "You have completed 1 of 3 sections." in task_list


def test_bad_answers_are_explained_on_their_fields_and_the_rest_are_kept(supplier_client, challenge, organisation):
    names = question_ids(challenge)
    proposal = start(supplier_client, challenge, organisation)
    too_long = " ".join(["word"] * 51)
    response = supplier_client.post(
        section_url(proposal, 1),
        solution(names, **{names["Describe your solution"]: too_long, names["Cost of the pilot"]: "lots"}),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in body
    assert "Your answer must be 50 words or fewer. You have 51 words." in body
    assert "Enter a number, like 25000" in body
    assert too_long in body and 'value="lots"' in body  # what was typed is shown again
    proposal.refresh_from_db()
    assert proposal.answers[names["Product name"][2:]] == "Early Help Finder"  # valid answers were saved
    assert names["Describe your solution"][2:] not in proposal.answers


def test_check_answers_lists_what_is_missing(supplier_client, challenge, organisation):
    proposal = start(supplier_client, challenge, organisation)
    supplier_client.post(section_url(proposal, 0), about())
    body = supplier_client.get(reverse("submissions:check", args=[proposal.pk])).content.decode()
    assert "There is a problem" in body
    assert "Upload a file" in body and "Confirm the declaration to continue" in body
    assert "Submit proposal" not in body


def test_submit_gives_a_reference_a_receipt_and_a_digest(
    supplier_client, challenge, organisation, django_capture_on_commit_callbacks
):
    names = question_ids(challenge)
    proposal = start(supplier_client, challenge, organisation)
    complete(supplier_client, proposal, names)
    response = submit(supplier_client, proposal, django_capture_on_commit_callbacks)

    proposal.refresh_from_db()
    version = proposal.versions.get()
    assert response.status_code == 302
    assert re.fullmatch(r"UC-20\d\d-00001", proposal.reference)
    assert proposal.status == ProposalStatus.SUBMITTED
    assert version.files[0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert version.questions == challenge.first_stage.questions.get_prep_value()

    confirmation = supplier_client.get(response["Location"]).content.decode()
    assert proposal.reference in confirmation and version.digest in confirmation

    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert receipt.to == ["ada@brumtech.example"]
    assert proposal.reference in receipt.subject
    assert version.digest in receipt.body
    assert "plan.pdf" in receipt.body
    assert Event.objects.filter(proposal_id=proposal.pk, verb="submitted").count() == 1


def test_a_double_click_submits_once_and_sends_one_receipt(
    supplier_client, challenge, organisation, django_capture_on_commit_callbacks
):
    names = question_ids(challenge)
    proposal = start(supplier_client, challenge, organisation)
    complete(supplier_client, proposal, names)
    submit(supplier_client, proposal, django_capture_on_commit_callbacks)
    submit(supplier_client, proposal, django_capture_on_commit_callbacks)
    assert ProposalVersion.objects.filter(proposal=proposal).count() == 1
    assert len(mail.outbox) == 1


def test_changing_an_answer_and_resubmitting_makes_version_two(
    supplier_client, challenge, organisation, django_capture_on_commit_callbacks
):
    names = question_ids(challenge)
    proposal = start(supplier_client, challenge, organisation)
    complete(supplier_client, proposal, names)
    submit(supplier_client, proposal, django_capture_on_commit_callbacks)
    supplier_client.post(section_url(proposal, 1), solution(names, **{names["Product name"]: "Help Finder 2"}))
    submit(supplier_client, proposal, django_capture_on_commit_callbacks)

    versions = list(proposal.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].digest != versions[1].digest
    proposal.refresh_from_db()
    assert proposal.reference.endswith("00001")  # the reference stays with the proposal
    assert len(mail.outbox) == 2 and "version 2" in mail.outbox[1].subject


def test_editing_the_questions_after_submission_never_changes_what_was_submitted(
    supplier_client, challenge, organisation, django_capture_on_commit_callbacks
):
    names = question_ids(challenge)
    proposal = start(supplier_client, challenge, organisation)
    complete(supplier_client, proposal, names)
    submit(supplier_client, proposal, django_capture_on_commit_callbacks)
    snapshot = proposal.versions.get().questions

    stage = challenge.first_stage
    raw = stage.questions.raw_data
    raw[0]["value"]["questions"][1]["value"]["label"] = "Renamed question"
    del raw[0]["value"]["questions"][0]
    stage.questions = raw
    stage.save()

    version = proposal.versions.get()
    assert version.questions == snapshot
    assert version.answers[names["Describe your solution"][2:]].startswith("A data tool")


def test_withdraw_before_the_deadline(supplier_client, challenge, organisation, django_capture_on_commit_callbacks):
    proposal = start(supplier_client, challenge, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        response = supplier_client.post(reverse("submissions:withdraw", args=[proposal.pk]), {"reason": "Too busy"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert Event.objects.get(proposal_id=proposal.pk, verb="withdrawn").note == "Too busy"
    assert len(mail.outbox) == 1 and "withdrawn" in mail.outbox[0].subject.lower()
    page = supplier_client.get(reverse("submissions:task_list", args=[proposal.pk])).content.decode()
    assert "You withdrew this proposal." in page


def test_someone_without_an_organisation_is_sent_to_set_one_up(client, challenge, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    body = client.get(reverse("submissions:start", args=[challenge.pk])).content.decode()
    assert "Set up your organisation" in body
    assert reverse("accounts:organisation_create") in body
