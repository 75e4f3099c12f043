"""The command line (`python -m employdash ...`) run as cron or an operator runs it: a process
of its own with the settings given as its environment."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.browser import ROOT


def employdash(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Runs `python -m employdash *args` with this process's environment and `env` over it."""
    return subprocess.run(
        [sys.executable, "-m", "employdash", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
