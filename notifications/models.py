import uuid

from django.db import models
from django.utils import timezone


def new_key() -> str:
    return str(uuid.uuid4())


class Notification(models.Model):
    """One email in the outbox: rendered when the event happened, sent later by a Celery task.

    The row is the source of truth for whether the email went out. Its unique ``key`` is what makes
    sending idempotent: an event that is processed twice (a double click, a retried POST, a redelivered
    task) finds the existing row instead of emailing twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(
        max_length=255,
        unique=True,
        default=new_key,
        help_text="Idempotency key: one email per key, however often the event is processed.",
    )
    to_email = models.EmailField("to", max_length=254)
    reply_to = models.EmailField(blank=True)
    template = models.CharField(max_length=200, help_text="The template prefix the email was rendered from.")
    subject = models.CharField(max_length=255)
    body_text = models.TextField("plain text")
    body_html = models.TextField("HTML", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField("created", default=timezone.now)
    last_attempt_at = models.DateTimeField("last attempt", null=True, blank=True)
    sent_at = models.DateTimeField("sent", null=True, blank=True)
    last_error = models.TextField(blank=True)
    attachments = models.JSONField(
        default=list,
        blank=True,
        help_text="Files sent with the email, such as a calendar invitation: "
        '[{"filename", "mimetype", "content_base64"}], stored so a retry sends the same bytes.',
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="notifications_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="notifications_sent_has_sent_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email}"
