"""Bulk-generated archive entries for benchmarks: 100,000 searchable rows in about a minute.

Each entry has a title, a 25-word summary and a 120-word body drawn mostly from an 8,000-word made-up
vocabulary with a 3 % sprinkle of real topic words, so a topic word matches a realistic share of entries
("homelessness" about 29 %, "digital skills" 3 %), rather than all of them or none.
"""

import random
from datetime import UTC, datetime, timedelta

from django.db import transaction
from wagtail.models import Page

from archive.models import ArchiveEntry
from archive.search import get_backend
from challenges.models import ChallengePage, Theme

from .scale import closed_challenge

BATCH = 5000
WORDS = [
    "homelessness",
    "housing",
    "eviction",
    "tenants",
    "rent",
    "data",
    "open",
    "transport",
    "buses",
    "journeys",
    "skills",
    "digital",
    "inclusion",
    "youth",
    "employment",
    "apprenticeships",
    "wellbeing",
    "loneliness",
    "older",
    "residents",
    "care",
    "air",
    "quality",
    "walking",
    "cycling",
    "energy",
    "retrofit",
    "warm",
    "homes",
    "flooding",
    "parks",
    "safety",
    "community",
    "libraries",
    "health",
    "prevention",
    "council",
    "city",
    "region",
]
SPONSORS = [
    ("west-midlands-ca", "West Midlands Combined Authority"),
    ("brindleford", "Brindleford City Council"),
    ("greater-manchester", "Greater Manchester Combined Authority"),
    ("leeds", "Leeds City Council"),
]
STATUSES = [
    ("open", "Open"),
    ("closed", "Closed"),
    ("judging", "Judging"),
    ("winners_announced", "Winners announced"),
    ("archived", "Archived"),
]
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "ly", "den", "mar", "sto", "pri", "gel", "bor"]


def _owner_challenge(parent: Page, now: datetime) -> ChallengePage:
    """The closed challenge every generated entry points at (an entry must belong to a challenge)."""
    return closed_challenge(
        parent,
        title="Benchmark archive challenge",
        slug="benchmark-archive",
        summary="Generated to own benchmark archive entries.",
        now=now,
    )


@transaction.atomic
def add_archive_entries(*, parent: Page, count: int, seed: int = 2027) -> int:
    """Bulk-insert ``count`` archive entries, then rebuild the search index so they can be found.

    ``bulk_create`` skips the signals that keep the index current, so the configured backend is rebuilt from
    every entry afterwards (for PostgreSQL full-text search that is a no-op: the vector is a stored column).
    Keys start ``scale:<challenge id>:`` so running again adds entries rather than colliding.
    """
    rng = random.Random(seed)
    themes = list(Theme.objects.all())
    now = datetime.now(UTC)
    challenge = _owner_challenge(parent, now)
    url = challenge.get_url() or "/"
    filler = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(8000)})

    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS) if rng.random() < 0.03 else rng.choice(filler) for _ in range(n))

    batch = []
    for number in range(count):
        kind = "winner" if number % 5 == 0 else "challenge"
        picked = rng.sample(themes, k=min(2, len(themes)))
        sponsor_slug, sponsor_name = rng.choice(SPONSORS)
        status, label = ("winner", "Winner") if kind == "winner" else rng.choice(STATUSES)
        date = now - timedelta(days=rng.randint(0, 3650))
        batch.append(
            ArchiveEntry(
                key=f"scale:{challenge.pk}:{number}",
                kind=kind,
                challenge=challenge,
                title=words(5).capitalize(),
                summary=words(25),
                body=words(120),
                url=f"{url}#entry-{number}",
                sponsor_slug=sponsor_slug,
                sponsor_name=sponsor_name,
                theme_slugs=[t.slug for t in picked],
                theme_names=[t.name for t in picked],
                year=date.year,
                date=date,
                status=status,
                status_label=label,
                organisation_name=f"Supplier {number}" if kind == "winner" else "",
                challenge_title=words(4),
                source_modified=date,
            )
        )
        if len(batch) >= BATCH:
            ArchiveEntry.objects.bulk_create(batch)
            batch = []
    ArchiveEntry.objects.bulk_create(batch)
    total = ArchiveEntry.objects.count()
    get_backend().rebuild(ArchiveEntry.objects.order_by("pk").iterator(), total=total, progress=lambda n: None)
    return count
