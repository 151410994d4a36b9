"""Publishing, unpublishing and deleting a challenge page update the archive, whoever does it: the admin, a
scheduled publish, or code. Wagtail sends these signals for every route; the work itself is a Celery task
scheduled on commit (services.py), so a rolled-back publish indexes nothing.

A pilot's status is shown on its winner's entry (and filtered on), so saving a pilot re-syncs its challenge the
same way; a save that names its ``update_fields`` without the status (a payment approved) does not. Any change to
a pilot, its milestones, measures or reports may change its public scorecard on the winner and challenge pages,
so it purges the anonymous page cache (after commit).
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from challenges.models import ChallengePage
from challenges.signals import winners_announced
from pagecache.services import page_cache_purge
from pilots.models import Measure, MeasureValue, Milestone, Pilot, Report

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


@receiver(post_save, sender=Pilot)
def pilot_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and "status" not in update_fields:
        return
    challenge_id = (
        Pilot.objects.filter(pk=instance.pk).values_list("decision__proposal__challenge_id", flat=True).first()
    )
    if challenge_id:
        archive_schedule_sync(challenge_id)


@receiver(post_save, sender=Pilot)
@receiver(post_save, sender=Milestone)
@receiver(post_delete, sender=Milestone)
@receiver(post_save, sender=Measure)
@receiver(post_delete, sender=Measure)
@receiver(post_save, sender=Report)
@receiver(post_delete, sender=Report)
@receiver(post_save, sender=MeasureValue)
def scorecard_changed(sender, **kwargs):
    page_cache_purge()
