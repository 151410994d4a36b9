from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Archive"

    def ready(self):
        from . import signals  # noqa: F401  (connects Wagtail's publish signals to indexing)
