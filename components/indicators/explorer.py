"""The explorer's views: trend, changes and seasonal view, rankings, map, targets, breakdowns
and the data table. Each takes what the page loaded and draws one tab."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from components.common import charts
from components.common.charts import show as show_chart
from components.common.downloads import download_buttons
from components.common.tables import data_table
from components.common.text import plain
from components.indicators import data
from components.shell.context import PageContext
from components.shell.feedback import guarded
from employdash.briefing.text import fmt_signed_change, fmt_value
from employdash.config import get_config
from employdash.i18n import fmt_date, fmt_month, fmt_number, t
from employdash.indicators.catalogue import Definition
from employdash.indicators.explorer import against_targets, seasonal, with_changes


@dataclass(frozen=True)
class Selection:
    codes: tuple[int, ...]
    indicator: Definition
    start: date
    end: date


def axis_format(unit: str) -> str:
    return ".1%" if unit == "fraction" else ",.0f"


def _names(ctx: PageContext) -> dict[int, str]:
    return {loc.code: loc.name(ctx.lang) for loc in ctx.localities}


def trend(ctx: PageContext, sel: Selection, frame: pd.DataFrame) -> None:
    names = _names(ctx)
    plot = frame.assign(series=frame["locality_code"].map(names))[["period", "value", "series"]]
    district_label = None
    if len(sel.codes) == 1:
        district = data.district(
            ctx.db, ctx.actor, sel.codes[0], sel.indicator.code, sel.start, sel.end
        )
        if sel.indicator.unit != "count" and not district.empty:
            district_label = t("brief.chart.district", ctx.lang)
            plot = pd.concat(
                [plot, district.assign(series=district_label)[["period", "value", "series"]]],
                ignore_index=True,
            )
    drawn, title = plot.dropna(), sel.indicator.name(ctx.lang)
    fmt = axis_format(sel.indicator.unit)
    # A builder with its inputs: the finished spec is cached, so a run that draws the same trend
    # again neither rebuilds nor validates the chart (most of the page's run otherwise).
    show_chart(
        lambda: _trend_chart(drawn, title, fmt, district_label, ctx.lang),
        ctx.lang,
        inputs=(drawn, title, fmt, district_label),
    )


def _trend_chart(
    plot: pd.DataFrame, title: str, fmt: str, dashed: str | None, lang: str
) -> alt.Chart:
    chart = charts.lines(
        plot, "period", "value", "series", lang, y_title=title, fmt=fmt, dashed=dashed
    )
    return charts.configure(chart)


def changes(ctx: PageContext, sel: Selection, frame: pd.DataFrame) -> None:
    unit, lang = sel.indicator.unit, ctx.lang
    table = with_changes(frame, unit)
    latest = table[table["period"] == table["period"].max()]
    names = _names(ctx)
    columns = st.columns(max(1, min(4, len(latest))))
    for i, row in enumerate(latest.itertuples()):
        with columns[i % len(columns)]:
            st.metric(
                plain(names.get(row.locality_code, str(row.locality_code))),
                fmt_value(unit, None if pd.isna(row.value) else row.value, lang),
                border=True,
            )
            st.caption(
                f"{t('ind.col.mom', lang)}: {plain(_signed(unit, row.mom, lang))} · "
                f"{t('ind.col.yoy', lang)}: {plain(_signed(unit, row.yoy, lang))}"
            )
            st.caption(
                f"{t('ind.explorer.seasonal', lang)}: "
                f"{fmt_value(unit, None if pd.isna(row.last_year) else row.last_year, lang)}"
            )
    first = frame[frame["locality_code"] == sel.codes[0]]
    season = seasonal(first)
    if not season.empty:
        st.markdown(
            f"**{t('ind.explorer.seasonal', lang)} · {plain(names.get(sel.codes[0], ''))}**"
        )
        season["year"] = season["year"].astype(str)
        name = sel.indicator.name(lang)
        show_chart(
            lambda: _seasonal_chart(season, name, unit, lang), lang, inputs=(season, name, unit)
        )


def _seasonal_chart(season: pd.DataFrame, name: str, unit: str, lang: str) -> alt.Chart:
    """Each year's months as one line, to read a month against the same month of other years."""
    chart = charts.reading_lines(season, "month:O", lang, title=t("ind.col.period", lang)).encode(
        y=charts.value_axis("value", "", lang, axis_format(unit)),
        color=alt.Color("year:N", title=None, scale=alt.Scale(range=charts.PALETTE)),
    )
    return charts.configure(charts.titled(chart, name, lang), height=240)


def _signed(unit: str, value: float | None, lang: str) -> str:
    return fmt_signed_change(unit, None if value is None or pd.isna(value) else float(value), lang)


def ranking(ctx: PageContext, sel: Selection) -> None:
    names = _names(ctx)
    for code in sel.codes:
        ranks = data.rankings(ctx.db, ctx.actor, code, sel.indicator.code, sel.end)
        st.markdown(f"**{plain(names.get(code, code))}** · {fmt_month(sel.end, ctx.lang)}")
        if not ranks:
            st.caption(t("ind.explorer.rank.none", ctx.lang))
            continue
        for column, rank in zip(st.columns(len(ranks)), ranks, strict=True):
            column.metric(
                t(f"ind.explorer.rank.{rank.group}", ctx.lang),
                t("ind.explorer.rank.text", ctx.lang, rank=rank.rank, of=rank.of),
                border=True,
            )
    st.caption(t("ind.explorer.rank.note", ctx.lang))


