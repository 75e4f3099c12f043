"""The briefing's attention list is fair to every kind of item: five falling indicators do not
hide an off-track target of the forum's plan from the mayor (the screen, the PDF, the digest show
the first `MAX_ATTENTION`)."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from employdash.access import Actor
from employdash.briefing.attention import MAX_ATTENTION, AttentionItem, fair_order
from employdash.briefing.build import build_briefing
from employdash.briefing.pdf import briefing_pdf
from employdash.db import Database
from employdash.i18n import t
from tests.support.falling import every_headline_falling

SEDEROT = 1031
AS_OF = date(2026, 11, 23)


def test_an_off_track_target_is_shown_among_five_falling_indicators(
    db: Database, actors: dict[str, Actor]
) -> None:
    every_headline_falling(db, SEDEROT)
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    falling = [i for i in briefing.attention if i.kind == "indicator"]
    assert len(falling) >= MAX_ATTENTION  # enough to fill the list on severity alone
    assert min(i.severity for i in falling) > max(
        i.severity for i in briefing.attention if i.kind != "indicator"
    )
    shown = briefing.attention[:MAX_ATTENTION]
    off_track = [i for i in shown if i.key == "forum.health.off_track"]
    assert [i.kind for i in off_track] == ["target"]
    assert {i.kind for i in shown} == {"indicator", "target", "forum", "mentoring"}
    assert [i.severity for i in shown] == sorted((i.severity for i in shown), reverse=True)
    assert len(briefing.attention) > MAX_ATTENTION  # nothing lost: the rest follow
    sentence = t("forum.health.off_track", "en", **off_track[0].params)
    pdf = PdfReader(io.BytesIO(briefing_pdf(briefing, "en", AS_OF))).pages[0].extract_text()
    assert sentence in " ".join(pdf.split())


def _item(kind: str, severity: float) -> AttentionItem:
    return AttentionItem(f"k.{kind}.{severity}", severity, kind)


def test_the_first_places_hold_each_kinds_worst_then_the_worst_of_the_rest() -> None:
    items = [_item("indicator", 9 - n) for n in range(6)] + [
        _item("forum", 2.5),
        _item("target", 2.4),
        _item("target", 2.3),
    ]
    ordered = fair_order(items, room=4)
    assert [(i.kind, i.severity) for i in ordered] == [
        ("indicator", 9),
        ("indicator", 8),
        ("forum", 2.5),
        ("target", 2.4),
        *[("indicator", 9 - n) for n in range(2, 6)],
        ("target", 2.3),
    ]
    assert fair_order(items[:3], room=5) == items[:3]  # fewer than the room: worst first
