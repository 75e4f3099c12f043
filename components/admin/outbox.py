"""The outbox page's pieces: whether mail is on, the messages (newest first, by status), sending
a failed one again, and the last scheduled run of each kind. Addresses, names, subjects and the
servers' answers are shown as plain text: in tables (which never read Markdown) or through
`plain`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.common.commands import perform
from components.common.localized import choose
from components.common.tables import data_table
from components.common.text import plain
from components.shell.context import PageContext
from employdash.i18n import fmt_date, fmt_number, t
from employdash.mail import outbox_admin
from employdash.mail.outbox_admin import OutboxRow, OutboxState, RunRow

FLASH_KEY = "outbox_flash"
ALL = "all"


def kind_label(ctx: PageContext, kind: str) -> str:
    """A message kind by its name in the catalogue (tests/mail/test_kinds.py: every kind has
    one)."""
    return ctx.tr(f"outbox.kind.{kind}")


def mail_notice(ctx: PageContext, state: OutboxState, host: str) -> None:
    if state.mail_on:
        st.success(ctx.tr("outbox.mail_on", host=plain(host)), icon=":material/mail:")
    else:
        st.warning(ctx.tr("outbox.mail_off"), icon=":material/unsubscribe:")
    shown = {s: fmt_number(n, ctx.lang) for s, n in state.counts.items()}
    st.caption(plain(ctx.tr("outbox.counts", **shown)))


def status_filter(ctx: PageContext) -> str | None:
    language = ctx.lang  # bound now: a format_func may be called outside this run
    chosen = st.selectbox(
        ctx.tr("outbox.filter.status"),
        [ALL, *outbox_admin.STATUSES],
        format_func=lambda s: t(f"outbox.status.{s}", language),
        key=f"outbox_status_{language}",
        placeholder=choose(),
    )
    return None if chosen == ALL else chosen


def message_table(ctx: PageContext, rows: list[OutboxRow]) -> None:
    if not rows:
        st.info(ctx.tr("outbox.empty"))
        return
    columns = {
        "outbox.col.created": [fmt_date(r.created_at, ctx.lang) for r in rows],
        "outbox.col.kind": [kind_label(ctx, r.kind) for r in rows],
        "outbox.col.to": [r.to_address for r in rows],
        "outbox.col.subject": [r.subject for r in rows],
        "outbox.col.status": [ctx.tr(f"outbox.status.{r.status}") for r in rows],
        "outbox.col.attempts": [r.attempts for r in rows],
        "outbox.col.last_error": [r.last_error or "" for r in rows],
        "outbox.col.sent_at": [fmt_date(r.sent_at, ctx.lang) for r in rows],
    }
    # The short columns narrow, so the subject and the reason of a failure fit on one screen.
    narrow = {"outbox.col.status", "outbox.col.attempts"}
    data_table(
        pd.DataFrame({ctx.tr(key): values for key, values in columns.items()}),
        hide_index=True,
        width="stretch",
        column_config={ctx.tr(key): st.column_config.Column(width="small") for key in narrow},
    )
    if len(rows) >= outbox_admin.PAGE_SIZE:
        st.caption(ctx.tr("outbox.shown", n=fmt_number(len(rows), ctx.lang)))


def flash(ctx: PageContext) -> None:
    """The outcome of the last retry, shown once after the page is drawn again."""
    if st.session_state.pop(FLASH_KEY, None):
        st.success(ctx.tr("outbox.retry.done"))


def retry_section(ctx: PageContext, failed: list[OutboxRow]) -> None:
    st.subheader(ctx.tr("outbox.retry.heading"))
    if not failed:
        st.caption(ctx.tr("outbox.retry.none"))
        return
    by_id = {r.id: r for r in failed}
    chosen = st.selectbox(
        ctx.tr("outbox.retry.pick"),
        list(by_id),
        format_func=lambda i: f"#{i} · {by_id[i].to_address} · {by_id[i].subject}",
        key=f"outbox_retry_pick_{ctx.lang}",
        placeholder=choose(by_id),
    )
    if chosen is not None and st.button(ctx.tr("outbox.retry.button"), key="outbox_retry"):
        perform(ctx.db, ctx.actor, outbox_admin.RetryMessage.of(chosen))
        st.session_state[FLASH_KEY] = True
        st.rerun()


def runs_table(ctx: PageContext, runs: list[RunRow]) -> None:
    st.subheader(ctx.tr("outbox.runs.heading"))
    if not runs:
        st.caption(ctx.tr("outbox.runs.none"))
        return
    frame = pd.DataFrame(
        {
            ctx.tr("outbox.runs.col.kind"): [kind_label(ctx, r.kind) for r in runs],
            ctx.tr("outbox.runs.col.period"): [r.period for r in runs],
            ctx.tr("outbox.runs.col.started"): [fmt_date(r.started_at, ctx.lang) for r in runs],
            ctx.tr("outbox.runs.col.finished"): [fmt_date(r.finished_at, ctx.lang) for r in runs],
            ctx.tr("outbox.runs.col.messages"): [r.messages for r in runs],
        }
    )
    data_table(frame, hide_index=True, width="stretch")
