"""Publishing, unpublishing and deleting a challenge page update the archive, whoever does it: the admin, a
scheduled publish, or code. Wagtail sends these signals for every route; the work itself is a Celery task
scheduled on commit (services.py), so a rolled-back publish indexes nothing."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from challenges.models import ChallengePage
from challenges.signals import winners_announced

from .models import ArchiveEntry
from .services import archive_schedule_removal, archive_schedule_sync


@receiver(page_published, sender=ChallengePage)
@receiver(page_unpublished, sender=ChallengePage)
def challenge_changed(sender, instance, **kwargs):
    archive_schedule_sync(instance.pk)


@receiver(winners_announced, sender=ChallengePage)
def winners_published(sender, challenge, **kwargs):
    archive_schedule_sync(challenge.pk)


@receiver(pre_delete, sender=ChallengePage)
def challenge_deleted(sender, instance, **kwargs):
    keys = list(ArchiveEntry.objects.filter(challenge_id=instance.pk).values_list("key", flat=True))
    archive_schedule_removal([*keys, f"challenge:{instance.pk}"])
