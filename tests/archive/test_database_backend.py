"""What only the database backend does, on SQLite (FTS5) and PostgreSQL (tsvector) alike: the query language
both read the same way, a constant number of queries however big the archive, the indexes it relies on,
rebuilding, and substring matching where SQLite has no FTS5. What it shares with Elasticsearch is tested for
both by the contract suite (test_backend_contract.py)."""

import html
import importlib
import random
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from archive.backends import database, postgres_fts, sqlite_fts
from archive.backends.database import ContainsText, DatabaseBackend
from archive.backends.postgres_fts import SEARCH_INDEX, TITLE_TRIGRAM_INDEX, PostgresFullText
from archive.backends.sqlite_fts import match_expression, parse_query
from archive.models import ArchiveEntry
from archive.search import DATABASE_BACKEND, SearchRequest

from .conftest import GMCA, STANDARD, Spec

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


@pytest.fixture
def backend(settings):
    settings.ARCHIVE_SEARCH_BACKEND = DATABASE_BACKEND
    return DatabaseBackend()


@pytest.fixture
def archive(backend, make_entries):
    rows = make_entries(*STANDARD)
    backend.index(rows)
    return rows


def found(backend, q: str, **filters) -> set[str]:
    request = SearchRequest(q=q, filters={name: tuple(values) for name, values in filters.items()})
    return {hit.key for hit in backend.search(request).hits}


# The query language: PostgreSQL's websearch_to_tsquery, read the same way on SQLite


def test_phrases_or_and_exclusions_mean_the_same_on_every_database(archive, backend):
    assert found(backend, '"rent arrears"') == {"proposal:1"}
    assert found(backend, '"arrears rent"') == set()
    assert found(backend, "loneliness or predictions") == {"challenge:3", "proposal:3"}
    assert found(backend, "homeless -eviction") == {"proposal:2", "challenge:2"}
    assert found(backend, 'homeless -"rent arrears"') == {"challenge:1", "proposal:2", "challenge:2"}
    assert found(backend, "homeless", sponsor=["gmca"]) == {"challenge:2"}


def test_a_query_of_only_stop_words_or_punctuation_finds_nothing(archive, backend):
    for q in ("the and of", "AND OR NOT", r"*?~^\/", "--"):
        page = backend.search(SearchRequest(q=q))
        assert (page.total, page.hits) == (0, []), q


def test_typed_text_becomes_quoted_fts5_strings_only():
    parsed = parse_query('Homeless "rent arrears" or evictions -"private renting" -the title:(a OR "b')
    assert parsed.groups == [[("homeless",)], [("rent", "arrears"), ("evictions",)], [("title",), ("b",)]]
    assert parsed.excluded == [("private", "renting")]
    assert match_expression(parsed) == (
        '(("homeless") AND ("rent arrears" OR "evictions") AND ("title" OR "b")) NOT ("private renting")'
    )
    assert parse_query("well-being x_y").groups == [[("well", "being")], [("x",)], [("y",)]]


def test_no_text_can_make_the_full_text_search_fail(archive, backend):
    alphabet = list("\"'()[]{}*?~^\\/:;+-!&|<>=%_.,@#$ \t") + ["AND", "OR", "NOT", "NEAR", "or", "homeless", "é"]
    rng = random.Random(2027)
    for _ in range(150):
        q = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        page = backend.search(SearchRequest(q=q, sort=rng.choice(["relevance", "newest"])))
        assert page.total >= 0, q


# Queries: a constant number, whatever the size of the archive


def pilots(start: int, count: int) -> list[Spec]:
    themes = [("homelessness",), ("open-data", "wellbeing"), ("wellbeing",)]
    return [
        Spec(
            f"Homelessness pilot {n}",
            kind="winner" if n % 4 == 0 else "challenge",
            summary=f"Pilot {n} about homelessness and open data.",
            body="Rough sleeping outreach and evictions " * 5,
            sponsor=GMCA if n % 2 else ("wmca", "West Midlands Combined Authority"),
            themes=themes[n % 3],
            year=2024 + n % 3,
            status="winner" if n % 4 == 0 else "archived",
            days=n,
            key=f"pilot:{n}",
        )
        for n in range(start, start + count)
    ]


REQUESTS = [
    SearchRequest(q="homelessness", filters={"theme": ("homelessness", "open-data"), "year": ("2025",)}),
    SearchRequest(q="evictions", sort="oldest", page=2, per_page=3),
    SearchRequest(filters={"kind": ("winner",), "sponsor": ("gmca",), "status": ("winner",)}, sort="newest"),
    SearchRequest(q="homelesness"),
    SearchRequest(q="zeppelin", filters={"year": ("2024",)}),
    SearchRequest(q="homeless", page=99999),
]
MAX_QUERIES_PER_SEARCH = 10


def test_searches_take_the_same_queries_at_5_and_at_50_entries(backend, make_entries, django_assert_max_num_queries):
    def run() -> list[int]:
        counted = []
        for request in REQUESTS:
            with CaptureQueriesContext(connection) as queries:
                page = backend.search(request)
            counted.append(len(queries))
            assert page.total >= 0
        return counted

    backend.index(make_entries(*pilots(0, 5)))
    run()  # the first search looks up, once per process, what this database offers
    with django_assert_max_num_queries(MAX_QUERIES_PER_SEARCH * len(REQUESTS)):
        small = run()
    assert backend.search(REQUESTS[0]).total > 0

    backend.index(make_entries(*pilots(5, 45)))
    with django_assert_max_num_queries(MAX_QUERIES_PER_SEARCH * len(REQUESTS)):
        large = run()
    assert large == small
    assert max(large) <= MAX_QUERIES_PER_SEARCH
    assert backend.search(SearchRequest()).total == 50


