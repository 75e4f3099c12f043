"""The mail outbox: what was sent, what waits, what failed and why; sending a failed message
again; the last scheduled run; and, with no mail server configured, that mail is off."""

import streamlit as st

from components.admin import outbox as view
from components.shell.context import current
from components.shell.feedback import guarded
from employdash.config import get_config
from employdash.mail import outbox_admin

ctx = current()
st.header(ctx.tr("outbox.title"))
st.caption(ctx.tr("outbox.intro"))
view.flash(ctx)
with guarded():
    config = get_config()
    state = outbox_admin.state(ctx.db, ctx.actor, config)
    view.mail_notice(ctx, state, config.SMTP_HOST)
    status = view.status_filter(ctx)
    view.message_table(ctx, outbox_admin.messages(ctx.db, ctx.actor, status))
    view.runs_table(ctx, state.last_runs)
with guarded():
    view.retry_section(ctx, outbox_admin.messages(ctx.db, ctx.actor, "failed"))
