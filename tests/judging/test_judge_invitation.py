"""Accepting an invitation to judge: the link shows what it is for, signed-out visitors are sent to sign in or
sign up and brought back, only the invitee accepts, and a dead link says why."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from accounts.two_factor import JUDGES_GROUP_NAME
from judging.models import PanelInvitation, PanelMember
from judging.services.invitations import panel_invitation_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INVITEE = "grace@judges.example"


@pytest.fixture
def invitation(scene):
    return PanelInvitation.objects.create(
        challenge=scene.challenge, stage=scene.challenge.first_stage, email=INVITEE, invited_by=scene.manager
    )


def url(invitation) -> str:
    return reverse("judging:invitation_accept", args=[panel_invitation_token(invitation)])


def text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").main.get_text(" ", strip=True).split())


def seated(user, challenge) -> bool:
    return PanelMember.objects.filter(challenge=challenge, judge=user).exists()


def test_a_signed_out_visitor_sees_the_invitation_and_the_way_to_sign_in(client, scene, invitation):
    link = url(invitation)

    response = client.get(link)

    assert response.status_code == 200
    page = text(response)
    assert scene.challenge.title in page
    assert f"{scene.manager} has invited you" in page
    assert "Invitation expires" in page
    links = {
        a.get_text(strip=True): a["href"] for a in BeautifulSoup(response.content, "html.parser").main.find_all("a")
    }
    back = quote(link, safe="/")
    assert links["Sign in"] == f"{reverse('account_login')}?next={back}"
    assert links["Create an account"] == f"{reverse('account_signup')}?next={back}"
    assert "Accept invitation" not in page

    posted = client.post(url(invitation))
    assert posted.status_code == 302
    assert posted.url.startswith(reverse("account_login"))
    assert PanelInvitation.objects.get(pk=invitation.pk).accepted_at is None


def test_the_invitee_accepts_and_joins_the_panel(client, scene, invitation):
    user = UserFactory(verified=True, two_factor=True, email=INVITEE)
    client.force_login(user)
    assert "Accept invitation" in text(client.get(url(invitation)))

    response = client.post(url(invitation))

    assert response.status_code == 302
    assert response.url == reverse("judging:dashboard")
    assert seated(user, scene.challenge)
    assert user.groups.filter(name=JUDGES_GROUP_NAME).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    dashboard = client.get(response.url)
    assert f"You've joined the judging panel for {scene.challenge.title}." in text(dashboard)
    assert "No proposals have been assigned to you yet." in text(dashboard)

    again = client.get(url(invitation))
    assert again.status_code == 302
    assert again.url == reverse("judging:dashboard")


def test_a_new_judge_without_an_authenticator_is_sent_to_set_one_up(client, scene, invitation):
    user = UserFactory(verified=True, email=INVITEE)
    client.force_login(user)

    response = client.post(url(invitation), follow=False)
    assert seated(user, scene.challenge)

    assert client.get(response.url).url == reverse("mfa_activate_totp")


def test_someone_signed_in_with_another_address_is_told_why(client, scene, invitation):
    client.force_login(UserFactory(verified=True, email="someone.else@example.org"))

    for response in (client.get(url(invitation)), client.post(url(invitation))):
        assert response.status_code == 403
        page = text(response)
        assert "This invitation was sent to g***@judges.example. Sign in with that address to accept it." in page
        assert "You are signed in as someone.else@example.org." in page
        assert "Accept invitation" not in page
    assert (
        not PanelMember.objects.filter(challenge=scene.challenge)
        .exclude(judge__in=[*scene.judges, scene.conflicted_judge, scene.unassigned_judge])
        .exists()
    )


def test_an_unconfirmed_address_must_be_confirmed_first(client, scene, invitation):
    user = UserFactory(email=INVITEE)
    EmailAddress.objects.create(user=user, email=INVITEE, verified=False, primary=True)
    client.force_login(user)

    response = client.post(url(invitation))

    assert response.status_code == 403
    assert "Confirm your email address g***@judges.example before you accept this invitation." in text(response)
    assert not seated(user, scene.challenge)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, "This invitation expired at"),
        ({"revoked_at": timezone.now()}, "This invitation has been withdrawn."),
        ({"accepted_at": timezone.now()}, "This invitation has already been used."),
    ],
    ids=["expired", "revoked", "used"],
)
def test_a_dead_invitation_says_why(client, scene, invitation, change, message):
    PanelInvitation.objects.filter(pk=invitation.pk).update(**change)
    user = UserFactory(verified=True, two_factor=True, email=INVITEE)

    assert client.get(url(invitation)).status_code == 410
    client.force_login(user)
    for response in (client.get(url(invitation)), client.post(url(invitation))):
        assert response.status_code == 410
        assert message in text(response)
        assert "You cannot use this invitation" in text(response)
    assert not seated(user, scene.challenge)


def test_a_damaged_link_is_not_found(client, scene, invitation):
    client.force_login(UserFactory(verified=True, email=INVITEE))

    response = client.get(url(invitation)[:-4] + "abc/")

    assert response.status_code == 404
    assert "This invitation link is not valid." in text(response)
    assert scene.challenge.title not in text(response)
