"""Inviting a colleague by email, and accepting, refusing and withdrawing invitations."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Membership
from accounts.tokens import invitation_token
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.organisations import VerifiedEmailAddressFactory
from tests.pages import flashed, text


def accept_path(invitation: Invitation) -> str:
    return reverse("accounts:invitation_accept", args=[invitation_token(invitation)])


@pytest.fixture
def invitee(db):
    """Someone with an account whose address, ada@example.org, is verified."""
    return VerifiedEmailAddressFactory(user=UserFactory(email="ada@example.org", first_name="Ada")).user


@pytest.fixture
def invitation(organisation, owner):
    return InvitationFactory(organisation=organisation, email="ada@example.org", invited_by=owner)


# --- Inviting ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_organisation_can_send_only_so_many_invitations_an_hour(
    client, owner, organisation, settings, django_capture_on_commit_callbacks
):
    settings.INVITATIONS_PER_HOUR = 3
    client.force_login(owner)
    url = reverse("accounts:organisation_invite", args=[organisation.slug])
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            assert client.post(url, {"email": f"person{n}@example.org", "role": "member"}).status_code == 302
        response = client.post(url, {"email": "person3@example.org", "role": "member"})

    assert response.status_code == 200
    page = text(response)
    assert "Secret Squirrel Analytics Ltd has sent 3 invitations in the last hour, the most we allow." in page
    assert '<a href="#id_email">' in page  # the error is linked to the field
    assert 'value="person3@example.org"' in page  # and nothing typed is lost
    assert Invitation.objects.filter(organisation=organisation).count() == 3
    assert len(mail.outbox) == 3
    # Another organisation's owner is not held back by this one.
    other = OrganisationFactory(name="Kindred Futures CIC")
    MembershipFactory(organisation=other, user=owner, role=Membership.Role.OWNER)
    other_url = reverse("accounts:organisation_invite", args=[other.slug])
    assert client.post(other_url, {"email": "person3@example.org", "role": "member"}).status_code == 302


@pytest.mark.django_db
def test_an_invitation_emails_a_link_that_lets_the_invitee_join(
    client, owner, organisation, invitee, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:organisation_invite", args=[organisation.slug]),
            {"email": "Ada@Example.org", "role": "member"},
        )
    assert response.status_code == 302
    assert flashed(response) == ["We've sent the invitation to ada@example.org."]

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ada@example.org"]
    # Names the inviter chose stay out of the subject, where a spammer would want them.
    assert email.subject == "You have been invited to join an organisation on Urban Challenge"
    assert "Olu Owner (olu@squirrel.example) has invited you to join Secret Squirrel Analytics Ltd" in email.body
    assert email.reply_to == ["olu@squirrel.example"]
    assert "as a member" in email.body
    link = re.search(r"http://testserver/organisations/invitations/\S+/", email.body).group(0)
    html = email.alternatives[0][0]
    assert f'href="{link}"' in html

    client.force_login(invitee)
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert "Olu Owner has invited you to join Secret Squirrel Analytics Ltd as a member." in text(page)
    assert "Accept invitation" in text(page)

    response = client.post(urlsplit(link).path)
    assert response.url == reverse("accounts:organisation_detail", args=[organisation.slug])
    assert flashed(response)[-1] == "You've joined Secret Squirrel Analytics Ltd."
    membership = organisation.memberships.get(user=invitee)
    assert membership.role == Membership.Role.MEMBER
    invitation = Invitation.objects.get()
    assert (invitation.accepted_by, invitation.accepted_at is not None) == (invitee, True)


@pytest.mark.django_db
def test_inviting_the_same_person_again_re_sends_the_same_invitation(
    owner, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invitation_create(organisation=organisation, email="ada@example.org", role="member", by=owner)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.invitation_create(organisation=organisation, email="ADA@example.org", role="owner", by=owner)
    assert again.pk == first.pk
    assert Invitation.objects.count() == 1
    assert (again.sent_count, again.role) == (2, Membership.Role.OWNER)
    assert len(mail.outbox) == 2
    assert "as an owner" in mail.outbox[1].body


@pytest.mark.django_db
def test_the_owner_is_told_when_an_invitation_is_sent_again(client, owner, organisation, invitation):
    client.force_login(owner)
    response = client.post(
        reverse("accounts:organisation_invite", args=[organisation.slug]), {"email": invitation.email, "role": "member"}
    )
    assert flashed(response) == ["We've sent the invitation to ada@example.org again."]


@pytest.mark.django_db
def test_an_invitation_lasts_for_the_configured_number_of_days(owner, organisation, settings):
    settings.INVITATION_EXPIRY_DAYS = 3
    invitation = services.invitation_create(organisation=organisation, email="ada@example.org", role="member", by=owner)
    assert timedelta(days=3) - timedelta(minutes=1) < invitation.expires_at - timezone.now() <= timedelta(days=3)


@pytest.mark.django_db
def test_a_member_cannot_be_invited_again(client, owner, organisation, invitee):
    MembershipFactory(organisation=organisation, user=invitee)
    client.force_login(owner)
    response = client.post(
        reverse("accounts:organisation_invite", args=[organisation.slug]),
        {"email": "ADA@example.org", "role": "member"},
    )
    page = text(response)
    assert "<title>Error: Invite a colleague" in page
    assert '<a href="#id_email">ada@example.org is already a member of this organisation.</a>' in page
    assert 'value="ADA@example.org"' in page
    assert not Invitation.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_the_invitation_form_explains_what_is_missing(client, owner, organisation):
    client.force_login(owner)
    response = client.post(reverse("accounts:organisation_invite", args=[organisation.slug]), {"email": "not-an-email"})
    page = text(response)
    assert '<a href="#id_email">Enter an email address in the correct format, like name@example.com</a>' in page
    assert '<a href="#id_role">Select a role</a>' in page
    assert 'value="not-an-email"' in page


@pytest.mark.django_db
def test_only_owners_can_invite(organisation):
    member = MembershipFactory(organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.invitation_create(organisation=organisation, email="x@example.org", role="member", by=member.user)
    with pytest.raises(PermissionDenied):
        services.invitation_create(organisation=organisation, email="x@example.org", role="member", by=UserFactory())
    assert not Invitation.objects.exists()


# --- Accepting --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_accepting_an_owners_invitation_makes_an_owner(client, organisation, owner, invitee):
    invitation = InvitationFactory(organisation=organisation, email="ADA@EXAMPLE.ORG", role="owner", invited_by=owner)
    client.force_login(invitee)
    client.post(accept_path(invitation))
    assert organisation.memberships.get(user=invitee).role == Membership.Role.OWNER


@pytest.mark.django_db
def test_someone_signed_in_with_another_address_is_told_which_to_use(client, invitation):
    stranger = VerifiedEmailAddressFactory(user=UserFactory(email="bob@elsewhere.example")).user
    client.force_login(stranger)
    message = "This invitation was sent to a***@example.org. Sign in with that address to accept it."

    page = client.get(accept_path(invitation))
    assert page.status_code == 403
    assert message in text(page)
    assert "Accept invitation" not in text(page)

    response = client.post(accept_path(invitation))
    assert response.status_code == 403
    assert message in text(response)
    assert not Membership.objects.filter(user=stranger).exists()
    with pytest.raises(PermissionDenied, match=re.escape(message)):
        services.invitation_accept(invitation=invitation, user=stranger)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.django_db
def test_the_address_must_be_verified(client, invitation):
    unverified = UserFactory(email="ada@example.org")
    client.force_login(unverified)
    response = client.post(accept_path(invitation))
    assert response.status_code == 403
    assert "Confirm your email address a***@example.org before you accept this invitation." in text(response)
    assert not Membership.objects.filter(user=unverified).exists()


@pytest.mark.django_db
def test_accepting_twice_changes_nothing(client, organisation, invitation, invitee):
    first = services.invitation_accept(invitation=invitation, user=invitee)
    second = services.invitation_accept(invitation=invitation, user=invitee)
    assert first.pk == second.pk
    assert organisation.memberships.filter(user=invitee).count() == 1

    client.force_login(invitee)
    response = client.post(accept_path(invitation))
    assert response.url == reverse("accounts:organisation_detail", args=[organisation.slug])
    assert flashed(response) == ["You're already a member of Secret Squirrel Analytics Ltd."]
    assert organisation.memberships.filter(user=invitee).count() == 1


@pytest.mark.django_db
def test_a_used_link_does_not_undo_a_later_removal(client, organisation, owner, invitation, invitee):
    membership = services.invitation_accept(invitation=invitation, user=invitee)
    services.membership_remove(membership=membership, by=owner)
    client.force_login(invitee)
    response = client.post(accept_path(invitation))
    assert response.status_code == 410
    assert "This invitation has already been used." in text(response)
    assert not organisation.memberships.filter(user=invitee).exists()


@pytest.mark.django_db
def test_an_expired_invitation_gets_a_clear_page(client, invitation, invitee):
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    client.force_login(invitee)
    for method in ("get", "post"):
        response = getattr(client, method)(accept_path(invitation))
        assert response.status_code == 410
        assert "You cannot use this invitation" in text(response)
        assert "This invitation expired at" in text(response)
        assert "Ask Olu Owner to send a new one." in text(response)
    assert not Membership.objects.filter(user=invitee).exists()


@pytest.mark.django_db
def test_a_withdrawn_invitation_stops_working(client, owner, organisation, invitation, invitee):
    client.force_login(owner)
    url = reverse("accounts:invitation_revoke", args=[organisation.slug, invitation.pk])
    assert "Are you sure you want to withdraw the invitation to ada@example.org?" in text(client.get(url))
    response = client.post(url)
    assert flashed(response) == ["The invitation to ada@example.org has been withdrawn."]

    client.force_login(invitee)
    response = client.post(accept_path(invitation))
    assert response.status_code == 410
    assert "This invitation has been withdrawn." in text(response)
    assert not Membership.objects.filter(user=invitee).exists()


@pytest.mark.django_db
def test_an_invitation_someone_else_accepted_cannot_be_used_again(client, invitation, invitee):
    services.invitation_accept(invitation=invitation, user=invitee)
    other = VerifiedEmailAddressFactory(user=UserFactory(email="other@example.org")).user
    client.force_login(other)
    response = client.get(accept_path(invitation))
    assert response.status_code == 410
    assert not Membership.objects.filter(user=other).exists()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "MTIz" + token[token.index(":") :],
        lambda token: "not-a-token",
    ],
    ids=["signature changed", "id changed", "nonsense"],
)
@pytest.mark.django_db
def test_a_tampered_link_is_not_found_and_reveals_nothing(client, invitation, invitee, mangle):
    token = mangle(invitation_token(invitation))
    client.force_login(invitee)
    for method in ("get", "post"):
        response = getattr(client, method)(reverse("accounts:invitation_accept", args=[token]))
        assert response.status_code == 404
        assert "This invitation link is not valid" in text(response)
        assert "Secret Squirrel" not in text(response)
    assert not Membership.objects.filter(user=invitee).exists()


@pytest.mark.django_db
def test_a_link_for_a_deleted_invitation_is_not_found(client, invitation, invitee):
    path = accept_path(invitation)
    invitation.delete()
    client.force_login(invitee)
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_and_brought_back(client, invitation):
    path = accept_path(invitation)
    response = client.get(path)
    assert response.status_code == 302
    login, _, query = response.url.partition("?")
    assert login == reverse("account_login")
    assert query == "next=" + path.replace(":", "%3A")
    assert "Secret Squirrel" not in text(response)


# --- Withdrawing ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_withdrawing_is_for_owners_and_only_for_open_invitations(organisation, owner, invitation, invitee):
    member = MembershipFactory(organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(invitation=invitation, by=member.user)
    services.invitation_accept(invitation=invitation, user=invitee)
    with pytest.raises(ValidationError, match="already accepted"):
        services.invitation_revoke(invitation=invitation, by=owner)


@pytest.mark.django_db
def test_after_withdrawing_the_person_can_be_invited_afresh(owner, organisation, invitation):
    services.invitation_revoke(invitation=invitation, by=owner)
    fresh = services.invitation_create(organisation=organisation, email="ada@example.org", role="member", by=owner)
    assert fresh.pk != invitation.pk
    assert list(Invitation.objects.open()) == [fresh]
