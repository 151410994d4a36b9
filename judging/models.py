from django.conf import settings
from django.db import models
from django.db.models import F, Q


class PanelMember(models.Model):
    """A judge on one challenge's panel, with the themes they know best."""

    challenge = models.ForeignKey("challenges.ChallengePage", on_delete=models.CASCADE, related_name="panel")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_seats")
    expertise = models.ManyToManyField("challenges.Theme", blank=True, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["challenge", "judge"], name="judging_one_seat_per_judge")]

    def __str__(self) -> str:
        return f"{self.judge} on {self.challenge}"


class Conflict(models.Model):
    """A judge's declared conflict of interest with an organisation, or with one proposal."""

    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(
        "submissions.Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="conflicts"
    )
    reason = models.TextField()
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) ^ Q(proposal__isnull=False),
                name="judging_conflict_names_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.judge} conflicted with {self.organisation or self.proposal}"


class Assignment(models.Model):
    """One judge asked to review one proposal."""

    proposal = models.ForeignKey("submissions.Proposal", on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "judge"], name="judging_assign_once")]
        indexes = [models.Index(fields=["judge"])]

    def __str__(self) -> str:
        return f"{self.judge} reviews {self.proposal}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Review(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Review of {self.assignment}"


class Score(models.Model):
    """A judge's score on one criterion; the scale is copied from the rubric so the database can check it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion_id = models.CharField(max_length=64)
    weight = models.DecimalField(max_digits=5, decimal_places=2)
    scale_max = models.PositiveSmallIntegerField()
    value = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion_id"], name="judging_one_score_per_criterion"),
            models.CheckConstraint(condition=Q(value__lte=F("scale_max")), name="judging_score_within_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}/{self.scale_max}"
