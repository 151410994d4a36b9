"""``manage.py archive_reindex``: rebuild the public archive from its sources, then the search index.

Events and the reconcile task keep the archive current; this is for a first deployment, a mapping change or
a new search cluster. On Elasticsearch the index is rebuilt behind the alias and swapped in at the end, so
the archive keeps answering throughout.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from archive.models import ArchiveEntry, EntryKind
from archive.search import SearchUnavailable, get_backend
from archive.services import archive_sync_challenge
from challenges.models import ChallengePage

READ_CHUNK = 2_000


class Progress:
    """A bar redrawn in place on a terminal; in a log, one "Indexed 1200/5000" line per tenth of the way."""

    width = 30

    def __init__(self, out, label: str, total: int):
        self.out, self.label, self.total = out, label, total
        self.tty = out.isatty()
        self.step = max(1, total // 10)
        self.printed = None

    def __call__(self, done: int) -> None:
        if done == self.printed:
            return
        if self.tty:
            filled = self.width * done // self.total if self.total else self.width
            bar = "#" * filled + "-" * (self.width - filled)
            self.out.write(f"\r{self.label} [{bar}] {done}/{self.total}", ending="")
            self.out.flush()
        elif done == self.total or done - (self.printed or 0) >= self.step:
            self.out.write(f"{self.label} {done}/{self.total}")
        else:
            return
        self.printed = done

    def finish(self) -> None:
        """Ends the bar's line on a terminal."""
        if self.tty and self.printed is not None:
            self.out.write("")


class Command(BaseCommand):
    help = (
        "Rebuild the public archive: the entries from every live, public challenge and its published winners, "
        "then the search index (an atomic alias swap on Elasticsearch)."
    )

    def add_arguments(self, parser):
        only = parser.add_mutually_exclusive_group()
        only.add_argument(
            "--entries-only", action="store_true", help="Rebuild the archive entries but not the search index."
        )
        only.add_argument(
            "--index-only", action="store_true", help="Rebuild the search index from the entries as they are."
        )

    def handle(self, *args, entries_only: bool = False, index_only: bool = False, **options):
        if not index_only:
            self.rebuild_entries(push=entries_only)
        if not entries_only:
            self.rebuild_index()

    def rebuild_entries(self, *, push: bool) -> None:
        """Every live, public challenge, and every challenge that has entries (so what is no longer public
        goes), through the same service the publishing events use."""
        public = set(ChallengePage.objects.live().public().values_list("pk", flat=True))
        listed = set(ArchiveEntry.objects.order_by().values_list("challenge_id", flat=True).distinct())
        challenge_ids = sorted(public | listed)
        progress = Progress(self.stdout, "Synced challenges", len(challenge_ids))
        unavailable = None
        for done, challenge_id in enumerate(challenge_ids, start=1):
            try:
                archive_sync_challenge(challenge_id, push=push)
            except SearchUnavailable as error:
                unavailable = error
            progress(done)
        progress.finish()
        counts = self.entry_counts()
        self.stdout.write(f"Archive entries from {len(challenge_ids)} challenges checked: {_counted(counts)}.")
        if unavailable:
            self.stderr.write(f"The search backend could not be updated as entries changed: {unavailable}")

    def rebuild_index(self) -> None:
        backend = get_backend()
        total = ArchiveEntry.objects.count()
        entries = ArchiveEntry.objects.order_by("pk").iterator(chunk_size=READ_CHUNK)
        progress = Progress(self.stdout, "Indexed", total)
        try:
            indexed = backend.rebuild(entries, total=total, progress=progress)
        except SearchUnavailable as error:
            progress.finish()
            raise CommandError(
                f"The {backend.name} search backend is unavailable ({error}). The archive entries are up to date; "
                "run `manage.py archive_reindex --index-only` once it is back."
            ) from error
        progress.finish()
        counts = self.entry_counts()
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {indexed} archive entries on the {backend.name} backend ({_counted(counts)}).")
        )

    @staticmethod
    def entry_counts() -> dict[str, int]:
        counts = dict.fromkeys(EntryKind.values, 0)
        counts.update(ArchiveEntry.objects.values_list("kind").annotate(n=Count("pk")).order_by())
        return counts


def _counted(counts: dict[str, int]) -> str:
    return f"challenges: {counts[EntryKind.CHALLENGE]}, winners: {counts[EntryKind.WINNER]}"
