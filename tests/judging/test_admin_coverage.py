"""Assignments in the Wagtail admin: the grid of proposals and judges, automatic and manual assignment, unassigning."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Event
from judging.models import Assignment
from submissions.models import ProposalStatus
from tests.factories.judging import assign, conflict, make_judge, score, seat
from tests.factories.submissions import make_proposal
from tests.judging.test_admin_screening import (
    ROLES,
    assert_refused,
    assert_sent_to_sign_in,
    refused_user,
    row_text,
)

S = ProposalStatus
pytestmark = pytest.mark.django_db


def url(scene) -> str:
    return reverse("judging_admin:coverage", args=(scene.challenge.pk,))


def auto_url(scene) -> str:
    return reverse("judging_admin:assignments_auto", args=(scene.challenge.pk,))


def add_url(scene) -> str:
    return reverse("judging_admin:assignment_add", args=(scene.challenge.pk,))


def remove_url(scene, assignment) -> str:
    return reverse("judging_admin:assignment_remove", args=(scene.challenge.pk, assignment.pk))


def name_judges(scene) -> None:
    """Fixed names, so the grid's columns (ordered by name) are known."""
    for judge, (first, last) in zip(
        [scene.judges[0], scene.judges[1], scene.conflicted_judge, scene.unassigned_judge],
        [("Ada", "Zero"), ("Ben", "One"), ("Cal", "Conflicted"), ("Dee", "Free")],
        strict=True,
    ):
        judge.first_name, judge.last_name = first, last
        judge.save()


def test_the_grid_says_in_words_where_each_review_stands(manager_client, scene):
    name_judges(scene)
    score(scene.review, 4, 3, submit=False)
    response = manager_client.get(url(scene))
    assert response.status_code == 200
    html = response.content.decode()
    ref, other = scene.proposal.reference, scene.other_proposal.reference
    assert row_text(html, "Proposal</th>") == "Proposal Reviews Ada Zero Ben One Cal Conflicted Dee Free"
    assert row_text(html, ref) == (
        f"{ref} Early warning for rent arrears (in assessment) 0 of 1 submitted Needs 1 more judge "
        f"Draft Unassign Ada Zero from {ref} Not assigned Conflict Not assigned"
    )
    assert row_text(html, other) == (
        f"{other} Housing data commons (in assessment) 0 of 1 submitted Needs 1 more judge "
        f"Not assigned Not started Unassign Ben One from {other} Not assigned Not assigned"
    )
    assert row_text(html, "Load (assigned") == (
        "Load (assigned, of which submitted) 1 assigned, 0 submitted 1 assigned, 0 submitted "
        "0 assigned, 0 submitted 0 assigned, 0 submitted"
    )


def test_a_submitted_review_reads_submitted_and_counts(manager_client, scene):
    name_judges(scene)
    score(scene.review, 4, 3)
    html = manager_client.get(url(scene)).content.decode()
    ref = scene.proposal.reference
    assert row_text(html, ref) == (
        f"{ref} Early warning for rent arrears (in assessment) 1 of 1 submitted Needs 1 more judge "
        "Submitted Not assigned Conflict Not assigned"
    )
    assert row_text(html, "Load (assigned").startswith("Load (assigned, of which submitted) 1 assigned, 1 submitted")


def test_assigning_automatically_fills_the_gaps(manager_client, scene):
    response = manager_client.post(auto_url(scene))
    assert response.status_code == 302
    assert response.url == url(scene)
    assert Assignment.objects.filter(proposal__challenge=scene.challenge).count() == 4
    assert not Assignment.objects.filter(judge=scene.conflicted_judge, proposal=scene.proposal).exists()
    html = manager_client.get(response.url).content.decode()
    assert "2 assignments made." in html
    assert "Needs 1 more judge" not in html
    assert Event.objects.filter(verb="assigned", note="Automatic assignment", actor=scene.manager).count() == 2


def test_assigning_automatically_again_says_nothing_was_needed(manager_client, scene):
    manager_client.post(auto_url(scene))
    response = manager_client.post(auto_url(scene), follow=True)
    assert "No assignments made: every proposal already has its judges." in response.content.decode()


def test_assigning_automatically_with_too_few_judges_says_what_to_change(manager_client, scene):
    scene.challenge.stages.update(judges_per_proposal=5)
    response = manager_client.post(auto_url(scene), follow=True)
    html = response.content.decode()
    assert (
        "Each proposal needs 5 judges, but the panel has 4. Add judges to the panel or lower the number of judges "
        "per proposal."
    ) in html
    assert "assignments made" not in html
    assert Assignment.objects.filter(proposal__challenge=scene.challenge).count() == 2


def test_assigning_by_hand(manager_client, scene):
    response = manager_client.post(add_url(scene), {"proposal": scene.proposal.pk, "judge": scene.unassigned_judge.pk})
    assert response.status_code == 302
    assert Assignment.objects.filter(proposal=scene.proposal, judge=scene.unassigned_judge).exists()
    html = manager_client.get(response.url).content.decode()
    assert f"{scene.unassigned_judge} assigned to {scene.proposal.reference}.".replace("'", "&#x27;") in html


