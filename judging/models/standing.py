"""The ranking's running figures, kept up to date as judges submit and managers reopen reviews.

``judging.services.standing`` writes these rows in the same transaction as whatever changed them (a review
submitted, reopened or deleted; a proposal entering or leaving a stage's ranking), so the results page and its
exports read one indexed table instead of working the ranking out from every review and score.
"""

from django.conf import settings
from django.db import models

__all__ = ["JudgeStanding", "ProposalStanding"]


class JudgeStanding(models.Model):
    """One judge's counted review totals in one stage: what normalisation divides by, and what the calibration
    chart draws. ``count``, ``total_sum`` and ``square_sum`` give the mean and the population variance the
    z-scores use; the chart's figures are worked out from the totals themselves."""

    stage = models.ForeignKey("challenges.Stage", on_delete=models.CASCADE, related_name="+")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField()
    total_sum = models.FloatField()
    square_sum = models.FloatField()
    mean = models.FloatField()
    median = models.FloatField()
    q1 = models.FloatField()
    q3 = models.FloatField()
    minimum = models.FloatField()
    maximum = models.FloatField()
    sd = models.FloatField(help_text="Population standard deviation of the totals, as the chart's table shows it.")
    dots = models.JSONField(default=list, help_text="The totals, lowest first, while few enough to draw as dots.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stage", "judge"], name="judging_one_standing_per_judge")]

    def __str__(self) -> str:
        return f"Judge {self.judge_id} in stage {self.stage_id}: {self.count} reviews"


class ProposalStanding(models.Model):
    """One proposal in one stage's ranking (every proposal the stage ranks has one, reviewed or not), with the
    sums its line of the ranking is worked out from and its criterion means (criterion id to mean value)."""

    stage = models.ForeignKey("challenges.Stage", on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey("submissions.Proposal", on_delete=models.CASCADE, related_name="standings")
    review_count = models.PositiveIntegerField(default=0)
    total_sum = models.FloatField(null=True, blank=True)
    z_sum = models.FloatField(null=True, blank=True)
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    raw_mean = models.FloatField(null=True, blank=True, help_text="total_sum / review_count, rounded as shown.")
    normalised = models.FloatField(null=True, blank=True, help_text="z_sum / review_count, rounded as shown.")
    spread = models.FloatField(null=True, blank=True, help_text="high - low, rounded as shown.")
    criterion_means = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stage", "proposal"], name="judging_one_standing_per_proposal")]

    def __str__(self) -> str:
        return f"Proposal {self.proposal_id} in stage {self.stage_id}"
