"""Times each public page in-process on one database: `make bench` runs it on the 10,000-challenge database and
on the 100-challenge one and compares (the issue's "cost at 10,000 challenges vs at 100, within 1.5x").

    .venv/bin/python bench/scaling.py --database-url postgres://.../bench_site --repeat 30

Django is set up with the bench settings (production settings, page cache off, persistent connection); each
page (bench/facts.py ``public_pages``) is requested with the Django test Client, ``--warmup`` times and then
``--repeat`` times; the wall times, their median and the number of queries one request made are printed as one
JSON line (prefixed SCALING-JSON) for bench/run.py to read. bench/run.py runs it in rounds, alternating the two
databases, so that a change in the machine's load during the run falls on both sizes alike.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    options = parser.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.bench",
        DATABASE_URL=options.database_url,
        DATABASE_CONN_MAX_AGE="600",
        PAGE_CACHE_SECONDS="0",
        BENCH_COUNT_QUERIES="1",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from bench.baseline import QUERIES_HEADER
    from bench.facts import public_pages

    client = Client(SERVER_NAME="127.0.0.1")
    results = {}
    for name, path in public_pages():
        response = client.get(path)
        if response.status_code != 200:
            results[name] = {"path": path, "status": response.status_code}
            continue
        for _ in range(options.warmup):
            client.get(path)
        timings = []
        for _ in range(options.repeat):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        results[name] = {
            "path": path,
            "status": 200,
            "median_ms": statistics.median(timings),
            "timings_ms": timings,
            "queries": int(response.get(QUERIES_HEADER, -1)),
        }
    print("SCALING-JSON " + json.dumps(results), flush=True)


if __name__ == "__main__":
    main()
