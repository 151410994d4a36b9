from django.core.management.base import BaseCommand

from submissions.file_cleanup import files_purge_unreferenced


class Command(BaseCommand):
    help = (
        "Delete stored proposal files that nothing needs: replaced uploads no submitted version refers to, and "
        "files no row names. Safe to run at any time; the beat runs it daily."
    )

    def handle(self, *args, **options):
        count = files_purge_unreferenced()
        self.stdout.write(f"Deleted {count} stored file(s) nothing refers to.")
