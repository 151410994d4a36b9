"""The archive on Elasticsearch: search, suggestions and zero-downtime rebuilds.

Every read and write goes through the alias ``<ARCHIVE_INDEX_PREFIX>-archive``, which points at exactly one
index ``<prefix>-archive-<timestamp>``. A rebuild fills a new index while the old one keeps answering, then
moves the alias in one ``update_aliases`` call and drops the old index, so no search ever sees an empty or
half-built archive. If the cluster cannot answer, every method raises ``SearchUnavailable``: the search
interface then answers from the database, and the indexing tasks retry.

Two optional settings exist for tests and operators, read only when set: ``ARCHIVE_ELASTICSEARCH_NODE_CLASS``
(a dotted path to an ``elastic_transport`` node class) and ``ARCHIVE_ELASTICSEARCH_REFRESH`` (the ``refresh``
of each write; unset, writes become searchable at the index's next refresh, within a second).
"""

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string
from elastic_transport import TransportError
from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError
from elasticsearch.dsl import Index
from elasticsearch.helpers import BulkIndexError, streaming_bulk

from ..models import ArchiveEntry
from ..search import FACETS, MAX_QUERY_LENGTH, FacetValue, Hit, SearchPage, SearchRequest, SearchUnavailable
from .elastic_documents import SUGGEST_FIELD, ArchiveDocument, ArchiveFacetedSearch

logger = logging.getLogger(__name__)

MAX_RESULT_WINDOW = 10_000
"""Elasticsearch's ``index.max_result_window``: no page may reach past this many hits."""
CHUNK_SIZE = 500
REBUILD_TIMEOUT = 60
"""Seconds each bulk request of a rebuild may take: a full rebuild is a batch job, not a page view."""
SCAN_SIZE = 5_000
FAILURES = (ApiError, TransportError, BulkIndexError)


@lru_cache(maxsize=8)
def _client(url: str, timeout: float, node_class: str) -> Elasticsearch:
    options = {"request_timeout": timeout, "max_retries": 1, "retry_on_timeout": False}
    if node_class:
        options["node_class"] = import_string(node_class)
    return Elasticsearch(url, **options)


