"""Scheduled work for pilots. Each task calls a service and is safe to run twice: every email has a key."""

from celery import shared_task

from .services.reminders import pilot_digest_send, report_reminders_send


@shared_task(name="pilots.send_report_reminders")
def send_report_reminders() -> int:
    """Daily: remind suppliers of pilot reports due within a week, and of overdue ones, once each."""
    return report_reminders_send()


@shared_task(name="pilots.send_pilot_digest")
def send_pilot_digest() -> int:
    """Weekly: tell each sponsor's managers which pilots are overdue or at risk."""
    return pilot_digest_send()
