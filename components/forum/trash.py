"""The trash: what a manager of the locality deleted in the last 90 days, each with a restore
button. Labels and reasons are the users' text: shown through plain() or st.text."""

from __future__ import annotations

from functools import partial

import streamlit as st

from components.common.commands import command_button
from components.common.localized import dated
from components.common.text import plain
from components.forum.record_panels import isolated
from components.shell.context import PageContext
from components.shell.feedback import show_error
from employdash.errors import DomainError
from employdash.forum import trash
from employdash.history import entity_words
from employdash.i18n import fmt_date

FLASH = "_trash_flash"


def _restored(item: trash.TrashRow) -> None:
    st.session_state[FLASH] = item


def _flash(ctx: PageContext) -> None:
    done = st.session_state.pop(FLASH, None)
    if isinstance(done, DomainError):
        show_error(done)
    elif isinstance(done, trash.TrashRow):
        kind = entity_words(ctx.lang)(done.entity)
        st.success(plain(ctx.tr("record.trash.restored", kind=kind, label=done.label)))


def page(ctx: PageContext) -> None:
    _flash(ctx)
    st.caption(ctx.tr("record.trash.intro"))
    rows = trash.list_trash(ctx.db, ctx.actor, ctx.locality_code)
    if not rows:
        st.info(ctx.tr("record.trash.empty"), icon=":material/delete:")
        return
    words = entity_words(ctx.lang)
    for item in rows:
        with st.container(border=True, key=f"trash_item_{item.id}"):
            left, right = st.columns([4, 1], vertical_alignment="center")
            left.markdown(f"**{plain(words(item.entity))}** · {plain(isolated(item.label))}")
            until = fmt_date(item.restorable_until, ctx.lang)
            when = dated("record.trash.deleted", item.deleted_at, who=item.deleted_by, until=until)
            left.caption(plain(when))
            if item.reason:
                left.text(ctx.tr("record.trash.reason", reason=item.reason))
            command_button(
                ctx,
                ctx.tr("record.trash.restore"),
                key=f"trash_restore_{item.id}",
                icon=":material/restore_from_trash:",
                command=partial(trash.RestoreFromTrash.of, ctx.locality_code, item.id),
                refusal=FLASH,
                then=partial(_restored, item),
                place=right,
            )
