"""A word search's counts and ranked page are kept in the shared cache until the archive changes
(archive/generation.py): the second visitor to search "homelessness" reads no matching rows, and every kind of
write to the entries, by whatever route, shows in the very next search."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from archive import generation
from archive.backends.database import DatabaseBackend
from archive.models import ArchiveEntry, SearchGeneration
from archive.search import DATABASE_BACKEND, SearchRequest
from challenges.models import Theme
from tests.archive.conftest import STANDARD, Spec


@pytest.fixture
def archive(settings, make_entries):
    settings.ARCHIVE_SEARCH_BACKEND = DATABASE_BACKEND
    settings.KEPT_RESULTS = True
    rows = make_entries(*STANDARD)
    DatabaseBackend().index(rows)
    return rows


def found(q: str, **filters) -> tuple[int, list[str], dict]:
    page = DatabaseBackend().search(SearchRequest(q=q, filters={k: (v,) for k, v in filters.items()}))
    counts = {value.value: value.count for value in page.facets["theme"]}
    return page.total, [hit.title for hit in page.hits], counts


def searched_rows(q: str) -> int:
    """How many queries one search made."""
    with CaptureQueriesContext(connection) as queries:
        found(q)
    return len(queries.captured_queries)


def test_the_same_search_again_reads_only_the_generation_and_its_page(archive):
    first = found("homelessness")
    cold = searched_rows("council")  # another search, not yet kept: worked out
    warm = searched_rows("homelessness")
    assert found("homelessness") == first
    assert warm < cold, (warm, cold)


def test_searching_keeps_the_generation(archive):
    before = generation.current()
    found("homelessness")
    found("", theme="homelessness")
    assert generation.current() == before


def test_a_new_matching_entry_shows_in_the_next_search(archive, make_entries):
    total, titles, _ = found("homelessness")
    assert "Homelessness prevention at the job centre" not in titles
    new = make_entries(Spec("Homelessness prevention at the job centre", themes=("wellbeing",)))
    DatabaseBackend().index(new)
    total_after, titles_after, themes = found("homelessness")
    assert total_after == total + 1
    assert "Homelessness prevention at the job centre" in titles_after
    assert themes.get("wellbeing", 0) >= 1


def test_a_renamed_entry_is_found_by_its_new_words_and_not_its_old(archive):
    assert found("bicycles")[0] == 0
    row = ArchiveEntry.objects.get(key="challenge:1")
    row.title = "Safer bicycles for commuters"
    row.save()
    DatabaseBackend().index([row])
    assert "Safer bicycles for commuters" in found("bicycles")[1]


def test_entries_removed_by_a_queryset_are_gone_from_the_next_search(archive):
    total = found("homelessness")[0]
    assert total > 0
    doomed = list(ArchiveEntry.objects.filter(key="challenge:1").values_list("key", flat=True))
    ArchiveEntry.objects.filter(key__in=doomed).delete()
    DatabaseBackend().remove(doomed)
    assert found("homelessness")[0] == total - 1


def test_a_queryset_update_of_facet_values_shows_in_the_counts(archive):
    _, _, themes = found("homelessness")
    ArchiveEntry.objects.filter(key="challenge:1").update(theme_slugs=["wellbeing"], theme_names=["Wellbeing"])
    _, _, after = found("homelessness")
    assert after.get("wellbeing", 0) == themes.get("wellbeing", 0) + 1


def test_every_route_of_writing_moves_the_generation(archive, demo_site):
    seen = {generation.current()}

    def moved() -> bool:
        now = generation.current()
        fresh = now not in seen
        seen.add(now)
        return fresh

    row = ArchiveEntry.objects.get(key="challenge:1")
    row.summary = "Edited"
    row.save()
    assert moved(), "save()"
    ArchiveEntry.objects.filter(pk=row.pk).update(title="Updated")
    assert moved(), "queryset update()"
    row.themes.add(Theme.objects.exclude(pk__in=row.themes.all()).first())
    assert moved(), "a theme added"
    ArchiveEntry.objects.bulk_create([ArchiveEntry(**{**_copy(row), "key": "bulk:1", "url": "/bulk/1/"})])
    assert moved(), "bulk_create()"
    ArchiveEntry.objects.filter(key="bulk:1").delete()
    assert moved(), "delete()"
    generation.bump()
    assert moved(), "the text index's writers"


def test_a_rolled_back_write_leaves_the_generation_as_it_was(archive):
    before = generation.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        ArchiveEntry.objects.filter(key="challenge:1").update(title="Never")
        raise RuntimeError
    assert generation.current() == before


def test_without_its_row_nothing_is_kept_and_searches_still_answer(archive):
    SearchGeneration.objects.all().delete()
    assert generation.current() is None
    assert found("homelessness") == found("homelessness")
    assert searched_rows("homelessness") == searched_rows("homelessness")


def test_with_keeping_off_every_search_is_worked_out(archive, settings):
    settings.KEPT_RESULTS = False
    found("homelessness")
    assert searched_rows("homelessness") == searched_rows("council")


def _copy(row: ArchiveEntry) -> dict:
    return {
        field.attname: getattr(row, field.attname)
        for field in ArchiveEntry._meta.concrete_fields
        if field.attname not in ("id", "search_document")
    }
