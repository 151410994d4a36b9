"""Running ``manage.py check --deploy`` as a deployment would: in its own process, with production settings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "deploy-check-" + "k" * 60,
    "DJANGO_ALLOWED_HOSTS": "urban-challenge.example",
}


def deploy_check(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    # The browser tests' conftest allows async-unsafe database access in this process; a deployment never does.
    inherited = {name: value for name, value in os.environ.items() if name not in ("DJANGO_ALLOW_ASYNC_UNSAFE",
                                                                                   "TRUSTED_PROXY_COUNT")}  # fmt: skip
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", *arguments],
        cwd=ROOT,
        env={**inherited, **PRODUCTION, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
