"""How fast the public archive searches at scale: N archive entries, a mix of queries, facets and sorts.

    DJANGO_SETTINGS_MODULE=config.settings.dev .venv/bin/python bench/archive_search.py --entries 100000

Times ``archive.search.search`` in-process (no HTTP) for a fixed list of realistic requests, each run
``--repeat`` times after one warm-up, and prints p50/p95/max per request and overall. It uses the backend the
settings choose (the database unless ELASTICSEARCH_URL is set). Without DATABASE_URL it works in a temporary
SQLite file; with DATABASE_URL it refuses a database that already has archive entries (use a throwaway one,
see bench/README.md).
"""

import argparse
import statistics
import time

from common import database, settle

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


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    options = arguments()
    with database(prefix="bench-archive-", refuse_if=("archive", "ArchiveEntry")) as vendor:
        from django.db import connection

        from archive.search import SearchRequest, get_backend, search
        from demo.scale_archive import add_archive_entries
        from home.models import HomePage

        started = time.perf_counter()
        add_archive_entries(parent=HomePage.objects.get(), count=options.entries, seed=options.seed)
        backend = get_backend()
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