# Highlights


def test_the_summary_comes_back_whole_and_the_body_as_a_short_fragment(backend, make_entries):
    body = " ".join(["Background about the city's housing market."] * 20 + ["Evictions rose sharply."] * 1)
    body += " " + " ".join(["More unrelated background text."] * 20)
    summary = "Fewer evictions, & more <tenancies> kept."
    backend.index(make_entries(Spec("Tenancy help", summary=summary, body=body, key="t:1")))

    (hit,) = backend.search(SearchRequest(q="eviction")).hits
    whole, fragment = hit.highlights[:2]
    assert html.unescape(strip_tags(whole)) == summary
    assert "<mark>evictions</mark>" in whole.lower()
    assert "<mark>evictions</mark>" in fragment.lower() and len(strip_tags(fragment)) < len(body) / 3


# The search box's suggestions


def test_suggest_puts_titles_starting_with_the_text_first_and_finds_it_inside_words(backend, make_entries):
    backend.index(
        make_entries(
            Spec("Open data for bus reliability", key="s:1"),
            Spec("Data sharing for outreach", key="s:2"),
            Spec("Better data standards", key="s:3"),
        )
    )
    assert backend.suggest("data") == [
        "Data sharing for outreach",
        "Better data standards",
        "Open data for bus reliability",
    ]
    assert backend.suggest("ata shar") == ["Data sharing for outreach"]
    assert backend.suggest("   ") == []


# "Did you mean" (PostgreSQL with pg_trgm)


@on_postgres
def test_only_unknown_words_are_corrected(archive, backend):
    assert backend.offers_suggestions
    assert backend.search(SearchRequest(q="eviction homelesness")).suggestion == "eviction homelessness"
    assert backend.search(SearchRequest(q="Brumtech HOMELESNESS")).suggestion == "Brumtech homelessness"


@on_postgres
def test_no_correction_when_the_filters_not_the_words_found_nothing(archive, backend):
    page = backend.search(SearchRequest(q="eviction", filters={"sponsor": ("gmca",)}))
    assert (page.total, page.suggestion) == (0, "")


@on_sqlite
def test_sqlite_offers_no_did_you_mean(archive, backend):
    assert not backend.offers_suggestions
    assert backend.search(SearchRequest(q="homelesness")).suggestion == ""


# The indexes


@on_postgres
def test_postgres_searches_through_the_gin_index_and_suggests_through_the_trigram_index(archive):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    matching = PostgresFullText().matching(ArchiveEntry.objects.all(), "homeless eviction")
    assert SEARCH_INDEX in matching.explain()
    assert TITLE_TRIGRAM_INDEX in ArchiveEntry.objects.filter(title__icontains="homeless").explain()


@on_sqlite
def test_the_migration_fills_the_fts_table_from_existing_entries(backend, make_entries):
    rows = make_entries(*STANDARD[:3])
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {sqlite_fts.TABLE}")
    migration = importlib.import_module("archive.migrations.0002_full_text_search")
    editor = SimpleNamespace(connection=connection, execute=lambda sql: connection.cursor().execute(sql))
    migration.forwards(apps, editor)

    assert found(backend, "eviction") == {"challenge:1", "proposal:1"}
    assert backend.indexed_versions() == {row.key: row.source_modified for row in rows}


# Keeping in step


def test_rebuild_catches_up_with_rows_changed_behind_its_back(archive, backend, monkeypatch):
    monkeypatch.setattr(sqlite_fts, "CHUNK", 3)
    monkeypatch.setattr(postgres_fts, "PROGRESS_EVERY", 3)
    renamed = "Isolation among older residents"
    ArchiveEntry.objects.filter(key="challenge:3").update(title=renamed, challenge_title=renamed, summary="")

    progress = []
    assert backend.rebuild(ArchiveEntry.objects.order_by("pk").iterator(), total=7, progress=progress.append) == 7

    assert progress == sorted(progress) and progress[-1] == 7
    assert found(backend, "isolation") == {"challenge:3"}
    assert found(backend, "loneliness") == set()


def test_a_row_deleted_without_remove_is_never_found(archive, backend):
    ArchiveEntry.objects.filter(key="proposal:1").delete()
    assert found(backend, "eviction") == {"challenge:1"}
    assert backend.search(SearchRequest(q="eviction")).total == 1


# Without FTS5


@pytest.fixture
def without_full_text(monkeypatch):
    """A SQLite built without FTS5 (or any database with no full-text search) falls back to LIKE."""
    monkeypatch.setattr(database, "text_engine", ContainsText)


def test_without_full_text_search_words_are_matched_as_substrings(archive, backend, without_full_text):
    assert found(backend, "eviction") == {"challenge:1", "proposal:1"}
    assert found(backend, "homelessness -eviction") == {"proposal:2"}
    assert found(backend, '"rent arrears" or loneliness') == {"proposal:1", "challenge:3"}
    assert found(backend, "AND OR NOT") == set()
    assert found(backend, "bus", sponsor=["gmca"]) == {"proposal:3"}

    (hit,) = backend.search(SearchRequest(q="brumtech")).hits
    assert hit.highlights == ("<mark>Brumtech</mark> Ltd",)


def test_without_full_text_search_highlights_are_escaped(backend, make_entries, without_full_text):
    make_entries(Spec("Lights", summary="<b>Streets</b> & lanes", key="l:1"))
    (hit,) = backend.search(SearchRequest(q="streets")).hits
    assert hit.highlights == ("&lt;b&gt;<mark>Streets</mark>&lt;/b&gt; &amp; lanes",)