def get_client() -> Elasticsearch:
    """The process's client for the configured cluster, made once and kept (it holds the connection pool)."""
    if not settings.ELASTICSEARCH_URL:
        raise SearchUnavailable("ELASTICSEARCH_URL is not set")
    node_class = getattr(settings, "ARCHIVE_ELASTICSEARCH_NODE_CLASS", "") or ""
    return _client(settings.ELASTICSEARCH_URL, float(settings.ELASTICSEARCH_TIMEOUT), node_class)


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch | None = None):
        self.alias = f"{settings.ARCHIVE_INDEX_PREFIX}-archive"
        self.refresh = getattr(settings, "ARCHIVE_ELASTICSEARCH_REFRESH", False)
        self._client = client

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            self._client = get_client()
        return self._client

    # Searching

    def search(self, request: SearchRequest) -> SearchPage:
        query = request.q.strip()[:MAX_QUERY_LENGTH]
        offset = max(0, request.offset)
        faceted = ArchiveFacetedSearch(
            using=self.client,
            index=self.alias,
            query=query,
            filters={name: list(values) for name, values in request.filters.items() if name in FACETS},
            sort=_sort(request.sort, query),
        )
        if offset + request.per_page <= MAX_RESULT_WINDOW:
            faceted = faceted[offset : offset + request.per_page]
        else:
            faceted = faceted[0:0]
        response = self._call(lambda: faceted.execute(), create_missing=True)
        if response is None:
            return SearchPage([], 0, request.page, request.per_page, {name: [] for name in FACETS}, backend=self.name)
        return SearchPage(
            hits=[_hit(result) for result in response],
            total=response.hits.total.value,
            page=request.page,
            per_page=request.per_page,
            facets=_facets(response.facets),
            suggestion=_suggestion(query, response),
            backend=self.name,
        )

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        prefix = prefix.strip()[:MAX_QUERY_LENGTH]
        if not prefix:
            return []
        completion = {"prefix": prefix, "completion": {"field": SUGGEST_FIELD, "skip_duplicates": True, "size": limit}}
        try:
            body = self._call(
                lambda: self.client.search(index=self.alias, size=0, _source=["title"], suggest={"titles": completion})
            )
            titles = [option["_source"]["title"] for option in body["suggest"]["titles"][0]["options"]] if body else []
        except SearchUnavailable as error:
            if not isinstance(error.__cause__, BadRequestError):
                raise
            titles = self._prefix_titles(prefix, limit)
        return list(dict.fromkeys(titles))[:limit]

    def _prefix_titles(self, prefix: str, limit: int) -> list[str]:
        """For a cluster without the completion suggester: titles with a word starting with ``prefix``."""
        body = self._call(
            lambda: self.client.search(
                index=self.alias, size=limit, _source=["title"], query={"match_phrase_prefix": {"title.plain": prefix}}
            )
        )
        return [hit["_source"]["title"] for hit in body["hits"]["hits"]] if body else []

    # Writing

    def index(self, entries: list[ArchiveEntry]) -> None:
        if not entries:
            return
        actions = [_action(entry, self.alias) for entry in entries]
        try:
            self._bulk(actions, require_alias=True)
        except SearchUnavailable as error:
            if not _alias_missing(error.__cause__):
                raise
            self._create_first_index()
            self._bulk(actions, require_alias=True)

    def remove(self, keys: list[str]) -> None:
        if keys:
            actions = [{"_op_type": "delete", "_index": self.alias, "_id": key} for key in keys]
            self._bulk(actions, require_alias=True, ignore_status=(404,))

    def rebuild(self, entries: Iterable[ArchiveEntry], *, total: int, progress: Callable[[int], None]) -> int:
        """Fill a new index, swap the alias to it in one atomic call, then delete the old index."""
        new_index = self._create_index(bulk_loading=True)
        try:
            done = 0
            actions = (_action(entry, new_index) for entry in entries)
            for _ in self._stream(
                actions,
                client=self.client.options(request_timeout=max(REBUILD_TIMEOUT, settings.ELASTICSEARCH_TIMEOUT)),
            ):
                done += 1
                if done % CHUNK_SIZE == 0:
                    progress(done)
            progress(done)
            reset = {"index": {"refresh_interval": None}}
            self._call(lambda: self.client.indices.put_settings(index=new_index, settings=reset))
            self._call(lambda: self.client.indices.refresh(index=new_index))
            old_indices = self._aliased_indices()
            swap = [{"remove": {"index": name, "alias": self.alias}} for name in old_indices]
            if not old_indices and self._call(lambda: self.client.indices.exists(index=self.alias)):
                swap.append({"remove_index": {"index": self.alias}})
            swap.append({"add": {"index": new_index, "alias": self.alias}})
            self._call(lambda: self.client.indices.update_aliases(actions=swap))
        except BaseException:
            self._delete_index(new_index)
            raise
        for name in old_indices:
            self._delete_index(name)
        return done

    def indexed_versions(self) -> dict[str, datetime]:
        versions: dict[str, datetime] = {}
        after = None
        while True:
            page = {"search_after": after} if after else {}
            body = self._call(
                lambda page=page: self.client.search(
                    index=self.alias,
                    size=SCAN_SIZE,
                    _source=["source_modified"],
                    sort=[{"key": "asc"}],
                    query={"match_all": {}},
                    **page,
                )
            )
            hits = body["hits"]["hits"] if body else []
            for hit in hits:
                versions[hit["_id"]] = datetime.fromisoformat(hit["_source"]["source_modified"])
            if len(hits) < SCAN_SIZE:
                return versions
            after = hits[-1]["sort"]

    # The indices behind the alias

    def index_names(self) -> list[str]:
        """The indices the alias points at now: one, except for a moment that never happens (the swap is atomic)."""
        return sorted(self._aliased_indices())

    def _create_index(self, *, aliased: bool = False, bulk_loading: bool = False) -> str:
        """A new, empty archive index with the mapping; while ``bulk_loading`` it skips periodic refreshes."""
        name = f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        index = Index(name, using=self.client)
        index.document(ArchiveDocument)
        if bulk_loading:
            index.settings(refresh_interval="-1")
        if aliased:
            index.aliases(**{self.alias: {}})
        self._call(lambda: index.create())
        return name

    def _create_first_index(self) -> None:
        """The alias did not exist: a fresh cluster, or a prefix never used. Start an empty archive index."""
        if not self._call(lambda: self.client.indices.exists_alias(name=self.alias)):
            self._create_index(aliased=True)

    def _aliased_indices(self) -> list[str]:
        try:
            return list(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []
        except FAILURES as error:
            raise SearchUnavailable(str(error)) from error

    def _delete_index(self, name: str) -> None:
        try:
            self.client.options(ignore_status=404).indices.delete(index=name)
        except FAILURES as error:
            logger.warning("Could not delete the archive index %s: %s", name, error)

    # Talking to the cluster

    def _call(self, call: Callable, *, create_missing: bool = False):
        """Run one request; a missing alias means an empty archive (created first when ``create_missing``),
        and any other failure becomes ``SearchUnavailable``."""
        try:
            return call()
        except NotFoundError as error:
            if not _alias_missing(error):
                raise SearchUnavailable(str(error)) from error
            if create_missing:
                self._create_first_index()
            return None
        except FAILURES as error:
            raise SearchUnavailable(_describe(error)) from error

    def _stream(self, actions, *, client: Elasticsearch | None = None, **options):
        try:
            yield from streaming_bulk(client or self.client, actions, chunk_size=CHUNK_SIZE, **options)
        except FAILURES as error:
            raise SearchUnavailable(_describe(error)) from error

    def _bulk(self, actions: list[dict], **options) -> None:
        refresh = {"refresh": self.refresh} if self.refresh else {}
        for _ in self._stream(actions, **refresh, **options):
            pass


def _sort(sort: str, query: str) -> list:
    newest = [{"date": {"order": "desc"}}, {"key": {"order": "asc"}}]
    if sort == "oldest":
        return [{"date": {"order": "asc"}}, {"key": {"order": "asc"}}]
    if sort == "newest" or not query:
        return newest
    return ["_score", *newest]


def _action(entry: ArchiveEntry, index: str) -> dict:
    return {"_index": index, "_id": entry.key, "_source": ArchiveDocument.source_for(entry)}


def _alias_missing(error) -> bool:
    if isinstance(error, BulkIndexError):
        return any(_item_alias_missing(item) for item in error.errors)
    return isinstance(error, NotFoundError) and "index_not_found" in str(error.error)


def _item_alias_missing(item: dict) -> bool:
    result = next(iter(item.values()), {})
    return result.get("status") == 404 or "index_not_found" in str(result.get("error", ""))


def _describe(error: Exception) -> str:
    if isinstance(error, BulkIndexError):
        return f"{error}: {error.errors[:1]}"
    return str(error)


def _hit(result) -> Hit:
    highlight = getattr(result.meta, "highlight", None)
    fragments = []
    if highlight:
        for field in ("summary", "body", "challenge_title", "organisation_name"):
            fragments.extend(highlight.to_dict().get(field, []))
    return Hit(
        key=result.key,
        kind=result.kind,
        title=result.title,
        url=result.url,
        summary=result.summary or "",
        challenge_title=result.challenge_title or "",
        sponsor_name=result.sponsor_name or "",
        organisation_name=result.organisation_name or "",
        theme_names=tuple(result.theme_names or ()),
        year=int(result.year),
        status=result.status,
        status_label=result.status_label,
        date=result.date if isinstance(result.date, datetime) else datetime.fromisoformat(result.date),
        highlights=tuple(fragments),
        pilot_status=getattr(result, "pilot_status", None) or "",
        pilot_status_label=getattr(result, "pilot_status_label", None) or "",
    )


def _facets(raw: dict) -> dict[str, list[FacetValue]]:
    facets = {}
    for name, values in raw.items():
        items = [
            FacetValue(value=value, label=label or value, count=count, selected=selected)
            for (value, label), count, selected in values
        ]
        if name == "year":
            items.sort(key=lambda item: item.value, reverse=True)
        else:
            items.sort(key=lambda item: (-item.count, item.label.lower()))
        facets[name] = items
    return facets


def _suggestion(query: str, response) -> str:
    """The query with each unknown word replaced by its closest indexed spelling, or "" if nothing changed."""
    suggest = getattr(response, "suggest", None)
    if not query or not suggest or "spelling" not in suggest:
        return ""
    corrected, shift = query, 0
    for token in suggest.spelling:
        if not token.options:
            continue
        start = token.offset + shift
        replacement = token.options[0].text
        corrected = corrected[:start] + replacement + corrected[start + token.length :]
        shift += len(replacement) - token.length
    return corrected if corrected.lower() != query.lower() else ""
