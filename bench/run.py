"""`make bench`: seed scaled data on PostgreSQL, serve the site under gunicorn, measure it with wrk, print one table.

    .venv/bin/python bench/run.py [--quick] [--skip-seed] [--database-url postgres://...]

Steps: (1) drop and recreate a throwaway database (only one this script made: it marks it with a comment),
migrate it and run ``seed_demo`` with the --scale options; (2) serve it with production settings
(``config.settings.bench``) under gunicorn with the page cache off and measure the baseline view, the home
page, the challenge listing, a challenge page, an archive search and the judges' ranking page; (3) serve it
again with the page cache on Redis and measure the anonymous pages, then prove from a response header written by
a bench-only middleware that cache hits make no database query; (4) print the table and write bench/results.md.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    MARKER,
    Row,
    database_comment,
    mark_database,
    recreate_database,
    results_markdown,
    table,
)
from bench.server import served  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
LUA = ROOT / "bench" / "wrk" / "report.lua"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_site"
CACHE_URL = "redis://127.0.0.1:6379/4"
FULL = {"challenges": 10000, "archive": 100000, "proposals": 10000}
QUICK = {"challenges": 200, "archive": 2000, "proposals": 200}
QUERIES_HEADER = "X-Bench-Queries"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="Throwaway database (dropped first).")
    parser.add_argument("--quick", action="store_true", help="Small data and short runs, to try the benchmark.")
    parser.add_argument("--skip-seed", action="store_true", help="Reuse a database an earlier run seeded.")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn sync workers.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
    parser.add_argument("--duration", type=int, help="Seconds per measurement (default 10; 3 with --quick).")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    options = parser.parse_args()
    options.scale = QUICK if options.quick else FULL
    options.duration = options.duration or (3 if options.quick else 10)
    options.warmup = 1 if options.quick else 3
    return options


def seed(url: str, scale: dict) -> float:
    """Migrate and seed with the development settings (background tasks run in-process); returns seconds."""
    started = time.perf_counter()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": "",
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }
    manage = [str(PYTHON), "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    counts = ["--scale", scale["challenges"], "--scale-archive", scale["archive"], "--scale-proposals"]
    subprocess.run(
        [*manage, "seed_demo", *map(str, counts), str(scale["proposals"])],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    mark_database(url, f"{MARKER}; seeded {json.dumps(scale)}")
    return time.perf_counter() - started


def prepare_database(options) -> float | None:
    if options.skip_seed:
        comment = database_comment(options.database_url)
        if not comment or not comment.startswith(f"{MARKER}; seeded"):
            sys.exit(f"--skip-seed needs a database an earlier bench run seeded; {options.database_url} is not one.")
        options.scale = json.loads(comment.split("seeded ", 1)[1])
        return None
    recreate_database(options.database_url)
    print(f"Seeding {options.database_url}: {options.scale} ...", flush=True)
    return seed(options.database_url, options.scale)


def site_facts(url: str) -> dict:
    """In-process, with the bench settings: the URLs to measure, a staff session and the in-process ranking time."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection

    from accounts.models import User
    from accounts.two_factor import has_two_factor
    from challenges.models import ChallengeIndexPage, ChallengePage
    from judging.selectors.ranking import challenge_ranking, ranking_order, with_criterion_means

    listing = ChallengeIndexPage.objects.live().filter(sponsor__isnull=True).order_by("path").first()
    challenge = (
        ChallengePage.objects.live()
        .open_for_proposals()
        .exclude(summary__startswith="A generated")
        .order_by("closes_at")
        .first()
    )
    judged = ChallengePage.objects.filter(slug__startswith="benchmark-judged").order_by("-pk").first()
    admin = User.objects.get(email="admin@urban-challenge.example")
    if not (admin.is_superuser and has_two_factor(admin)):
        sys.exit("The demo administrator must be a superuser with an authenticator app (seed_demo makes it so).")
    # The session django.contrib.auth.login would write; two-factor is satisfied as accounts/middleware.py checks
    # it: the account has a TOTP authenticator.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = admin._meta.pk.value_to_string(admin)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
    session.create()
    # What the results page computes (the order of every proposal, criterion means for the 50 rows shown), and
    # what the exports compute (criterion means for every proposal, so every score is read).
    timings, full_timings = [], []
    for _ in range(5):
        started = time.perf_counter()
        ranked = ranking_order(challenge=judged)
        with_criterion_means(challenge=judged, rows=ranked[:50])
        timings.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        challenge_ranking(challenge=judged)
        full_timings.append((time.perf_counter() - started) * 1000)
    connection.close()
    return {
        "listing": listing.url,
        "challenge": challenge.url,
        "ranking": f"/admin/judging/{judged.pk}/results/",
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "ranking_ms": statistics.median(timings),
        "ranking_best_ms": min(timings),
        "ranking_full_ms": statistics.median(full_timings),
        "ranked": len(ranked),
    }


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict]:
    """Status and headers of one GET, redirects not followed (a ranking page redirecting to sign-in is a failure)."""
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=120) as response:
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def wrk(url: str, *, seconds: int, connections: int, threads: int, headers: dict | None = None) -> dict:
    command = [WRK, f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    command += ["-s", str(LUA)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    line = next((line for line in result.stdout.splitlines() if line.startswith("WRK-JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{result.stdout}\n{result.stderr}")
    return json.loads(line.removeprefix("WRK-JSON "))


def measure(base: str, path: str, options, *, headers=None, connections=None) -> dict:
    """Check the page answers 200, warm it up, then measure it; adds the queries one request made."""
    status, answer = fetch(base + path, headers)
    if status != 200:
        sys.exit(f"{path} answered {status} (Location: {answer.get('Location', '-')}): not measuring a broken page.")
    connections = connections or options.connections
    wrk(base + path, seconds=options.warmup, connections=connections, threads=options.threads, headers=headers)
    figures = wrk(base + path, seconds=options.duration, connections=connections, threads=options.threads,
                  headers=headers)  # fmt: skip
    figures["queries"] = int(answer.get(QUERIES_HEADER, -1))
    print(f"  {path}: {figures['rps']:.0f} requests/s, p95 {figures['p95']:.1f} ms", flush=True)
    return figures


def cache_proof(url: str, requests: int) -> tuple[int, int]:
    """(cache hits, database queries those hits made) over ``requests`` anonymous GETs."""
    hits = queries = 0
    for _ in range(requests):
        _, headers = fetch(url)
        if headers.get("X-Page-Cache") == "hit":
            hits += 1
            queries += int(headers[QUERIES_HEADER])
    return hits, queries


def flush_page_cache() -> None:
    import redis

    redis.Redis.from_url(CACHE_URL).flushdb()


def main() -> None:
    options = arguments()
    if not Path(WRK).exists():
        sys.exit("wrk is not installed: apt-get install wrk")
    seeded_in = prepare_database(options)
    facts = site_facts(options.database_url)
    pages = [("home page", "/"), ("challenge listing", facts["listing"]), ("challenge page", facts["challenge"])]
    common_env = {"DATABASE_CONN_MAX_AGE": "600", "BENCH_COUNT_QUERIES": "1"}
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    results: dict[str, dict] = {}
    proofs: dict[str, tuple[int, int]] = {}
    try:
        print(f"Page cache off, {options.workers} gunicorn sync workers:", flush=True)
        with served(
            database_url=options.database_url,
            workers=options.workers,
            env={**common_env, "PAGE_CACHE_SECONDS": "0"},
            static_root=static_root,
        ) as base:
            results["baseline"] = measure(base, "/bench/baseline/", options)
            for name, path in pages:
                results[name] = measure(base, path, options)
            results["archive search"] = measure(base, "/archive/?q=homelessness", options)
            staff = {"Cookie": facts["cookie"]}
            results["ranking page"] = measure(base, facts["ranking"], options, headers=staff)
            results["ranking page, 1 connection"] = measure(
                base, facts["ranking"], options, headers=staff, connections=1
            )
        flush_page_cache()
        print("Page cache on (Redis):", flush=True)
        with served(
            database_url=options.database_url,
            workers=options.workers,
            env={**common_env, "PAGE_CACHE_SECONDS": "300", "CACHE_URL": CACHE_URL},
            static_root=static_root,
        ) as base:
            for name, path in pages:
                results[f"{name}, cached"] = measure(base, path, options)
                proofs[f"{name}, cached"] = cache_proof(base + path, 50 if options.quick else 200)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    rows = Row.from_results(results, proofs, facts, baseline_rps=results["baseline"]["rps"])
    print()
    print(table(rows))
    command = "make bench" + (f" BENCH_ARGS='{' '.join(sys.argv[1:])}'" if sys.argv[1:] else "")
    Path(options.output).write_text(
        results_markdown(
            rows=rows,
            results=results,
            facts=facts,
            options=options,
            command=command,
            seeded_in=seeded_in,
            when=datetime.now(UTC),
        )
    )
    print(f"\nWritten to {options.output}")


if __name__ == "__main__":
    main()
