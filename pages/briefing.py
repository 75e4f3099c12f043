"""The leadership briefing: one locality on one screen, readable in under a minute."""

from datetime import date
from functools import partial

import streamlit as st

from components.briefing import approval, next_steps, sections
from components.briefing.data import briefing_for
from components.common.text import plain
from components.shell.context import current
from components.shell.feedback import guarded
from employdash.briefing.pdf import briefing_download
from employdash.briefing.text import stale_text
from employdash.config import get_config
from employdash.i18n import fmt_month

ctx = current()
if ctx.locality is None:
    st.info(ctx.tr("brief.no_locality"))
    next_steps.show(ctx, None, expanded=True)  # a new installation: enabling one comes first
    st.stop()

briefing = None
with guarded():
    briefing = briefing_for(ctx.db, ctx.actor, ctx.locality.code)
if briefing is None:
    st.stop()

title_col, toggle_col = st.columns([4, 1], vertical_alignment="bottom")
title_col.title(ctx.tr("brief.title", name=plain(briefing.name(ctx.lang))))
if toggle_col.toggle(ctx.tr("brief.print_view"), key="brief_print_view"):
    sections.print_view()
    st.caption(ctx.tr("brief.print_hint"))
# Open while the page is still empty; folded once it shows figures and a forum.
next_steps.show(ctx, ctx.locality.code, expanded=not briefing.headlines or briefing.forum is None)
if briefing.headlines:
    caption = ctx.tr(
        "brief.caption",
        month=fmt_month(briefing.period, ctx.lang),
        district=plain(briefing.district(ctx.lang)),
    )
    if any(h.status == "preliminary" for h in briefing.headlines):
        caption += f" ({ctx.tr('brief.card.preliminary')})"
    st.caption(caption)
    stale = stale_text(briefing, ctx.lang)
    if stale:
        st.warning(plain(stale), icon=":material/update:")
    sections.headline_cards(briefing, ctx.lang)
    left, right = st.columns([3, 2], gap="large")
    with left:
        sections.summary(briefing, ctx.lang)
        sections.attention(briefing, ctx.lang)
    with right:
        sections.forum_panel(briefing, ctx.lang)
        approval.approval_form(ctx, briefing)
        sections.mentoring_panel(briefing, ctx.lang)
    sections.trend_chart(briefing, ctx.lang)
else:
    # No indicators imported yet: the forum and mentoring do not depend on them.
    st.info(ctx.tr("brief.no_data"))
    left, right = st.columns(2, gap="large")
    with left:
        sections.forum_panel(briefing, ctx.lang)
        approval.approval_form(ctx, briefing)
    with right:
        sections.mentoring_panel(briefing, ctx.lang)

# on_click="ignore": a click that also reran the page raced the PDF request (the rerun can drop
# the deferred file before the browser fetches it); the download needs no rerun.
month = briefing.period or date.today()
st.download_button(
    ctx.tr("brief.download_pdf"),
    data=partial(
        briefing_download, briefing, ctx.lang, date.today(), get_config().SUPPRESSION_THRESHOLD
    ),
    file_name=f"briefing-{briefing.locality_code}-{month:%Y-%m}-{ctx.lang}.pdf",
    mime="application/pdf",
    icon=":material/picture_as_pdf:",
    key="brief_pdf",
    on_click="ignore",
)
