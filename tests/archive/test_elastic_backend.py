"""What only the Elasticsearch backend does: its mapping, the alias swap, the test-only header rewrite, and
falling back to the database when the cluster is down. Runs over HTTP against osmem-server, or against the
cluster in ``ELASTICSEARCH_URL`` (tests/archive/conftest_elastic.py). The behaviour both backends share is
tested once, for both, by the contract suite."""

import http.server
import json
import logging
import socket
import threading
from datetime import UTC, datetime, timedelta

import pytest
from elastic_transport import Urllib3HttpNode
from elasticsearch import Elasticsearch

from archive import search as archive_search
from archive.backends.elastic import ElasticsearchBackend, get_client
from archive.models import ArchiveEntry
from archive.search import SearchRequest, SearchUnavailable
from tests.archive.transport import PlainMediaTypeNode

pytest_plugins = ["tests.archive.conftest_elastic"]

BASE_DATE = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)


def entry(key: str, title: str, **fields) -> ArchiveEntry:
    """An unsaved entry: the Elasticsearch backend reads only its fields."""
    values = {
        "kind": "challenge",
        "summary": "",
        "body": "",
        "url": f"/archive/{key}/",
        "sponsor_slug": "wmca",
        "sponsor_name": "West Midlands Combined Authority",
        "theme_slugs": ["homelessness"],
        "theme_names": ["Homelessness"],
        "year": 2026,
        "date": BASE_DATE,
        "status": "open",
        "status_label": "Open",
        "organisation_name": "",
        "challenge_title": title,
        "source_modified": BASE_DATE,
    }
    values.update(fields)
    return ArchiveEntry(key=key, title=title, **values)


ENTRIES = [
    entry(
        "challenge:1",
        "Prevent homelessness with data",
        summary="Help the council spot households at risk <before> they lose their home.",
        date=BASE_DATE - timedelta(days=30),
        year=2025,
    ),
    entry(
        "challenge:2",
        "Tackling youth unemployment",
        summary="Routes into work for young people.",
        theme_slugs=["employment"],
        theme_names=["Employment and skills"],
        sponsor_slug="gmca",
        sponsor_name="Greater Manchester Combined Authority",
    ),
    entry(
        "proposal:7",
        "Early warning for rent arrears",
        kind="winner",
        summary="A model that flags homeless risk early.",
        organisation_name="Brumtech Ltd",
        challenge_title="Prevent homelessness with data",
        status="winner",
        status_label="Winner",
        date=BASE_DATE + timedelta(days=1),
    ),
]


def titles(page) -> list[str]:
    return [hit.title for hit in page.hits]


@pytest.fixture
def loaded(elasticsearch_backend):
    elasticsearch_backend.index(ENTRIES)
    return elasticsearch_backend


def test_the_mapping_stems_english_text_and_keeps_facets_as_keywords(loaded):
    mapping = get_client().indices.get_mapping(index=loaded.alias).body
    (properties,) = [index["mappings"]["properties"] for index in mapping.values()]
    for field in ("title", "summary", "body", "organisation_name", "challenge_title"):
        assert properties[field] == {**properties[field], "type": "text", "analyzer": "english"}
    for field in ("kind", "theme_slugs", "sponsor_slug", "status", "key"):
        assert properties[field]["type"] == "keyword"
    assert properties["year"]["type"] == "integer"
    assert properties["date"]["type"] == "date"
    assert properties["title_suggest"]["type"] == "completion"
    assert set(titles(loaded.search(SearchRequest(q="homeless")))) == {
        "Early warning for rent arrears",
        "Prevent homelessness with data",
    }


def test_writes_and_searches_go_through_the_alias_to_one_timestamped_index(loaded, settings):
    (name,) = loaded.index_names()
    prefix = f"{settings.ARCHIVE_INDEX_PREFIX}-archive-"
    assert name.startswith(prefix) and name.removeprefix(prefix).isdigit()
    assert loaded.search(SearchRequest()).total == 3