def test_assigning_a_conflicted_judge_is_refused_on_the_form(manager_client, scene):
    response = manager_client.post(add_url(scene), {"proposal": scene.proposal.pk, "judge": scene.conflicted_judge.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"conflicted@panel.example has declared a conflict of interest with {scene.proposal.reference}." in html
    assert f'<option value="{scene.conflicted_judge.pk}" selected>' in html
    assert f'<option value="{scene.proposal.pk}" selected>' in html
    assert not Assignment.objects.filter(judge=scene.conflicted_judge).exists()


def test_assigning_without_choosing_says_what_is_missing(manager_client, scene):
    html = manager_client.post(add_url(scene), {"proposal": "", "judge": "999999"}).content.decode()
    assert "Choose a proposal." in html
    assert "Choose one of the panel&#x27;s judges." in html
    assert 'aria-describedby="id_proposal_error"' in html


def test_a_judge_off_the_panel_or_a_proposal_off_the_grid_cannot_be_assigned(manager_client, scene):
    screened_out = make_proposal(scene.challenge, status=S.INELIGIBLE)
    html = manager_client.post(add_url(scene), {"proposal": screened_out.pk, "judge": scene.other_judge.pk})
    html = html.content.decode()
    assert "Choose one of the proposals listed." in html
    assert "Choose one of the panel&#x27;s judges." in html
    assert not Assignment.objects.filter(judge=scene.other_judge).exists()


def test_unassigning_a_judge(manager_client, scene):
    assignment = scene.review.assignment
    response = manager_client.post(remove_url(scene, assignment))
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    html = manager_client.get(response.url).content.decode()
    assert f"{scene.judges[0]} unassigned from {scene.proposal.reference}.".replace("'", "&#x27;") in html
    assert Event.objects.filter(verb="unassigned", proposal_id=scene.proposal.pk, actor=scene.manager).exists()


def test_a_submitted_review_cannot_be_unassigned(manager_client, scene):
    score(scene.review, 4, 3)
    response = manager_client.post(remove_url(scene, scene.review.assignment), follow=True)
    assert (
        f"judge0@panel.example has submitted a review of {scene.proposal.reference}, so it stays on the record."
        in response.content.decode()
    )
    assert Assignment.objects.filter(pk=scene.review.assignment.pk).exists()


def test_an_assignment_on_another_challenge_cannot_be_removed_from_here(manager_client, scene):
    elsewhere = assign(make_proposal(scene.other_challenge), scene.other_judge).assignment
    assert manager_client.post(remove_url(scene, elsewhere)).status_code == 404
    assert Assignment.objects.filter(pk=elsewhere.pk).exists()


def test_the_query_count_is_the_same_for_a_small_and_a_large_grid(client, scene):
    """2 proposals by 2 judges, then 6 by 4 with draft and submitted reviews and conflicts: the same queries."""
    challenge = scene.other_challenge
    client.force_login(scene.other_manager)
    address = reverse("judging_admin:coverage", args=(challenge.pk,))
    judges = [scene.other_judge, make_judge(email="second@panel.example")]
    seat(challenge, judges[1])

    def add_proposals(count):
        for _ in range(count):
            proposal = make_proposal(challenge)
            for judge in judges[:2]:
                review = assign(proposal, judge)
            score(review, 3, 3)
            conflict(judges[-1], proposal=proposal)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    add_proposals(2)
    small = queries()
    judges += [make_judge(email="third@panel.example"), make_judge(email="fourth@panel.example")]
    seat(challenge, *judges[2:])
    add_proposals(4)
    html = client.get(address).content.decode()
    assert html.count("(in assessment)</span></th>") == 6
    assert html.count("Conflict") == 4
    assert queries() == small


@pytest.mark.parametrize("role", ROLES)
def test_everyone_but_the_challenges_managers_is_refused(client, scene, role):
    client.force_login(refused_user(scene, role))
    assignment = scene.review.assignment
    secrets = [scene.proposal.reference, "judge0@panel.example"]
    assert_refused(client.get(url(scene), follow=True), role, secrets=secrets)
    assert_refused(client.post(auto_url(scene), follow=True), role)
    pair = {"proposal": scene.proposal.pk, "judge": scene.unassigned_judge.pk}
    assert_refused(client.post(add_url(scene), pair, follow=True), role)
    assert_refused(client.post(remove_url(scene, assignment), follow=True), role)
    assert Assignment.objects.filter(proposal__challenge=scene.challenge).count() == 2
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, scene):
    assert_sent_to_sign_in(client.get(url(scene)))
    assert_sent_to_sign_in(client.post(auto_url(scene)))
    assert_sent_to_sign_in(client.post(add_url(scene), {"proposal": scene.proposal.pk, "judge": scene.judges[1].pk}))
    assert_sent_to_sign_in(client.post(remove_url(scene, scene.review.assignment)))
    assert Assignment.objects.filter(proposal__challenge=scene.challenge).count() == 2
