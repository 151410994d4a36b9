"""After closes_at nothing changes a proposal, however the request is made, and the page says why."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from submissions.models import Proposal, ProposalStatus
from submissions.services import proposal_start
from tests.factories.challenges import move_window

from .conftest import PDF, question_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_draft(challenge, organisation, supplier):
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    proposal.title = "Before the deadline"
    proposal.save()
    move_window(
        challenge, opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(seconds=1)
    )
    return proposal


def assert_refused(response, phrase="closed"):
    assert response.status_code == 403
    assert phrase in response.content.decode()


def test_no_one_can_start_after_the_deadline(supplier_client, challenge, organisation):
    move_window(challenge, closes_at=timezone.now() - timedelta(seconds=1))
    response = supplier_client.post(
        reverse("submissions:start", args=[challenge.pk]), {"organisation": organisation.pk}
    )
    assert_refused(response, "not open for proposals")
    assert not Proposal.objects.exists()


def test_a_crafted_save_after_the_deadline_changes_nothing(supplier_client, closed_draft):
    response = supplier_client.post(reverse("submissions:section", args=[closed_draft.pk, 0]), {"q-title": "Late edit"})
    assert_refused(response)
    closed_draft.refresh_from_db()
    assert closed_draft.title == "Before the deadline"


def test_an_upload_after_the_deadline_is_refused(supplier_client, closed_draft, challenge):
    field = question_ids(challenge)["Project plan"]
    upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    assert_refused(supplier_client.post(reverse("submissions:section", args=[closed_draft.pk, 2]), {field: upload}))
    assert not closed_draft.attachments.exists()


def test_submit_and_withdraw_after_the_deadline_are_refused(supplier_client, closed_draft):
    assert_refused(supplier_client.post(reverse("submissions:submit", args=[closed_draft.pk])))
    assert_refused(supplier_client.post(reverse("submissions:withdraw", args=[closed_draft.pk])))
    closed_draft.refresh_from_db()
    assert closed_draft.status == ProposalStatus.DRAFT
    assert not closed_draft.versions.exists()


def test_the_section_page_says_it_can_no_longer_be_changed(supplier_client, closed_draft):
    body = supplier_client.get(reverse("submissions:section", args=[closed_draft.pk, 0])).content.decode()
    assert "This proposal can no longer be changed." in body
    assert "Save and continue" not in body


def test_a_manager_override_cannot_keep_a_challenge_open_past_its_deadline(supplier_client, closed_draft, challenge):
    challenge.status_override = "open"
    challenge.save()
    assert_refused(supplier_client.post(reverse("submissions:submit", args=[closed_draft.pk])))
