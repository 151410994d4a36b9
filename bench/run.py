"""`make bench`: seed scaled data on PostgreSQL, serve the site under gunicorn, measure it with wrk, print the
targets of issue 15 with the figures measured and whether each is met.

    .venv/bin/python bench/run.py [--quick] [--skip-seed] [--database-url postgres://...]

Steps: (1) drop and recreate two throwaway databases (only ones this script made: it marks them with a comment),
the main one and a small one (its name + ``_small``), migrate them and run ``seed_demo`` with the --scale
options (with --skip-seed: migrate the databases an earlier run seeded); give both the PostgreSQL settings a
deployment uses; (2) time each public page in-process on both (bench/scaling.py) for the "10,000 vs 100"
table; (3) serve the main one with production settings (``config.settings.bench``) under gunicorn with the page
cache off and measure the baseline view, the public pages, the demo supplier's pages, three archive searches,
the judges' ranking page and its exports; (4) serve it again with the page cache on Redis and measure the
anonymous pages, then prove from a response header written by a bench-only middleware that cache hits make no
database query; (5) print the tables and write bench/results.md with the load average at the start and end.
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
    SCALING_HEADINGS,
    Row,
    database_comment,
    load_average,
    mark_database,
    recreate_database,
    results_markdown,
    scaling_rows,
    small_database_url,
    table,
    targets_met,
    tune_database,
)
from bench.server import collect_static, group_cpu_seconds, served  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
LUA = ROOT / "bench" / "wrk" / "report.lua"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_site"
CACHE_URL = "redis://127.0.0.1:6379/4"
FULL = {"challenges": 10000, "archive": 100000, "proposals": 10000}
QUICK = {"challenges": 200, "archive": 2000, "proposals": 200}
SMALL = {"challenges": 100, "archive": 1000, "proposals": 100}
SCALING_ROUNDS = 3
QUERIES_HEADER = "X-Bench-Queries"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="Throwaway database (dropped first); the small one for the scaling table is its name + _small.",
    )
    parser.add_argument("--quick", action="store_true", help="Small data and short runs, to try the benchmark.")
    parser.add_argument(
        "--skip-seed", action="store_true", help="Reuse (and migrate) the databases an earlier run seeded."
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn sync workers.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
    parser.add_argument("--duration", type=int, help="Seconds per measurement (default 10; 3 with --quick).")
    parser.add_argument("--repeat", type=int, help="In-process requests per page for the scaling table (30; 12).")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    options = parser.parse_args()
    options.scale = QUICK if options.quick else FULL
    options.small_scale = SMALL
    options.small_url = small_database_url(options.database_url)
    options.duration = options.duration or (3 if options.quick else 10)
    options.warmup = 1 if options.quick else 3
    options.scaling_repeat = options.repeat or (12 if options.quick else 30)
    options.scaling_warmup = 3
    return options


def django_env(url: str) -> dict:
    """Migrations and seeding run with the development settings (background tasks in-process)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": "",
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }


def migrate(url: str) -> None:
    subprocess.run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=django_env(url), check=True)