def locality_map(ctx: PageContext, sel: Selection) -> None:
    codes = tuple(loc.code for loc in ctx.localities)
    frame = data.map_values(ctx.db, ctx.actor, sel.indicator.code, sel.end, codes)
    unit, lang = sel.indicator.unit, ctx.lang
    title = sel.indicator.name(lang)
    if unit == "count":
        frame["value"] = frame["value"] * 1000 / frame["population"]
        title = f"{title} / 1,000"
    frame["labelled"] = frame["locality_code"].isin(codes)
    frame["name"] = frame["name_he"] if lang == "he" else frame["name_en"]
    frame = frame.dropna(subset=["latitude", "longitude"])
    chart = charts.points_map(
        frame,
        "latitude",
        "longitude",
        "value",
        "name",
        lang,
        value_title=title,
        fmt=axis_format(unit) if unit != "count" else ",.1f",
        size="population",
        reverse_scheme=not sel.indicator.higher_is_better,
        labelled="labelled",
    )
    show_chart(charts.configure(chart, height=520), lang)
    st.caption(
        t(
            "ind.explorer.map.note",
            lang,
            name=plain(sel.indicator.name(lang)),
            month=fmt_month(sel.end, lang),
        )
    )


def targets(ctx: PageContext, sel: Selection, catalogue: dict[str, Definition]) -> None:
    lang = ctx.lang
    for code in sel.codes:
        found = None
        with guarded():
            found = against_targets(ctx.db, ctx.actor, code)
        st.markdown(f"**{plain(_names(ctx).get(code, code))}**")
        if found is None:
            st.info(t("ind.explorer.targets.unavailable", lang))
            continue
        if not found:
            st.info(t("ind.explorer.targets.none", lang))
            continue
        rows = []
        for item in found:
            info = catalogue.get(item["indicator_code"])
            unit = info.unit if info else "count"
            rows.append(
                {
                    t("ind.col.focus", lang): item["focus_title"],
                    t("ind.col.indicator", lang): info.name(lang)
                    if info
                    else item["indicator_code"],
                    t("ind.col.baseline", lang): fmt_value(unit, item["baseline"], lang),
                    t("ind.col.latest", lang): fmt_value(unit, item["latest"], lang),
                    t("ind.col.target", lang): fmt_value(unit, item["target"], lang),
                    t("ind.col.target_date", lang): fmt_date(item["target_date"], lang),
                }
            )
        data_table(pd.DataFrame(rows), hide_index=True, width="stretch")


def breakdowns(ctx: PageContext, sel: Selection) -> None:
    lang, threshold = ctx.lang, get_config().SUPPRESSION_THRESHOLD
    code = sel.codes[0]
    total, cells = data.breakdown(ctx.db, ctx.actor, code, sel.end, threshold)
    st.markdown(
        f"**{plain(_names(ctx).get(code, code))} · {fmt_month(sel.end, lang)}** · "
        f"{t('brief.col.value', lang)}: {fmt_number(total, lang)}"
    )
    if not cells:
        st.info(t("ind.explorer.breakdown.none", lang))
        return
    dimensions = list(dict.fromkeys(c.dimension for c in cells))
    for column, dimension in zip(
        st.columns(2) * ((len(dimensions) + 1) // 2), dimensions, strict=False
    ):
        group = [c for c in cells if c.dimension == dimension]
        frame = pd.DataFrame(
            {
                "category": [c.label(lang) for c in group],
                "value": [c.value for c in group],
                "label": [
                    fmt_number(c.value, lang)
                    if c.value is not None
                    else t("ind.explorer.hidden", lang)
                    for c in group
                ],
            }
        )
        with column:
            st.markdown(f"**{t(f'ind.dim.{dimension}', lang)}**")
            chart = charts.bars(frame, "category", "value", lang, sort=None)
            show_chart(charts.configure(chart, height=36 * len(group) + 30), ctx.lang)
            st.caption(
                " · ".join(
                    f"{plain(c)}: {plain(v)}"
                    for c, v in zip(frame["category"], frame["label"], strict=True)
                )
            )
    st.caption(t("ind.explorer.breakdown.note", lang, n=int(threshold)))


def table(ctx: PageContext, sel: Selection, frame: pd.DataFrame) -> None:
    lang, unit = ctx.lang, sel.indicator.unit
    names = _names(ctx)
    changed = with_changes(frame, unit)
    shown = pd.DataFrame(
        {
            t("ind.col.locality", lang): changed["locality_code"].map(names),
            t("ind.col.period", lang): changed["period"].dt.strftime("%Y-%m"),
            t("ind.col.indicator", lang): sel.indicator.name(lang),
            t("ind.col.value", lang): changed["value"],
            t("ind.col.status", lang): changed["status"].map(lambda s: t(f"ind.status.{s}", lang)),
            t("ind.col.mom", lang): changed["mom"].round(4),
            t("ind.col.yoy", lang): changed["yoy"].round(4),
            t("ind.col.last_year", lang): changed["last_year"],
        }
    )
    data_table(shown, hide_index=True, width="stretch", height=360)
    download_buttons(
        shown,
        f"indicators-{sel.indicator.code}-{sel.start:%Y%m}-{sel.end:%Y%m}",
        key="explorer_download",
    )
