"""A submit that arrives after the deadline is refused with a message naming the deadline, and changes nothing."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.formatting import format_moment
from notifications.models import Notification
from submissions.models import ProposalStatus
from submissions.services import proposal_withdraw
from tests.factories.challenges import move_window

from .conftest import question_ids
from .test_flow import complete, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_draft(supplier_client, challenge, organisation):
    """Every question answered and the plan uploaded while the challenge was open; only the submit is left."""
    proposal = start(supplier_client, challenge, organisation)
    complete(supplier_client, proposal, question_ids(challenge))
    return proposal


def close(challenge, *, seconds_ago: int = 1):
    move_window(
        challenge,
        opens_at=timezone.now() - timedelta(days=30),
        closes_at=timezone.now() - timedelta(seconds=seconds_ago),
    )
    return challenge.closes_at


def test_a_submit_one_second_late_is_refused_naming_the_deadline(
    supplier_client, challenge, ready_draft, django_capture_on_commit_callbacks
):
    closed_at = close(challenge)
    with django_capture_on_commit_callbacks(execute=True):
        response = supplier_client.post(reverse("submissions:submit", args=[ready_draft.pk]))

    body = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="govuk-heading-l">Your proposal has not been submitted</h1>' in body
    assert "<title>Your proposal has not been submitted" in body
    assert f"This challenge closed at {format_moment(closed_at)}." in body
    assert "Proposals can no longer be started, changed, submitted or withdrawn." in body
    ready_draft.refresh_from_db()
    assert ready_draft.status == ProposalStatus.DRAFT
    assert not ready_draft.reference
    assert not ready_draft.versions.exists()
    assert not Notification.objects.filter(template="submissions/email/receipt").exists()
    assert mail.outbox == []


def test_a_late_change_says_when_the_deadline_was(supplier_client, challenge, ready_draft):
    closed_at = close(challenge, seconds_ago=90)
    response = supplier_client.post(reverse("submissions:section", args=[ready_draft.pk, 0]), {"q-title": "Late"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "You cannot change this proposal" in body
    assert f"This challenge closed at {format_moment(closed_at)}." in body
    ready_draft.refresh_from_db()
    assert ready_draft.title == "Early Help Finder"


def test_a_withdrawn_proposal_is_refused_for_being_withdrawn_not_for_the_deadline(
    supplier_client, supplier, challenge, ready_draft
):
    proposal_withdraw(proposal=ready_draft, by=supplier)
    close(challenge)
    response = supplier_client.post(reverse("submissions:submit", args=[ready_draft.pk]))
    body = response.content.decode()
    assert response.status_code == 403
    assert "This proposal has been withdrawn and can no longer be changed." in body
    assert "This challenge closed at" not in body
