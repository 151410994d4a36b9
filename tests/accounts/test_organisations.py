"""An organisation's profile: creating it, changing it, its page and the list of a person's organisations."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.models import Membership, Organisation, validate_companies_house_number
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.organisations import VALID_PROFILE
from tests.pages import flashed, text

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
