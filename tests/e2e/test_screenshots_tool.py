"""`make screenshots` (tests/support/screenshots.py) runs to the end and writes a picture of every
page a role sees: it opens pages by URL only once the login cookie is in the browser's jar."""

from __future__ import annotations

from pathlib import Path

from components.shell.navigation import pages_for
from tests.support import screenshots


def test_the_screenshot_tool_saves_every_page_the_member_sees(tmp_path: Path) -> None:
    screenshots.main(["member"], ["phone"], ["he"], out=tmp_path)
    expected = {f"member_{Path(spec.path).stem}_he_phone.png" for spec in pages_for("member")}
    saved = {path.name for path in tmp_path.glob("*.png")}
    assert saved == expected
    for name in saved:
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
