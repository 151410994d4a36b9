"""The archive entry: one denormalised, public-only row per challenge and per published winner.

The rows are the archive's source of truth. The database search backend searches them directly; the
Elasticsearch backend indexes copies of them. Only what the public may read is ever written here: live,
public challenges, and winning or highly commended proposals of announced challenges whose suppliers
consented to publication. No draft, score, judge or unconsented summary.
"""

from django.db import models


class EntryKind(models.TextChoices):
    CHALLENGE = "challenge", "Challenge"
    WINNER = "winner", "Winner"


class ArchiveEntry(models.Model):
    key = models.CharField(max_length=40, unique=True, help_text="challenge:<page id> or proposal:<proposal id>.")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    challenge = models.ForeignKey("challenges.ChallengePage", on_delete=models.CASCADE, related_name="+")
    proposal = models.OneToOneField(
        "submissions.Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="archive_entry"
    )
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Further searchable text: problem statement, or the rationale.")
    url = models.CharField(max_length=300)
    sponsor_slug = models.SlugField(max_length=100)
    sponsor_name = models.CharField(max_length=255)
    theme_slugs = models.JSONField(default=list)
    theme_names = models.JSONField(default=list)
    themes = models.ManyToManyField("challenges.Theme", related_name="+", blank=True)
    year = models.PositiveSmallIntegerField(help_text="The year the challenge closed (challenges) or was announced.")
    date = models.DateTimeField(help_text="Sorts 'newest': when the challenge opened, or the winners were announced.")
    status = models.CharField(
        max_length=30, help_text="The challenge's lifecycle status (challenges) or the award (winners)."
    )
    status_label = models.CharField(max_length=60)
    organisation_name = models.CharField(max_length=255, blank=True)
    challenge_title = models.CharField(max_length=255)
    funding = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    pilot_status = models.CharField(
        max_length=20, blank=True, help_text="A winner's pilot status (pilots.PilotStatus); empty without a pilot."
    )
    pilot_status_label = models.CharField(max_length=40, blank=True)
    source_modified = models.DateTimeField(help_text="When the source last changed; the reconcile task compares it.")
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "pk"]
        indexes = [
            models.Index(fields=["kind", "-date"]),
            models.Index(fields=["year"]),
            models.Index(fields=["status"]),
            models.Index(fields=["sponsor_slug"]),
            models.Index(fields=["pilot_status"]),
            models.Index(fields=["date"], name="archive_arc_date_idx"),
        ]
        verbose_name_plural = "archive entries"

    def __str__(self) -> str:
        return self.title
