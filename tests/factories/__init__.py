from .accounts import UserFactory
from .challenges import ChallengeIndexPageFactory, ChallengePageFactory, SponsorFactory, ThemeFactory, rich_story
from .organisations import InvitationFactory, MembershipFactory, OrganisationFactory

__all__ = [
    "ChallengeIndexPageFactory",
    "ChallengePageFactory",
    "InvitationFactory",
    "MembershipFactory",
    "OrganisationFactory",
    "SponsorFactory",
    "ThemeFactory",
    "UserFactory",
    "rich_story",
]
