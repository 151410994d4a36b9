"""What the accounts tests share: an organisation with its owner and a plain member."""

import pytest

from accounts.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def owner(db):
    return UserFactory(first_name="Olu", last_name="Owner", email="olu@squirrel.example")


@pytest.fixture
def organisation(owner):
    organisation = OrganisationFactory(name="Secret Squirrel Analytics Ltd")
    MembershipFactory(organisation=organisation, user=owner, role=Membership.Role.OWNER)
    return organisation


@pytest.fixture
def member(organisation):
    return MembershipFactory(organisation=organisation, user=UserFactory(first_name="Mo", last_name="Member"))
