"""Deadline reminders go to draft owners once per window; managers get one digest a day of new submissions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from challenges.services import sponsor_grant_manager_access
from submissions.models import ProposalStatus
from submissions.services import proposal_start
from submissions.tasks import send_deadline_reminders, send_manager_digest
from submissions.workflow import proposal_transition
from tests.factories import UserFactory
from tests.factories.challenges import move_window

pytestmark = pytest.mark.django_db


def run(task, callbacks):
    with callbacks(execute=True):
        task()


def closing_in(challenge, hours):
    move_window(challenge, closes_at=timezone.now() + timedelta(hours=hours))


def test_owners_of_drafts_get_each_reminder_once(challenge, organisation, supplier, django_capture_on_commit_callbacks):
    colleague = UserFactory()
    organisation.memberships.create(user=colleague, role="member")
    proposal_start(challenge=challenge, organisation=organisation, by=supplier)

    closing_in(challenge, 47)
    run(send_deadline_reminders, django_capture_on_commit_callbacks)
    run(send_deadline_reminders, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[supplier.email]]  # owners only, once
    assert mail.outbox[0].subject.startswith("2 days left")

    closing_in(challenge, 1.5)
    run(send_deadline_reminders, django_capture_on_commit_callbacks)
    run(send_deadline_reminders, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("2 hours left")


def test_no_reminder_for_submitted_proposals_or_distant_deadlines(
    challenge, organisation, supplier, django_capture_on_commit_callbacks
):
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    closing_in(challenge, 72)
    run(send_deadline_reminders, django_capture_on_commit_callbacks)
    assert mail.outbox == []

    closing_in(challenge, 10)
    proposal.reference = "UC-2027-00001"
    proposal_transition(proposal=proposal, to=ProposalStatus.SUBMITTED, by=supplier)
    run(send_deadline_reminders, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_managers_get_one_daily_digest_of_their_own_sponsors_submissions(
    challenge, sponsor, organisation, supplier, django_capture_on_commit_callbacks
):
    manager = UserFactory(email="manager@wmca.example")
    manager.groups.add(sponsor_grant_manager_access(sponsor=sponsor))
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    proposal.reference = "UC-2027-00007"
    proposal_transition(proposal=proposal, to=ProposalStatus.SUBMITTED, by=supplier)

    run(send_manager_digest, django_capture_on_commit_callbacks)
    run(send_manager_digest, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["manager@wmca.example"]
    assert "UC-2027-00007" in digest.body and organisation.name in digest.body
    assert digest.subject == "1 proposal submission for West Midlands Combined Authority in the last day"


def test_no_digest_when_nothing_was_submitted(sponsor_index, sponsor, django_capture_on_commit_callbacks):
    manager = UserFactory()
    manager.groups.add(sponsor_grant_manager_access(sponsor=sponsor))
    run(send_manager_digest, django_capture_on_commit_callbacks)
    assert mail.outbox == []
