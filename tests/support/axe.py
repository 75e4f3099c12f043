"""axe-core (the npm package, pinned in package-lock.json) run inside a real Chromium page.

`make test` installs it with `npm ci`; the script is injected into the page under test and run on
the whole document. Only serious and critical findings fail a test: those are the ones that lock a
screen-reader or keyboard user out (IS 5568 / WCAG 2.0 AA).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

# WCAG 2.0/2.1 A and AA plus axe's best practices; the whole document, iframes included.
_RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary,
                              html: n.html.slice(0, 200)})),
  }));
}"""


@dataclass(frozen=True)
class Finding:
    """One axe rule broken on one page, with the nodes that break it."""

    where: str
    rule: str
    impact: str
    help: str
    nodes: tuple[dict[str, Any], ...]

    def describe(self) -> str:
        first = self.nodes[0] if self.nodes else {}
        return (
            f"{self.where}: {self.rule} ({self.impact}, {len(self.nodes)} nodes) {self.help}"
            f" — e.g. {first.get('target')} {first.get('html')}"
        )


def available() -> bool:
    return AXE_JS.is_file()


def scan(page: Page, where: str) -> list[Finding]:
    """Every serious or critical axe violation on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(_RUN)
    return [
        Finding(where, v["id"], v["impact"], v["help"], tuple(v["nodes"]))
        for v in violations
        if v["impact"] in BLOCKING
    ]
