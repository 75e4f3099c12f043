"""Sending a saved meeting's minutes by e-mail: who will receive them and who cannot (no address)
before the manager sends, how many were sent after, and when they were last sent.

Names and addresses are shown with st.text (plain text, never Markdown or HTML).
"""

from __future__ import annotations

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import expander_form, handled
from components.common.state import Kept
from components.shell.context import PageContext
from employdash.i18n import fmt_date, plural
from employdash.limits import FIELDS
from employdash.mail import minutes as minutes_mail

SENT: Kept[str] = Kept("_minutes_mail_sent")


def _confirm(ctx: PageContext, sent: minutes_mail.MinutesSent) -> str:
    lines = [plural(sent.queued, "mail.minutes.queued", ctx.lang)]
    if sent.already:
        lines.append(ctx.tr("mail.minutes.already", n=sent.already))
    return " ".join(lines)


def send_minutes(ctx: PageContext, meeting_id: int) -> None:
    """The record's "sent on" line and the send form (for those who may write the forum)."""
    done = SENT.take()
    if done:
        st.success(done, icon=":material/mark_email_read:")
    sendings = minutes_mail.sendings(ctx.db, ctx.actor, meeting_id)
    if sendings:
        last = sendings[-1]
        st.caption(ctx.tr("mail.minutes.sent_on", date=fmt_date(last.on, ctx.lang), n=last.count))
    to = minutes_mail.recipients(ctx.db, ctx.actor, meeting_id)
    with expander_form(
        ctx.tr("mail.minutes.action"), ":material/forward_to_inbox:", f"minutes_mail_{meeting_id}"
    ) as feedback:
        if to.reachable:
            st.caption(ctx.tr("mail.minutes.will_reach"))
            st.text("\n".join(f"• {r.name} <{r.address}>" for r in to.reachable))
        else:
            st.warning(ctx.tr("mail.minutes.nobody"), icon=":material/unsubscribe:")
        if to.unreachable:
            st.caption(ctx.tr("mail.minutes.unreachable"))
            st.text("\n".join(f"• {name}" for name in to.unreachable))
        with feedback.labelled("note", ctx.tr("mail.minutes.note_label")) as label:
            note = st.text_area(label, max_chars=FIELDS["meeting/minutes_note"].max_len)
        if st.form_submit_button(
            ctx.tr("mail.minutes.send"), icon=":material/send:", disabled=not to.reachable
        ):
            with handled(feedback):
                sent = perform(
                    ctx.db, ctx.actor, minutes_mail.SendMinutes.of(meeting_id, note or None)
                )
                SENT.put(_confirm(ctx, sent))
                st.rerun()