def seed(url: str, scale: dict) -> float:
    """Migrate and seed; returns seconds."""
    started = time.perf_counter()
    migrate(url)
    counts = ["--scale", scale["challenges"], "--scale-archive", scale["archive"], "--scale-proposals"]
    subprocess.run(
        [str(PYTHON), "manage.py", "seed_demo", *map(str, counts), str(scale["proposals"])],
        cwd=ROOT,
        env=django_env(url),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    analyze(url, vacuum=True)
    mark_database(url, f"{MARKER}; seeded {json.dumps(scale)}")
    return time.perf_counter() - started


def analyze(url: str, *, vacuum: bool) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def seeded_scale(url: str) -> dict:
    comment = database_comment(url)
    if not comment or not comment.startswith(f"{MARKER}; seeded"):
        sys.exit(f"--skip-seed needs databases an earlier bench run seeded; {url} is not one (run without it).")
    return json.loads(comment.split("seeded ", 1)[1])


def prepare_database(options) -> float | None:
    """Seed the main and the small database, or with --skip-seed migrate both (other branches add migrations
    with backfills); then give both the PostgreSQL settings a deployment uses. Returns seconds spent seeding."""
    if options.skip_seed:
        options.scale = seeded_scale(options.database_url)
        reused = [options.database_url]
        seeded_in = None
        if (database_comment(options.small_url) or "").startswith(f"{MARKER}; seeded"):
            options.small_scale = seeded_scale(options.small_url)
            reused.append(options.small_url)
        else:  # a main database seeded before the small one existed: the small one takes a minute to make
            recreate_database(options.small_url)
            print(f"Seeding {options.small_url} (not seeded yet): {options.small_scale} ...", flush=True)
            seeded_in = seed(options.small_url, options.small_scale)
        for url in reused:
            print(f"Migrating the reused database {url} ...", flush=True)
            migrate(url)
            analyze(url, vacuum=False)
    else:
        seeded_in = 0.0
        for url, scale in ((options.database_url, options.scale), (options.small_url, options.small_scale)):
            recreate_database(url)
            print(f"Seeding {url}: {scale} ...", flush=True)
            seeded_in += seed(url, scale)
    for url in (options.database_url, options.small_url):
        options.pg_settings = tune_database(url)
    return seeded_in


def scaling(options, static_root: str) -> tuple[dict, dict]:
    """The public pages timed in-process on the small database and on the large one (bench/scaling.py), in
    ``SCALING_ROUNDS`` rounds alternating the two, so a change in the machine's load falls on both sizes alike;
    each page's median is over all its rounds. Static files are collected first as the server will serve them
    (the production settings need their manifest)."""
    settings = {"DJANGO_SETTINGS_MODULE": "config.settings.bench", "DATABASE_URL": options.database_url}
    collect_static(environment={**os.environ, **settings}, static_root=Path(static_root))
    per_round = max(1, options.scaling_repeat // SCALING_ROUNDS)
    merged: dict[str, dict] = {options.small_url: {}, options.database_url: {}}
    for _ in range(SCALING_ROUNDS):
        for url in (options.small_url, options.database_url):
            command = [str(PYTHON), str(ROOT / "bench" / "scaling.py"), "--database-url", url]
            command += ["--repeat", str(per_round), "--warmup", str(options.scaling_warmup)]
            env = {**os.environ, "DJANGO_STATIC_ROOT": static_root}
            result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
            line = next((line for line in result.stdout.splitlines() if line.startswith("SCALING-JSON ")), None)
            if line is None:
                raise RuntimeError(
                    f"bench/scaling.py printed no result:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
                )
            for name, page in json.loads(line.removeprefix("SCALING-JSON ")).items():
                kept = merged[url].setdefault(name, {**page, "timings_ms": []})
                kept["timings_ms"] += page.get("timings_ms", [])
                if page["status"] != 200:
                    kept["status"] = page["status"]
    for url, pages in merged.items():
        for name, page in pages.items():
            if page["status"] == 200:
                page["median_ms"] = statistics.median(page["timings_ms"])
            shown = f"{page['median_ms']:.1f} ms" if page["status"] == 200 else f"answered {page['status']}"
            print(f"  {url.rsplit('/', 1)[-1]}: {name} {page['path']}: {shown}", flush=True)
    return merged[options.small_url], merged[options.database_url]


def site_facts(url: str) -> dict:
    """In-process, with the bench settings: the URLs to measure, signed-in sessions and the in-process ranking
    time."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.db import connection

    from bench.facts import SUPPLIER_EMAIL, admin_cookie, public_pages, supplier_pages
    from challenges.models import ChallengePage

    judged = ChallengePage.objects.filter(slug__startswith="benchmark-judged").order_by("-pk").first()
    supplier_cookie, supplier_paths, supplier_note = supplier_pages()
    results = f"/admin/judging/{judged.pk}/results"
    facts = {
        "public": [(name, path) for name, path in public_pages() if not name.startswith(("winner", "winners"))],
        "supplier": SUPPLIER_EMAIL,
        "supplier_cookie": supplier_cookie,
        "supplier_pages": supplier_paths,
        "notes": [supplier_note] if supplier_note else [],
        "ranking": f"{results}/",
        "exports": [(f"ranking export, {kind.upper()}", f"{results}.{kind}/") for kind in ("csv", "xlsx")],
        "cookie": admin_cookie(),
    }
    facts.update(ranking_timings(judged))
    connection.close()
    return facts


def ranking_timings(judged) -> dict:
    """What the results page computes (``results_page``: one page of the kept order with its criterion means and
    the calibration chart), and what the exports compute (``challenge_ranking``: every proposal), timed in-process
    (median of 5), for profiling; skipped if the selectors changed."""
    try:
        from judging.selectors.ranking import challenge_ranking
        from judging.selectors.results import RankingFilters, results_page

        stage = judged.first_stage
        timings, full_timings = [], []
        for _ in range(5):
            started = time.perf_counter()
            results_page(judged, stage=stage, filters=RankingFilters(), page_number="1")
            timings.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            ranked = challenge_ranking(challenge=judged)
            full_timings.append((time.perf_counter() - started) * 1000)
    except Exception as error:  # informational rows only; the HTTP rows are the targets
        return {"ranking_error": f"{type(error).__name__}: {error}"[:200]}
    return {
        "ranking_ms": statistics.median(timings),
        "ranking_best_ms": min(timings),
        "ranking_full_ms": statistics.median(full_timings),
        "ranked": f"{len(ranked):,}",
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
    """Check the page answers 200, warm it up, then measure it; adds the queries one request made. A page that
    does not answer 200 is not measured (a redirect to sign-in is not the page) and its row says so."""
    status, answer = fetch(base + path, headers)
    if status != 200:
        reason = f"{path} answered {status}" + (f" (to {answer['Location']})" if answer.get("Location") else "")
        print(f"  {reason}: not measured", flush=True)
        return {"skipped": reason}
    connections = connections or options.connections
    wait_until_idle(base)
    wrk(base + path, seconds=options.warmup, connections=connections, threads=options.threads, headers=headers)
    wait_until_idle(base)
    figures = wrk(base + path, seconds=options.duration, connections=connections, threads=options.threads,
                  headers=headers)  # fmt: skip
    figures["queries"] = int(answer.get(QUERIES_HEADER, -1))
    print(f"  {path}: {figures['rps']:.0f} requests/s, p95 {figures['p95']:.1f} ms", flush=True)
    return figures


def wait_until_idle(base, *, timeout: float = 120.0, interval: float = 0.5, busy: float = 0.05) -> None:
    """Wait until gunicorn's processes use less than ``busy`` CPU seconds in ``interval``. When wrk stops, the
    sync workers still answer the requests already queued: at a slow page, those left over from the warm-up
    (or the previous page) would otherwise hold up the first requests measured, and at 16 connections a short
    run could end before any request finished."""
    deadline = time.monotonic() + timeout
    last = group_cpu_seconds(base.pid)
    while time.monotonic() < deadline:
        time.sleep(interval)
        used = group_cpu_seconds(base.pid)
        if used - last < busy:
            return
        last = used


def download(url: str, headers: dict, times: int) -> dict:
    """Time ``times`` downloads one after another (after one untimed), reading the whole body."""
    opener = urllib.request.build_opener(NoRedirect)
    timings, status, size = [], 0, 0
    for attempt in range(times + 1):
        started = time.perf_counter()
        try:
            with opener.open(urllib.request.Request(url, headers=headers), timeout=120) as response:
                status, size = response.status, len(response.read())
        except urllib.error.HTTPError as error:
            status, size = error.code, 0
        if attempt:
            timings.append((time.perf_counter() - started) * 1000)
    print(f"  {url}: {status}, slowest {max(timings):.0f} ms", flush=True)
    return {"downloads_ms": timings, "status": status, "bytes": size}


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


def load_runs(options, facts: dict, static_root: str) -> tuple[dict, dict]:
    """wrk on every page with the page cache off, the exports downloaded, then the anonymous pages cached."""
    common_env = {"DATABASE_CONN_MAX_AGE": "600", "BENCH_COUNT_QUERIES": "1"}
    results: dict[str, dict] = {}
    proofs: dict[str, tuple[int, int]] = {}
    print(f"Page cache off, {options.workers} gunicorn sync workers:", flush=True)
    with served(
        database_url=options.database_url,
        workers=options.workers,
        env={**common_env, "PAGE_CACHE_SECONDS": "0"},
        static_root=static_root,
    ) as base:
        results["baseline"] = measure(base, "/bench/baseline/", options)
        for name, path in facts["public"]:
            results[name] = measure(base, path, options)
        supplier = {"Cookie": facts["supplier_cookie"] or ""}
        for name, path in facts["supplier_pages"]:
            results[name] = measure(base, path, options, headers=supplier) if path else {"skipped": "see the note"}
        staff = {"Cookie": facts["cookie"]}
        results["ranking page, 16 connections"] = measure(base, facts["ranking"], options, headers=staff)
        results["ranking page, 1 connection"] = measure(base, facts["ranking"], options, headers=staff, connections=1)
        for name, path in facts["exports"]:
            wait_until_idle(base)
            results[name] = download(base + path, staff, 3)
    flush_page_cache()
    print("Page cache on (Redis):", flush=True)
    with served(
        database_url=options.database_url,
        workers=options.workers,
        env={**common_env, "PAGE_CACHE_SECONDS": "300", "CACHE_URL": CACHE_URL},
        static_root=static_root,
    ) as base:
        for name, path in facts["public"][:3]:
            results[f"{name}, cached"] = measure(base, path, options)
            proofs[f"{name}, cached"] = cache_proof(base + path, 50 if options.quick else 200)
    return results, proofs


def main() -> None:
    options = arguments()
    if not Path(WRK).exists():
        sys.exit("wrk is not installed: apt-get install wrk")
    loads = [load_average()]
    print(f"Load average at the start (1 / 5 / 15 min): {loads[0]}", flush=True)
    seeded_in = prepare_database(options)
    sizes = f"{options.scale['challenges']:,} vs {options.small_scale['challenges']:,} challenges"
    print(f"In-process, {sizes}:", flush=True)
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    try:
        small, large = scaling(options, static_root)
        facts = site_facts(options.database_url)
        results, proofs = load_runs(options, facts, static_root)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    loads.append(load_average())
    rows = Row.from_results(results, proofs, facts, baseline_rps=results["baseline"].get("rps", 0))
    scaled = scaling_rows(small, large)
    print()
    print(table(rows))
    print()
    print(table(scaled, SCALING_HEADINGS, range(1, 5)))
    print(f"\n{targets_met(rows, scaled)}")
    for note in facts["notes"]:
        print(f"\nNOTE: {note}")
    print(f"\nLoad average (1 / 5 / 15 min) at the start {loads[0]}, at the end {loads[1]}")
    command = "make bench" + (f" BENCH_ARGS='{' '.join(sys.argv[1:])}'" if sys.argv[1:] else "")
    Path(options.output).write_text(
        results_markdown(
            rows=rows,
            scaling=scaled,
            results=results,
            facts=facts,
            options=options,
            command=command,
            seeded_in=seeded_in,
            when=datetime.now(UTC),
            loads=loads,
        )
    )
    print(f"\nWritten to {options.output}")


if __name__ == "__main__":
    main()
