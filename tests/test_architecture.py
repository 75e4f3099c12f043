"""The layer rules and the code's hygiene, checked on every test run (so by CI): import contracts
(pyproject's [tool.importlinter]), ruff's lint and format, and mypy in strict mode over the domain
and the UI pieces."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(
    "command",
    [
        ("lint-imports",),
        ("ruff", "check", "."),
        ("ruff", "format", "--check", "."),
        ("mypy",),
    ],
    ids=lambda c: c[0] if len(c) == 1 else " ".join(c[:2]),
)
def test_tool_passes(command: tuple[str, ...]) -> None:
    result = _run(str(BIN / command[0]), *command[1:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_no_type_ignore_without_a_reason() -> None:
    """An ignore must name its error code and say why in a comment after it on the same line
    (`# type: ignore[misc]  # the library ships no types`)."""
    bare = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("employdash", "components", "pages")
        for path in (ROOT / folder).rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "type: ignore" in line and not re.search(r"type: ignore\[[a-z, -]+\]\s+#\s*\S", line)
    ]
    assert bare == []


# The pipeline itself, and the modules that define the steps it takes.
PIPELINE = frozenset({"commands.py", "access.py", "audit.py", "errors.py"})
# A user's own session (a login counted, a hash upgraded, logout, the language): writes of no
# area, some before there is an actor, audited by hand.
OWN_SESSION = frozenset({"logins.py"})
WRITES_BY_HAND = re.compile(r"\baudit\.record\(|\brequire_write\(|\bStaleVersion\(")


def test_no_writer_bypasses_the_command_pipeline() -> None:
    """A write checks its role, audits and refuses stale versions only through `execute`."""
    domain = ROOT / "employdash"
    by_hand = {
        str(path.relative_to(domain))
        for path in domain.rglob("*.py")
        if WRITES_BY_HAND.search(path.read_text(encoding="utf-8"))
    }
    assert sorted(by_hand - PIPELINE - OWN_SESSION) == []
