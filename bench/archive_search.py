"""How fast the public archive searches at scale: N archive entries, a mix of queries, facets and sorts.

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/archive_search.py --entries 100000

Times ``archive.search.search`` in-process (no HTTP) for a fixed list of realistic requests, each run
``--repeat`` times after one warm-up, and prints p50/p95/max per request and overall. It uses the backend the
settings choose (the database unless ELASTICSEARCH_URL is set). Without DATABASE_URL it works in a temporary
SQLite file; with DATABASE_URL it refuses a database that already has archive entries (use a throwaway one,
see bench/README.md).
"""

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from common import BATCH, database, settle

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
REQUESTS = [
    ("blank, newest", {"sort": "newest"}),
    ("homelessness", {"q": "homelessness"}),
    ("two words", {"q": "digital skills"}),
    ("phrase-like", {"q": "warm homes retrofit"}),
    ("rare word", {"q": "libraries"}),
    ("word + theme + year", {"q": "housing", "filters": {"theme": ("housing",), "year": ("2024",)}}),
    ("winners only", {"q": "transport", "filters": {"kind": ("winner",)}}),
    ("sponsor, oldest", {"filters": {"sponsor": ("leeds",)}, "sort": "oldest"}),
    ("deep page", {"q": "data", "page": 40}),
]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2027)
    return parser.parse_args()


def make_entries(count: int, seed: int) -> None:
    from archive.models import ArchiveEntry
    from challenges.models import ChallengePage, Sponsor, Theme
    from home.models import HomePage

    rng = random.Random(seed)
    themes = list(Theme.objects.all())
    sponsor = Sponsor.objects.create(name="Benchmark Combined Authority", slug="benchmark-ca")
    now = datetime.now(UTC)
    challenge = ChallengePage(
        title="Benchmark challenge",
        slug="benchmark-archive",
        summary="Generated.",
        sponsor=sponsor,
        problem_statement=[],
        what_we_seek="<p>x</p>",
        eligibility="<p>x</p>",
        funding_available=0,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
    )
    HomePage.objects.get().add_child(instance=challenge)

    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "ly", "den", "mar", "sto", "pri", "gel", "bor"]
    filler = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(8000)})

    def words(n: int) -> str:
        """Mostly filler from a large vocabulary, with a few topic words, as real text has."""
        return " ".join(rng.choice(WORDS) if rng.random() < 0.03 else rng.choice(filler) for _ in range(n))

    batch = []
    for number in range(count):
        kind = "winner" if number % 5 == 0 else "challenge"
        picked = rng.sample(themes, k=2)
        sponsor_slug, sponsor_name = rng.choice(SPONSORS)
        status, label = ("winner", "Winner") if kind == "winner" else rng.choice(STATUSES)
        date = now - timedelta(days=rng.randint(0, 3650))
        batch.append(
            ArchiveEntry(
                key=f"bench:{number}",
                kind=kind,
                challenge=challenge,
                title=words(5).capitalize(),
                summary=words(25),
                body=words(120),
                url=f"/bench/{number}/",
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


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    options = arguments()
    with database(prefix="bench-archive-", refuse_if=("archive", "ArchiveEntry")) as vendor:
        from django.db import connection, transaction

        from archive.models import ArchiveEntry
        from archive.search import SearchRequest, get_backend, search

        started = time.perf_counter()
        with transaction.atomic():
            make_entries(options.entries, options.seed)
        backend = get_backend()
        backend.rebuild(ArchiveEntry.objects.order_by("pk").iterator(), total=options.entries, progress=lambda n: None)
        settle(connection)
        built = time.perf_counter() - started

        everything, rows = [], []
        for name, fields in REQUESTS:
            request = SearchRequest(**fields)
            result = search(request)
            timings = []
            for _ in range(options.repeat):
                started = time.perf_counter()
                search(request)
                timings.append((time.perf_counter() - started) * 1000)
            everything += timings
            rows.append((name, result.total, statistics.median(timings), percentile(timings, 0.95), max(timings)))

    print(f"archive search on {vendor} ({backend.name} backend), {options.entries} entries, built in {built:.0f} s")
    print(f"{'request':<22} {'hits':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, total, p50, p95, worst in rows:
        print(f"{name:<22} {total:>7} {p50:>8.1f} {p95:>8.1f} {worst:>8.1f}")
    print(
        f"{'all requests':<22} {'':>7} {statistics.median(everything):>8.1f} {percentile(everything, 0.95):>8.1f} "
        f"{max(everything):>8.1f}"
    )


if __name__ == "__main__":
    main()
