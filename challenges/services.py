"""Writes for challenge publishing that the Wagtail admin does not do by itself."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from .models import ChallengeIndexPage, Sponsor

MANAGER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
MANAGER_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def manager_group_name(sponsor: Sponsor) -> str:
    return f"{sponsor.name} challenge managers"


@transaction.atomic
def sponsor_grant_manager_access(*, sponsor: Sponsor) -> Group:
    """Create or repair the group whose members manage this sponsor's challenges and nothing else.

    The group may sign in to the Wagtail admin, add, edit and publish pages only
    inside the sponsor's own challenge section, and add images and documents only
    to the sponsor's own collection. Running it again changes nothing.
    """
    index_page = ChallengeIndexPage.objects.get(sponsor=sponsor)
    group, _ = Group.objects.get_or_create(name=manager_group_name(sponsor))
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))

    for codename in MANAGER_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=index_page, permission=permission)

    collection = sponsor_collection(sponsor=sponsor)
    for app_label, codename in MANAGER_COLLECTION_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    return group


def sponsor_collection(*, sponsor: Sponsor) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=sponsor.name).first()
    return existing or root.add_child(name=sponsor.name)
