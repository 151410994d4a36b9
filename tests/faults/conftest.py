"""Fixtures for the fault tests: a Redis of the test's own, Celery workers as subprocesses, the recording mail
server, and the archive's Elasticsearch fixtures (tests/archive/conftest_elastic.py)."""

import importlib

import pytest

from .services import RedisServer, Worker

ELASTIC_FIXTURES = "tests.archive.conftest_elastic"
pytest.register_assert_rewrite(ELASTIC_FIXTURES)
globals().update(
    {
        name: value
        for name, value in vars(importlib.import_module(ELASTIC_FIXTURES)).items()
        if name.startswith("elasticsearch_")
    }
)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(tmp_path):
    return tmp_path / "mailbox.log"


@pytest.fixture
def start_worker(redis_server, tmp_path, mailbox):
    """``start_worker(**env) -> Worker``, started; every worker is stopped before the database is flushed."""
    workers = []

    def start(**env) -> Worker:
        worker = Worker(
            broker_url=redis_server.url,
            workdir=tmp_path,
            env={"FAULT_MAILBOX": str(mailbox), "FAULT_MAILBOX_HOLD": str(tmp_path / "hold"), **env},
        )
        worker.start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
