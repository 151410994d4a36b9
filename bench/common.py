"""What the benchmark scripts share: a database to work in, settling statistics, and `make bench`'s throwaway
database and results table."""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import astuple, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def database(*, prefix: str, refuse_if: tuple[str, str]):
    """Yield the database's vendor name, using a temporary SQLite file unless DATABASE_URL says otherwise.

    With DATABASE_URL the generated rows stay behind, so it refuses a database where the model named by
    ``refuse_if`` (app label, model name) already has rows: point it at a throwaway database.
    """
    temporary = None
    if not os.environ.get("DATABASE_URL"):
        handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".sqlite3")
        os.close(handle)
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    try:
        model = apps.get_model(*refuse_if)
        if model._meta.db_table in connection.introspection.table_names() and model.objects.exists():
            sys.exit(f"This database already holds {model._meta.verbose_name_plural}: use an empty, throwaway one.")
        call_command("migrate", verbosity=0, interactive=False)
        yield connection.vendor
    finally:
        connection.close()
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def settle(connection) -> None:
    """Give the planner statistics and PostgreSQL a visibility map, as autovacuum would have in production."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


MARKER = "made by bench/run.py"


def _admin_connection(url: str):
    """A connection to the same server's ``postgres`` database, from which the bench database is managed."""
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in {"postgres", "postgresql"} or not name:
        sys.exit(f"--database-url must be a PostgreSQL URL naming a database, not {url!r}.")
    admin = parts._replace(path="/postgres").geturl()
    return psycopg.connect(admin, autocommit=True), name


def database_comment(url: str) -> str | None:
    """The comment on the bench database, or None when it does not exist."""
    connection, name = _admin_connection(url)
    with connection:
        row = connection.execute(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    return None if row is None else row[0]


def recreate_database(url: str) -> None:
    """Drop and create the bench database, refusing any database this script did not make."""
    from psycopg import sql

    comment = database_comment(url)
    if comment is not None and not comment.startswith(MARKER):
        sys.exit(
            f"Refusing to drop {url}: it was not made by bench/run.py (its comment is {comment!r}). "
            "Give --database-url a database name that does not exist yet."
        )
    connection, name = _admin_connection(url)
    with connection:
        if comment is not None:
            connection.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    mark_database(url, MARKER)


def mark_database(url: str, comment: str) -> None:
    from psycopg import sql

    connection, name = _admin_connection(url)
    with connection:
        connection.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(comment)))


