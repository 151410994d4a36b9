"""Keeping each sponsor's unpublished pages to its own managers everywhere in the Wagtail admin.

Wagtail's page permissions already stop a manager opening, editing or listing another sponsor's pages, but two
admin views look across the whole tree by design: the page chooser (for linking) and the page types usage report.
Both would show the titles of another sponsor's drafts. Here both see only pages that are published with no
pending changes, or that the user may explore anyway. Site administrators see everything.
"""

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy


def pages_hidden_from(user) -> QuerySet[Page]:
    """Pages whose current title or content ``user`` may not see: unpublished, or with unpublished changes, and
    outside the part of the tree their permissions let them explore."""
    explorable = PagePermissionPolicy().explorable_instances(user).values("pk")
    return Page.objects.filter(Q(live=False) | Q(has_unpublished_changes=True)).exclude(pk__in=explorable)


def page_chooser_queryset(pages: QuerySet, request) -> QuerySet:
    """The ``construct_page_chooser_queryset`` hook (wagtail_hooks.py)."""
    if request.user.is_superuser:
        return pages
    return pages.exclude(pk__in=pages_hidden_from(request.user).values("pk"))


class SponsorPageTypesUsageReportView(PageTypesUsageReportView):
    """Wagtail's page types usage report, counting and naming only the pages this user may see."""

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if user.is_superuser:
            return queryset
        hidden = pages_hidden_from(user).values("pk")
        latest = (
            Page.objects.filter(content_type=OuterRef("pk"))
            .exclude(pk__in=hidden)
            .order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk")
        )
        return (
            queryset.annotate(
                visible_count=Count("pages", filter=~Q(pages__in=hidden)),
                visible_last_edited=Subquery(latest.values("pk")[:1]),
            )
            .annotate(count=F("visible_count"), last_edited_page_id=F("visible_last_edited"))
            .order_by("-count", "app_label", "model")
        )
