from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Anonymous page cache"

    def ready(self):
        from . import signals  # noqa: F401
