"""Housekeeping of stored proposal files: nothing is kept that no row refers to, and no replaced file is kept
that no submitted version refers to. Uploads delete what they replace as they go (services.py); this sweeps up
what an interrupted request or a lost task left behind, and the files kept before that rule existed."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .files import private_storage
from .models import Attachment, ProposalVersion

logger = logging.getLogger(__name__)
ROOT = "proposals"
GRACE = timedelta(days=1)
"""A file is written before its row commits: one younger than this may belong to an upload still under way."""


def _walk(storage, path: str):
    directories, files = storage.listdir(path)
    for name in files:
        yield f"{path}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{path}/{directory}")


@transaction.atomic
def _drop_unreferenced_replaced_rows() -> list[str]:
    """Delete replaced attachments no submitted version refers to; return their stored names."""
    kept = {
        file["attachment"]
        for files in ProposalVersion.objects.values_list("files", flat=True).iterator()
        for file in files
    }
    doomed = [(pk, name) for pk, name in Attachment.objects.filter(replaced_at__isnull=False).values_list("pk", "file")
              if pk not in kept]  # fmt: skip
    Attachment.objects.filter(pk__in=[pk for pk, _ in doomed]).delete()
    return [name for _, name in doomed]


def files_delete(names: list[str]) -> int:
    """Delete these stored files, if they are still there; returns how many were."""
    storage = private_storage()
    deleted = 0
    for name in names:
        if storage.exists(name):
            storage.delete(name)
            deleted += 1
    return deleted


def files_purge_unreferenced() -> int:
    """Delete every stored proposal file that is replaced and unreferenced, or that no row names at all."""
    storage = private_storage()
    doomed = set(_drop_unreferenced_replaced_rows())
    if storage.exists(ROOT):
        named = set(Attachment.objects.values_list("file", flat=True))
        settled = timezone.now() - GRACE
        doomed |= {
            name for name in _walk(storage, ROOT) if name not in named and storage.get_modified_time(name) < settled
        }
    for name in sorted(doomed):
        if storage.exists(name):
            storage.delete(name)
    if doomed:
        logger.info("Deleted %d proposal files nothing refers to", len(doomed))
    return len(doomed)
