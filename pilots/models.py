"""After the award: the pilot a winner runs, its milestones with payments, the outcome measures agreed before it
starts, and the supplier's report at each milestone.

A pilot points at the award (``judging.Decision``). The money it may pay is the award's amount, copied when the
pilot is made; the payments approved so far sit beside it under a database CHECK, so no code path can approve
more than was awarded (``pilots.services.payments``).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q

from submissions.files import private_storage


class PilotStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    COMPLETE = "complete", "Complete"
    STOPPED = "stopped", "Stopped"


STATUS_COLOURS = {
    PilotStatus.NOT_STARTED: "grey",
    PilotStatus.ON_TRACK: "green",
    PilotStatus.AT_RISK: "orange",
    PilotStatus.COMPLETE: "blue",
    PilotStatus.STOPPED: "red",
}
NEEDS_REASON = (PilotStatus.AT_RISK, PilotStatus.COMPLETE, PilotStatus.STOPPED)
"""Statuses that say why: what puts the pilot at risk, how it ended, why it was stopped. Published."""
ENDED = (PilotStatus.COMPLETE, PilotStatus.STOPPED)
MAX_REMINDER_DAYS = 60


class PilotQuerySet(models.QuerySet):
    def with_award(self):
        return self.select_related("decision__proposal__organisation", "decision__proposal__challenge")

    def of_announced_challenges(self):
        return self.filter(decision__proposal__challenge__announced_at__isnull=False)

    def of_sponsor(self, sponsor_id: int):
        return self.filter(decision__proposal__challenge__sponsor_id=sponsor_id)

    def needing_attention(self, today):
        """Running pilots at risk, or with a milestone past its report date whose report the supplier has not sent."""
        overdue = Milestone.objects.filter(pilot=models.OuterRef("pk"), due_on__lt=today).exclude(
            report__status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
        )
        return self.exclude(status__in=ENDED).filter(Q(status=PilotStatus.AT_RISK) | Q(models.Exists(overdue)))


class Pilot(models.Model):
    """The pilot an award pays for: when it runs, what it delivers when (milestones), and how its success is
    measured (measures)."""

    decision = models.OneToOneField("judging.Decision", on_delete=models.PROTECT, related_name="pilot")
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date")
    status = models.CharField(max_length=20, choices=PilotStatus.choices, default=PilotStatus.NOT_STARTED)
    status_reason = models.TextField(
        "reason",
        blank=True,
        help_text="What puts the pilot at risk, how it ended, or why it was stopped. Published with the scorecard.",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    award_amount = models.DecimalField(
        "award (£)", max_digits=12, decimal_places=2, help_text="The award's amount when the pilot was set up."
    )
    payments_approved = models.DecimalField(
        "payments approved (£)", max_digits=12, decimal_places=2, default=0, editable=False
    )
    report_reminder_days = models.PositiveSmallIntegerField(
        "remind the supplier this many days before a report is due",
        default=7,
        validators=[MaxValueValidator(MAX_REMINDER_DAYS)],
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PilotQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="pilots_ends_after_it_starts",
                violation_error_message="The end date must be on or after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(payments_approved__gte=0, payments_approved__lte=F("award_amount")),
                name="pilots_payments_within_award",
                violation_error_message="The payments approved can never exceed the award.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=NEEDS_REASON) | ~Q(status_reason=""),
                name="pilots_status_has_reason",
                violation_error_message="Say why.",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Pilot of {self.decision.proposal}"

    @property
    def proposal(self):
        return self.decision.proposal

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]


class MilestoneQuerySet(models.QuerySet):
    def with_report(self):
        """Each milestone with ``report_status`` (None before a report exists) and ``accepted_summary`` (the
        report's public summary once accepted, else ""), without loading the report."""
        return self.annotate(
            report_status=F("report__status"),
            accepted_summary=models.Case(
                models.When(report__status="accepted", then=F("report__public_summary")),
                default=models.Value(""),
                output_field=models.TextField(),
            ),
        )


class Milestone(models.Model):
    """Something the pilot delivers by a date, the report that shows it, and the payment that follows when the
    manager accepts that report."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(max_length=120)
    due_on = models.DateField("report due", help_text="The date the supplier's report on this milestone is due.")
    payment = models.DecimalField("payment (£)", max_digits=12, decimal_places=2, default=0)
    deliverable = models.TextField(help_text="What the supplier delivers for this milestone.")
    payment_approved_at = models.DateTimeField(null=True, blank=True)
    payment_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(payment__gte=0),
                name="pilots_milestone_payment_not_negative",
                violation_error_message="A payment cannot be negative.",
            ),
            models.UniqueConstraint(
                fields=["pilot", "name"],
                name="pilots_milestone_name_once",
                violation_error_message="This pilot already has a milestone with that name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """An outcome measure agreed before the pilot starts: where it began, what the pilot aims for."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=160)
    unit = models.CharField(max_length=40, help_text="What is counted, e.g. “households” or “%”.")
    baseline = models.DecimalField(max_digits=14, decimal_places=2)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    higher_is_better = models.BooleanField(default=True)
    is_public = models.BooleanField("published on the scorecard", default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "name"],
                name="pilots_measure_name_once",
                violation_error_message="This pilot already has a measure with that name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    ACCEPTED = "accepted", "Accepted"


REPORT_COLOURS = {
    ReportStatus.DRAFT: "grey",
    ReportStatus.SUBMITTED: "light-blue",
    ReportStatus.CHANGES_REQUESTED: "orange",
    ReportStatus.ACCEPTED: "green",
}


class Report(models.Model):
    """The supplier's report on one milestone, as it stands: a draft they edit, or what they last submitted.
    Each submission is also kept as a ``ReportVersion``."""

    milestone = models.OneToOneField(Milestone, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    narrative = models.TextField(blank=True)
    risks = models.TextField(blank=True)
    public_summary = models.TextField(
        blank=True, help_text="The final report only: a summary of what the pilot achieved, published."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Report on {self.milestone}"

    @property
    def colour(self) -> str:
        return REPORT_COLOURS[self.status]


class MeasureValue(models.Model):
    """A report's value for one measure: where the measure stands at that milestone."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "measure"], name="pilots_one_value_per_measure")]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value}"


def evidence_path(instance: "ReportEvidence", filename: str) -> str:
    return f"pilot-reports/{instance.report_id}/{filename}"


class ReportEvidence(models.Model):
    """A file attached to a report, on private storage, downloaded only through a permission check."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, storage=private_storage, max_length=300)
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class ReportVersion(models.Model):
    """One submission of a report exactly as it was sent, and what the manager made of it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    narrative = models.TextField()
    risks = models.TextField(blank=True)
    public_summary = models.TextField(blank=True)
    values = models.JSONField(default=dict, help_text="Measure id → the value submitted, as a string.")
    evidence = models.JSONField(default=list, help_text="The files attached: name, size and SHA-256.")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    outcome = models.CharField(
        max_length=20,
        blank=True,
        choices=[(ReportStatus.ACCEPTED, "Accepted"), (ReportStatus.CHANGES_REQUESTED, "Changes requested")],
    )
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="pilots_report_version_once")]

    def __str__(self) -> str:
        return f"{self.report}, version {self.number}"
