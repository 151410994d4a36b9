"""Reads for clarification questions, each in a fixed number of queries."""

from django.db.models import QuerySet
from wagtail.permission_policies.pages import PagePermissionPolicy

from challenges.models import ChallengePage

from .models import ClarificationQuestion


def challenges_user_can_publish(user) -> QuerySet[ChallengePage]:
    """Every challenge page the user may publish: all for a superuser, a sponsor's section for its managers."""
    return PagePermissionPolicy(ChallengePage).instances_user_has_permission_for(user, "publish")


def questions_for_manager(user) -> QuerySet[ClarificationQuestion]:
    """The questions a manager may answer: those about challenges they may publish."""
    questions = ClarificationQuestion.objects.select_related("challenge")
    if user.is_superuser and user.is_active:
        return questions
    return questions.filter(challenge__in=challenges_user_can_publish(user).values("pk"))


def questions_asked_by(user) -> QuerySet[ClarificationQuestion]:
    return ClarificationQuestion.objects.filter(asked_by=user).select_related("challenge").order_by("-asked_at", "-pk")
