from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    # Before the admin sites, so their sign-in pages hand over to allauth and two-factor cannot be skipped.
    path("", include("accounts.auth_urls")),
    path("account/", include("allauth.urls")),
    path("organisations/", include("accounts.urls")),
    path("proposals/", include("submissions.urls")),
    path("questions/", include("clarifications.urls")),
    path("judging/", include("judging.urls")),
    path("archive/", include("archive.urls")),
    path("", include("opendata.urls")),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
