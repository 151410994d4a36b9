"""What ``full_clean()`` used to check with a query on every save, the database refuses by itself.

The submit flow validates fields with ``submissions.models.validate_fields`` (and ``notify`` skips the
constraint check) rather than paying a query per foreign key, per unique field and per check constraint on every
save at the deadline. Each test here breaks one of those rules directly and shows the database refusing it, and
the checks that stayed in Python still refuse what they refused.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from notifications.models import Notification
from submissions.models import Proposal, ProposalStatus, validate_fields
from submissions.services import proposal_start
from tests.factories import ChallengePageFactory
from tests.factories.organisations import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(challenge, organisation, supplier):
    return proposal_start(challenge=challenge, organisation=organisation, by=supplier)


def refused(write) -> None:
    """``write`` inside its own savepoint; foreign keys are checked at once (PostgreSQL and SQLite defer them to
    the commit otherwise)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        write()
        connection.check_constraints()


@pytest.mark.parametrize("column", ["challenge_id", "stage_id", "organisation_id", "created_by_id"])
def test_a_proposal_pointing_at_a_missing_row_is_refused(proposal, column):
    refused(lambda: Proposal.objects.filter(pk=proposal.pk).update(**{column: 987654}))


def test_a_second_proposal_from_the_same_organisation_is_refused(proposal, supplier):
    refused(
        lambda: Proposal.objects.create(
            challenge_id=proposal.challenge_id,
            stage_id=proposal.stage_id,
            organisation_id=proposal.organisation_id,
            created_by=supplier,
        )
    )


def test_a_reference_given_twice_is_refused(proposal, challenge, supplier, sponsor_index, sponsor):
    other = proposal_start(
        challenge=ChallengePageFactory(parent=sponsor_index, sponsor=sponsor),
        organisation=make_organisation(name="Other Ltd", owner=supplier),
        by=supplier,
    )
    Proposal.objects.filter(pk=proposal.pk).update(reference="UC-2027-00001")
    refused(lambda: Proposal.objects.filter(pk=other.pk).update(reference="UC-2027-00001"))


def test_a_submitted_proposal_without_a_reference_is_refused(proposal):
    refused(lambda: Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.SUBMITTED, reference=None))


def test_a_notification_key_used_twice_is_refused():
    Notification.objects.create(key="receipt:1:s1:v1", to_email="a@example.com", template="t", subject="s")
    refused(
        lambda: Notification.objects.create(key="receipt:1:s1:v1", to_email="b@example.com", template="t", subject="s")
    )


def test_a_notification_marked_sent_without_a_time_is_refused():
    refused(
        lambda: Notification.objects.create(
            key="k", to_email="a@example.com", template="t", subject="s", status=Notification.Status.SENT
        )
    )


def test_field_checks_that_need_no_query_still_refuse(proposal):
    proposal.title = "x" * 151
    with pytest.raises(ValidationError) as too_long:
        validate_fields(proposal)
    assert "title" in too_long.value.message_dict
    proposal.title, proposal.status = "Fine", "nonsense"
    with pytest.raises(ValidationError) as bad_choice:
        validate_fields(proposal)
    assert "status" in bad_choice.value.message_dict
