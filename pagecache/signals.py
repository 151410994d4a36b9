"""What anonymous visitors see changes when a page is published, unpublished, moved or deleted, when a sponsor or
theme shown on pages is edited, when an image or document in a page changes, when a section's view restrictions
or the site's settings change, and when a challenge's winners are announced: purge the page cache then, and start
a new generation of the results every visitor shares (``core.kept``: navigation, routes, a challenge's content,
cards, the listing's order)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from challenges.signals import winners_announced
from core.kept import new_generation

from .services import page_cache_purge


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete, sender="wagtailcore.Page")
@receiver(post_save, sender="challenges.Sponsor")
@receiver(post_delete, sender="challenges.Sponsor")
@receiver(post_save, sender="challenges.Theme")
@receiver(post_delete, sender="challenges.Theme")
@receiver(post_save, sender="wagtailcore.PageViewRestriction")
@receiver(post_delete, sender="wagtailcore.PageViewRestriction")
@receiver(post_save, sender="wagtailcore.Site")
@receiver(post_delete, sender="wagtailcore.Site")
@receiver(post_save, sender="challenges.Stage")
@receiver(post_delete, sender="challenges.Stage")
@receiver(post_save, sender="challenges.ChallengeFAQ")
@receiver(post_delete, sender="challenges.ChallengeFAQ")
@receiver(post_save, sender="wagtailimages.Image")
@receiver(post_delete, sender="wagtailimages.Image")
@receiver(post_save, sender="wagtaildocs.Document")
@receiver(post_delete, sender="wagtaildocs.Document")
@receiver(winners_announced)
def _shown_content_changed(sender, **kwargs):
    page_cache_purge()
    new_generation()


@receiver(post_save)
def _page_saved(sender, instance, **kwargs):
    """Any page row written (a page added in code, a draft saved, a tree change): what is kept is worked out again.
    Publishing is the change that matters; this also covers pages made or changed without it."""
    if isinstance(instance, Page):
        new_generation()
