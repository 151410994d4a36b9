"""Run Wagtail's django-tasks (search index, reference index, file clean-up) on Celery.

django-tasks hands work to the backend the moment ``enqueue`` is called, even
inside a transaction. A worker that picks it up before the transaction commits
would read the old row, or none, and the index would silently miss the change.
This backend therefore sends the Celery message from ``transaction.on_commit``:
after a commit the task runs; after a rollback it never does.
"""

from functools import partial
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id, normalize_json

CELERY_TASK_NAME = "config.run_django_task"


class CeleryOnCommitBackend(BaseTaskBackend):
    supports_defer = True

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=normalize_json(args),
            kwargs=normalize_json(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        send = partial(
            run_django_task.apply_async,
            args=(task.module_path, result.args, result.kwargs),
            task_id=result.id,
            eta=task.run_after,
        )
        transaction.on_commit(send, using=self.options.get("database"))
        task_enqueued.send(type(self), task_result=result)
        return result


@shared_task(
    name=CELERY_TASK_NAME,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=settings.CELERY_RETRY_COUNTDOWN_MAX,
    max_retries=5,
)
def run_django_task(module_path: str, args: list, kwargs: dict) -> None:
    """Import the django-tasks ``Task`` by its dotted path and call it in this worker."""
    task: Task = import_string(module_path)
    task.call(*args, **kwargs)
