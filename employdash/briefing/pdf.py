"""The briefing as a one-page A4 PDF: the same figures, sentences and attention list as the
page, with the trend chart as an image, in Hebrew (right to left) or English."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

from employdash.briefing.build import Briefing, Headline
from employdash.briefing.text import attention_text, fmt_signed_change, fmt_value, sentences
from employdash.i18n import fmt_date, fmt_month, fmt_percent, t

if TYPE_CHECKING:  # fpdf is imported when a PDF is made, not with every page that offers one
    from employdash.reports.pdf import Document

BIDI_CONTROLS = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f"))
MAX_ATTENTION = 5


def _clean(text: str) -> str:
    """fpdf2 runs its own bidi algorithm; the isolates meant for browsers only get in its way."""
    return text.translate(BIDI_CONTROLS)


def _rows(briefing: Briefing, lang: str) -> list[list[str]]:
    rows = []
    for h in briefing.headlines:
        rank = h.rank("district")
        rows.append(
            [
                h.name(lang),
                fmt_value(h.unit, h.value, lang),
                fmt_signed_change(h.unit, h.yoy, lang),
                fmt_signed_change(h.unit, h.district_yoy, lang),
                t("brief.rank", lang, rank=rank.rank, of=rank.of) if rank else "—",
            ]
        )
    return [[_clean(c) for c in row] for row in rows]


def trend_spec(h: Headline, briefing: Briefing, lang: str) -> dict[str, Any]:
    """A small line chart of the locality against its district (Vega-Lite, for vl-convert)."""
    district = t("brief.chart.district", lang)
    frame = pd.DataFrame(
        [{"period": p.isoformat(), "value": v, "series": briefing.name(lang)} for p, v in h.spark]
        + [{"period": p.isoformat(), "value": v, "series": district} for p, v in h.district_spark]
    ).dropna()
    fmt = ".1%" if h.unit == "fraction" else ",.0f"
    # The rows inline, not a data frame: a frame goes through Altair's global data transformer,
    # which Streamlit switches under its own lock while it converts another session's chart (this
    # runs on a download request, outside that lock); inline values never touch it.
    chart = (
        alt.Chart(alt.InlineData(values=frame.to_dict("records")))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "period:T",
                title=None,
                axis=alt.Axis(format="%m/%y"),
                scale=alt.Scale(reverse=lang == "he"),
            ),
            y=alt.Y(
                "value:Q",
                title=None,
                scale=alt.Scale(zero=False),
                axis=alt.Axis(format=fmt, orient="right" if lang == "he" else "left"),
            ),
            color=alt.Color(
                "series:N",
                title=None,
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(range=["#1f5fa8", "#e07b39"]),
            ),
            strokeDash=alt.condition(
                alt.datum.series == district, alt.value([5, 4]), alt.value([1, 0])
            ),
        )
        .properties(width=520, height=120, title=h.name(lang))
    )
    spec: dict[str, Any] = (
        chart.configure(font="DejaVu Sans").configure_view(strokeWidth=0).to_dict()
    )
    return spec


def _section(doc: Document, title: str, lines: list[str]) -> None:
    doc.ln(1)
    doc.heading(title, 11)
    doc.bullets([_clean(line) for line in lines], 9)


def _forum_lines(briefing: Briefing, lang: str) -> list[str]:
    forum = briefing.forum
    if forum is None:
        return [
            t(
                "brief.forum.unavailable"
                if "forum" in briefing.unavailable
                else "brief.forum.none",
                lang,
            )
        ]
    meeting = (
        fmt_date(forum.next_meeting, lang)
        if forum.next_meeting
        else t("brief.forum.no_meeting", lang)
    )
    lines = [
        f"{t('brief.forum.stage', lang)}: {t(forum.stage_key, lang)} · "
        f"{t('brief.forum.tasks_done', lang)}: "
        f"{t('brief.forum.tasks_of', lang, done=forum.tasks_done, total=forum.tasks_total)}"
        f" · {t('brief.forum.overdue', lang)}: {forum.tasks_overdue} · "
        f"{t('brief.forum.next_meeting', lang)}: {meeting}"
    ]
    # As on the screen: the mayor's approval of the work plan, then progress against the focus
    # targets (one line, to keep the page to one A4 sheet), then the truly open decisions.
    if forum.approval is not None:
        approved = t(
            "brief.forum.approved",
            lang,
            date=fmt_date(forum.approval.approved_on, lang),
            who=forum.approval.approved_by,
        )
        lines.append(approved + (f" · {forum.approval.note}" if forum.approval.note else ""))
    else:
        lines.append(t("brief.forum.not_approved", lang))
    targets = " · ".join(
        f"{title}: "
        + (fmt_percent(share, lang, 0) if share is not None else t("brief.forum.no_value", lang))
        for title, share in forum.focus_progress
    )
    lines.append(
        f"{t('brief.forum.targets', lang)}: {targets or t('brief.forum.no_targets', lang)}"
    )
    lines += [
        f"{t('brief.section.decisions', lang)}: {d}"
        for d in list(dict.fromkeys(forum.open_decisions))[:3]
    ]
    return lines


def _mentoring_lines(briefing: Briefing, lang: str, threshold: int) -> list[str]:
    snap = briefing.mentoring
    if snap is None:
        return [
            t(
                "brief.mentoring.unavailable"
                if "mentoring" in briefing.unavailable
                else "brief.mentoring.none",
                lang,
            )
        ]

    def show(v: int | None) -> str:
        return str(v) if v is not None else t("brief.suppressed", lang, n=threshold)

    return [
        " · ".join(
            f"{t(k, lang)}: {show(v)}"
            for k, v in (
                ("brief.mentoring.mentees", snap.mentees_active),
                ("brief.mentoring.matches", snap.matches_active),
                ("brief.mentoring.outcomes", snap.outcomes_12m),
                ("brief.mentoring.waiting", snap.waiting_for_mentor),
            )
        )
    ]


def briefing_pdf(briefing: Briefing, lang: str, generated: date, threshold: int = 5) -> bytes:
    from employdash.reports.pdf import FAMILY, Document, chart_png

    title = t("brief.title", lang, name=briefing.name(lang))
    doc = Document(lang, title)
    doc.heading(title, 17)
    doc.paragraph(
        t(
            "brief.caption",
            lang,
            month=fmt_month(briefing.period, lang),
            district=briefing.district(lang),
        ),
        9,
    )
    if not briefing.headlines:
        doc.paragraph(t("brief.no_data", lang))
        return doc.to_bytes()
    doc.ln(2)
    header = [
        t(k, lang)
        for k in (
            "brief.col.indicator",
            "brief.col.value",
            "brief.col.year",
            "brief.col.district",
            "brief.col.rank",
        )
    ]
    doc.grid(header, _rows(briefing, lang), widths=[62, 34, 32, 32, 26])
    _section(doc, t("brief.section.summary", lang), sentences(briefing, lang))
    chart = briefing.headline("unemployment_rate") or briefing.headlines[0]
    doc.ln(1)
    doc.image_png(chart_png(trend_spec(chart, briefing, lang)), width=doc.epw)
    items = [attention_text(i, briefing, lang) for i in briefing.attention[:MAX_ATTENTION]]
    _section(doc, t("brief.section.attention", lang), items or [t("brief.attention.none", lang)])
    _section(doc, t("brief.section.forum", lang), _forum_lines(briefing, lang))
    _section(doc, t("brief.section.mentoring", lang), _mentoring_lines(briefing, lang, threshold))
    doc.set_font(FAMILY, "", 7)
    doc.ln(1)
    doc.paragraph(
        t(
            "brief.pdf.generated",
            lang,
            date=fmt_date(generated, lang),
            source=t("brief.pdf.source", lang),
        ),
        7,
    )
    return doc.to_bytes()
