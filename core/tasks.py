"""How a service hands work to a Celery task: by the task's registered name, once the transaction commits.

Services write and tasks call services. A service that imported its app's tasks module (to schedule one) while that
module imports the services (to do the work) would be an import loop; naming the task instead breaks it without
hiding an import in a function. Celery's registry holds every task of every app (``app.autodiscover_tasks`` finds
them), and ``delay`` honours eager mode, so the embedded default runs the task in-process.
"""

from collections.abc import Callable

from celery import current_app
from django.db import transaction


def task_named(name: str):
    """The registered task ``name``. A worker imports every app's tasks module as it starts; a web process does
    on first need, through the same autodiscovery."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def after_commit(
    name: str, *args, on_error: Callable[[Exception], None] | None = None, countdown: float | None = None
) -> None:
    """Queue the task ``name`` with ``args`` once the current transaction commits (at once outside one); never
    after a rollback. ``on_error`` hears a broker that refused the message; without it the error propagates.
    ``countdown``: seconds the worker waits before running it (eager mode runs it at once)."""

    def send() -> None:
        try:
            task_named(name).apply_async(args, countdown=countdown)
        except Exception as error:  # the broker's errors vary by transport
            if on_error is None:
                raise
            on_error(error)

    transaction.on_commit(send)
