"""Pitch slots: the times a pitch stage's shortlisted organisations present to the panel (issue 13).

A slot is a row, booked by pointing it at a proposal. The database keeps the rules that must hold however many
requests arrive at once: a proposal has at most one slot in a stage, a slot ends after it starts, and it says
where the pitch happens (a room, a video link, or both).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.formatting import format_moment, format_time

__all__ = ["Attendance", "PitchSlot"]


class Attendance(models.TextChoices):
    NOT_RECORDED = "not_recorded", "Not recorded yet"
    ATTENDED = "attended", "Attended"
    NO_SHOW = "no_show", "Did not attend"


class PitchSlot(models.Model):
    """One time in a pitch stage when one organisation presents; free while ``proposal`` is empty."""

    stage = models.ForeignKey("challenges.Stage", on_delete=models.CASCADE, related_name="pitch_slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True, help_text='For example: "Council House, Committee Room 2".')
    video_link = models.URLField(max_length=500, blank=True)
    proposal = models.ForeignKey(
        "submissions.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="pitch_slots"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    booked_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(
        default=0, help_text="How many times this booking changed: the calendar invitation's SEQUENCE."
    )
    attendance = models.CharField(max_length=20, choices=Attendance.choices, default=Attendance.NOT_RECORDED)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["stage", "starts_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "proposal"],
                condition=Q(proposal__isnull=False),
                name="judging_one_pitch_slot_per_proposal_per_stage",
                violation_error_message="This proposal already has a pitch slot in this stage.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="judging_pitch_slot_ends_after_it_starts",
                violation_error_message="A pitch slot must end after it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(location="") | ~Q(video_link=""),
                name="judging_pitch_slot_has_a_place",
                violation_error_message="Give a location or a video link.",
            ),
        ]

    def __str__(self) -> str:
        return f"Pitch slot {self.starts_at:%Y-%m-%d %H:%M} in {self.stage_id}"

    @property
    def label(self) -> str:
        """ "10am to 10:30am, Tuesday 4 May 2027, Council House, Committee Room 2" (or "by video")."""
        return f"{self.when}, {self.location or 'by video'}"

    @property
    def when(self) -> str:
        return f"{format_time(self.starts_at)} to {format_moment(self.ends_at)}"

    @property
    def is_free(self) -> bool:
        return self.proposal_id is None
