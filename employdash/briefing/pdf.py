"""The briefing as a one-page A4 PDF: the same figures, sentences and attention list as the
page, with the trend chart as an image, in Hebrew (right to left) or English."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

from employdash.briefing.attention import MAX_ATTENTION
from employdash.briefing.build import Briefing, Headline
from employdash.briefing.text import (
    approval_text,
    attention_text,
    fmt_signed_change,
    fmt_value,
    focus_target_text,
    next_meeting_text,
    sentences,
    stale_text,
)
from employdash.i18n import fmt_date, fmt_month, t

if TYPE_CHECKING:  # fpdf is imported when a PDF is made, not with every page that offers one
    from employdash.reports.pdf import Document

LOG = logging.getLogger(__name__)
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f"))


def _clean(text: str) -> str:
    """fpdf2 runs its own bidi algorithm; the isolates meant for browsers only get in its way."""
    return text.translate(BIDI_CONTROLS)


COLUMNS = (
    ("brief.col.indicator", 62),
    ("brief.col.value", 34),
    ("brief.col.year", 32),
    ("brief.col.district", 32),
    ("brief.col.rank", 26),
)
FIXED_COLUMNS = 2  # the indicator and its value; the comparisons may all be empty
EMPTY = "—"


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
                t("brief.rank", lang, rank=rank.rank, of=rank.of) if rank else EMPTY,
            ]
        )
    return [[_clean(c) for c in row] for row in rows]


def _table(doc: Document, briefing: Briefing, lang: str) -> None:
    """The headline table, without the comparison columns no row has a figure for (a single
    month has no change in a year: a column of dashes says nothing)."""
    rows = _rows(briefing, lang)
    kept = [
        i for i in range(len(COLUMNS)) if i < FIXED_COLUMNS or any(row[i] != EMPTY for row in rows)
    ]
    doc.grid(
        [t(COLUMNS[i][0], lang) for i in kept],
        [[row[i] for i in kept] for row in rows],
        widths=[COLUMNS[i][1] for i in kept],
    )


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


def forum_lines(briefing: Briefing, lang: str) -> list[str]:
    """The forum section as lines (the PDF's and the weekly e-mail's)."""
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
    meeting = next_meeting_text(forum, lang)
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
        approved = approval_text(forum.approval, lang)
        lines.append(approved + (f" · {forum.approval.note}" if forum.approval.note else ""))
    else:
        lines.append(t("brief.forum.not_approved", lang))
    targets = " · ".join(  # each title isolated: a Hebrew title in an English line (e-mail)
        focus_target_text(forum, title, share, lang, f"\u2068{title}\u2069")
        for title, share in forum.focus_progress
    )
    lines.append(
        f"{t('brief.forum.targets', lang)}: {targets or t('brief.forum.no_targets', lang)}"
    )
    lines += [
        f"{t('brief.section.decisions', lang)}: \u2068{d}\u2069"
        for d in list(dict.fromkeys(forum.open_decisions))[:3]
    ]
    return lines


def mentoring_lines(briefing: Briefing, lang: str, threshold: int) -> list[str]:
    """The mentoring section as lines, a suppressed count said as such (PDF and e-mail)."""
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


def _chart(doc: Document, briefing: Briefing, lang: str) -> None:
    """The trend as an image; left out when there is none to draw (fewer than two months), and
    replaced by a line saying so when it cannot be drawn: the rest of the page still stands."""
    from employdash.reports.pdf import chart_png

    headline = briefing.trend()
    if headline is None:
        return
    doc.ln(1)
    try:
        png = chart_png(trend_spec(headline, briefing, lang))
    except Exception:  # vl-convert raises plain ValueErrors (and Rust panics) for a bad chart
        LOG.exception("briefing chart of locality %s not drawn", briefing.locality_code)
        doc.paragraph(t("brief.pdf.chart_failed", lang), 8)
        return
    doc.image_png(png, width=doc.epw)


def _indicators(doc: Document, briefing: Briefing, lang: str) -> None:
    doc.paragraph(
        t(
            "brief.caption",
            lang,
            month=fmt_month(briefing.period, lang),
            district=briefing.district(lang),
        ),
        9,
    )
    stale = stale_text(briefing, lang)
    if stale:
        doc.paragraph(_clean(stale), 9)
    doc.ln(2)
    _table(doc, briefing, lang)
    _section(doc, t("brief.section.summary", lang), sentences(briefing, lang))
    _chart(doc, briefing, lang)
    items = [attention_text(i, briefing, lang) for i in briefing.attention[:MAX_ATTENTION]]
    _section(doc, t("brief.section.attention", lang), items or [t("brief.attention.none", lang)])


def briefing_pdf(briefing: Briefing, lang: str, generated: date, threshold: int = 5) -> bytes:
    """The briefing on one A4 page. With no indicators imported yet it says so and carries the
    forum and mentoring sections, which do not depend on them."""
    from employdash.reports.pdf import FAMILY, Document

    title = t("brief.title", lang, name=briefing.name(lang))
    doc = Document(lang, title)
    doc.heading(title, 17)
    if briefing.headlines:
        _indicators(doc, briefing, lang)
    else:
        doc.paragraph(t("brief.no_data", lang))
    _section(doc, t("brief.section.forum", lang), forum_lines(briefing, lang))
    _section(doc, t("brief.section.mentoring", lang), mentoring_lines(briefing, lang, threshold))
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


def failure_pdf(briefing: Briefing, lang: str) -> bytes:
    """A page saying, in the reader's language, that the briefing could not be made."""
    from employdash.reports.pdf import Document

    title = t("brief.title", lang, name=briefing.name(lang))
    doc = Document(lang, title)
    doc.heading(title, 17)
    doc.paragraph(t("brief.pdf.failed", lang))
    return doc.to_bytes()


def briefing_download(briefing: Briefing, lang: str, generated: date, threshold: int = 5) -> bytes:
    """What the download button gives. It runs on the download request, where an exception
    reaches nobody (the click would do nothing): a briefing that cannot be made becomes a page
    saying so, and the trace goes to the server's log."""
    try:
        return briefing_pdf(briefing, lang, generated, threshold)
    except Exception:
        LOG.exception("briefing PDF of locality %s not made", briefing.locality_code)
        return failure_pdf(briefing, lang)
