from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from accounts.models import EmailInvitation


class PanelMember(models.Model):
    """A judge on one challenge's panel, with the themes they know best."""

    challenge = models.ForeignKey("challenges.ChallengePage", on_delete=models.CASCADE, related_name="panel")
    stage = models.ForeignKey("challenges.Stage", on_delete=models.CASCADE, related_name="panel")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_seats")
    expertise = models.ManyToManyField("challenges.Theme", blank=True, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stage", "judge"], name="judging_one_seat_per_judge_per_stage")]

    def __str__(self) -> str:
        return f"{self.judge} on {self.challenge}"


class PanelInvitation(EmailInvitation):
    """A manager's invitation for someone to judge one challenge, sent by email as a signed, expiring link.

    One open invitation per address and challenge: inviting again re-sends the same link with a fresh expiry.
    """

    challenge = models.ForeignKey("challenges.ChallengePage", on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey("challenges.Stage", on_delete=models.CASCADE, related_name="+")

    class Meta(EmailInvitation.Meta):
        constraints = [
            models.UniqueConstraint(
                "stage",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="judging_panel_invitation_one_open_per_email_stage",
                violation_error_message="This person already has an invitation to this panel.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to judge {self.challenge}"


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
    stage = models.ForeignKey("challenges.Stage", on_delete=models.PROTECT, related_name="assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    assigned_at = models.DateTimeField(auto_now_add=True)
    no_conflict_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the judge, shown only the title (and organisation), said they had none."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "stage", "judge"], name="judging_assign_once_a_stage")
        ]
        indexes = [models.Index(fields=["judge"]), models.Index(fields=["stage", "proposal"])]

    def __str__(self) -> str:
        return f"{self.judge} reviews {self.proposal}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Review(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    total = models.FloatField(
        null=True, blank=True, help_text="Weighted total out of 100, written when the review is submitted."
    )
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
    value = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty while the review is a draft.")
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion_id"], name="judging_one_score_per_criterion"),
            models.CheckConstraint(condition=Q(value__lte=F("scale_max")), name="judging_score_within_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}/{self.scale_max}"


class Outcome(models.TextChoices):
    WINNER = "winner", "Winner"
    HIGHLY_COMMENDED = "highly_commended", "Highly commended"
    NOT_SELECTED = "not_selected", "Not selected"


class Decision(models.Model):
    """The outcome a manager records for a proposal: feedback for the supplier and, for an award, a public
    rationale. Nothing reaches the supplier or the public until the winners are announced."""

    proposal = models.OneToOneField("submissions.Proposal", on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    feedback = models.TextField(help_text="Sent to the supplier when the winners are announced.")
    public_rationale = models.TextField(
        blank=True, help_text="Why this proposal won, shown publicly with the winners. Required for awards."
    )
    amount = models.DecimalField(
        "award (£)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The award in pounds. The confirmed awards of a challenge never exceed its funding.",
    )
    departure_reason = models.TextField(
        blank=True,
        help_text="Why this decision departs from the panel's ranking; kept in the audit log and published.",
    )
    uncertainty_reason = models.TextField(
        blank=True,
        help_text=(
            "Why the panel decided as it did where its ranking is uncertain (a close call, or a decision against "
            "most resamples of the panel); kept with the decision and in the audit log, never published."
        ),
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    recipient_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The organisation's name when the winners were announced: the name on the public record.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="not_selected") | ~Q(public_rationale=""),
                name="judging_award_has_public_rationale",
                violation_error_message="Give the public rationale for this award.",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0, outcome__in=["winner", "highly_commended"]),
                name="judging_only_awards_carry_money",
                violation_error_message="Only an award carries an amount, and never a negative one.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_outcome_display()}"


from .confidence import *  # noqa: E402,F403
from .due_diligence import *  # noqa: E402,F403
from .pitch import *  # noqa: E402,F403
from .standing import *  # noqa: E402,F403
