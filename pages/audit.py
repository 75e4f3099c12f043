"""The audit log: who changed what and when, in words (the same renderer as a record's history)."""

from datetime import UTC, datetime, time, timedelta

import pandas as pd
import streamlit as st

from components.common.downloads import download_buttons
from components.common.localized import DATE_FORMAT, choose
from components.shell.context import current
from components.shell.feedback import guarded
from employdash import audit, history
from employdash.i18n import fmt_date, plural

ctx = current()
st.header(ctx.tr("audit.title"))


with guarded():
    everyone = "—"
    c1, c2, c3, c4 = st.columns(4)
    user = c1.selectbox(
        ctx.tr("audit.filter.user"),
        [everyone, *audit.distinct_values(ctx.db, ctx.actor, "username")],
        placeholder=choose(),
    )
    entity = c2.selectbox(
        ctx.tr("audit.filter.entity"),
        [everyone, *audit.distinct_values(ctx.db, ctx.actor, "entity")],
        format_func=history.entity_words(ctx.lang, everyone),
        placeholder=choose(),
        key=f"audit_entity_{ctx.lang}",
    )
    action = c3.selectbox(
        ctx.tr("audit.filter.action"),
        [everyone, *audit.distinct_values(ctx.db, ctx.actor, "action")],
        format_func=history.action_words(ctx.lang, everyone),
        placeholder=choose(),
        key=f"audit_action_{ctx.lang}",
    )
    today = datetime.now(UTC).date()
    dates = c4.date_input(
        ctx.tr("audit.filter.dates"), (today - timedelta(days=30), today), format=DATE_FORMAT
    )
    since = until = None
    if isinstance(dates, tuple) and len(dates) == 2:
        since = datetime.combine(dates[0], time.min, tzinfo=UTC)
        until = datetime.combine(dates[1] + timedelta(days=1), time.min, tzinfo=UTC)
    entries = history.audit_in_words(
        ctx.db,
        ctx.actor,
        audit.AuditFilter(
            username=None if user == everyone else user,
            entity=None if entity == everyone else entity,
            action=None if action == everyone else action,
            since=since,
            until=until,
        ),
        ctx.lang,
    )
    st.caption(plural(len(entries), "audit.count", ctx.lang))
    frame = pd.DataFrame(
        {
            ctx.tr("audit.col.at"): [fmt_date(e.at, ctx.lang) for e in entries],
            ctx.tr("audit.col.user"): [e.who for e in entries],
            ctx.tr("audit.col.action"): [e.action for e in entries],
            ctx.tr("audit.col.entity"): [e.entity for e in entries],
            ctx.tr("audit.col.id"): [e.entity_id for e in entries],
            ctx.tr("audit.col.locality"): [e.locality_code for e in entries],
            ctx.tr("record.history.changes"): [e.summary(ctx.lang) for e in entries],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    download_buttons(frame, "audit-log", "audit")
