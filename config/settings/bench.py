"""Benchmarks (`make bench`, `make bench-deadline`): production settings, served by gunicorn over plain HTTP on
loopback, so the figures are what production code does. Never deploy with these."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)

from config.env import env_str

from .production import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The benchmarks count what was sent, so mail goes to files rather than to anybody.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", "/tmp/urban-challenge-bench-mail")
# The baseline view (one row, one small template) is served beside the real site.
ROOT_URLCONF = "bench.urls"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}, *TEMPLATES[1:]]  # noqa: F405
# Only for proving a cache hit makes no query: an outermost middleware writes each request's query count in
# a response header. Off by default; `make bench` turns it on for both of its server runs alike.
if env_str("BENCH_COUNT_QUERIES", ""):
    MIDDLEWARE = ["bench.baseline.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
