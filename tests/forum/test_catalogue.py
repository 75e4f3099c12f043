"""Every catalogue key the forum code uses exists in Hebrew and English."""

from __future__ import annotations

import re

from employdash.forum.stages import ALL_MILESTONES, MEETING_OUTLINE, STAGE_KEYS
from employdash.i18n import catalogue
from tests.support.sources import ROOT, product_sources

FILES = [
    *product_sources("employdash/forum", "components/forum"),
    *(ROOT / "pages" / name for name in ("forum.py", "tasks.py", "meeting.py")),
]
LITERAL = re.compile(r"""["']((?:forum|task|meet|common|page|empty|sector)\.[a-z0-9_.]+)["']""")


def test_every_literal_key_exists() -> None:
    known = catalogue()
    used = {key for f in FILES for key in LITERAL.findall(f.read_text(encoding="utf-8"))}
    assert len(used) > 100
    # A counted text is a key with its ".one" and ".many" forms (employdash.i18n.plural).
    counted = {k for k in used if f"{k}.one" in known and f"{k}.many" in known}
    # A vocabulary's prefix ("forum.kind", handed to a picker that adds ".<term>") names keys.
    prefixes = {k.rsplit(".", 1)[0] for k in known}
    missing = used - counted - set(known) - prefixes
    assert sorted(k for k in missing if not k.endswith(".")) == []


def test_every_composed_key_exists() -> None:
    known = catalogue()
    composed = [f"forum.ms.{k}" for k in ALL_MILESTONES] + list(STAGE_KEYS.values())
    composed += [k for keys in MEETING_OUTLINE.values() for k in keys]
    composed += [f"forum.outline.{n}" for n in MEETING_OUTLINE]
    composed += [f"task.status.{s}" for s in ("not_started", "in_progress", "blocked", "done")]
    composed += [f"forum.kind.{k}" for k in ("steering", "forum", "task", "adhoc")]
    composed += [f"meet.minutes.{k}_{lang}" for k in ("pdf", "docx") for lang in ("he", "en")]
    assert [k for k in composed if k not in known] == []
