"""The audit log: who changed what and when, in words (the same renderer as a record's history)."""

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.common.downloads import download_buttons
from components.common.localized import DATE_FORMAT, choose
from components.common.tables import data_table
from components.shell.context import current
from components.shell.feedback import guarded
from employdash import audit, history
from employdash.i18n import fmt_date, plural

ctx = current()
st.header(ctx.tr("audit.title"))
EVERYONE = "—"


def chosen(
    column: DeltaGenerator, label_key: str, field: str, words: Callable[[str], str] = str
) -> str | None:
    """The value picked in the filter of one audit field (its values in `words`); None for
    everyone. A filter that shows words has one key per language, so they are redrawn."""
    picked = column.selectbox(
        ctx.tr(label_key),
        [EVERYONE, *audit.distinct_values(ctx.db, ctx.actor, field)],
        format_func=words,
        placeholder=choose(),
        key=None if words is str else f"audit_{field}_{ctx.lang}",
    )
    return None if picked == EVERYONE else picked


with guarded():
    c1, c2, c3, c4 = st.columns(4)
    user = chosen(c1, "audit.filter.user", "username")
    entity = chosen(c2, "audit.filter.entity", "entity", history.entity_words(ctx.lang, EVERYONE))
    action = chosen(c3, "audit.filter.action", "action", history.action_words(ctx.lang, EVERYONE))
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
            username=user,
            entity=entity,
            action=action,
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
    data_table(frame, hide_index=True, width="stretch")
    download_buttons(frame, "audit-log", "audit")
