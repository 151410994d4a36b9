from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

MAX_QUESTION_LENGTH = 1000


class ClarificationQuestion(models.Model):
    """A supplier's question about an open challenge, and the challenge manager's reply.

    The asker is private: when the answer is published it goes on the challenge's FAQ as a new
    ``ChallengeFAQ``, worded by the manager and without the asker's name, so every supplier gets the same
    information. Deleting the asker's account keeps the question, without an asker.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        ANSWERED = "answered", "Answered"
        DECLINED = "declined", "Declined"

    challenge = models.ForeignKey(
        "challenges.ChallengePage", on_delete=models.CASCADE, related_name="clarification_questions"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clarification_questions",
    )
    question = models.TextField(
        "your question",
        validators=[
            MaxLengthValidator(
                MAX_QUESTION_LENGTH, message=f"Your question must be {MAX_QUESTION_LENGTH:,} characters or less"
            )
        ],
        error_messages={"blank": "Enter your question", "null": "Enter your question"},
    )
    answer = models.TextField(
        blank=True, help_text="The answer, or when the question is declined, the note sent to the asker."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    asked_at = models.DateTimeField("asked", default=timezone.now)
    answered_at = models.DateTimeField("replied", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_faq = models.ForeignKey(
        "challenges.ChallengeFAQ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The FAQ entry this answer was published as, if any.",
    )

    class Meta:
        ordering = ["-asked_at", "-pk"]
        indexes = [models.Index(fields=["challenge", "status"], name="clarif_challenge_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="new") | Q(answered_at__isnull=False),
                name="clarifications_reply_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.question if len(self.question) <= 80 else f"{self.question[:79]}…"
