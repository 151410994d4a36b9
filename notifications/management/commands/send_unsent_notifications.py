from django.core.management.base import BaseCommand

from notifications.tasks import send_unsent


class Command(BaseCommand):
    help = (
        "Queue a send for every email still pending more than two minutes after it was created "
        "(the same as the periodic task notifications.tasks.send_unsent). Safe to repeat: nothing is sent twice."
    )

    def handle(self, *args, **options):
        queued = send_unsent()
        self.stdout.write(f"Queued {queued} unsent notification(s).")
