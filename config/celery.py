"""The Celery application.

Configuration lives in Django settings under the ``CELERY_`` prefix, so the
embedded default (eager tasks) and production (Redis) differ only by environment.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("urban_challenge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
