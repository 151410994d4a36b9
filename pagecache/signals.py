"""What anonymous visitors see changes when a page is published, unpublished, moved or deleted, and when a
sponsor or theme shown on pages is edited: purge the page cache then. Other changes (winners announced, an
answer added to a challenge's FAQ) purge from their services."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from .services import page_cache_purge


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete, sender="wagtailcore.Page")
@receiver(post_save, sender="challenges.Sponsor")
@receiver(post_delete, sender="challenges.Sponsor")
@receiver(post_save, sender="challenges.Theme")
@receiver(post_delete, sender="challenges.Theme")
def _shown_content_changed(sender, **kwargs):
    page_cache_purge()
