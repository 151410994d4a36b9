"""What anonymous visitors see changes when a page is published, unpublished, moved or deleted, when a sponsor or
theme shown on pages is edited, and when a challenge's winners are announced: purge the page cache then."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from challenges.signals import winners_announced

from .services import page_cache_purge


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete, sender="wagtailcore.Page")
@receiver(post_save, sender="challenges.Sponsor")
@receiver(post_delete, sender="challenges.Sponsor")
@receiver(post_save, sender="challenges.Theme")
@receiver(post_delete, sender="challenges.Theme")
@receiver(winners_announced)
def _shown_content_changed(sender, **kwargs):
    page_cache_purge()
