"""Notes on a task (listed on it, added by anyone who may update it, the reason when blocked) and
the manager's cancel or delete with a reason.

Note text is the user's: shown with st.text, never as Markdown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import streamlit as st

from components.common.commands import command_button, perform
from components.common.form_feedback import expander_form, handled
from components.common.localized import dated
from components.common.text import plain
from components.forum import data
from components.shell.context import PageContext
from employdash.forum import tasks as task_service
from employdash.forum.tasks import AddNote, CancelTask, DeleteTask, TaskRow

NOTE = "task_note_{id}"


def note_key(task_id: int) -> str:
    return NOTE.format(id=task_id)


def pending_note(task_id: int) -> str:
    """What the user typed in the task's note field (the reason, when they mark it blocked)."""
    return str(st.session_state.get(note_key(task_id)) or "")


def _clear_note(task_id: int) -> None:
    st.session_state[note_key(task_id)] = ""


_READ: ContextVar[dict[int, list[task_service.Note]] | None] = ContextVar(
    "task_notes_read", default=None
)


@contextmanager
def read_together(ctx: PageContext, task_ids: Iterable[int]) -> Iterator[None]:
    """The notes of the cards drawn inside, read in one query instead of one per card, and cached
    per actor and tasks until a write to the forum (each card's own rerun, a fragment, reads its
    notes again: the list read here is used only inside the block)."""
    token = _READ.set(data.task_notes(ctx.db, ctx.actor, tuple(sorted(set(task_ids)))))
    try:
        yield
    finally:
        _READ.reset(token)


def notes(ctx: PageContext, task: TaskRow, with_input: bool = True) -> None:
    """The task's notes, oldest first, and (if the user may update it) a field to add one."""
    read = _READ.get()
    listed = read.get(task["id"]) if read is not None else None
    if listed is None:
        listed = task_service.notes(ctx.db, ctx.actor, task["id"])
    if with_input and task["editable"]:
        st.text_input(
            ctx.tr("task.note"),
            key=note_key(task["id"]),
            max_chars=4000,
            placeholder=ctx.tr("task.note"),
            label_visibility="collapsed",
        )
        command_button(
            ctx,
            ctx.tr("task.note.add"),
            key=f"task_note_add_{task['id']}",
            icon=":material/note_add:",
            command=lambda: AddNote.of(task["id"], pending_note(task["id"])),
            refusal=f"_task_error_{task['id']}",  # shown on the next run by the card
            then=lambda: _clear_note(task["id"]),
        )
    if listed:
        with st.expander(ctx.tr("task.notes", n=len(listed)), icon=":material/notes:"):
            for n in listed:
                st.caption(plain(dated("task.note.by", n.created_at.date(), author=n.author)))
                st.text(n.body)


def manage(ctx: PageContext, task: TaskRow) -> None:
    """Managers: cancel a task (it stays in the history, out of the counts) or delete it."""
    with expander_form(
        ctx.tr("task.manage"), ":material/cancel:", f"task_manage_{task['id']}_{task['version']}"
    ) as feedback:
        with feedback.labelled("reason", ctx.tr("task.reason"), mandatory=True) as label:
            reason = st.text_input(label, max_chars=1000)
        left, right = st.columns(2)
        cancel = left.form_submit_button(ctx.tr("task.cancel"), icon=":material/cancel:")
        remove = right.form_submit_button(ctx.tr("task.delete"), icon=":material/delete:")
        if cancel or remove:
            with handled(feedback):
                if cancel:
                    perform(ctx.db, ctx.actor, CancelTask.of(task["id"], task["version"], reason))
                else:
                    perform(ctx.db, ctx.actor, DeleteTask.of(task["id"], task["version"], reason))
                st.session_state.pop("task_edit_pick", None)
                st.success(ctx.tr("task.cancelled_done" if cancel else "task.deleted_done"))
                st.rerun()
