"""The briefing's figures, sentences, attention list and PDF, checked against the stored values."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, update

from employdash.access import Actor
from employdash.briefing.attention import MAX_ATTENTION
from employdash.briefing.build import Briefing, Headline, build_briefing
from employdash.briefing.pdf import briefing_pdf
from employdash.briefing.text import attention_text, sentences
from employdash.db import Database
from employdash.errors import PermissionDenied
from employdash.i18n import fmt_number
from employdash.indicators import values as indicators
from employdash.models.indicators import IndicatorValue

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

SEDEROT, NETIVOT = 1031, 246
AS_OF = date(2026, 11, 23)


def stored_value(db: Database, code: int, indicator: str, period: date) -> float:
    with db.transaction() as s:
        value = indicators.value_at(s, code, indicator, period)
    assert value is not None
    return value


def headline(briefing: Briefing, code: str) -> Headline:
    found = briefing.headline(code)
    assert found is not None
    return found


def test_headlines_match_the_stored_values(db: Database, actors: dict[str, Actor]) -> None:
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    with db.transaction() as s:
        latest = indicators.latest_value(s, SEDEROT, "job_seekers")
    assert latest is not None
    period, value = latest
    assert briefing.period == period
    seekers = headline(briefing, "job_seekers")
    year_ago = stored_value(db, SEDEROT, "job_seekers", indicators.add_months(period, -12))
    month_ago = stored_value(db, SEDEROT, "job_seekers", indicators.add_months(period, -1))
    assert seekers.value == value
    assert seekers.yoy == pytest.approx(value / year_ago - 1)
    assert seekers.mom == pytest.approx(value / month_ago - 1)
    growth = value / year_ago - 1
    assert seekers.verdict == ("bad" if growth > 0.005 else "good" if growth < -0.005 else "flat")
    district = indicators.district_series(
        db, actors["mayor"], SEDEROT, ["job_seekers"], indicators.add_months(period, -12), period
    )
    assert seekers.district_yoy == pytest.approx(
        district.value.iloc[-1] / district.value.iloc[0] - 1
    )
    assert seekers.spark[-1] == (period, value) and len(seekers.spark) == 13
    ranks = indicators.rankings(db, actors["mayor"], SEDEROT, "job_seekers", period)
    assert set(seekers.ranks) == set(ranks)
    rate = headline(briefing, "unemployment_rate")
    rate_year_ago = stored_value(
        db, SEDEROT, "unemployment_rate", indicators.add_months(period, -12)
    )
    assert rate.value is not None
    assert rate.yoy == pytest.approx(rate.value - rate_year_ago)  # in points, not relative


def test_sederot_job_seekers_rising_lead_the_attention_list(
    db: Database, actors: dict[str, Actor]
) -> None:
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    first = briefing.attention[0]
    assert (first.key, first.indicator_code) == ("brief.attention.wrong_way", "job_seekers")
    seekers = headline(briefing, "job_seekers")
    assert seekers.bad_streak >= 3 and briefing.period is not None
    for back in range(seekers.bad_streak):  # each month of the streak is worse than a year before
        month = indicators.add_months(briefing.period, -back)
        assert stored_value(db, SEDEROT, "job_seekers", month) > stored_value(
            db, SEDEROT, "job_seekers", indicators.add_months(month, -12)
        )
    shown = [i.severity for i in briefing.attention[:MAX_ATTENTION]]  # worst first
    assert shown == sorted(shown, reverse=True)
    text = attention_text(first, briefing, "en")
    assert text.startswith("Job seekers: worse than a year earlier for")


def test_a_streak_ends_when_a_month_is_better_than_last_year(
    db: Database, actors: dict[str, Actor]
) -> None:
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    period = briefing.period
    assert period is not None
    year_ago = stored_value(db, SEDEROT, "job_seekers", indicators.add_months(period, -12))
    with db.transaction() as s:
        s.execute(
            update(IndicatorValue)
            .where(
                IndicatorValue.locality_code == SEDEROT,
                IndicatorValue.indicator_code == "job_seekers",
                IndicatorValue.period == period,
            )
            .values(value=year_ago * 0.9)
        )
    after = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    assert headline(after, "job_seekers").bad_streak == 0
    assert headline(after, "job_seekers").verdict == "good"
    assert not any(
        i.indicator_code == "job_seekers" and i.key == "brief.attention.wrong_way"
        for i in after.attention
    )


def test_scope_and_roles(db: Database, actors: dict[str, Actor]) -> None:
    with pytest.raises(PermissionDenied):
        build_briefing(db, actors["mayor"], NETIVOT, AS_OF)
    with pytest.raises(PermissionDenied):
        build_briefing(db, actors["member"], SEDEROT, AS_OF)
    assert build_briefing(db, actors["manager"], NETIVOT, AS_OF).name("en") == "Netivot"


@pytest.mark.parametrize("lang", ["he", "en"])
def test_three_to_five_sentences_with_the_figures(
    db: Database, actors: dict[str, Actor], lang: str
) -> None:
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    said = sentences(briefing, lang)
    assert 3 <= len(said) <= 5
    assert briefing.name(lang) in said[0]
    seekers = headline(briefing, "job_seekers")
    assert seekers.yoy is not None
    assert f"{abs(seekers.yoy) * 100:.1f}%" in said[1]
    if lang == "en":
        assert said[1].startswith("Job seekers rose" if seekers.yoy > 0 else "Job seekers fell")


@pytest.mark.parametrize(("lang", "name"), [("he", "שדרות"), ("en", "Sederot")])
def test_pdf_is_one_a4_page_with_the_name_and_figures(
    db: Database, actors: dict[str, Actor], lang: str, name: str
) -> None:
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    reader = PdfReader(io.BytesIO(briefing_pdf(briefing, lang, AS_OF)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    assert name in text
    assert fmt_number(headline(briefing, "job_seekers").value, lang) in text
    assert fmt_number(headline(briefing, "avg_wage").value, lang) in text
    assert reader.pages[0].images  # the chart


def test_pdf_empty_states(db: Database, actors: dict[str, Actor]) -> None:
    briefing = build_briefing(db, actors["admin"], 1063, AS_OF)  # no mentoring program there
    assert briefing.mentoring is None
    plain = dataclasses.replace(briefing, forum=None, attention=[])
    text = PdfReader(io.BytesIO(briefing_pdf(plain, "en", AS_OF))).pages[0].extract_text()
    assert "No employment forum is recorded" in text
    assert "There is no mentoring program" in text
    assert "Nothing stands out" in text


def test_a_locality_without_figures(db: Database, actors: dict[str, Actor]) -> None:
    with db.transaction() as s:
        s.execute(delete(IndicatorValue).where(IndicatorValue.locality_code == SEDEROT))
    briefing = build_briefing(db, actors["mayor"], SEDEROT, AS_OF)
    assert briefing.period is None and briefing.headlines == []
    assert sentences(briefing, "he") == []
    text = PdfReader(io.BytesIO(briefing_pdf(briefing, "en", AS_OF))).pages[0].extract_text()
    assert "Indicators have not been imported" in " ".join(text.split())
