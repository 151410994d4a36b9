"""How far a stage's ranking can be trusted: the panel's agreement, each proposal's chance of a place, and each
judge's calibration, as last worked out in the background (``judging.services.confidence``).

The figures take seconds to work out at scale, so they are stored with the moment they were computed and the
request they answer: the results page reads them and says how old they are, and never waits for new ones.
"""

from django.db import models

__all__ = ["ProposalConfidence", "StageConfidence"]


class StageConfidence(models.Model):
    """One stage's panel-level figures. ``requested`` counts the changes asked for (each review submitted,
    reopened or moved); ``computed_for`` is the request the stored figures answer, so the page can tell when
    newer reviews are still being taken into account."""

    stage = models.OneToOneField("challenges.Stage", on_delete=models.CASCADE, related_name="+")
    requested = models.PositiveBigIntegerField(default=0)
    requested_at = models.DateTimeField(null=True, blank=True, help_text="When the latest request was made.")
    computed_for = models.PositiveBigIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    places = models.PositiveSmallIntegerField(default=0, help_text="The N of 'top N' the chances were worked for.")
    draws = models.PositiveIntegerField(default=0)
    seed = models.BigIntegerField(default=0)
    judges = models.PositiveIntegerField(default=0, help_text="Judges with at least one counted review.")
    reviews = models.PositiveIntegerField(default=0, help_text="Counted reviews: submitted, with a total.")
    ranked = models.PositiveIntegerField(default=0, help_text="Proposals with at least one counted review.")
    alpha = models.FloatField(null=True, blank=True, help_text="Krippendorff's alpha (interval) of review totals.")
    criteria = models.JSONField(
        default=list, help_text="Per rubric criterion: id, name and alpha (null where it cannot be worked out)."
    )
    close_calls = models.PositiveIntegerField(default=0)
    calibration = models.JSONField(
        default=list,
        help_text=(
            "Per judge: judge id, reviews, spread, share of scores at the scale's ends, correlation with the rest "
            "of the panel and why they stand out. For the challenge's managers only."
        ),
    )

    def __str__(self) -> str:
        return f"Confidence in stage {self.stage_id}"

    @property
    def computed(self) -> bool:
        return self.computed_at is not None

    @property
    def out_of_date(self) -> bool:
        """Reviews have changed since the stored figures were worked out (new ones are on their way)."""
        return self.computed_for is None or self.computed_for < self.requested


class ProposalConfidence(models.Model):
    """One ranked proposal's chance of a place (``chance``, 0 to 1, of landing in the top ``places`` when the
    panel's reviews are resampled), the interval of its normalised score over the resamples, and whether its
    place is a close call."""

    stage = models.ForeignKey("challenges.Stage", on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey("submissions.Proposal", on_delete=models.CASCADE, related_name="+")
    chance = models.FloatField()
    low = models.FloatField(help_text="Normalised score: the lower end of the interval over the resamples.")
    high = models.FloatField(help_text="Normalised score: the upper end of the interval over the resamples.")
    close_call = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stage", "proposal"], name="judging_one_confidence_per_proposal"),
            models.CheckConstraint(condition=models.Q(chance__gte=0, chance__lte=1), name="judging_chance_0_to_1"),
        ]
        indexes = [models.Index(fields=["stage", "close_call"], name="judging_confidence_close")]

    def __str__(self) -> str:
        return f"Proposal {self.proposal_id} in stage {self.stage_id}: {self.chance:.0%}"
