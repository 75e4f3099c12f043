"""The programme's portfolio: every locality of the reader's scope side by side (forum, mentoring,
indicators against the district), filtered, sorted, downloaded; comparisons over time; notes."""

import streamlit as st

from components.portfolio import charts, notes
from components.portfolio import table as pt
from components.portfolio.data import cached_definitions, cached_portfolio
from components.shell.context import current
from components.shell.feedback import guarded
from employdash.i18n import fmt_date, local_today

ctx = current()
st.title(ctx.tr("portfolio.title"))
today = local_today()
with guarded():
    rows = sorted(cached_portfolio(ctx.db, ctx.actor, today), key=lambda r: r.name(ctx.lang))
    definitions = cached_definitions(ctx.db, ctx.actor)
    st.caption(ctx.tr("portfolio.caption", count=len(rows), date=fmt_date(today, ctx.lang)))
    kept, filters_text = pt.filters(ctx, rows)
    pt.table(ctx, kept, definitions)
    pt.downloads(ctx, kept, definitions, today, filters_text)
    pt.open_locality(ctx, kept)
    charts.stage_chart(ctx, kept, today)
    charts.attendance_chart(ctx, kept, today)
    charts.targets_chart(ctx, kept)
    st.header(ctx.tr("portfolio.notes.section"))
    names = {r.locality_code: r.name(ctx.lang) for r in kept}
    chosen = notes.note_form(ctx, names)
    if chosen is not None:
        notes.notes_list(ctx, chosen, names[chosen])
