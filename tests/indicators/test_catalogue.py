"""Every catalogue key the indicators and briefing code uses exists in Hebrew and English."""

from __future__ import annotations

import re

from employdash.i18n import catalogue
from employdash.indicators.catalogue import DIMENSIONS
from employdash.models.indicators import STATUSES
from tests.support.sources import product_sources

FILES = product_sources()
LITERAL = re.compile(r"""["']((?:ind|brief)\.[a-z0-9_.]+)["']""")


def test_every_literal_key_exists() -> None:
    known = catalogue()
    used = {key for f in FILES for key in LITERAL.findall(f.read_text(encoding="utf-8"))}
    assert len(used) > 60
    # A counted text is a key with its ".one" and ".many" forms (employdash.i18n.plural).
    counted = {k for k in used if f"{k}.one" in known and f"{k}.many" in known}
    # A vocabulary's prefix ("forum.kind", handed to a picker that adds ".<term>") names keys.
    prefixes = {k.rsplit(".", 1)[0] for k in known}
    missing = used - counted - set(known) - prefixes
    assert sorted(k for k in missing if not k.endswith(".")) == []


def test_every_composed_key_exists() -> None:
    known = catalogue()
    composed = [f"ind.status.{s}" for s in STATUSES] + [f"ind.dim.{d}" for d in DIMENSIONS]
    composed += [f"ind.import.layout.{k}" for k in ("long", "wide", "unknown")]
    composed += [f"brief.verdict.{k}" for k in ("good", "bad", "flat")]
    composed += [f"brief.s.year.{a}" for a in ("up", "down")]
    composed += [f"brief.s.year.{a}.district_{b}" for a in ("up", "down") for b in ("up", "down")]
    composed += [
        f"ind.explorer.tab.{k}"
        for k in ("trend", "change", "rank", "map", "targets", "breakdown", "data")
    ]
    composed += [f"ind.explorer.rank.{g}" for g in ("district", "size")]
    assert [k for k in composed if k not in known] == []


def test_placeholders_agree_between_languages() -> None:
    field = re.compile(r"{(\w+)}")
    for key, texts in catalogue().items():
        if key.startswith(("ind.", "brief.")):
            assert set(field.findall(texts["he"])) == set(field.findall(texts["en"])), key
