from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Invitation, Membership, Organisation

from .accounts import UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Supplier {n} Ltd")
    slug = factory.Sequence(lambda n: f"test-supplier-{n}")
    size = Organisation.Size.SMALL
    sector = Organisation.Sector.TECHNOLOGY
    region = Organisation.Region.WEST_MIDLANDS


class MembershipFactory(factory.django.DjangoModelFactory):
    """A plain member by default; pass ``role=Membership.Role.OWNER`` for an owner."""

    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation, sent once by an owner of the organisation, expiring in 14 days."""

    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Membership.Role.MEMBER
    invited_by = factory.LazyAttribute(
        lambda o: MembershipFactory(organisation=o.organisation, role=Membership.Role.OWNER).user
    )
    sent_count = 1
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class VerifiedEmailAddressFactory(factory.django.DjangoModelFactory):
    """The allauth record that proves a user controls their address, which accepting an invitation needs."""

    class Meta:
        model = EmailAddress

    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda o: o.user.email)
    verified = True
    primary = True


# What the organisation form accepts, as a person would type it.
VALID_PROFILE = {
    "name": "Brindle Data Co-operative",
    "companies_house_number": "",
    "size": "small",
    "sector": "social_enterprise",
    "region": "west_midlands",
    "website": "",
}


def make_organisation(*members, name: str = "Brumtech Ltd", owner=None) -> Organisation:
    organisation = Organisation.objects.create(
        name=name, slug=slugify(name), size="small", sector="technology", region="west_midlands"
    )
    if owner is not None:
        Membership.objects.create(organisation=organisation, user=owner, role="owner")
    for user in members:
        Membership.objects.create(organisation=organisation, user=user, role="member")
    return organisation
