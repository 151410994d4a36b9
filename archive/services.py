"""Keeping the archive in step with its sources. Writes go to the ``ArchiveEntry`` table, then to the search
backend when it is not the database itself.

Publishing, unpublishing and deleting a challenge, and announcing its winners, schedule
``archive_schedule_sync`` on commit (signals.py: Wagtail's page signals and ``challenges.signals.winners_announced``);
the reconcile task (tasks.py) repairs any drift the events missed, such as a status that changed because a date
passed.
"""

from django.db import transaction

from challenges.models import ChallengePage
from core.tasks import after_commit

from .entries import entries_for
from .models import ArchiveEntry
from .search import DATABASE_BACKEND, backend_path, get_backend


def archive_schedule_sync(challenge_id: int) -> None:
    """Refresh the challenge's entries in a Celery task once the current transaction commits."""
    after_commit("archive.sync_challenge", challenge_id)


@transaction.atomic
def archive_sync_challenge(challenge_id: int, *, push: bool = True) -> tuple[list[str], list[str]]:
    """Make the challenge's entries match what is public now. Returns (keys written, keys removed).

    Idempotent: running it twice, or after a redelivered task, writes the same rows. ``push=False`` leaves the
    search backend alone, for a full reindex that rebuilds it afterwards anyway.
    """
    challenge = ChallengePage.objects.live().filter(pk=challenge_id).select_related("sponsor").first()
    wanted = {entry.key: entry for entry in entries_for(challenge)}
    stale = list(
        ArchiveEntry.objects.filter(challenge_id=challenge_id).exclude(key__in=wanted).values_list("key", flat=True)
    )
    ArchiveEntry.objects.filter(key__in=stale).delete()
    written = []
    for key, entry in wanted.items():
        row, _ = ArchiveEntry.objects.update_or_create(key=key, defaults=entry.row_values())
        row.themes.set(entry.theme_ids)
        written.append(row)
    if not push:
        pass
    elif backend_path() != DATABASE_BACKEND:
        backend = get_backend()
        transaction.on_commit(lambda: _push(backend, written, stale))
    else:
        _push(get_backend(), written, stale)
    return [row.key for row in written], stale


def _push(backend, written, stale) -> None:
    backend.index(written)
    backend.remove(stale)


def archive_schedule_removal(keys: list[str]) -> None:
    """Remove entries from the search backend once the transaction that deleted their rows commits."""
    if keys:
        after_commit("archive.remove_entries", sorted(set(keys)))
