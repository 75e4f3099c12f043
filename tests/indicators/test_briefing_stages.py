"""The briefing and its PDF at every stage of a new installation: no indicators imported, a single
month, a single measure, and figures months old. Each stage is the demo data with indicator
values taken away (every locality's, as a new installation's first files would leave them); the
PDF is made as the download makes it and its text read back."""

from __future__ import annotations

import io
import logging
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import ColumnElement, delete

from employdash.access import Actor
from employdash.briefing.build import Briefing, build_briefing
from employdash.briefing.pdf import briefing_download, trend_spec
from employdash.briefing.text import sentences
from employdash.db import Database
from employdash.i18n import fmt_month, fmt_number, t
from employdash.models.indicators import IndicatorValue
from employdash.reports.pdf import chart_png

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

SEDEROT = 1031
AS_OF = date(2026, 11, 23)
NEWEST = date(2026, 10, 1)  # the demo's newest month
LANGS = ["he", "en"]


def _keep_only(db: Database, kept: ColumnElement[bool] | None) -> None:
    """Delete every indicator value but those `kept` selects (None: delete them all)."""
    query = delete(IndicatorValue)
    with db.transaction() as s:
        s.execute(query if kept is None else query.where(~kept))


def _pdf(briefing: Briefing, lang: str) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(briefing_download(briefing, lang, AS_OF)))
    assert len(reader.pages) == 1
    return " ".join("".join(p.extract_text() for p in reader.pages).split()), reader


def _section_titles(lang: str) -> list[str]:
    return [t("brief.section.forum", lang), t("brief.section.mentoring", lang)]


@pytest.mark.parametrize("lang", LANGS)
def test_no_indicators_gives_the_forum_and_mentoring_and_says_why(
    db: Database, actors: dict[str, Actor], lang: str
) -> None:
    _keep_only(db, None)
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    assert briefing.period is None and briefing.headlines == [] and briefing.trend() is None
    assert not briefing.stale
    assert briefing.forum is not None and briefing.mentoring is not None
    text, reader = _pdf(briefing, lang)
    assert " ".join(t("brief.no_data", lang).split()[:3]) in text
    for title in _section_titles(lang):
        assert title in text
    assert t("brief.col.rank", lang) not in text  # no table of figures, no sentences on them
    assert t("brief.section.summary", lang) not in text
    assert t("brief.section.attention", lang) not in text
    assert "—" not in text.split(t("brief.section.forum", lang))[0]  # no empty month
    assert not reader.pages[0].images  # no chart


@pytest.mark.parametrize("lang", LANGS)
def test_one_month_shows_the_figures_without_changes_or_a_chart(
    db: Database, actors: dict[str, Actor], lang: str
) -> None:
    _keep_only(db, IndicatorValue.period == NEWEST)
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    assert briefing.period == NEWEST and len(briefing.headlines) == 6
    assert all(h.yoy is None and h.mom is None and h.trend_months == 1 for h in briefing.headlines)
    assert briefing.trend() is None  # one point is no line
    text, reader = _pdf(briefing, lang)
    for h in briefing.headlines:
        if h.unit == "count":
            assert fmt_number(h.value, lang) in text
    assert t("brief.col.value", lang) in text and t("brief.col.rank", lang) in text
    assert t("brief.col.year", lang) not in text  # a column of dashes says nothing
    assert t("brief.col.district", lang) not in text
    assert "nan" not in text.lower()
    assert not reader.pages[0].images
    for title in _section_titles(lang):
        assert title in text
    said = sentences(briefing, lang)
    assert said and not any("nan" in s.lower() or "—" in s for s in said)


@pytest.mark.parametrize("lang", LANGS)
def test_one_measure_shows_that_measure_and_its_trend(
    db: Database, actors: dict[str, Actor], lang: str
) -> None:
    """The partial import that made the download do nothing: five headlines without a value
    gave an empty trend chart, which vl-convert cannot draw."""
    _keep_only(db, IndicatorValue.indicator_code == "job_seekers")
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    assert [h.code for h in briefing.headlines] == ["job_seekers"]
    seekers = briefing.headlines[0]
    assert briefing.trend() is seekers
    text, reader = _pdf(briefing, lang)
    assert fmt_number(seekers.value, lang) in text
    assert t("brief.col.year", lang) in text  # 48 months: the changes are there
    assert reader.pages[0].images  # the job seekers' trend
    assert t("brief.pdf.chart_failed", lang) not in text


