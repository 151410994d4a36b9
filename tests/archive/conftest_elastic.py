"""A pytest plugin: an Elasticsearch for the archive tests, over real HTTP.

By default one ``osmem-server`` (an in-memory server speaking the Elasticsearch REST API, from PyPI) starts
for the whole session and each test gets its own copy-on-write clone of it, so no test sees another's
indices. The elasticsearch 8 client's ``compatible-with=8`` media type, which the emulator refuses, is
rewritten by ``tests.archive.transport.PlainMediaTypeNode``, set through a test-only setting.

With ``ELASTICSEARCH_URL`` in the environment the same fixtures use that cluster instead, unmodified (no
header rewrite), with a unique index prefix per test whose indices are deleted afterwards::

    docker run -p 9200:9200 -e discovery.type=single-node -e xpack.security.enabled=false elasticsearch:8.15.0
    ELASTICSEARCH_URL=http://localhost:9200 make test

Load it with ``pytest_plugins = ["tests.archive.conftest_elastic"]``; tests take ``elasticsearch_backend``.
"""

import os
import uuid
from dataclasses import dataclass

import pytest

ELASTIC_BACKEND = "archive.backends.elastic.ElasticsearchBackend"
TEST_NODE_CLASS = "tests.archive.transport.PlainMediaTypeNode"


@dataclass
class Cluster:
    """Where the tests' Elasticsearch is, and whether it is the emulator (which needs the header rewrite)."""

    server: object | None
    url: str

    @property
    def emulated(self) -> bool:
        return self.server is not None


@pytest.fixture(scope="session")
def elasticsearch_cluster():
    url = os.environ.get("ELASTICSEARCH_URL", "")
    if url:
        yield Cluster(server=None, url=url)
        return
    from osmem_server import OsmemError, OsmemServer, resolve_binary

    try:
        resolve_binary()
    except OsmemError as error:
        pytest.skip(f"{error} (or set ELASTICSEARCH_URL to test against a real cluster)")
    server = OsmemServer.start(japanese=False)
    yield Cluster(server=server, url=server.url)
    server.close()


@pytest.fixture
def elasticsearch_url(elasticsearch_cluster):
    """This test's own Elasticsearch: a fresh emulator clone, or the real cluster."""
    if not elasticsearch_cluster.emulated:
        yield elasticsearch_cluster.url
        return
    clone = elasticsearch_cluster.server.clone()
    yield clone.url
    clone.close()


@pytest.fixture
def elasticsearch_settings(settings, elasticsearch_cluster, elasticsearch_url):
    """Points the archive at this test's Elasticsearch, with an index prefix no other test uses."""
    settings.ELASTICSEARCH_URL = elasticsearch_url
    settings.ELASTICSEARCH_TIMEOUT = 10
    settings.ARCHIVE_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:12]}"
    settings.ARCHIVE_SEARCH_BACKEND = ELASTIC_BACKEND
    settings.ARCHIVE_ELASTICSEARCH_REFRESH = "true"
    if elasticsearch_cluster.emulated:
        settings.ARCHIVE_ELASTICSEARCH_NODE_CLASS = TEST_NODE_CLASS
    yield settings
    if not elasticsearch_cluster.emulated:
        _delete_indices(settings.ARCHIVE_INDEX_PREFIX)


@pytest.fixture
def elasticsearch_backend(elasticsearch_settings):
    """A ready ``ElasticsearchBackend`` on this test's cluster, configured as the archive's backend."""
    from archive.backends.elastic import ElasticsearchBackend

    return ElasticsearchBackend()


def _delete_indices(prefix: str) -> None:
    from archive.backends.elastic import get_client

    client = get_client()
    names = client.options(ignore_status=404).indices.get(index=f"{prefix}-archive*", expand_wildcards="all")
    for name in names.body if names.meta.status == 200 else []:
        client.options(ignore_status=404).indices.delete(index=name)
