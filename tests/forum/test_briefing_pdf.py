"""The briefing PDF carries what the briefing screen shows of the forum: the
mayor's approval of the work plan and progress against the focus targets."""

from __future__ import annotations

import io
from datetime import date, timedelta

import altair as alt
import pytest
from pypdf import PdfReader
from streamlit.elements import vega_charts

from employdash.access import Actor
from employdash.briefing.build import build_briefing
from employdash.briefing.pdf import briefing_pdf, trend_spec
from employdash.db import Database
from employdash.forum import approval
from employdash.i18n import fmt_date, fmt_percent
from tests.forum.helpers import SEDEROT

pytestmark = pytest.mark.rolled_back

AS_OF = date(2026, 11, 23)


def _text(db: Database, actor: Actor, lang: str) -> tuple[str, int]:
    briefing = build_briefing(db, actor, SEDEROT, AS_OF)
    reader = PdfReader(io.BytesIO(briefing_pdf(briefing, lang, AS_OF)))
    return "".join(p.extract_text() for p in reader.pages), len(reader.pages)


def test_the_pdf_shows_the_approval_and_the_target_progress(
    db: Database, actors: dict[str, Actor]
) -> None:
    mayor = actors["mayor"]
    text, _ = _text(db, mayor, "en")
    assert "The work plan has not been approved by the mayor yet" in text

    on = AS_OF - timedelta(days=3)
    approval.approve_plan(db, mayor, SEDEROT, on, "At the council meeting")
    briefing = build_briefing(db, mayor, SEDEROT, AS_OF)
    assert briefing.forum is not None and briefing.forum.focus_progress
    text, pages = _text(db, mayor, "en")
    assert pages == 1  # still one A4 page
    flat = " ".join(text.split())
    assert f"Work plan approved on {fmt_date(on, 'en')}" in flat
    assert "At the council meeting" in flat
    assert "Progress against the focus targets" in flat
    # (the seeded focus titles are Hebrew: the extracted line mixes directions, so each title
    # and each share is looked for on its own)
    line = flat[flat.index("Progress against the focus targets") :].split("•")[0]
    for title, share in briefing.forum.focus_progress:
        assert " ".join(title.split()) in line
        assert (fmt_percent(share, "en", 0) if share is not None else "no value yet") in line


@pytest.mark.parametrize("lang", ["he"])
def test_the_hebrew_pdf_names_the_approval(
    db: Database, actors: dict[str, Actor], lang: str
) -> None:
    approval.approve_plan(db, actors["mayor"], SEDEROT, AS_OF, "")
    text, pages = _text(db, actors["mayor"], lang)
    assert pages == 1
    assert "אושרה" in text and "יעדי" in text


def test_the_pdf_chart_does_not_read_the_data_transformer_streamlit_switches(
    db: Database, actors: dict[str, Actor]
) -> None:
    """The PDF is made on a download request, outside Streamlit's lock over Altair's globals;
    while another session's chart is converted the global data transformer may be Streamlit's,
    half switched (no datasets to put the data in). The PDF's chart must not depend on it."""
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    headline = next(h for h in briefing.headlines if h.spark)
    registry = alt.data_transformers
    registry.register("to_arrow_dataset", vega_charts._to_arrow_dataset)
    saved = registry._get_state()
    try:
        registry._active_name = "to_arrow_dataset"
        registry._active = registry._plugins["to_arrow_dataset"]
        registry._options = {}
        spec = trend_spec(headline, briefing, "en")
    finally:
        registry._set_state(saved)
    assert len(spec["datasets"]) == 1
    (rows,) = spec["datasets"].values()
    assert len(rows) == len([v for _, v in headline.spark if v is not None]) + len(
        [v for _, v in headline.district_spark if v is not None]
    )
