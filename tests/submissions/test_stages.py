"""A challenge in stages, as its suppliers live it: taken forward with their answers, or told why not, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from submissions.models import Progression, ProposalStatus
from submissions.progression import (
    progression_bulk,
    proposal_not_take_forward,
    proposal_take_forward,
    stage_feedback_send_due,
)
from submissions.services import proposal_submit
from submissions.workflow import TransitionNotAllowed
from tests.factories.stages import DEVELOPED_ID, PILOT_ID, build_staged_scene

pytestmark = pytest.mark.django_db
S = ProposalStatus


@pytest.fixture
def staged(sponsor_index, sponsor):
    return build_staged_scene(sponsor_index, sponsor)


def test_taken_forward_a_proposal_is_in_the_next_stage_with_its_earlier_answer_carried(
    staged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = proposal_take_forward(proposal=staged.forward, by=staged.manager, note="A strong idea.")
    assert proposal.stage == staged.stages[1]
    assert proposal.status == S.DRAFT
    assert proposal.answers[DEVELOPED_ID] == "Sensors residents own."
    assert PILOT_ID not in proposal.answers
    progression = Progression.objects.get(proposal=proposal)
    assert (progression.stage, progression.to_stage, progression.outcome) == (
        staged.stages[0],
        staged.stages[1],
        Progression.Outcome.TAKEN_FORWARD,
    )
    assert [message.subject for message in mail.outbox] == [f"Taken forward to Full proposal: {proposal.reference}"]


def test_the_supplier_sees_the_stage_what_comes_next_and_earlier_answers_read_only(staged, client):
    proposal_take_forward(proposal=staged.forward, by=staged.manager)
    client.force_login(staged.supplier)
    html = client.get(reverse("submissions:task_list", args=[staged.forward.pk])).content.decode()
    assert "Stage 2 of 3: Full proposal" in html
    assert "The panel chooses which organisations to take forward to Pitch (a pitch)" in html
    assert "What you said in Expression of interest" in html
    assert "Sensors residents own." in html
    assert "These answers can no longer be changed." in html


def test_each_stage_has_its_own_numbered_version_and_receipt(staged, client, django_capture_on_commit_callbacks):
    proposal = proposal_take_forward(proposal=staged.forward, by=staged.manager)
    proposal.answers[PILOT_ID] = "Twelve homes for twelve weeks."
    proposal.save()
    with django_capture_on_commit_callbacks(execute=True):
        version = proposal_submit(proposal=proposal, by=staged.supplier)
    assert (version.stage, version.number) == (staged.stages[1], 1)
    assert len(version.digest) == 64
    numbered = [(v.stage_id, v.number) for v in proposal.versions.order_by("submitted_at")]
    assert numbered == [(staged.stages[0].pk, 1), (staged.stages[1].pk, 1)]
    client.force_login(staged.supplier)
    receipt = client.get(reverse("submissions:confirmation", args=[proposal.pk, staged.stages[1].pk, 1]))
    assert receipt.status_code == 200
    assert version.digest in receipt.content.decode()


def test_not_taken_forward_hears_nothing_until_the_feedback_release_then_once(
    staged, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal_not_take_forward(proposal=staged.left_behind, feedback="Too early for a pilot.", by=staged.manager)
    assert mail.outbox == []
    client.force_login(staged.other_supplier)
    url = reverse("submissions:task_list", args=[staged.left_behind.pk])
    assert "Not taken forward" not in client.get(url).content.decode()

    later = staged.stages[0].feedback_release_at + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert stage_feedback_send_due(now=later) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert stage_feedback_send_due(now=later) == 0
    assert len(mail.outbox) == 1
    assert "Too early for a pilot." in mail.outbox[0].body

    type(staged.stages[0]).objects.filter(pk=staged.stages[0].pk).update(feedback_release_at=timezone.now())
    html = client.get(url).content.decode()
    assert "Not taken forward" in html
    assert "Too early for a pilot." in html


def test_not_taking_forward_needs_feedback_and_the_last_stage_cannot_be_left_that_way(staged):
    with pytest.raises(TransitionNotAllowed) as error:
        proposal_not_take_forward(proposal=staged.left_behind, feedback="  ", by=staged.manager)
    assert "Give feedback for the organisation" in error.value.messages[0]
    staged.left_behind.refresh_from_db()
    assert staged.left_behind.status == S.ELIGIBLE


def test_in_bulk_each_is_moved_or_refused_with_its_reason(staged):
    withdrawn = staged.left_behind
    withdrawn.status = S.WITHDRAWN
    withdrawn.save()
    result = progression_bulk(proposals=[staged.forward, withdrawn], take_forward=True, by=staged.manager)
    assert [p.pk for p in result.moved] == [staged.forward.pk]
    assert result.refused[0][0].pk == withdrawn.pk
    assert "withdrawn" in result.refused[0][1]


def test_an_organisation_not_taken_forward_cannot_reach_the_next_stage_even_by_crafted_post(staged, client):
    proposal_not_take_forward(proposal=staged.left_behind, feedback="Not this time.", by=staged.manager)
    client.force_login(staged.other_supplier)
    response = client.post(
        reverse("submissions:section", args=[staged.left_behind.pk, 1]),
        {f"q-{PILOT_ID}": "Let us in anyway."},
    )
    assert response.status_code == 403
    staged.left_behind.refresh_from_db()
    assert PILOT_ID not in staged.left_behind.answers
    response = client.post(reverse("submissions:submit", args=[staged.left_behind.pk]))
    assert response.status_code == 403
    assert staged.left_behind.versions.count() == 1


def test_a_later_stage_deadline_is_enforced_by_the_server_and_named(staged, client):
    proposal = proposal_take_forward(proposal=staged.forward, by=staged.manager)
    stage = staged.stages[1]
    type(stage).objects.filter(pk=stage.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    client.force_login(staged.supplier)
    response = client.post(reverse("submissions:section", args=[proposal.pk, 1]), {f"q-{PILOT_ID}": "Just too late."})
    assert response.status_code == 403
    assert "Full proposal closed at" in response.content.decode()
    proposal.refresh_from_db()
    assert PILOT_ID not in proposal.answers
