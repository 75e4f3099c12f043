"""`make screenshots` (tests/support/screenshots.py) runs to the end and writes a picture of every
page a role sees: it opens pages by URL only once the login cookie is in the browser's jar.

Run as `make screenshots` runs it, in a process of its own (this worker's Playwright is already
running, and one process cannot drive two)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from components.shell.navigation import pages_for
from tests.support.browser import ROOT, SCREENSHOTS


def test_the_screenshot_tool_saves_every_page_the_member_sees() -> None:
    started = time.time()
    subprocess.run(
        [sys.executable, "-m", "tests.support.screenshots", "member", "phone", "he"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    for spec in pages_for("member"):
        shot = SCREENSHOTS / "pages" / f"member_{Path(spec.path).stem}_he_phone.png"
        assert shot.stat().st_mtime >= started, f"{shot.name} was not written by this run"
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
