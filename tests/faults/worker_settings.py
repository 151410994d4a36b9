"""Settings for the Celery worker a fault test runs as a subprocess: the test settings, but with a real broker
(``CELERY_BROKER_URL``), the test database (``DATABASE_URL``) and the recording mail server of
``tests.faults.mailbox``. Everything else comes from the environment the test gives the subprocess."""

import os

from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "tests.faults.mailbox.RecordingBackend"
ARCHIVE_SEARCH_BACKEND = os.environ.get("ARCHIVE_SEARCH_BACKEND", ARCHIVE_SEARCH_BACKEND)  # noqa: F405
ARCHIVE_INDEX_PREFIX = os.environ.get("ARCHIVE_INDEX_PREFIX", ARCHIVE_INDEX_PREFIX)  # noqa: F405
ARCHIVE_ELASTICSEARCH_NODE_CLASS = os.environ.get("ARCHIVE_ELASTICSEARCH_NODE_CLASS", "")
ARCHIVE_ELASTICSEARCH_REFRESH = os.environ.get("ARCHIVE_ELASTICSEARCH_REFRESH", "false")
