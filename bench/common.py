"""What the benchmark scripts share: a database to work in, settling statistics, and `make bench`'s throwaway
database and results table."""

import os
import subprocess
import sys
import tempfile
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


# (page, target text, test of the figures) for each measured row of `make bench`; None where no target applies.
TARGETS = {
    "challenge page": ("≥ 50 % of baseline rps, p95 ≤ 30 ms", lambda f, ratio: ratio >= 0.5 and f["p95"] <= 30),
    "challenge listing": ("p95 ≤ 60 ms", lambda f, ratio: f["p95"] <= 60),
    "archive search": ("p95 ≤ 50 ms", lambda f, ratio: f["p95"] <= 50),
    "ranking page": ("p95 ≤ 100 ms", lambda f, ratio: f["p95"] <= 100),
    "ranking page, 1 connection": ("p95 ≤ 100 ms", lambda f, ratio: f["p95"] <= 100),
}
CACHED_TARGET = "≥ 3,000 rps, 0 queries per hit"


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
            ratio = figures["rps"] / baseline_rps
            errors = sum(figures[kind] for kind in ("connect", "read", "write", "status", "timeout"))
            if name in proofs:
                hits, queries = proofs[name]
                target = CACHED_TARGET
                met = figures["rps"] >= 3000 and hits > 0 and queries == 0
                target += f" ({hits} hits checked: {queries} queries)"
            elif name in TARGETS:
                target, test = TARGETS[name]
                met = test(figures, ratio)
            else:
                target, met = "—", None
            verdict = "—" if met is None else ("yes" if met and not errors and figures["requests"] else "**no**")
            if errors:
                target += f" ({errors} errors)"
            if not figures["requests"]:
                target += " (no request finished in the run)"
            rows.append(
                cls(
                    name,
                    f"{figures['rps']:,.0f}",
                    f"{ratio:.2f}",
                    f"{figures['p50']:.1f}",
                    f"{figures['p95']:.1f}",
                    f"{figures['p99']:.1f}",
                    target,
                    verdict,
                )
            )
        in_process = facts["ranking_ms"]
        rows.append(
            cls(
                "ranking as the results page computes it, in-process (median of 5)",
                "—",
                "—",
                f"{in_process:.1f}",
                "—",
                "—",
                "≤ 100 ms",
                "yes" if in_process <= 100 else "**no**",
            )
        )
        rows.append(
            cls(
                "ranking with every proposal's criterion means (the exports), in-process",
                "—",
                "—",
                f"{facts['ranking_full_ms']:.1f}",
                "—",
                "—",
                "—",
                "—",
            )
        )
        return rows


HEADINGS = ("page", "requests/s", "ratio to baseline rps", "p50 ms", "p95 ms", "p99 ms", "target", "met?")


def table(rows: list[Row]) -> str:
    """A Markdown table, readable as plain text too."""
    cells = [HEADINGS, *(astuple(row) for row in rows)]
    widths = [max(len(line[column]) for line in cells) for column in range(len(HEADINGS))]
    numeric = range(1, 6)

    def line(values) -> str:
        padded = (
            value.rjust(width) if column in numeric else value.ljust(width)
            for column, (value, width) in enumerate(zip(values, widths, strict=True))
        )
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if c in numeric else "-" * (w + 2) for c, w in enumerate(widths)) + "|"
    return "\n".join([line(HEADINGS), rule, *(line(row) for row in cells[1:])])


def results_markdown(*, rows, results, facts, options, command, seeded_in, when) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    scale = options.scale
    queries = ", ".join(f"{name} {figures['queries']}" for name, figures in results.items() if "," not in name)
    seeded = f"seeded in {seeded_in:.0f} s" if seeded_in is not None else "reused a seeded database (--skip-seed)"
    return f"""# Benchmark results (`make bench`)

- Date: {when:%Y-%m-%d %H:%M} UTC
- Machine: {os.cpu_count()} cores (`os.cpu_count()`); load average when written (1/5/15 min):
  {" / ".join(f"{load:.1f}" for load in os.getloadavg())}, anything above the core count means other work competed
- Commit: {commit.stdout.strip() or "unknown"}{" with uncommitted changes" if dirty else ""}
- Command: `{command}`
- Data: {scale["challenges"]:,} generated challenges, {scale["archive"]:,} archive entries, one challenge with
  {scale["proposals"]:,} proposals x 5 judges x 6 criteria ({facts["ranked"]:,} ranked); {seeded}
- Server: gunicorn, {options.workers} sync workers (2 x cores + 1), `config.settings.bench` (production settings
  over plain HTTP on loopback), persistent database connections (`DATABASE_CONN_MAX_AGE=600`)
- Load: wrk, {options.connections} connections, {options.threads} threads, {options.warmup} s warm-up then
  {options.duration} s per page; latencies in ms from wrk's histogram (bench/wrk/report.lua)

{table(rows)}

Uncached rows ran with `PAGE_CACHE_SECONDS=0`; "cached" rows on a second server start with
`PAGE_CACHE_SECONDS=300` and `CACHE_URL` on Redis. Queries per request (one uncached request each): {queries}.
"0 queries per hit" is proved by an outermost bench-only middleware (`bench/baseline.py`, on when
`BENCH_COUNT_QUERIES=1`) that counts every SQL statement a request runs and returns the count in
`X-Bench-Queries`; after each cached run that many anonymous requests were checked, counting only those the
page cache answered (`X-Page-Cache: hit`). The ranking page is also measured with 1 connection (its latency
without queueing behind 15 other requests); the in-process rows time `judging.aggregation.ranking_order` plus
`with_criterion_means` for the 50 rows a page shows (median {facts["ranking_ms"]:.0f} ms, best
{facts["ranking_best_ms"]:.0f} ms of 5), and `challenge_ranking`, which the exports use.
"""
