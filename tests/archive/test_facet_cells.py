"""The facet cells a search without words counts from stay exact, whatever writes the entries: the counts a visitor
sees on a blank or filter-only search always equal a count of the entries themselves."""

from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from archive import facet_cells
from archive.backends.database import DatabaseBackend, facet_conditions, facet_counts
from archive.models import ArchiveEntry, ArchiveFacetCell
from archive.reconcile import archive_reconcile
from archive.search import DATABASE_BACKEND, FACETS, SearchRequest
from archive.services import archive_sync_challenge
from judging.services.decisions import challenge_announce, decision_record
from submissions.models import ProposalStatus as S
from tests.archive.conftest import GMCA, STANDARD, Spec
from tests.factories import ChallengePageFactory
from tests.factories.challenges import make_manager
from tests.factories.judging import closed_challenge
from tests.factories.submissions import make_proposal

FILTERS = [
    {},
    {"theme": ("homelessness",)},
    {"theme": ("homelessness", "open-data")},
    {"year": ("2024",), "kind": ("winner",)},
    {"sponsor": (GMCA[0],), "status": ("archived", "closed")},
    {"theme": ("wellbeing",), "year": ("2025", "2026")},
]


def cells() -> Counter:
    """The stored cells (non-zero), as (theme, kind, sponsor, status, year, pilot) -> entries."""
    rows = ArchiveFacetCell.objects.filter(entries__gt=0)
    return Counter(
        {(row.theme, row.kind, row.sponsor_slug, row.status, row.year, row.pilot_status): row.entries for row in rows}
    )


def recount() -> Counter:
    """The cells as they should be, counted from the entries in Python."""
    counted = Counter()
    for entry in ArchiveEntry.objects.all():
        single = (entry.kind, entry.sponsor_slug, entry.status, entry.year, entry.pilot_status)
        counted[("", *single)] += 1
        for slug in entry.theme_slugs:
            counted[(slug, *single)] += 1
    return counted


def page(filters: dict) -> tuple[int, dict]:
    found = DatabaseBackend().search(SearchRequest(filters=filters, sort="newest"))
    return found.total, {name: {value.value: value.count for value in found.facets[name]} for name in FACETS}


def entry_counts(filters: dict) -> tuple[int, dict]:
    """The same counts taken from the entries, as a search with words counts them."""
    total, counted = facet_counts(ArchiveEntry.objects.all(), facet_conditions(filters))
    return total, {name: {value: count for value, _, count in counted[name] if count} for name in FACETS}


def assert_exact():
    assert cells() == recount()
    for filters in FILTERS:
        assert page(filters) == entry_counts(filters), filters


@pytest.fixture
def archive(settings, make_entries):
    settings.ARCHIVE_SEARCH_BACKEND = DATABASE_BACKEND
    return make_entries(*STANDARD)


def test_adding_an_entry_counts_it_on_a_blank_search(archive, make_entries):
    total, facets = page({})
    make_entries(Spec("Cleaner air near schools", themes=("wellbeing",), year=2026, status="open"))
    assert page({})[0] == total + 1
    assert page({})[1]["theme"]["wellbeing"] == facets["theme"]["wellbeing"] + 1
    assert_exact()


def test_removing_entries_uncounts_them(archive):
    total = page({})[0]
    ArchiveEntry.objects.filter(key="proposal:1").delete()
    assert page({})[0] == total - 1
    assert_exact()
    ArchiveEntry.objects.all().delete()
    assert page({})[0] == 0 and cells() == Counter()


def test_a_changed_status_pilot_status_theme_or_sponsor_moves_the_entry_between_cells(archive):
    before = page({"status": ("open",)})[0]
    row = ArchiveEntry.objects.get(key="challenge:1")
    row.status, row.status_label = "open", "Open"
    row.save()
    assert page({"status": ("open",)})[0] == before + 1
    ArchiveEntry.objects.filter(key="proposal:1").update(pilot_status="at_risk", pilot_status_label="At risk")
    assert page({"pilot": ("at_risk",)})[0] == 1
    ArchiveEntry.objects.filter(kind="winner").update(theme_slugs=["wellbeing"], theme_names=["Wellbeing"])
    ArchiveEntry.objects.filter(key="challenge:2").update(sponsor_slug="leeds", sponsor_name="Leeds City Council")
    assert page({"sponsor": ("leeds",)})[0] == 1
    assert_exact()