@pytest.mark.parametrize("lang", LANGS)
def test_one_measure_for_one_month(db: Database, actors: dict[str, Actor], lang: str) -> None:
    _keep_only(
        db, (IndicatorValue.indicator_code == "avg_wage") & (IndicatorValue.period == NEWEST)
    )
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    assert [h.code for h in briefing.headlines] == ["avg_wage"]
    text, reader = _pdf(briefing, lang)
    assert fmt_number(briefing.headlines[0].value, lang) in text
    assert "nan" not in text.lower() and not reader.pages[0].images


def test_an_empty_chart_cannot_be_drawn_so_it_is_never_asked_for(
    db: Database, actors: dict[str, Actor]
) -> None:
    """What the server logged: a headline with no values makes an empty chart, and vl-convert
    refuses it. The briefing holds no such headline, so it never asks."""
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    rate = briefing.headline("unemployment_rate")
    assert rate is not None
    empty: list[tuple[date, float | None]] = [(period, None) for period, _ in rate.spark]
    spec = trend_spec(replace(rate, spark=empty, district_spark=empty), briefing, "en")
    with pytest.raises(ValueError, match="SVG has an invalid size"):
        chart_png(spec)
    _keep_only(db, IndicatorValue.indicator_code == "job_seekers")
    partial = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    assert partial.headline("unemployment_rate") is None


def _stale_words(briefing: Briefing, lang: str) -> str:
    """The start of the stale-figures sentence for this briefing (the PDF wraps the rest)."""
    said = t(
        "brief.stale",
        lang,
        month=fmt_month(briefing.period, lang),
        months=briefing.months_behind,
    )
    return " ".join(said.split()[:6])


@pytest.mark.parametrize("lang", LANGS)
def test_stale_figures_say_how_old_they_are(
    db: Database, actors: dict[str, Actor], lang: str
) -> None:
    fresh = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    assert fresh.months_behind == 1 and not fresh.stale  # October in November: usual
    assert _stale_words(fresh, lang) not in _pdf(fresh, lang)[0]
    two = build_briefing(db, actors["mayor"], SEDEROT, date(2026, 12, 31))
    assert two.months_behind == 2 and not two.stale  # two behind is still the usual lag

    _keep_only(db, IndicatorValue.period <= date(2026, 6, 1))
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    assert briefing.period == date(2026, 6, 1)
    assert briefing.months_behind == 5 and briefing.stale
    assert _stale_words(briefing, lang) in _pdf(briefing, lang)[0]


def _refuse(message: str) -> object:
    def refuse(*args: object, **kwargs: object) -> bytes:
        raise ValueError(message)

    return refuse


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("broken", "said", "kept"),
    [
        # the chart converter failing for any other reason: the page without the chart
        ("employdash.reports.pdf.chart_png", "brief.pdf.chart_failed", "brief.section.attention"),
        # anything else: a page saying the briefing could not be made
        ("employdash.briefing.pdf.briefing_pdf", "brief.pdf.failed", None),
    ],
)
def test_a_failure_is_said_in_the_readers_language_and_logged(
    db: Database,
    actors: dict[str, Actor],
    lang: str,
    broken: str,
    said: str,
    kept: str | None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(broken, _refuse("conversion failed: out of fonts"))
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    with caplog.at_level(logging.ERROR):
        text, reader = _pdf(briefing, lang)
    assert briefing.name(lang) in text
    assert " ".join(t(said, lang).split()[:5]) in text
    assert kept is None or t(kept, lang) in text  # what follows the chart is still there
    assert not reader.pages[0].images
    assert "out of fonts" not in text and "Traceback" not in text
    assert "out of fonts" in caplog.text  # the trace is in the server's log
