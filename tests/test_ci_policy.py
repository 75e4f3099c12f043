"""The CI rule itself: a skip becomes a failure when CI is set."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_skip_fails_under_ci(tmp_path: Path) -> None:
    probe = tmp_path / "test_skip_probe.py"
    probe.write_text("import pytest\n\ndef test_skipped():\n    pytest.skip('probe')\n")
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "tests.conftest",
        "-c",
        str(ROOT / "pyproject.toml"),
        "--rootdir",
        str(ROOT),
        str(probe),
    ]
    under_ci = subprocess.run(
        command,
        cwd=ROOT,
        env={"CI": "true", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert under_ci.returncode == 1, under_ci.stdout
    assert "1 failed" in under_ci.stdout
    locally = subprocess.run(
        command,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert locally.returncode == 0 and "1 skipped" in locally.stdout
