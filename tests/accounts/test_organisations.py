"""Organisations: the profile, who can see and change it, and the members."""

import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.models import Membership, Organisation, validate_companies_house_number
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory, UserFactory

VALID_PROFILE = {
    "name": "Brindle Data Co-operative",
    "companies_house_number": "",
    "size": "small",
    "sector": "social_enterprise",
    "region": "west_midlands",
    "website": "",
}


def text(response) -> str:
    return unescape(response.content.decode())


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def owner(db):
    return UserFactory(first_name="Olu", last_name="Owner")


@pytest.fixture
def organisation(owner):
    organisation = OrganisationFactory(name="Secret Squirrel Analytics Ltd")
    MembershipFactory(organisation=organisation, user=owner, role=Membership.Role.OWNER)
    return organisation


@pytest.fixture
def member(organisation):
    return MembershipFactory(organisation=organisation, user=UserFactory(first_name="Mo", last_name="Member"))


# --- Creating an organisation -----------------------------------------------------------------


@pytest.mark.django_db
def test_creating_an_organisation_makes_the_creator_its_owner(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("accounts:organisation_create"),
        {**VALID_PROFILE, "companies_house_number": "sc 123 456", "website": "brindle.example"},
    )

    organisation = Organisation.objects.get(name="Brindle Data Co-operative")
    assert response.status_code == 302
    assert response.url == reverse("accounts:organisation_detail", args=[organisation.slug])
    assert flashed(response) == ["Brindle Data Co-operative has been created. You are its owner."]
    assert organisation.companies_house_number == "SC123456"
    assert organisation.website == "https://brindle.example"
    assert organisation.memberships.get().user == owner
    assert organisation.memberships.get().role == Membership.Role.OWNER


@pytest.mark.django_db
def test_a_supplier_sent_from_start_a_proposal_goes_back_there_but_never_off_site(client, owner):
    client.force_login(owner)
    start = "/proposals/start/42/"
    back = client.post(f"{reverse('accounts:organisation_create')}?next={start}", VALID_PROFILE)
    away = client.post(f"{reverse('accounts:organisation_create')}?next=https://evil.example/", VALID_PROFILE)

    assert back.status_code == 302 and back.url == start
    assert away.status_code == 302 and away.url.startswith("/organisations/")


@pytest.mark.django_db
def test_an_organisation_without_a_companies_house_number_is_fine_and_several_can_have_none(owner):
    first = services.organisation_create(by=owner, **VALID_PROFILE)
    second = services.organisation_create(by=owner, **VALID_PROFILE)
    assert first.companies_house_number is None and second.companies_house_number is None
    assert first.slug != second.slug


@pytest.mark.django_db
def test_the_address_of_an_organisation_does_not_reveal_that_another_has_the_same_name(owner):
    slugs = {services.organisation_create(by=owner, **VALID_PROFILE).slug for _ in range(3)}
    assert len(slugs) == 3
    assert all(re.fullmatch(r"brindle-data-co-operative-[a-z0-9]{6}", slug) for slug in slugs)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01234567", "01234567"),
        ("SC123456", "SC123456"),
        ("sc123456", "SC123456"),
        (" NI 612 345 ", "NI612345"),
        ("OC301234", "OC301234"),
        ("so300123", "SO300123"),
        ("LP012345", "LP012345"),
        ("R0000123", "R0000123"),
        ("FC031234", "FC031234"),
        ("CE012345", "CE012345"),
        ("OE001234", "OE001234"),
    ],
)
@pytest.mark.django_db
def test_companies_house_numbers_in_every_real_format_are_accepted_and_normalised(client, owner, typed, stored):
    client.force_login(owner)
    client.post(reverse("accounts:organisation_create"), {**VALID_PROFILE, "companies_house_number": typed})
    assert Organisation.objects.get().companies_house_number == stored