def small_database_url(url: str) -> str:
    """The 100-challenge database compared with the main one: the same server, the main name + ``_small``."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts._replace(path=parts.path.rstrip("/") + "_small").geturl()


def postgres_settings() -> dict[str, str]:
    """What a real deployment sets on PostgreSQL (README.md, "Production deployment"), for the bench databases:
    SSD storage (random reads cost little more than sequential ones), the OS page cache the planner may count on
    (half the machine's memory), room for sorts and hashes per operation, and no JIT (OLTP queries are short,
    compiling them costs more than it saves)."""
    lines = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next((int(line.split()[1]) for line in lines if line.startswith("MemTotal")), 8 * 1024 * 1024)
    return {
        "random_page_cost": "1.1",
        "effective_cache_size": f"{max(memory_kb // 2 // 1024, 512)}MB",
        "work_mem": "16MB",
        "jit": "off",
    }


def tune_database(url: str) -> dict[str, str]:
    """``ALTER DATABASE ... SET`` each of ``postgres_settings()``: every new connection to it uses them."""
    from psycopg import sql

    values = postgres_settings()
    connection, name = _admin_connection(url)
    with connection:
        for setting, value in values.items():
            connection.execute(
                sql.SQL("ALTER DATABASE {} SET {} = {}").format(
                    sql.Identifier(name), sql.Identifier(setting), sql.Literal(value)
                )
            )
    return values


def load_average() -> str:
    return " / ".join(f"{load:.2f}" for load in os.getloadavg())


# --- the targets of issue 15 and the results tables ---------------------------------------------------------------


def _ratio_p95(min_ratio: float, max_p95: float):
    text = f"≥ {min_ratio:.0%} of baseline rps, p95 ≤ {max_p95:g} ms"
    return text, lambda f, r: r >= min_ratio and f["p95"] <= max_p95


PUBLIC_TARGET = _ratio_p95(0.30, 60)
# Row name (or its start, for the archive and supplier rows) -> (target text, test of the wrk figures and the
# ratio to the baseline). Errors and a run with no finished request fail any target.
TARGETS = {
    "challenge page": _ratio_p95(0.50, 30),
    "home page": PUBLIC_TARGET,
    "challenge listing": PUBLIC_TARGET,
    "supplier:": _ratio_p95(0.30, 60),
    "archive search": _ratio_p95(0.20, 50),
    "ranking page, 16 connections": ("answers: requests finish, no errors or timeouts", lambda f, r: True),
    "ranking page, 1 connection": ("p95 ≤ 100 ms", lambda f, r: f["p95"] <= 100),
}
CACHED_TARGET = "≥ 3,000 rps, 0 queries per hit"
EXPORT_LIMIT_MS = 1000
SCALING_LIMIT = 1.5


PREFIXED = ("supplier:", "archive search")


def target_for(name: str):
    """The target of a row: by its name, or by its start for the supplier and archive rows."""
    if name in TARGETS:
        return TARGETS[name]
    return next((TARGETS[prefix] for prefix in PREFIXED if name.startswith(prefix)), None)


def verdict(met: bool | None) -> str:
    return "—" if met is None else ("yes" if met else "**no**")


@dataclass
class Row:
    page: str
    rps: str
    ratio: str
    p50: str
    p95: str
    p99: str
    target: str
    met: str

    @classmethod
    def from_results(cls, results: dict, proofs: dict, facts: dict, *, baseline_rps: float) -> list["Row"]:
        rows = []
        for name, figures in results.items():
            if "skipped" in figures:
                target = target_for(name)
                text = (target[0] + "; " if target else "") + f"NOT MEASURED: {figures['skipped']}"
                rows.append(cls(name, "—", "—", "—", "—", "—", text, "**not measured**"))
                continue
            if "downloads_ms" in figures:
                rows.append(cls.export(name, figures))
                continue
            ratio = figures["rps"] / baseline_rps if baseline_rps else 0.0
            errors = sum(figures[kind] for kind in ("connect", "read", "write", "status", "timeout"))
            if name in proofs:
                hits, queries = proofs[name]
                target = f"{CACHED_TARGET} ({hits} hits checked: {queries} queries)"
                met = figures["rps"] >= 3000 and hits > 0 and queries == 0
            elif target_for(name):
                target, test = target_for(name)
                met = test(figures, ratio)
            else:
                target, met = "—", None
            if errors:
                target += f" ({errors:,} errors)"
            if not figures["requests"]:
                target += " (no request finished in the run)"
            if met is not None:
                met = met and not errors and figures["requests"] > 0
            rows.append(
                cls(
                    name,
                    f"{figures['rps']:,.0f}",
                    f"{ratio:.2f}",
                    f"{figures['p50']:.1f}",
                    f"{figures['p95']:.1f}",
                    f"{figures['p99']:.1f}",
                    target,
                    verdict(met),
                )
            )
        for label, key in (
            ("the results page's ranking (results_page, page 1), in-process (median of 5)", "ranking_ms"),
            ("ranking with every proposal's criterion means (the exports), in-process", "ranking_full_ms"),
        ):
            value = facts.get(key)
            shown = f"{value:.1f}" if value is not None else "—"
            note = "— (for profiling)" if value is not None else f"— (not timed: {facts.get('ranking_error')})"
            rows.append(cls(label, "—", "—", shown, "—", "—", note, "—"))
        return rows

    @classmethod
    def export(cls, name: str, figures: dict) -> "Row":
        """A download timed over HTTP, one at a time: the p50 column is the median, p95 and p99 the slowest."""
        timings = figures["downloads_ms"]
        slowest = max(timings)
        met = figures["status"] == 200 and slowest <= EXPORT_LIMIT_MS
        target = f"≤ 1 s per download ({len(timings)} downloads, {figures['bytes']:,} bytes)"
        if figures["status"] != 200:
            target += f" (answered {figures['status']})"
        median = statistics.median(timings)
        return cls(name, "—", "—", f"{median:.1f}", f"{slowest:.1f}", f"{slowest:.1f}", target, verdict(met))


HEADINGS = ("page", "requests/s", "ratio to baseline rps", "p50 ms", "p95 ms", "p99 ms", "target", "met?")
SCALING_HEADINGS = (
    "public page (in-process, median)",
    "ms at small",
    "ms at large",
    "ratio",
    "queries small / large",
    "target",
    "met?",
)


def table(rows: list, headings=HEADINGS, numeric=range(1, 6)) -> str:
    """A Markdown table, readable as plain text too."""
    cells = [headings, *(astuple(row) if not isinstance(row, tuple) else row for row in rows)]
    widths = [max(len(line[column]) for line in cells) for column in range(len(headings))]

    def line(values) -> str:
        padded = (
            value.rjust(width) if column in numeric else value.ljust(width)
            for column, (value, width) in enumerate(zip(values, widths, strict=True))
        )
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if c in numeric else "-" * (w + 2) for c, w in enumerate(widths)) + "|"
    return "\n".join([line(headings), rule, *(line(row) for row in cells[1:])])


def scaling_rows(small: dict, large: dict) -> list[tuple]:
    """One row per public page: its in-process median at both sizes, their ratio, met when within 1.5x."""
    rows = []
    for name in dict.fromkeys([*large, *small]):
        a, b = small.get(name), large.get(name)
        if not a or not b or a.get("status") != 200 or b.get("status") != 200:
            status = ", ".join(f"{size}: {f['status'] if f else 'absent'}" for size, f in (("small", a), ("large", b)))
            rows.append((name, "—", "—", "—", "—", f"≤ {SCALING_LIMIT}x; NOT MEASURED ({status})", "**not measured**"))
            continue
        ratio = b["median_ms"] / a["median_ms"] if a["median_ms"] else float("inf")
        rows.append(
            (
                name,
                f"{a['median_ms']:.1f}",
                f"{b['median_ms']:.1f}",
                f"{ratio:.2f}x",
                f"{a['queries']} / {b['queries']}",
                f"≤ {SCALING_LIMIT}x",
                verdict(ratio <= SCALING_LIMIT),
            )
        )
    return rows


def targets_met(rows: list, scaling: list) -> str:
    """How many of the rows with a target met it."""
    verdicts = [row.met for row in rows] + [row[-1] for row in scaling]
    judged = [v for v in verdicts if v != "—"]
    return f"Targets met: {judged.count('yes')} of {len(judged)} rows with a target (both tables)."


def results_markdown(*, rows, scaling, results, facts, options, command, seeded_in, when, loads) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    scale, small = options.scale, options.small_scale
    queries = "; ".join(
        f"{name} {figures['queries']}"
        for name, figures in results.items()
        if "queries" in figures and "cached" not in name
    )
    if options.skip_seed:
        seeded = "reused the main database, migrated" + (
            f"; seeded the small one in {seeded_in:.0f} s" if seeded_in is not None else " (and the small one)"
        )
    else:
        seeded = f"both seeded in {seeded_in:.0f} s"
    tuned = ", ".join(f"`{name} = {value}`" for name, value in options.pg_settings.items())
    notes = "".join(f"\n- **{note}**" for note in facts.get("notes", []))
    return f"""# Benchmark results (`make bench`)

