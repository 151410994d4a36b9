"""Real services for the fault tests: a Redis server of the test's own, and Celery workers as subprocesses.

The fault tests need PostgreSQL (row locks; a database a second process can see) and a Redis broker. They run
in CI's second pass, where ``DATABASE_URL`` and ``CELERY_BROKER_URL`` are set, and are skipped on the
embedded default. They never touch the shared Redis: each test starts and stops ``redis-server`` on a free
port, with persistence off, so stopping it loses every queued message exactly as a crashed broker would.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
WORKER_SETTINGS = "tests.faults.worker_settings"
#: Seconds after which kombu hands an unacknowledged message of a dead worker to another; see the test.
VISIBILITY_TIMEOUT = 4

requires_real_services = pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("CELERY_BROKER_URL")),
    reason=(
        "fault tests need PostgreSQL and a Redis broker: set DATABASE_URL=postgres://… and "
        "CELERY_BROKER_URL=redis://… (CI's second pass does); skipped on the embedded SQLite default"
    ),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout: float, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class RedisServer:
    """``redis-server`` on a port of its own, without persistence; ``stop()`` and ``start()`` on the same port."""

    def __init__(self, workdir: Path):
        binary = shutil.which("redis-server") or "/usr/sbin/redis-server"
        if not os.path.exists(binary):
            pytest.fail("redis-server is not installed (apt-get install redis-server); the fault tests need their own")
        self.binary = binary
        self.workdir = workdir
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.workdir), "--logfile", str(self.workdir / "redis.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        """Gone at once, its queued messages with it: SIGKILL, no chance to save anything."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def worker_database_url() -> str:
    """``DATABASE_URL`` pointed at the database pytest-django created, which the worker must use."""
    from django.db import connection

    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


class Worker:
    """``celery -A config worker`` in its own process group, so a SIGKILL takes the pool's children too."""

    def __init__(self, *, broker_url: str, workdir: Path, env: dict | None = None, concurrency: int = 2):
        self.workdir = workdir
        self.concurrency = concurrency
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": WORKER_SETTINGS,
            "DATABASE_URL": worker_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "CELERY_UNACKED_RESTORE_INTERVAL": "1",
            "PYTHONPATH": str(REPO),
            **(env or {}),
        }
        self.process = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = open(self.workdir / f"worker-{self.starts}.log", "wb")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork", f"-c{self.concurrency}"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"]
            + ["-n", f"fault{self.starts}@%h"],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def kill(self) -> None:
        """SIGKILL to the worker and its pool processes at once, as the OOM killer or ``docker kill`` would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def log(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.workdir.glob("worker-*.log")))


@contextmanager
def publishing_to(broker_url: str):
    """Make this process's Celery app publish to ``broker_url`` instead of running tasks eagerly."""
    from config.celery import app

    names = ("task_always_eager", "broker_url", "broker_read_url", "broker_write_url")
    saved = {name: app.conf[name] for name in names}
    saved_env = os.environ.get("CELERY_BROKER_URL")  # Celery reads it before its own setting
    _reset_pools(app)
    os.environ["CELERY_BROKER_URL"] = broker_url
    app.conf.update(task_always_eager=False, broker_url=broker_url, broker_read_url=None, broker_write_url=None)
    try:
        yield app
    finally:
        _reset_pools(app)
        app.conf.update(saved)
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env


def _reset_pools(app) -> None:
    """Forget every broker connection, so the next publish connects to the broker now configured."""
    from kombu import pools

    pools.reset()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