@pytest.mark.parametrize(
    "typed",
    [
        "1234567",
        "123456789",
        "SC12345",
        "SC1234567",
        "XX123456",
        "S1234567",
        "12345SC6",
        "GB123456",
        "SC12345X",
        "٠١٢٣٤٥٦٧",
    ],
)
def test_companies_house_numbers_in_other_formats_are_refused(typed):
    value = "".join(typed.split()).upper()
    with pytest.raises(ValidationError) as refused:
        validate_companies_house_number(value)
    assert refused.value.messages == ["Enter a Companies House number in the correct format, like 01234567 or SC123456"]


@pytest.mark.django_db
def test_a_wrong_companies_house_number_is_explained_on_the_field_and_nothing_typed_is_lost(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("accounts:organisation_create"),
        {**VALID_PROFILE, "companies_house_number": "XX123456", "website": "https://brindle.example"},
    )
    page = text(response)

    assert response.status_code == 200
    assert not Organisation.objects.exists()
    assert "<title>Error: Create an organisation" in page
    message = "Enter a Companies House number in the correct format, like 01234567 or SC123456"
    assert f'<a href="#id_companies_house_number">{message}</a>' in page
    assert "govuk-form-group--error" in page
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in page
    assert 'value="Brindle Data Co-operative"' in page
    assert 'value="XX123456"' in page
    assert 'value="https://brindle.example"' in page
    assert 'value="social_enterprise" checked' in page
    assert 'value="small" checked' in page
    assert '<option value="west_midlands" selected>' in page


@pytest.mark.django_db
def test_every_missing_answer_is_reported_at_once(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("accounts:organisation_create"), {"name": "", "companies_house_number": "XX1", "website": "not a url"}
    )
    page = text(response)
    for field, message in [
        ("name", "Enter your organisation's name"),
        ("companies_house_number", "Enter a Companies House number in the correct format, like 01234567 or SC123456"),
        ("size", "Select your organisation's size"),
        ("sector", "Select your organisation's sector"),
        ("region", "Select the region where your organisation is based"),
        ("website", "Enter a website address in the correct format, like https://www.example.org"),
    ]:
        assert f'<a href="#id_{field}">{message}</a>' in page
    assert 'id="id_size"' in page and 'id="id_sector"' in page


@pytest.mark.django_db
def test_a_companies_house_number_can_be_registered_once(client, owner, organisation):
    organisation.companies_house_number = "SC123456"
    organisation.save()
    client.force_login(UserFactory())
    response = client.post(
        reverse("accounts:organisation_create"), {**VALID_PROFILE, "companies_house_number": "sc123456"}
    )
    assert "An organisation with this Companies House number is already registered" in text(response)
    assert organisation.name not in text(response)
    assert Organisation.objects.count() == 1


# --- Changing the profile ---------------------------------------------------------------------


@pytest.mark.django_db
def test_an_owner_changes_the_profile_and_the_address_stays_the_same(client, owner, organisation):
    slug = organisation.slug
    client.force_login(owner)
    response = client.post(
        reverse("accounts:organisation_edit", args=[slug]),
        {**VALID_PROFILE, "name": "Squirrel Analytics", "companies_house_number": "01234567"},
    )
    organisation.refresh_from_db()
    assert response.status_code == 302
    assert flashed(response) == ["Organisation details updated."]
    assert (organisation.name, organisation.slug, organisation.companies_house_number) == (
        "Squirrel Analytics",
        slug,
        "01234567",
    )


@pytest.mark.django_db
def test_the_edit_form_starts_with_the_current_details_and_keeps_a_rejected_change(client, owner, organisation):
    client.force_login(owner)
    url = reverse("accounts:organisation_edit", args=[organisation.slug])
    assert 'value="Secret Squirrel Analytics Ltd"' in text(client.get(url))

    page = text(client.post(url, {**VALID_PROFILE, "name": "Renamed", "website": "nope nope"}))
    assert 'value="Renamed"' in page
    assert '<span class="govuk-caption-l">Secret Squirrel Analytics Ltd</span>' in page
    organisation.refresh_from_db()
    assert organisation.name == "Secret Squirrel Analytics Ltd"