- Date: {when:%Y-%m-%d %H:%M} UTC
- Machine: {os.cpu_count()} cores (`os.cpu_count()`); load average (1 / 5 / 15 min) at the start of the run
  {loads[0]}, at the end {loads[1]}: anything above the core count means other work competed
- Commit: {commit.stdout.strip() or "unknown"}{" with uncommitted changes" if dirty else ""}
- Command: `{command}`
- Data: {scale["challenges"]:,} generated challenges, {scale["archive"]:,} archive entries, one challenge with
  {scale["proposals"]:,} proposals x 5 judges x 6 criteria ({facts.get("ranked", "?")} ranked); {seeded}.
  Small database for the scaling table: {small["challenges"]:,} challenges, {small["archive"]:,} archive entries,
  {small["proposals"]:,} proposals
- PostgreSQL, set on both databases with `ALTER DATABASE ... SET`: {tuned}
- Server: gunicorn, {options.workers} sync workers (2 x cores + 1), `config.settings.bench` (production settings
  over plain HTTP on loopback), persistent database connections (`DATABASE_CONN_MAX_AGE=600`)
- Load: wrk, {options.connections} connections, {options.threads} threads, {options.warmup} s warm-up then
  {options.duration} s per page; latencies in ms from wrk's histogram (bench/wrk/report.lua){notes}

