import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from challenges.services import sponsor_grant_manager_access
from clarifications.models import ClarificationQuestion
from tests.factories import ChallengeIndexPageFactory, ChallengePageFactory, SponsorFactory, UserFactory


def with_two_factor(user):
    """Staff must have an authenticator app before the admin opens for them; give them one."""
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def challenge(demo_site):
    return demo_site.challenge


@pytest.fixture
def supplier(db):
    return UserFactory(email="asha@supplier.example", first_name="Asha", last_name="Okafor")


@pytest.fixture
def supplier_client(client, supplier):
    client.force_login(supplier)
    return client


@pytest.fixture
def council(listing):
    """A second sponsor, with its own section, challenge and manager."""
    sponsor = SponsorFactory(name="Brindleford City Council", slug="brindleford")
    section = ChallengeIndexPageFactory(parent=listing, title=sponsor.name, slug=sponsor.slug, sponsor=sponsor)
    challenge = ChallengePageFactory(parent=section, sponsor=sponsor, title="Warm homes", slug="warm-homes")
    manager = with_two_factor(UserFactory(email="manager@brindleford.example"))
    manager.groups.add(sponsor_grant_manager_access(sponsor=sponsor))
    return sponsor, challenge, manager


@pytest.fixture
def ask():
    def make(challenge, by, question="Can a consortium of two SMEs apply together?") -> ClarificationQuestion:
        return ClarificationQuestion.objects.create(challenge=challenge, asked_by=by, question=question)

    return make
