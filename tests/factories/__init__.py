from .accounts import UserFactory
from .challenges import ChallengeIndexPageFactory, ChallengePageFactory, SponsorFactory, ThemeFactory, rich_story

__all__ = [
    "ChallengeIndexPageFactory",
    "ChallengePageFactory",
    "SponsorFactory",
    "ThemeFactory",
    "UserFactory",
    "rich_story",
]
