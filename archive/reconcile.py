"""Finding and repairing drift between the sources, the ``ArchiveEntry`` rows and the search backend.

Events keep the archive current, but some change without one: a challenge's status moves on when a date
passes, a sponsor or theme is renamed, a task was lost. This compares, in a few queries, what should be
public with what is stored (keys, ``source_modified`` and status) and what the backend holds (keys and the
``source_modified`` each was indexed at), then re-syncs exactly the challenges that differ; and recounts the facet
cells should anything have bypassed their triggers (a raw TRUNCATE, a restore of the entries alone).
"""

from django.db import transaction
from django.utils import timezone

from challenges.models import ChallengePage
from pilots.selectors.public import public_pilots

from . import facet_cells
from .models import ArchiveEntry, EntryKind
from .search import DATABASE_BACKEND, backend_path, get_backend
from .services import archive_sync_challenge


def _public_challenges():
    return ChallengePage.objects.live().public().annotate_status(timezone.now())


def _pilot_drift(report: dict, already: set[int]) -> set[int]:
    """Challenges with a winner entry whose pilot status is not its pilot's now (counted under "status")."""
    pilots = dict(public_pilots().values_list("decision__proposal_id", "status"))
    drifted = {
        challenge_id
        for challenge_id, proposal_id, status in ArchiveEntry.objects.filter(kind=EntryKind.WINNER).values_list(
            "challenge_id", "proposal_id", "pilot_status"
        )
        if pilots.get(proposal_id, "") != status and challenge_id not in already
    }
    report["status"] += len(drifted)
    return drifted


def _repair_cells() -> int:
    """Recount the facet cells if anything bypassed their triggers (1 if they had drifted)."""
    if not facet_cells.drifted():
        return 0
    with transaction.atomic():
        facet_cells.rebuild()
    return 1


def archive_reconcile() -> dict:
    """Re-sync what drifted; returns counts by reason (all zero when nothing had drifted)."""
    stored = {
        row["challenge_id"]: row
        for row in ArchiveEntry.objects.filter(kind=EntryKind.CHALLENGE).values(
            "challenge_id", "status", "source_modified"
        )
    }
    report = {"missing": 0, "stale": 0, "status": 0, "gone": 0, "cells": 0, "backend": 0}
    to_sync = set()
    live_ids = set()
    for challenge in _public_challenges().only("pk", "last_published_at", "latest_revision_created_at", "announced_at"):
        live_ids.add(challenge.pk)
        row = stored.get(challenge.pk)
        modified = challenge.last_public_change
        if row is None:
            report["missing"] += 1
        elif row["source_modified"] < modified:
            report["stale"] += 1
        elif row["status"] != challenge.lifecycle_status:
            report["status"] += 1
        else:
            continue
        to_sync.add(challenge.pk)
    to_sync |= _pilot_drift(report, to_sync)
    gone = set(ArchiveEntry.objects.exclude(challenge_id__in=live_ids).values_list("challenge_id", flat=True))
    report["gone"] = len(gone)
    for challenge_id in sorted(to_sync | gone):
        archive_sync_challenge(challenge_id)

    report["cells"] = _repair_cells()
    if backend_path() != DATABASE_BACKEND:
        backend = get_backend()
        indexed = backend.indexed_versions()
        expected = dict(ArchiveEntry.objects.values_list("key", "source_modified"))
        extra = [key for key in indexed if key not in expected]
        differing = [key for key, modified in expected.items() if indexed.get(key) != modified]
        if extra:
            backend.remove(extra)
        if differing:
            backend.index(list(ArchiveEntry.objects.filter(key__in=differing)))
        report["backend"] = len(extra) + len(differing)
    return report
