"""Suppliers submitting at the same moment do not wait for one another.

Every first submission takes the next reference from one counter row per year. These tests run without the
usual wrapping transaction, so each submit commits as it does in production.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from submissions import services
from submissions.models import Proposal, ProposalStatus
from tests.factories import UserFactory
from tests.factories.organisations import make_organisation

from .conftest import question_ids
from .test_flow import about, complete, start

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def ready_proposal(challenge, email: str, name: str) -> Proposal:
    user = UserFactory(email=email)
    organisation = make_organisation(name=name, owner=user)
    client = Client()
    client.force_login(user)
    proposal = start(client, challenge, organisation)
    complete(client, proposal, question_ids(challenge))
    return proposal


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL")
def test_a_slow_submit_does_not_hold_up_another_supplier(challenge, monkeypatch):
    first = ready_proposal(challenge, "slow@one.example", "One Ltd")
    second = ready_proposal(challenge, "quick@two.example", "Two Ltd")
    first_is_inside, let_first_finish, second_done = threading.Event(), threading.Event(), threading.Event()
    real_notify = services.notify

    def slow_for_the_first(**kwargs):
        if kwargs["to"] == "slow@one.example":
            first_is_inside.set()  # its version is written and its transaction still open
            let_first_finish.wait(30)
        return real_notify(**kwargs)

    monkeypatch.setattr(services, "notify", slow_for_the_first)

    def submit(proposal, done=None):
        try:
            services.proposal_submit(proposal=proposal, by=proposal.created_by)
            if done:
                done.set()
        finally:
            connection.close()

    slow = threading.Thread(target=submit, args=(first,))
    slow.start()
    try:
        assert first_is_inside.wait(30)
        quick = threading.Thread(target=submit, args=(second, second_done))
        quick.start()
        finished_meanwhile = second_done.wait(10)
    finally:
        let_first_finish.set()
        slow.join(30)
        quick.join(30)

    assert finished_meanwhile, "the second submit waited for the first one's transaction"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == ProposalStatus.SUBMITTED
    assert {first.reference[-5:], second.reference[-5:]} == {"00001", "00002"}


def test_an_incomplete_proposal_is_refused_and_takes_no_reference(challenge, supplier, organisation, client):
    client.force_login(supplier)
    proposal = start(client, challenge, organisation)
    client.post(f"/proposals/{proposal.pk}/section/0/", about())

    with pytest.raises(ValidationError) as refused:
        services.proposal_submit(proposal=proposal, by=supplier)

    assert any("Upload a file" in message for message in refused.value.messages)
    proposal.refresh_from_db()
    assert proposal.reference is None
    assert proposal.status == ProposalStatus.DRAFT
    complete(client, proposal, question_ids(challenge))
    services.proposal_submit(proposal=proposal, by=supplier)
    proposal.refresh_from_db()
    assert proposal.reference.endswith("-00001")  # the refused attempt used up no number
