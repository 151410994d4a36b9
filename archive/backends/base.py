"""What every archive search backend provides. Both implementations are tested by one parametrised suite
(tests/archive/test_backend_contract.py)."""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Protocol

from ..models import ArchiveEntry
from ..search import SearchPage, SearchRequest


class SearchBackend(Protocol):
    name: str

    def search(self, request: SearchRequest) -> SearchPage:
        """Hits for the page asked for, facet counts, total and, where supported, a suggestion.

        Must never raise on user input (any text, unknown facet values, any page number); raises
        ``SearchUnavailable`` only when the service itself cannot answer."""

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Entry titles completing ``prefix``."""

    def index(self, entries: list[ArchiveEntry]) -> None:
        """Add or replace these entries (their ``themes`` are not read: use ``theme_slugs``/``theme_names``)."""

    def remove(self, keys: list[str]) -> None:
        """Remove entries by key; unknown keys are ignored."""

    def rebuild(self, entries: Iterable[ArchiveEntry], *, total: int, progress: Callable[[int], None]) -> int:
        """Rebuild from scratch without a moment of empty results (Elasticsearch: a new index, then an atomic
        alias swap). Returns how many entries were indexed; calls ``progress(n)`` as it goes."""

    def indexed_versions(self) -> dict[str, datetime]:
        """Every indexed key with the ``source_modified`` it was indexed at: what reconcile compares."""
