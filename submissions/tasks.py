"""Scheduled and background work about proposals. Each task calls a service; each is safe to run twice (every email
has a key, every deletion checks what is there)."""

from celery import shared_task

from .file_cleanup import files_delete, files_purge_unreferenced
from .progression import stage_feedback_send_due
from .reminders import manager_digest_send, reminders_send_due


@shared_task(name="submissions.send_deadline_reminders")
def send_deadline_reminders() -> int:
    """Email the owners of unsubmitted drafts 48 hours and 2 hours before the challenge closes."""
    return reminders_send_due()


@shared_task(name="submissions.send_manager_digest")
def send_manager_digest() -> int:
    """Each morning, tell each sponsor's challenge managers what was submitted in the last day."""
    return manager_digest_send()


@shared_task(name="submissions.delete_private_files")
def delete_private_files(names: list[str]) -> int:
    """Delete stored files whose rows are gone (a replaced or removed upload). Deleting twice is harmless."""
    return files_delete(names)


@shared_task(name="submissions.purge_unreferenced_files")
def purge_unreferenced_files() -> int:
    """Daily: delete any proposal file that no row refers to any more (a deletion whose task was lost, an upload
    whose transaction rolled back after its file was written). Returns how many files went."""
    return files_purge_unreferenced()


@shared_task(name="submissions.send_stage_feedback")
def send_stage_feedback() -> int:
    """Email the feedback of every stage whose release time has come to those not taken forward, once each."""
    return stage_feedback_send_due()