## Under load (wrk), ratios to the baseline view in the same run

{targets_met(rows, scaling)}

{table(rows)}

## Cost at {scale["challenges"]:,} challenges vs at {small["challenges"]:,} (in-process, page cache off)

{table(scaling, SCALING_HEADINGS, range(1, 5))}

Each public page was requested with the Django test Client (bench/scaling.py, bench settings,
`PAGE_CACHE_SECONDS=0`) in 3 rounds alternating the two databases (one process per round and database, each
page requested {options.scaling_warmup} times to warm up, then timed), {options.scaling_repeat} timed
requests per page and database in all; the median wall time is shown, with one request's query count. The
archive rows compare {scale["archive"]:,} entries with {small["archive"]:,}.

Uncached rows ran with `PAGE_CACHE_SECONDS=0`; "cached" rows on a second server start with
`PAGE_CACHE_SECONDS=300` and `CACHE_URL` on Redis. Queries per request (one uncached request each): {queries}.
"0 queries per hit" is proved by an outermost bench-only middleware (`bench/baseline.py`, on when
`BENCH_COUNT_QUERIES=1`) that counts every SQL statement a request runs and returns the count in
`X-Bench-Queries`; after each cached run that many anonymous requests were checked, counting only those the
page cache answered (`X-Page-Cache: hit`). The supplier rows are signed in as {facts.get("supplier", "?")}
(a session made as `django.contrib.auth.login` makes it; suppliers need no two-factor), the ranking rows and
exports as the demo superuser. The exports were downloaded one at a time after the load runs (p50 = median,
p95/p99 = the slowest). The in-process ranking rows (for profiling, no target) time the ranking selectors.
"""


def judged_arguments(description: str) -> argparse.Namespace:
    """The options of a benchmark of one judged challenge (``bench/ranking.py``, ``bench/confidence.py``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--proposals", type=int, default=10000)
    parser.add_argument("--judges", type=int, default=5, help="Judges reviewing each proposal.")
    parser.add_argument("--panel", type=int, default=50, help="Judges on the panel, sharing the reviews out.")
    parser.add_argument("--criteria", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3, help="Time this many runs; report the best and the median.")
    parser.add_argument("--seed", type=int, default=2027)
    options = parser.parse_args()
    if min(options.proposals, options.judges, options.criteria, options.repeat) < 1:
        parser.error("every count must be at least 1")
    if options.panel < options.judges:
        parser.error("--panel must be at least --judges")
    return options


def build_judged(options):
    """The judged challenge ``demo.scale_judging`` generates for ``judged_arguments``, its statistics settled, and
    the seconds that took. Call inside ``database()``."""
    from django.db import connection

    from demo.scale_judging import add_judged_challenge
    from home.models import HomePage

    started = time.perf_counter()
    judged = add_judged_challenge(
        parent=HomePage.objects.get(),
        proposals=options.proposals,
        judges=options.judges,
        panel=options.panel,
        criteria=options.criteria,
        seed=options.seed,
    )
    settle(connection)
    return judged, time.perf_counter() - started
