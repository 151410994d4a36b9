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
            models.Index(fields=["year", "date"], name="archive_entry_year_date"),
        ]
        verbose_name_plural = "archive entries"

    def __str__(self) -> str:
        return self.title


FACET_CELL_COLUMNS = (
    "theme",
    "theme_name",
    "kind",
    "sponsor_slug",
    "sponsor_name",
    "status",
    "status_label",
    "year",
    "pilot_status",
    "pilot_status_label",
)
"""What a facet cell counts entries by: a theme ("" for every entry) and the single-valued facets with their labels."""


class ArchiveFacetCell(models.Model):
    """How many entries share one combination of kind, sponsor, status, year and pilot status (with their labels):
    with ``theme`` "", every entry counts once, in its combination's cell; with a theme's slug, the entries having
    that theme. A search without words counts its total and facets from these few thousand rows, not from every
    entry.

    Kept exact by database triggers on ``ArchiveEntry`` (archive/facet_cells.py, migration 0005), in the same
    transaction as the write, whatever makes it: a sync, a bulk insert, a queryset ``update()`` or ``delete()``,
    a cascade. A cell whose entries are all gone stays, counting 0; searches skip it. Never written by code."""

    theme = models.CharField(max_length=100, blank=True)
    theme_name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=20)
    sponsor_slug = models.CharField(max_length=100)
    sponsor_name = models.CharField(max_length=255)
    status = models.CharField(max_length=30)
    status_label = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    pilot_status = models.CharField(max_length=20, blank=True)
    pilot_status_label = models.CharField(max_length=40, blank=True)
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=FACET_CELL_COLUMNS, name="archive_facet_cell_unique")]

    def __str__(self) -> str:
        return f"{self.theme or '*'} {self.kind} {self.sponsor_slug} {self.status} {self.year}: {self.entries}"


class SearchGeneration(models.Model):
    """One row whose ``value`` changes with every write to the archive's searchable rows, so a search's counts
    and ranked page, kept in the shared cache under it, are never served after a change (archive/generation.py).
    Database triggers change it in the writing statement's own transaction; a rolled-back write leaves it as it
    was, and each new value is random, so a value never returns with other rows behind it."""

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)
