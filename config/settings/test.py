"""The test suite: fast hashing, in-memory email, tasks eager unless a test starts a worker."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# make test runs on every core (pytest-xdist): each test process gets a queue of its own, so a real Celery worker
# started by one never takes another's tasks (which would run against the other process's test database).
CELERY_TASK_DEFAULT_QUEUE = f"celery-{env_str('PYTEST_XDIST_WORKER', 'main')}"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests that exercise the page cache turn it on themselves.
PAGE_CACHE_SECONDS = 0
PAGE_CACHE_LOCAL_SECONDS = 0
# Kept results (core/kept.py) make a page's first request after a change cost more than the next: the tests of
# the public pages (tests/challenges, tests/home, tests/pagecache) turn them on and count both.
KEPT_RESULTS = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Tests that exercise Elasticsearch get it through their fixtures (a cluster of their own, a prefix of their
# own); everything else searches the database even when ELASTICSEARCH_URL points the suite at a real cluster.
ARCHIVE_SEARCH_BACKEND = env_str("ARCHIVE_SEARCH_BACKEND", "archive.backends.database.DatabaseBackend")  # noqa: F405
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
