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

SENT: Kept[tuple[int, int]] = Kept("_minutes_mail_sent")  # (queued, already had it)
MEETING_PARAM = "meeting"  # the minutes e-mail's link names its meeting


def linked_meeting() -> int | None:
    """The meeting a link into the forum page names (`?meeting=<id>`), taken once."""
    linked = st.query_params.get(MEETING_PARAM)
    if linked is None:
        return None
    del st.query_params[MEETING_PARAM]
    return int(linked) if linked.isdigit() else None


def _confirm(ctx: PageContext, queued: int, already: int) -> None:
    st.success(plural(queued, "mail.minutes.queued", ctx.lang), icon=":material/mark_email_read:")
    if already:
        st.info(ctx.tr("mail.minutes.already", n=int(already)))


def send_minutes(ctx: PageContext, meeting_id: int) -> None:
    """The record's "sent on" line and the send form (for those who may write the forum)."""
    done = SENT.take()
    if done:
        _confirm(ctx, *done)
    sendings = minutes_mail.sendings(ctx.db, ctx.actor, meeting_id)
    if sendings:
        last = sendings[-1]
        on = fmt_date(last.on, ctx.lang)
        st.caption(plural(last.count, "mail.minutes.sent_on", ctx.lang, date=on))
    to = minutes_mail.recipients(ctx.db, ctx.actor, meeting_id)
    with expander_form(
        ctx.tr("mail.minutes.action"), ":material/forward_to_inbox:", f"minutes_mail_{meeting_id}"
    ) as feedback:
        if to.reachable:
            st.caption(ctx.tr("mail.minutes.will_reach"))
            st.text("\n".join(f"• {r.name} – {r.address}" for r in to.reachable))
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
                SENT.put((sent.queued, sent.already))
                st.rerun()
