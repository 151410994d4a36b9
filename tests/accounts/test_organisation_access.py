"""Who may see and change an organisation, and its people: outsiders, anonymous visitors and plain members are
refused; owners remove people; anyone may leave, never the last owner."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import Membership, Organisation
from tests.factories import InvitationFactory, MembershipFactory, UserFactory
from tests.factories.organisations import VALID_PROFILE
from tests.pages import flashed, text

# --- Who can see what -------------------------------------------------------------------------


def _urls(organisation, member, invitation) -> list[str]:
    slug = organisation.slug
    return [
        reverse("accounts:organisation_detail", args=[slug]),
        reverse("accounts:organisation_edit", args=[slug]),
        reverse("accounts:organisation_invite", args=[slug]),
        reverse("accounts:invitation_revoke", args=[slug, invitation.pk]),
        reverse("accounts:membership_remove", args=[slug, member.pk]),
        reverse("accounts:membership_leave", args=[slug]),
    ]


@pytest.fixture
def outsiders(db):
    """A member of another organisation and a signed-in person who belongs to none."""
    elsewhere = MembershipFactory(role=Membership.Role.OWNER)
    return {"member of another organisation": elsewhere.user, "member of no organisation": UserFactory()}


@pytest.mark.parametrize("who", ["member of another organisation", "member of no organisation"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.django_db
def test_outsiders_get_not_found_and_never_see_the_organisations_name(
    client, organisation, member, owner, outsiders, who, method
):
    invitation = InvitationFactory(organisation=organisation, invited_by=owner)
    client.force_login(outsiders[who])
    read_only = reverse("accounts:organisation_detail", args=[organisation.slug])
    for url in _urls(organisation, member, invitation):
        response = getattr(client, method)(url, {**VALID_PROFILE, "email": "x@example.org", "role": "owner"})
        assert response.status_code == (405 if method == "post" and url == read_only else 404), url
        assert "Secret Squirrel" not in text(response), url
    assert Membership.objects.filter(organisation=organisation).count() == 2
    organisation.refresh_from_db()
    assert organisation.name == "Secret Squirrel Analytics Ltd"


@pytest.mark.django_db
def test_a_made_up_address_looks_the_same_as_someone_elses_organisation(client, organisation, outsiders):
    client.force_login(outsiders["member of no organisation"])
    real = client.get(reverse("accounts:organisation_detail", args=[organisation.slug]))
    made_up = client.get(reverse("accounts:organisation_detail", args=["no-such-organisation-abc123"]))
    assert real.status_code == made_up.status_code == 404
    assert text(real) == text(made_up)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, organisation, member, owner, method):
    invitation = InvitationFactory(organisation=organisation, invited_by=owner)
    urls = _urls(organisation, member, invitation) + [
        reverse("accounts:organisation_list"),
        reverse("accounts:organisation_create"),
    ]
    for url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login") + "?next="), url
        assert "Secret Squirrel" not in text(response)


@pytest.mark.django_db
def test_plain_members_cannot_use_the_owners_actions(client, organisation, member, owner):
    invitation = InvitationFactory(organisation=organisation, invited_by=owner)
    owner_membership = organisation.memberships.get(user=owner)
    client.force_login(member.user)
    slug = organisation.slug
    for url in [
        reverse("accounts:organisation_edit", args=[slug]),
        reverse("accounts:organisation_invite", args=[slug]),
        reverse("accounts:invitation_revoke", args=[slug, invitation.pk]),
        reverse("accounts:membership_remove", args=[slug, owner_membership.pk]),
    ]:
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"email": "x@example.org", "role": "owner"})
            assert response.status_code == 403, url
            assert "Only owners can do this" in text(response)
    assert Membership.objects.filter(organisation=organisation).count() == 2
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.django_db
def test_a_member_of_one_organisation_cannot_remove_people_from_another(client, organisation, member):
    elsewhere = MembershipFactory(role=Membership.Role.OWNER)
    client.force_login(elsewhere.user)
    url = reverse("accounts:membership_remove", args=[elsewhere.organisation.slug, member.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=member.pk).exists()


# --- Removing people and leaving --------------------------------------------------------------


@pytest.mark.django_db
def test_an_owner_removes_a_member_after_confirming(client, owner, organisation, member):
    client.force_login(owner)
    url = reverse("accounts:membership_remove", args=[organisation.slug, member.pk])
    page = text(client.get(url))
    assert "Are you sure you want to remove Mo Member?" in page
    assert Membership.objects.filter(pk=member.pk).exists()

    response = client.post(url)
    assert response.status_code == 302
    assert flashed(response) == ["Mo Member has been removed from Secret Squirrel Analytics Ltd."]
    assert not Membership.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_the_last_owner_cannot_be_removed(client, owner, organisation, member):
    owner_membership = organisation.memberships.get(user=owner)
    with pytest.raises(ValidationError) as refused:
        services.membership_remove(membership=owner_membership, by=owner)
    assert "they are the only owner" in refused.value.messages[0]

    client.force_login(owner)
    response = client.post(reverse("accounts:membership_remove", args=[organisation.slug, owner_membership.pk]))
    page = text(response)
    assert "<title>Error: " in page
    assert "You cannot remove Olu Owner because they are the only owner." in page
    assert Membership.objects.filter(pk=owner_membership.pk).exists()


@pytest.mark.django_db
def test_an_owner_can_be_removed_while_another_owner_remains(owner, organisation):
    second = MembershipFactory(organisation=organisation, role=Membership.Role.OWNER)
    services.membership_remove(membership=organisation.memberships.get(user=owner), by=second.user)
    assert list(organisation.memberships.values_list("user", flat=True)) == [second.user.pk]


@pytest.mark.django_db
def test_a_member_leaves(client, organisation, member):
    client.force_login(member.user)
    url = reverse("accounts:membership_leave", args=[organisation.slug])
    assert "Are you sure you want to leave Secret Squirrel Analytics Ltd?" in text(client.get(url))
    response = client.post(url)
    assert response.url == reverse("accounts:organisation_list")
    assert flashed(response) == ["You have left Secret Squirrel Analytics Ltd."]
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert client.get(reverse("accounts:organisation_detail", args=[organisation.slug])).status_code == 404


@pytest.mark.django_db
def test_the_last_owner_cannot_leave(client, owner, organisation, member):
    client.force_login(owner)
    page = text(client.get(reverse("accounts:organisation_detail", args=[organisation.slug])))
    assert "You are the only owner, so you cannot leave Secret Squirrel Analytics Ltd." in page
    response = client.post(reverse("accounts:membership_leave", args=[organisation.slug]))
    assert "You are the only owner of Secret Squirrel Analytics Ltd." in text(response)
    assert organisation.memberships.filter(user=owner).exists()


@pytest.mark.django_db
def test_a_user_may_belong_to_several_organisations_but_only_once_to_each(owner, organisation):
    other = services.organisation_create(by=owner, **VALID_PROFILE)
    assert {o.pk for o in Organisation.objects.filter(memberships__user=owner)} == {organisation.pk, other.pk}
    with pytest.raises(ValidationError):
        Membership(organisation=organisation, user=owner).full_clean()
