"""The panel page in the Wagtail admin: members and their workload, invitations, removal and every conflict."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from challenges.models import Theme
from judging.models import Assignment, PanelInvitation, PanelMember
from tests.factories import UserFactory
from tests.factories.judging import conflict, score
from tests.factories.submissions import make_proposal
from tests.judging.test_admin_screening import (
    ROLES,
    assert_refused,
    assert_sent_to_sign_in,
    refused_user,
    row_text,
)

pytestmark = pytest.mark.django_db


def url(scene) -> str:
    return reverse("judging_admin:panel", args=(scene.challenge.pk,))


def withdraw_url(scene, invitation) -> str:
    return reverse("judging_admin:panel_invitation_withdraw", args=(scene.challenge.pk, invitation.pk))


def remove_url(scene, member) -> str:
    return reverse("judging_admin:panel_remove", args=(scene.challenge.pk, member.pk))


def seat_of(scene, judge) -> PanelMember:
    return PanelMember.objects.get(challenge=scene.challenge, judge=judge)


@pytest.fixture
def invitation(scene):
    return PanelInvitation.objects.create(
        challenge=scene.challenge, stage=scene.challenge.first_stage, email="newjudge@panel.example", sent_count=1
    )


def test_the_panel_lists_judges_with_expertise_and_workload(manager_client, scene):
    seat_of(scene, scene.judges[0]).expertise.set(Theme.objects.filter(slug="homelessness"))
    score(scene.review, 4, 3)
    response = manager_client.get(url(scene))
    assert response.status_code == 200
    html = response.content.decode()
    assert "judge0@panel.example" in html
    assert "unassigned@panel.example" in html
    assert "elsewhere@panel.example" not in html
    assert Theme.objects.get(slug="homelessness").name in html
    judge = scene.judges[0]
    assert row_text(html, "judge0@panel.example") == (
        f"{judge.get_full_name()} judge0@panel.example Homelessness 1 1 Remove from panel : {judge.get_full_name()}"
    )
    assert "None declared" in html


def test_conflicts_of_the_panel_are_listed_with_what_and_why(manager_client, scene):
    conflict(scene.judges[1], proposal=scene.proposal, reason="My sister runs the pilot")
    elsewhere = make_proposal(scene.other_challenge)
    conflict(scene.other_judge, proposal=elsewhere, reason="Not this challenge's business")
    html = manager_client.get(url(scene)).content.decode()
    assert f"Organisation: {scene.proposal.organisation.name}" in html
    assert "I used to work there" in html
    assert f"Proposal: {scene.proposal.reference}" in html
    assert "My sister runs the pilot" in html
    assert "Not this challenge&#x27;s business" not in html
    assert elsewhere.reference not in html


def test_pending_invitations_show_when_they_expire(manager_client, scene, invitation):
    PanelInvitation.objects.create(
        challenge=scene.challenge,
        stage=scene.challenge.first_stage,
        email="late@panel.example",
        expires_at=timezone.now() - timedelta(days=1),
    )
    PanelInvitation.objects.create(
        challenge=scene.challenge,
        stage=scene.challenge.first_stage,
        email="gone@panel.example",
        revoked_at=timezone.now(),
    )
    html = manager_client.get(url(scene)).content.decode()
    assert "newjudge@panel.example" in html
    assert "late@panel.example" in html
    assert "Expired: invite again to send a new link" in html
    assert "gone@panel.example" not in html


def test_inviting_a_judge_emails_them_and_says_so(manager_client, scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url(scene), {"email": "Grace@Panel.example"})
    assert response.status_code == 302
    assert response.url == url(scene)
    assert PanelInvitation.objects.open().filter(challenge=scene.challenge, email="grace@panel.example").exists()
    assert [message.to for message in mail.outbox] == [["grace@panel.example"]]
    html = manager_client.get(response.url).content.decode()
    assert "Invitation sent to grace@panel.example." in html
    assert Event.objects.filter(verb="judge invited", subject="grace@panel.example", actor=scene.manager).exists()


def test_inviting_again_says_it_was_sent_again(manager_client, scene, invitation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url(scene), {"email": invitation.email})
    assert "Invitation sent again to newjudge@panel.example." in manager_client.get(response.url).content.decode()
    assert PanelInvitation.objects.filter(email=invitation.email).count() == 1


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "Enter the email address of the person to invite."),
        ("not-an-address", "Enter an email address in the correct format, like name@example.com."),
        ("judge0@panel.example", "judge0@panel.example is already on this panel."),
    ],
)
def test_a_bad_address_is_shown_on_the_field_and_kept(manager_client, scene, typed, error):
    response = manager_client.post(url(scene), {"email": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html
    assert 'id="id_email_error"' in html
    assert 'aria-describedby="id_email_error"' in html
    assert 'aria-invalid="true"' in html
    if typed:
        assert f'value="{typed}"' in html
    assert mail.outbox == []


def test_withdrawing_an_invitation_stops_it(manager_client, scene, invitation):
    response = manager_client.post(withdraw_url(scene, invitation))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    html = manager_client.get(response.url).content.decode()
    assert "Invitation to newjudge@panel.example withdrawn: the link no longer works." in html
    assert "No invitations are waiting for an answer." in html


def test_an_accepted_invitation_cannot_be_withdrawn(manager_client, scene, invitation):
    invitation.accepted_at = timezone.now()
    invitation.save()
    response = manager_client.post(withdraw_url(scene, invitation), follow=True)
    assert "newjudge@panel.example has already accepted this invitation." in response.content.decode()


def test_removing_a_judge_asks_first_then_removes_them(manager_client, scene):
    member = seat_of(scene, scene.judges[1])
    judge = scene.judges[1]
    confirm = manager_client.get(url(scene) + f"?remove={member.pk}").content.decode()
    assert f"Remove {judge} from the panel?" in html.unescape(confirm)  # a generated name may be O'Neill
    assert f'action="{remove_url(scene, member)}"' in confirm
    assert PanelMember.objects.filter(pk=member.pk).exists()

    response = manager_client.post(remove_url(scene, member))
    assert response.status_code == 302
    assert not PanelMember.objects.filter(pk=member.pk).exists()
    assert not Assignment.objects.filter(judge=judge).exists()
    page = html.unescape(manager_client.get(response.url).content.decode())
    assert f"{judge} removed from the panel." in page
    assert "judge1@panel.example" not in page


def test_a_seat_on_another_challenge_cannot_be_removed_from_here(manager_client, scene):
    theirs = PanelMember.objects.get(judge=scene.other_judge)
    assert manager_client.post(remove_url(scene, theirs)).status_code == 404
    assert PanelMember.objects.filter(pk=theirs.pk).exists()


def test_the_query_count_does_not_grow_with_the_panel(manager_client, scene):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(url(scene)).status_code == 200
        return len(captured)

    few = queries()
    for n in range(4):
        judge = UserFactory(email=f"more{n}@panel.example")
        PanelMember.objects.create(
            challenge=scene.challenge, stage=scene.challenge.first_stage, judge=judge
        ).expertise.set(Theme.objects.all()[:2])
        PanelInvitation.objects.create(
            challenge=scene.challenge, stage=scene.challenge.first_stage, email=f"invited{n}@panel.example"
        )
        conflict(judge, proposal=scene.other_proposal)
    assert queries() == few


@pytest.mark.parametrize("role", ROLES)
def test_everyone_but_the_challenges_managers_is_refused(client, scene, invitation, role):
    client.force_login(refused_user(scene, role))
    member = seat_of(scene, scene.judges[1])
    assert_refused(client.get(url(scene), follow=True), role, secrets=["I used to work there", invitation.email])
    assert_refused(client.post(url(scene), {"email": "mole@panel.example"}, follow=True), role)
    assert_refused(client.post(withdraw_url(scene, invitation), follow=True), role)
    assert_refused(client.post(remove_url(scene, member), follow=True), role)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert PanelMember.objects.filter(pk=member.pk).exists()
    assert not PanelInvitation.objects.filter(email="mole@panel.example").exists()
    assert mail.outbox == []


def test_anonymous_visitors_are_sent_to_sign_in(client, scene, invitation):
    member = seat_of(scene, scene.judges[1])
    assert_sent_to_sign_in(client.get(url(scene)))
    assert_sent_to_sign_in(client.post(url(scene), {"email": "mole@panel.example"}))
    assert_sent_to_sign_in(client.post(withdraw_url(scene, invitation)))
    assert_sent_to_sign_in(client.post(remove_url(scene, member)))
    assert PanelMember.objects.filter(pk=member.pk).exists()