def test_a_search_before_anything_was_indexed_is_empty_and_creates_the_index(elasticsearch_backend):
    page = elasticsearch_backend.search(SearchRequest(q="homelessness"))
    assert (page.total, page.hits, page.backend) == (0, [], "elasticsearch")
    assert len(elasticsearch_backend.index_names()) == 1


def test_rebuild_swaps_the_alias_atomically_and_drops_the_old_index(loaded, monkeypatch):
    (old_index,) = loaded.index_names()
    seen_during_rebuild = []
    alias_calls = []
    client = get_client()
    update_aliases = client.indices.update_aliases

    def record(**kwargs):
        alias_calls.append(kwargs["actions"])
        return update_aliases(**kwargs)

    monkeypatch.setattr(client.indices, "update_aliases", record)

    def rows():
        for row in [*ENTRIES[1:], entry("challenge:3", "Cleaner air around schools")]:
            seen_during_rebuild.append(set(titles(ElasticsearchBackend().search(SearchRequest()))))
            yield row

    progress = []
    assert loaded.rebuild(rows(), total=3, progress=progress.append) == 3

    assert all(len(seen) == 3 and "Prevent homelessness with data" in seen for seen in seen_during_rebuild)
    assert progress[-1] == 3
    (new_index,) = loaded.index_names()
    assert new_index != old_index
    assert alias_calls == [
        [
            {"remove": {"index": old_index, "alias": loaded.alias}},
            {"add": {"index": new_index, "alias": loaded.alias}},
        ]
    ]
    assert not client.indices.exists(index=old_index)
    assert set(titles(loaded.search(SearchRequest()))) == {
        "Tackling youth unemployment",
        "Early warning for rent arrears",
        "Cleaner air around schools",
    }


def test_a_failed_rebuild_leaves_the_old_index_answering(loaded):
    (old_index,) = loaded.index_names()

    def rows():
        yield ENTRIES[0]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        loaded.rebuild(rows(), total=3, progress=lambda n: None)

    assert loaded.index_names() == [old_index]
    assert loaded.search(SearchRequest()).total == 3
    indices = get_client().indices.get(index=f"{loaded.alias}-*").body
    assert list(indices) == [old_index]


def test_page_beyond_the_result_window_is_empty_with_the_right_total(loaded):
    page = loaded.search(SearchRequest(page=99999))
    assert (page.hits, page.total) == ([], 3)
    assert sum(value.count for value in page.facets["kind"]) == 3


def test_lucene_syntax_and_unknown_years_are_searched_for_not_parsed(loaded):
    for q in ['title:(a OR "b', "*?~^\\/", "homeless AND (", "x" * 1000]:
        page = loaded.search(SearchRequest(q=q))
        assert page.backend == "elasticsearch"
    page = loaded.search(SearchRequest(filters={"year": ("twenty", "2025")}))
    assert titles(page) == ["Prevent homelessness with data"]


def test_highlights_mark_matches_in_escaped_text(loaded):
    (hit,) = loaded.search(SearchRequest(q="households")).hits
    assert hit.highlights == (
        "Help the council spot <mark>households</mark> at risk &lt;before&gt; they lose their home.",
    )


def test_facet_labels_come_from_the_documents(loaded):
    facets = loaded.search(SearchRequest(filters={"theme": ("homelessness",)})).facets
    assert {(value.value, value.label, value.count, value.selected) for value in facets["theme"]} == {
        ("homelessness", "Homelessness", 2, True),
        ("employment", "Employment and skills", 1, False),
    }
    assert [(value.label, value.count) for value in facets["sponsor"]] == [("West Midlands Combined Authority", 2)]
    assert {(value.label, value.count) for value in facets["kind"]} == {("Challenge", 1), ("Winner", 1)}
    kinds = loaded.search(SearchRequest(filters={"kind": ("winner",)})).facets["kind"]
    assert [(value.value, value.count, value.selected) for value in kinds] == [
        ("challenge", 2, False),
        ("winner", 1, True),
    ]
    assert {(value.label, value.count) for value in facets["status"]} == {("Open", 1), ("Winner", 1)}


