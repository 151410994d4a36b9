"""The audit log: one append-only table of who did what to which proposal or challenge, and why."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Audit events are never edited.")

    def delete(self):
        raise PermissionDenied("Audit events are never deleted.")


class Event(models.Model):
    """Actor, verb, object, from → to, note and time. Rows are only ever added: updates and deletes refuse.

    ``challenge`` and ``proposal_id`` let staff read the log per challenge and per proposal; ``subject`` names
    the object in words as it stood at the time (a review, an assignment, a conflict), so the log still reads
    correctly after that object is gone. Deleting a challenge takes its events with it (the database cascade does
    not go through this model's guards). The proposal is named by its id, not a foreign key: the audit log sits
    below the apps that make proposals (config/layers.py), and a proposal's record outlives the proposal.
    """

    challenge = models.ForeignKey(
        "challenges.ChallengePage", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    proposal_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="The proposal it concerns, if any.")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    verb = models.CharField(max_length=40)
    subject = models.CharField(max_length=200, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["challenge", "created_at"]), models.Index(fields=["proposal_id", "created_at"])]

    def __str__(self) -> str:
        change = f" {self.from_status}→{self.to_status}" if self.from_status or self.to_status else ""
        return f"{self.verb}{change}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("Audit events are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit events are never deleted.")
