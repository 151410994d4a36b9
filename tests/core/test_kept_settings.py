"""Kept results are on only where every process shares the cache that carries their generation: a page published by
a management command or a worker must reach the web process's next request."""

import os
import subprocess
import sys

import pytest

from tests.security.checks import PRODUCTION, ROOT


def kept_results(**environment: str) -> str:
    inherited = {name: value for name, value in os.environ.items() if name not in ("CACHE_URL", "KEPT_RESULTS")}
    shown = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.KEPT_RESULTS)"],
        cwd=ROOT,
        env={**inherited, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.strip()


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        pytest.param({"DJANGO_SETTINGS_MODULE": "config.settings.dev"}, "False", id="dev, this process's memory"),
        pytest.param(
            {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "CACHE_URL": "redis://127.0.0.1:6379/9"},
            "True",
            id="dev with Redis",
        ),
        pytest.param(PRODUCTION, "True", id="production"),
        pytest.param({**PRODUCTION, "KEPT_RESULTS": "0"}, "False", id="production, turned off"),
    ],
)
def test_results_are_kept_only_with_a_shared_cache(environment, expected):
    assert kept_results(**environment) == expected