def test_did_you_mean_corrects_misspelt_words(loaded):
    page = loaded.search(SearchRequest(q="youth unemploymnt"))
    assert page.suggestion == "youth unemployment"
    assert loaded.search(SearchRequest(q="youth unemployment")).suggestion == ""


def test_suggest_completes_titles_from_any_word(loaded):
    assert loaded.suggest("prev") == ["Prevent homelessness with data"]
    assert loaded.suggest("YOUTH") == ["Tackling youth unemployment"]
    assert loaded.suggest("zzz") == []


def test_removing_before_anything_was_indexed_creates_nothing(elasticsearch_backend):
    elasticsearch_backend.remove(["challenge:1"])
    assert elasticsearch_backend.index_names() == []
    assert elasticsearch_backend.indexed_versions() == {}


def test_indexed_versions_read_back_exactly_and_remove_ignores_unknown_keys(loaded):
    later = BASE_DATE + timedelta(microseconds=1)
    loaded.index([entry("challenge:2", "Tackling youth unemployment", source_modified=later)])
    loaded.remove(["challenge:1", "challenge:404"])
    assert loaded.indexed_versions() == {"challenge:2": later, "proposal:7": BASE_DATE}


def test_the_production_client_sends_compatible_with_and_only_the_test_node_rewrites_it(settings):
    """The header rewrite is test-only: without the test setting the client uses the stock node class and
    sends Elasticsearch 8's media type, exactly what a real cluster expects."""
    with _recording_server() as (url, requests):
        settings.ELASTICSEARCH_URL = url
        assert not hasattr(settings, "ARCHIVE_ELASTICSEARCH_NODE_CLASS")
        production = get_client()
        production.count(index="anything", query={"match_all": {}})
        Elasticsearch(url, node_class=PlainMediaTypeNode).count(index="anything", query={"match_all": {}})

    assert type(production.transport.node_pool.get()) is Urllib3HttpNode
    sent, rewritten = requests
    assert sent["content-type"] == "application/vnd.elasticsearch+json; compatible-with=8"
    assert sent["accept"] == "application/vnd.elasticsearch+json; compatible-with=8"
    assert (rewritten["content-type"], rewritten["accept"]) == ("application/json", "application/json")


@pytest.fixture
def unreachable(settings):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{_free_port()}"
    settings.ELASTICSEARCH_TIMEOUT = 1
    settings.ARCHIVE_SEARCH_BACKEND = "archive.backends.elastic.ElasticsearchBackend"
    return ElasticsearchBackend()


def test_an_unreachable_cluster_is_reported_as_unavailable(unreachable):
    for call in (
        lambda: unreachable.search(SearchRequest(q="homelessness")),
        lambda: unreachable.suggest("home"),
        lambda: unreachable.index(ENTRIES),
        lambda: unreachable.remove(["challenge:1"]),
        lambda: unreachable.indexed_versions(),
    ):
        with pytest.raises(SearchUnavailable):
            call()


@pytest.mark.django_db
def test_search_falls_back_to_the_database_with_a_warning(unreachable, caplog):
    with caplog.at_level(logging.WARNING, logger="archive.search"):
        page = archive_search.search(SearchRequest(q="homelessness"))
    assert page.backend == "database"
    assert "fell back to the database" in caplog.text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.requests.append({name.lower(): value for name, value in self.headers.items()})
        body = json.dumps({"count": 0, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _recording_server:
    """A one-thread HTTP server that answers like Elasticsearch and keeps each request's headers."""

    def __enter__(self):
        handler = type("Handler", (_Recorder,), {"requests": []})
        self.server = http.server.HTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_port}", handler.requests

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
