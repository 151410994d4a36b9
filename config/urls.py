from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from challenges.admin_isolation import SponsorPageTypesUsageReportView
from home import views as home_views

urlpatterns = [
    # Before the admin sites, so their sign-in pages hand over to allauth and two-factor cannot be skipped.
    path("", include("accounts.auth_urls")),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("favicon.ico", home_views.favicon_ico, name="favicon_ico"),
    path("account/", include("allauth.urls")),
    path("organisations/", include("accounts.urls")),
    path("proposals/", include("submissions.urls")),
    path("questions/", include("clarifications.urls")),
    path("judging/", include("judging.urls")),
    path("pilots/", include("pilots.urls")),
    path("archive/", include("archive.urls")),
    path("", include("opendata.urls")),
    path("django-admin/", admin.site.urls),
    # Before Wagtail's own, so the report counts and names only the pages a sponsor's manager may see.
    path("admin/reports/page-types-usage/", SponsorPageTypesUsageReportView.as_view()),
    path("admin/reports/page-types-usage/results/", SponsorPageTypesUsageReportView.as_view(results_only=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
