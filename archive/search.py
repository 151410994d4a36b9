"""The archive's one search interface. Views and templates use only what is here, never a backend.

``search(request)`` answers from the configured backend (Elasticsearch when ``ELASTICSEARCH_URL`` is set,
else the database) and, if Elasticsearch cannot be reached, from the database with a logged warning, so the
archive never fails because a search cluster is down. Both backends return the same ``SearchPage``.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

FACETS = ("kind", "theme", "sponsor", "year", "status", "pilot")
"""Facet names, as used in URLs (``?theme=homelessness&year=2026``) and on every ``SearchPage``."""
SORTS = ("relevance", "newest", "oldest")
MAX_QUERY_LENGTH = 200
PER_PAGE = 20


@dataclass(frozen=True)
class SearchRequest:
    """What to search for. ``filters`` maps a facet name to the values chosen (any of them matches);
    facets combine with AND. Blank ``q`` lists everything (newest first when sorted by relevance)."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Hit:
    key: str
    kind: str
    title: str
    url: str
    summary: str
    challenge_title: str
    sponsor_name: str
    organisation_name: str
    theme_names: tuple[str, ...]
    year: int
    status: str
    status_label: str
    date: datetime
    highlights: tuple[str, ...] = ()
    """Fragments of matching text as safe HTML: everything escaped except the <mark> around each match."""
    pilot_status: str = ""
    pilot_status_label: str = ""
    """A winner's pilot status (``pilots.PilotStatus``), empty without a pilot."""


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[FacetValue]]
    """Every facet in ``FACETS``, each value with its count under the query and the *other* facets' filters."""
    suggestion: str = ""
    """A corrected query ("did you mean"), where the backend offers one."""
    backend: str = ""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class SearchUnavailable(Exception):
    """The backend cannot answer now (unreachable, timed out); the caller falls back to the database."""


@cache
def _backend_class(path: str):
    return import_string(path)


def backend_path() -> str:
    return settings.ARCHIVE_SEARCH_BACKEND


def get_backend(path: str | None = None):
    return _backend_class(path or backend_path())()


DATABASE_BACKEND = "archive.backends.database.DatabaseBackend"


def search(request: SearchRequest) -> SearchPage:
    backend = get_backend()
    try:
        return backend.search(request)
    except SearchUnavailable as error:
        if backend_path() == DATABASE_BACKEND:
            raise
        logger.warning("Archive search fell back to the database: %s", error)
        return get_backend(DATABASE_BACKEND).search(request)


def suggest(prefix: str, limit: int = 8) -> list[str]:
    """Titles completing what has been typed, for the search box; empty when the backend is unreachable."""
    prefix = prefix.strip()[:MAX_QUERY_LENGTH]
    if not prefix:
        return []
    try:
        return get_backend().suggest(prefix, limit=limit)
    except SearchUnavailable as error:
        logger.warning("Archive suggestions unavailable: %s", error)
        return get_backend(DATABASE_BACKEND).suggest(prefix, limit=limit)