def test_an_edit_that_moves_no_entry_writes_no_cell(archive):
    stored = list(ArchiveFacetCell.objects.order_by("pk").values())
    ArchiveEntry.objects.filter(key="challenge:1").update(title="Renamed", summary="New words")
    assert list(ArchiveFacetCell.objects.order_by("pk").values()) == stored


def test_bulk_inserted_entries_are_counted(archive, demo_site):
    rows = [
        ArchiveEntry(
            key=f"bulk:{number}",
            kind="challenge",
            challenge=demo_site.challenge,
            title=f"Bulk {number}",
            url=f"/bulk/{number}/",
            sponsor_slug=GMCA[0],
            sponsor_name=GMCA[1],
            theme_slugs=["open-data", "wellbeing"],
            theme_names=["Open data", "Wellbeing"],
            year=2023,
            date=timezone.now(),
            status="closed",
            status_label="Closed",
            challenge_title=f"Bulk {number}",
            source_modified=timezone.now(),
        )
        for number in range(7)
    ]
    ArchiveEntry.objects.bulk_create(rows)
    assert page({"year": ("2023",)})[0] == 7
    assert_exact()


def test_rebuild_recounts_cells_that_drifted(archive):
    ArchiveFacetCell.objects.update(entries=99)
    assert facet_cells.drifted(connection)
    facet_cells.rebuild(connection)
    assert not facet_cells.drifted(connection)
    assert_exact()


def test_reconcile_repairs_cells_that_drifted(archive):
    assert archive_reconcile()["cells"] == 0
    ArchiveFacetCell.objects.filter(theme="homelessness").delete()
    assert page({"theme": ("homelessness",)})[0] == 0  # wrong: what the repair is for
    assert archive_reconcile()["cells"] == 1
    assert_exact()


def test_publishing_announcing_and_unpublishing_keep_the_counts_exact(
    sponsor_index, sponsor, django_capture_on_commit_callbacks, settings
):
    settings.ARCHIVE_SEARCH_BACKEND = DATABASE_BACKEND
    draft = ChallengePageFactory(parent=sponsor_index, sponsor=sponsor, title="Warm homes for every tenant", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    assert page({})[0] == 1 and page({"status": ("open",)})[0] == 1
    assert_exact()

    challenge = closed_challenge(sponsor_index, sponsor, title="Prevent homelessness with data")
    manager = make_manager(sponsor)
    winner = make_proposal(challenge, status=S.MODERATION, title="Early warning for rent arrears")
    decision_record(proposal=winner, outcome="winner", feedback="Well done.", by=manager, public_rationale="Clear.")
    archive_sync_challenge(challenge.pk)
    assert page({"kind": ("winner",)})[0] == 0
    with django_capture_on_commit_callbacks(execute=True):
        challenge_announce(challenge=challenge, by=manager)
    assert page({"kind": ("winner",)})[0] == 1
    assert page({"status": ("winners_announced",)})[0] == 1
    assert_exact()

    with django_capture_on_commit_callbacks(execute=True):
        draft.refresh_from_db()
        draft.unpublish()
    assert page({"status": ("open",)})[0] == 0
    assert_exact()


def test_deleting_entries_whose_cells_are_gone_makes_no_negative_cell(archive, make_entries):
    """As a test database's flush may empty the cells before the entries: later entries still count from zero."""
    ArchiveFacetCell.objects.all().delete()
    ArchiveEntry.objects.all().delete()
    assert not ArchiveFacetCell.objects.exists()
    make_entries(*STANDARD[:2])
    assert_exact()
