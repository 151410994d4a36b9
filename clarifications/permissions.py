"""Who may ask and who may answer clarification questions. Each returns ``(allowed, reason)``; views check one.

Answering follows Wagtail's page permissions: whoever may publish a challenge page may answer questions
about it (and so publish the answer on it). A sponsor's managers hold publish permission only on their own
sponsor's section, so they never see or answer another sponsor's questions.
"""

from django.utils import timezone

from challenges.models import ChallengePage

from .models import ClarificationQuestion
from .selectors import challenges_user_can_publish

QUESTIONS_CLOSED = "This challenge is not open, so it is not taking questions."


def is_taking_questions(challenge: ChallengePage) -> bool:
    """Questions follow the same rule as proposals: live and open by the server's clock."""
    return challenge.is_accepting_proposals(now=timezone.now())


def can_ask(user, challenge: ChallengePage) -> tuple[bool, str]:
    if not user.is_authenticated:
        return False, "Sign in to ask a question about this challenge."
    if not is_taking_questions(challenge):
        return False, QUESTIONS_CLOSED
    return True, ""


def can_review_questions(user) -> tuple[bool, str]:
    """Whether the user has any questions to answer at all: the admin menu item and the list."""
    if not user.is_authenticated or not user.is_active:
        return False, "Sign in to answer questions."
    if user.is_superuser:
        return True, ""
    if challenges_user_can_publish(user).exists():
        return True, ""
    return False, "Only a challenge's managers can answer questions about it."


def can_answer(user, clarification: ClarificationQuestion) -> tuple[bool, str]:
    if not user.is_authenticated or not user.is_active:
        return False, "Sign in to answer questions."
    if user.is_superuser or clarification.challenge.permissions_for_user(user).can_publish():
        return True, ""
    return False, "Only this challenge's managers can answer questions about it."
