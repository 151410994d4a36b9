"""The real site under gunicorn (and, when a run needs background work done, a real Celery worker) for the benchmarks.

Both run as child processes in their own process groups, with production settings (``config.settings.bench``),
so what is measured is what production serves: WhiteNoise's hashed static files, the page cache, Celery on
Redis. Everything stops when the ``with`` block ends, however it ends.

    from bench.server import served, celery_worker

    with celery_worker(database_url=url, broker_url="redis://127.0.0.1:6379/5"):
        with served(database_url=url, celery_broker_url="redis://127.0.0.1:6379/5") as base:
            requests.get(base + "/")
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DEFAULT_SETTINGS = "config.settings.bench"


class Served(str):
    """The base URL (use it as a string), with the gunicorn master's pid: it leads the process group."""

    pid: int


@dataclass(frozen=True)
class Worker:
    log: Path
    pid: int


def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) used so far by every live process in the group, and by its reaped children."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            total += sum(int(value) for value in fields[11:15])
    return total / ticks


def free_port() -> int:
    """A port nobody listens on now; the tiny race with another process is acceptable for a benchmark."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, limit: int = 6000) -> str:
    try:
        return path.read_text(errors="replace")[-limit:]
    except OSError:
        return ""


def _settings_module(settings: str, workdir: Path, overrides: dict | None) -> tuple[str, str]:
    """The settings module to run and the extra PYTHONPATH it needs.

    ``overrides`` (setting name -> Python value) go into a throwaway module in ``workdir`` that imports
    ``settings`` and changes only those. ``config.settings.bench`` routes to ``bench.urls`` (the baseline view
    beside the site); until that module exists the throwaway module routes to ``config.urls`` instead.
    """
    overrides = dict(overrides or {})
    if settings == DEFAULT_SETTINGS and not (ROOT / "bench" / "urls.py").exists():
        overrides.setdefault("ROOT_URLCONF", "config.urls")
    if not overrides:
        return settings, ""
    module = f"bench_settings_{uuid.uuid4().hex[:8]}"
    lines = [f"from {settings} import *  # noqa: F403"]
    lines += [f"{name} = {value!r}" for name, value in overrides.items()]
    (workdir / f"{module}.py").write_text("\n".join(lines) + "\n")
    return module, str(workdir)


def _environment(
    *, settings: str, database_url: str, env: dict | None, workdir: Path, overrides: dict | None = None
) -> dict:
    module, extra_path = _settings_module(settings, workdir, overrides)
    environment = dict(os.environ)
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": module,
            "DATABASE_URL": database_url,
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), extra_path, os.environ.get("PYTHONPATH", "")) if p),
            "PYTHONUNBUFFERED": "1",
        }
    )
    environment.update({key: str(value) for key, value in (env or {}).items() if key != "DJANGO_SETTINGS_MODULE"})
    return environment


def collect_static(*, environment: dict, static_root: Path) -> None:
    """Production serves hashed files listed in ``staticfiles.json``: without it every page would fail."""
    if (static_root / "staticfiles.json").exists():
        return
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**environment, "DJANGO_STATIC_ROOT": str(static_root)},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"collectstatic failed:\n{result.stderr[-6000:]}")


def _stop(process: subprocess.Popen, *, grace: float = 15.0) -> None:
    """SIGTERM to the whole process group (master and workers), then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def _wait_until_answering(url: str, process: subprocess.Popen, log: Path, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # any HTTP answer (even a 404 or 500) means it is serving; the caller judges the content
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout:.0f} s:\n{_tail(log)}")


@contextmanager
def served(
    *,
    database_url: str,
    settings: str = DEFAULT_SETTINGS,
    workers: int = 4,
    env: dict | None = None,
    worker_class: str = "sync",
    threads: int = 1,
    celery_broker_url: str | None = None,
    static_root: str | None = None,
    settings_overrides: dict | None = None,
    timeout: int = 120,
    startup_timeout: float = 90.0,
):
    """Yield ``http://127.0.0.1:PORT`` with gunicorn serving ``config.wsgi`` on it; stop it afterwards.

    The URL is a ``Served`` string whose ``pid`` is gunicorn's master (see ``group_cpu_seconds``).

    ``celery_broker_url`` makes the site hand background work (receipts, indexing) to Celery on that broker
    rather than the bench settings' default; pair it with ``celery_worker`` on the same URL for the work to be
    done. ``settings_overrides`` changes named settings for this run only (see ``_settings_module``).
    ``static_root`` reuses a directory already holding collected static files; by default they are
    collected into a temporary directory removed afterwards.
    """
    workdir = Path(tempfile.mkdtemp(prefix="bench-server-"))
    extra = dict(env or {})
    if celery_broker_url:
        extra["CELERY_BROKER_URL"] = celery_broker_url
    environment = _environment(
        settings=settings, database_url=database_url, env=extra, workdir=workdir, overrides=settings_overrides
    )
    root = Path(static_root) if static_root else workdir / "static"
    collect_static(environment=environment, static_root=root)
    environment["DJANGO_STATIC_ROOT"] = str(root)

    port = free_port()
    log = workdir / "gunicorn.log"
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "10",
        "--log-level",
        "warning",
        "--error-logfile",
        "-",
    ]
    with log.open("wb") as handle:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = Served(f"http://127.0.0.1:{port}")
    base.pid = process.pid
    try:
        _wait_until_answering(base + "/", process, log, timeout=startup_timeout)
        yield base
    finally:
        _stop(process)
        problems = _tail(log, 3000)
        if "Traceback" in problems or "CRITICAL" in problems:
            print(f"gunicorn's log ended with:\n{problems}", file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def celery_worker(
    *,
    database_url: str,
    broker_url: str,
    settings: str = DEFAULT_SETTINGS,
    concurrency: int = 2,
    env: dict | None = None,
    settings_overrides: dict | None = None,
    startup_timeout: float = 90.0,
):
    """A Celery worker consuming from ``broker_url`` until the block ends; yields its log file and pid."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-celery-"))
    environment = _environment(
        settings=settings,
        database_url=database_url,
        env={**(env or {}), "CELERY_BROKER_URL": broker_url},
        workdir=workdir,
        overrides=settings_overrides,
    )
    log = workdir / "celery.log"
    command = [
        str(BIN / "celery"),
        "-A",
        "config",
        "worker",
        "--loglevel",
        "INFO",
        "--concurrency",
        str(concurrency),
        "--hostname",
        f"bench-{uuid.uuid4().hex[:8]}@%h",
        "--without-mingle",
        "--without-gossip",
        "--logfile",
        str(log),
    ]
    output = workdir / "celery.out"
    with output.open("wb") as handle:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + startup_timeout
        while " ready." not in _tail(log, 100_000):
            if process.poll() is not None:
                raise RuntimeError(f"the Celery worker exited with {process.returncode}:\n{_tail(output)}{_tail(log)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker was not ready within {startup_timeout:.0f} s:\n{_tail(log)}")
            time.sleep(0.2)
        yield Worker(log=log, pid=process.pid)
    finally:
        _stop(process, grace=30.0)
        shutil.rmtree(workdir, ignore_errors=True)
