"""The parts of the briefing page: headline cards, sentences, attention list, forum and
mentoring panels, the trend chart and the print view. Text from users (decisions, team names)
is escaped as plain text, never rendered as HTML or Markdown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.common import charts
from components.common.charts import show as show_chart
from components.common.kpi import kpi
from components.common.text import plain
from employdash.briefing import text as say
from employdash.briefing.attention import MAX_ATTENTION
from employdash.briefing.build import TREND_MIN_MONTHS, Briefing, Headline
from employdash.config import get_config
from employdash.i18n import fmt_number, t

# Hides the app's chrome on screen, as the print stylesheet does on paper (static CSS only).
PRINT_VIEW_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stSidebarCollapsedControl"] { display: none !important; }
.stMain .block-container { max-width: 1100px !important; padding-top: 0.5rem !important; }
</style>"""


def print_view() -> None:
    st.html(PRINT_VIEW_CSS)


def _comparison(h: Headline, lang: str) -> str | None:
    """What the card's change is against; nothing when there is no change (a single month)."""
    if h.yoy is None:
        return None
    if h.district_yoy is None:
        return t("brief.vs_year", lang)
    district = t(
        "brief.card.district", lang, change=say.fmt_signed_change(h.unit, h.district_yoy, lang)
    )
    return f"{t('brief.vs_year', lang)} · {district}"


def _card(h: Headline, lang: str) -> None:
    rank = h.rank("district")
    kpi(
        h.name(lang),
        say.fmt_value(h.unit, h.value, lang),
        delta=say.fmt_signed_change(h.unit, h.yoy, lang) if h.yoy is not None else None,
        direction=h.yoy,
        verdict=h.verdict,
        description=_comparison(h, lang),
        # Newest on the left in Hebrew, as the time axes of the charts; one month is no line.
        spark=[v for _, v in (reversed(h.spark) if lang == "he" else h.spark)]
        if h.trend_months >= TREND_MIN_MONTHS
        else None,
        help=" · ".join(
            part
            for part in (
                t(f"brief.verdict.{h.verdict}", lang) if h.verdict else "",
                t("brief.card.rank", lang, rank=rank.rank, of=rank.of) if rank else "",
            )
            if part
        )
        or None,
    )


def headline_cards(briefing: Briefing, lang: str, per_row: int = 3) -> None:
    for start in range(0, len(briefing.headlines), per_row):
        for column, h in zip(
            st.columns(per_row), briefing.headlines[start : start + per_row], strict=False
        ):
            with column:
                _card(h, lang)


def summary(briefing: Briefing, lang: str) -> None:
    st.subheader(t("brief.section.summary", lang))
    st.markdown("\n".join(f"- {plain(s)}" for s in say.sentences(briefing, lang)))


def attention(briefing: Briefing, lang: str) -> None:
    st.subheader(t("brief.section.attention", lang))
    if not briefing.attention:
        st.success(t("brief.attention.none", lang))
        return
    st.markdown(
        "\n".join(
            f"{int(i)}. {plain(say.attention_text(item, briefing, lang))}"
            for i, item in enumerate(briefing.attention[:MAX_ATTENTION], start=1)
        )
    )


def forum_panel(briefing: Briefing, lang: str) -> None:
    st.subheader(t("brief.section.forum", lang))
    forum = briefing.forum
    if forum is None:
        key = "brief.forum.unavailable" if "forum" in briefing.unavailable else "brief.forum.none"
        st.info(t(key, lang))
        return
    st.markdown(f"**{t('brief.forum.stage', lang)}:** {plain(t(forum.stage_key, lang))}")
    done, overdue = st.columns(2)
    done.metric(
        t("brief.forum.tasks_done", lang),
        t("brief.forum.tasks_of", lang, done=forum.tasks_done, total=forum.tasks_total),
    )
    overdue.metric(t("brief.forum.overdue", lang), fmt_number(forum.tasks_overdue, lang))
    meeting = plain(say.next_meeting_text(forum, lang))
    st.caption(f"{t('brief.forum.next_meeting', lang)}: {meeting}")
    if forum.approval is not None:
        approved = say.approval_text(forum.approval, lang)
        if forum.approval.plan_changed:
            st.warning(plain(approved), icon=":material/edit_note:")
        else:
            st.success(plain(approved), icon=":material/verified:")
        if forum.approval.note:
            st.text(forum.approval.note)
    else:
        st.caption(t("brief.forum.not_approved", lang))
    st.markdown(f"**{t('brief.forum.targets', lang)}**")
    if forum.focus_progress:
        for title, share in forum.focus_progress:
            text = say.focus_target_text(forum, title, share, lang)
            st.progress(share or 0.0, text=plain(text))
    else:
        st.caption(t("brief.forum.no_targets", lang))
    st.markdown(f"**{t('brief.section.decisions', lang)}**")
    if forum.open_decisions:
        st.markdown("\n".join(f"- {plain(d)}" for d in dict.fromkeys(forum.open_decisions)))
    else:
        st.caption(t("brief.forum.no_decisions", lang))


def _count(value: int | None, lang: str) -> str:
    if value is None:
        return t("brief.suppressed", lang, n=get_config().SUPPRESSION_THRESHOLD)
    return fmt_number(value, lang)


def mentoring_panel(briefing: Briefing, lang: str) -> None:
    st.subheader(t("brief.section.mentoring", lang))
    snap = briefing.mentoring
    if snap is None:
        key = (
            "brief.mentoring.unavailable"
            if "mentoring" in briefing.unavailable
            else "brief.mentoring.none"
        )
        st.info(t(key, lang))
        return
    figures = (
        ("brief.mentoring.mentees", snap.mentees_active),
        ("brief.mentoring.matches", snap.matches_active),
        ("brief.mentoring.outcomes", snap.outcomes_12m),
        ("brief.mentoring.waiting", snap.waiting_for_mentor),
    )
    for start in (0, 2):  # two by two: four labels side by side would be cut short
        for column, (key, value) in zip(st.columns(2), figures[start : start + 2], strict=True):
            column.metric(t(key, lang), _count(value, lang))
    targets = getattr(snap, "targets", ())
    if targets:
        st.caption(t("ment.targets.title", lang))
        for line in targets:  # plain text labels, then the bar
            st.text(
                t(
                    "ment.targets.brief_line",
                    lang,
                    metric=t(f"ment.targets.{line.metric}", lang),
                    done=_count(line.actual, lang),
                    goal=fmt_number(line.goal, lang),
                )
            )
            st.progress(min(line.share or 0.0, 1.0))


def trend_chart(briefing: Briefing, lang: str) -> None:
    """The locality against its district over the last year, for one headline indicator; none
    when no headline has two months to draw."""
    h = briefing.trend()
    if h is None:
        return
    mine, district = t("brief.chart.locality", lang), t("brief.chart.district", lang)
    frame = pd.DataFrame(
        [{"period": p, "value": v, "series": briefing.name(lang)} for p, v in h.spark]
        + [{"period": p, "value": v, "series": district} for p, v in h.district_spark]
    ).dropna()
    frame["period"] = pd.to_datetime(frame["period"])
    fmt = ".1%" if h.unit == "fraction" else ",.0f"
    st.markdown(f"**{plain(h.name(lang))}: {plain(mine)} / {plain(district)}**")
    show_chart(
        lambda: charts.configure(
            charts.lines(frame, "period", "value", "series", lang, fmt=fmt, dashed=district),
            height=230,
        ),
        lang,
        inputs=(frame, fmt, district),
    )