@pytest.mark.django_db
def test_a_plain_member_cannot_change_the_profile(client, organisation, member):
    client.force_login(member.user)
    url = reverse("accounts:organisation_edit", args=[organisation.slug])
    assert client.get(url).status_code == 403
    response = client.post(url, {**VALID_PROFILE, "name": "Hijacked"})
    assert response.status_code == 403
    assert "Only owners can do this" in text(response)
    organisation.refresh_from_db()
    assert organisation.name == "Secret Squirrel Analytics Ltd"
    with pytest.raises(PermissionDenied):
        services.organisation_update(organisation=organisation, by=member.user, **{**VALID_PROFILE, "name": "X"})


# --- The profile page and the list ------------------------------------------------------------


@pytest.mark.django_db
def test_the_profile_shows_the_members_and_owners_see_invitations_and_actions(client, owner, organisation, member):
    InvitationFactory(organisation=organisation, email="pending@example.org", invited_by=owner)
    client.force_login(owner)
    page = text(client.get(reverse("accounts:organisation_detail", args=[organisation.slug])))
    assert '<h1 class="govuk-heading-l">Secret Squirrel Analytics Ltd</h1>' in page
    assert "Mo Member" in page and "Olu Owner" in page
    assert "pending@example.org" in page
    assert reverse("accounts:organisation_invite", args=[organisation.slug]) in page
    assert reverse("accounts:membership_remove", args=[organisation.slug, member.pk]) in page

    client.force_login(member.user)
    page = text(client.get(reverse("accounts:organisation_detail", args=[organisation.slug])))
    assert "Mo Member" in page
    assert "pending@example.org" not in page
    assert reverse("accounts:organisation_invite", args=[organisation.slug]) not in page
    assert reverse("accounts:organisation_edit", args=[organisation.slug]) not in page


@pytest.mark.django_db
def test_the_list_shows_each_organisation_with_the_users_role(client, owner, organisation):
    other = OrganisationFactory(name="Another Place CIC")
    MembershipFactory(organisation=other, user=owner, role=Membership.Role.MEMBER)
    OrganisationFactory(name="Not Mine Ltd")
    client.force_login(owner)
    page = text(client.get(reverse("accounts:organisation_list")))
    assert page.index("Another Place CIC") < page.index("Secret Squirrel Analytics Ltd")
    assert re.search(r"Another Place CIC</a></th>\s*<td[^>]*>Member</td>", page)
    assert re.search(r"Secret Squirrel Analytics Ltd</a></th>\s*<td[^>]*>Owner</td>", page)
    assert "Not Mine Ltd" not in page
    assert reverse("accounts:organisation_create") in page


@pytest.mark.django_db
def test_someone_without_an_organisation_is_told_how_to_get_one(client):
    client.force_login(UserFactory())
    page = text(client.get(reverse("accounts:organisation_list")))
    assert "You do not belong to an organisation yet" in page


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_organisations(user, count):
    for _ in range(count):
        organisation = OrganisationFactory()
        MembershipFactory(organisation=organisation, user=user)
        MembershipFactory.create_batch(2, organisation=organisation)


@pytest.mark.django_db
def test_the_list_takes_the_same_number_of_queries_however_many_organisations(client, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    url = reverse("accounts:organisation_list")
    _add_organisations(user, 2)
    small_count = _count_queries(client, url)
    _add_organisations(user, 10)
    with django_assert_num_queries(small_count):
        response = client.get(url)
    assert len(response.context["organisations"]) == 12


@pytest.mark.django_db
def test_the_members_page_takes_the_same_number_of_queries_however_many_people(
    client, owner, organisation, django_assert_num_queries
):
    client.force_login(owner)
    url = reverse("accounts:organisation_detail", args=[organisation.slug])
    MembershipFactory.create_batch(2, organisation=organisation)
    InvitationFactory.create_batch(2, organisation=organisation, invited_by=owner)
    small_count = _count_queries(client, url)
    MembershipFactory.create_batch(15, organisation=organisation)
    InvitationFactory.create_batch(8, organisation=organisation, invited_by=owner)
    with django_assert_num_queries(small_count):
        response = client.get(url)
    assert len(response.context["members"]) == 18
    assert len(response.context["invitations"]) == 10


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
