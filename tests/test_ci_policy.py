"""The CI rule itself: a skip becomes a failure when CI is set."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_skip_fails_under_ci(tmp_path: Path) -> None:
    probe = ROOT / "tests" / "test_zz_skip_probe.py"
    probe.write_text("import pytest\n\ndef test_skipped():\n    pytest.skip('probe')\n")
    try:
        env = {"CI": "true", "PATH": "/usr/bin:/bin"}
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(probe)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )
    finally:
        probe.unlink()
    assert result.returncode == 1, result.stdout
    assert "1 failed" in result.stdout
