"""Reads for clarification questions, each in a fixed number of queries."""

from django.db.models import QuerySet

from challenges.selectors import challenges_user_can_manage

from .models import ClarificationQuestion

challenges_user_can_publish = challenges_user_can_manage


def questions_for_manager(user) -> QuerySet[ClarificationQuestion]:
    """The questions a manager may answer: those about challenges they may publish."""
    questions = ClarificationQuestion.objects.select_related("challenge")
    if user.is_superuser and user.is_active:
        return questions
    return questions.filter(challenge__in=challenges_user_can_publish(user).values("pk"))


def questions_asked_by(user) -> QuerySet[ClarificationQuestion]:
    return ClarificationQuestion.objects.filter(asked_by=user).select_related("challenge").order_by("-asked_at", "-pk")
