"""The record's own panels: its history in words, and its documents (listed and downloaded by
everyone who reads the forum; uploaded and removed by its managers).

History and file names are the users' text: shown with st.text or through plain(), never as
Markdown. A file's type is checked by the domain from its content, not here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

import streamlit as st

from components.common.commands import command_button, perform
from components.common.localized import dated
from components.common.pickers import pick
from components.common.text import plain
from components.forum import data
from components.forum.plan import metric_label
from components.shell.context import PageContext
from components.shell.feedback import show_error
from employdash.errors import DomainError
from employdash.forum import documents as docs
from employdash.forum.stages import ALL_MILESTONES
from employdash.forum.structure import Overview, forum_id_of
from employdash.forum.targets import MetricProgress
from employdash.i18n import fmt_date
from employdash.limits import MAX_DOCUMENT_BYTES, MIB


def isolated(text: str) -> str:
    """A name or value typed in either script, isolated (FSI...PDI) from the text around it."""
    return f"\u2068{text}\u2069"


DOC_REFUSAL = "_record_doc_error"  # a refused upload or removal, shown on the next draw
ACCEPTED = ["pdf", "doc", "docx", "xls", "xlsx", "png", "jpg", "jpeg", "gif", "webp"]


def history(ctx: PageContext, kind: str, record_id: int) -> None:
    """Who changed the record, what and when, newest first."""
    with st.expander(ctx.tr("record.history.title"), icon=":material/history:"):
        lines = data.record_history(ctx.db, ctx.actor, ctx.locality_code, kind, record_id, ctx.lang)
        if not lines:
            st.caption(ctx.tr("record.history.none"))
        for line in lines:
            st.markdown(
                f"**{plain(fmt_date(line.at, ctx.lang))}** · {plain(isolated(line.who))} · "
                f"{plain(line.action)} ({plain(line.entity)})"
            )
            for change in line.changes:
                # Each value isolated: a Hebrew value in an English line (or the reverse) must
                # not carry the arrow or the colon to its own side.
                st.text(change.words(ctx.lang, isolated))


def picked_history(ctx: PageContext, kind: str, labels: Mapping[int, str], key: str) -> None:
    """The history of one record picked from `labels` (the focuses, metrics or decisions)."""
    if not labels:
        return
    with st.container(key=f"{key}_history"):
        chosen = pick(ctx.tr(f"record.history.pick.{kind}"), labels, key=f"{key}_{ctx.lang}")
        history(ctx, kind, chosen)


def _content(ctx: PageContext, document_id: int) -> Callable[[], bytes]:
    """The document's content, read when someone asks for it (not on every run)."""
    return lambda: docs.document_file(ctx.db, ctx.actor, document_id).content


def _upload(ctx: PageContext, owner_kind: str, owner: int | str, base: str, key: str) -> None:
    """Attach the file chosen in the field `key`; a new field (`base`'s next generation) waits
    for the next one."""
    uploaded = st.session_state.get(key)
    if uploaded is None:
        return
    try:
        forum = forum_id_of(ctx.db, ctx.actor, ctx.locality_code)
        content = uploaded.getvalue()
        perform(
            ctx.db,
            ctx.actor,
            docs.UploadDocument.of(forum, owner_kind, owner, uploaded.name, content),
        )
    except DomainError as exc:
        st.session_state[DOC_REFUSAL] = exc
    else:
        st.session_state[f"{base}_file_gen"] = st.session_state.get(f"{base}_file_gen", 0) + 1


def documents(ctx: PageContext, owner_kind: str, owner: int | str, editor: bool) -> None:
    """The record's documents, each with a download (and for its managers a remove) button, and
    an upload field for its managers."""
    base = f"record_docs_{owner_kind}_{owner}"
    rows = data.list_documents(ctx.db, ctx.actor, ctx.locality_code, owner_kind, owner)
    with st.expander(ctx.tr("record.documents.title", n=len(rows)), icon=":material/attach_file:"):
        error = st.session_state.pop(DOC_REFUSAL, None)
        if isinstance(error, DomainError):
            show_error(error)
        if not rows:
            st.caption(ctx.tr("record.documents.none"))
        for row in rows:
            left, middle, right = st.columns([5, 2, 2], vertical_alignment="center")
            left.text(docs.describe(isolated(row.filename), row.kind, row.size, ctx.lang))
            left.caption(
                plain(dated("record.documents.uploaded", row.uploaded_at, who=row.uploaded_by))
            )
            middle.download_button(
                ctx.tr("record.documents.download"),
                _content(ctx, row.id),
                row.filename,
                key=f"{base}_get_{row.id}",
                icon=":material/download:",
                on_click="ignore",
            )
            if editor:
                command_button(
                    ctx,
                    ctx.tr("record.documents.delete"),
                    key=f"{base}_del_{row.id}",
                    icon=":material/delete:",
                    command=partial(docs.DeleteDocument.of, row.id),
                    refusal=DOC_REFUSAL,
                    place=right,
                )
        if editor:
            key = f"{base}_file_{st.session_state.get(f'{base}_file_gen', 0)}"
            st.file_uploader(
                ctx.tr("record.documents.upload", max_mib=MAX_DOCUMENT_BYTES // MIB),
                type=ACCEPTED,
                key=key,
                max_upload_size=MAX_DOCUMENT_BYTES // MIB,
            )
            st.button(
                ctx.tr("record.documents.attach"),
                key=f"{base}_attach",
                icon=":material/upload_file:",
                on_click=_upload,
                args=(ctx, owner_kind, owner, base, key),
            )


def _picked_record(ctx: PageContext, kind: str, labels: Mapping[int, str], editor: bool) -> None:
    """A record picked from `labels`, with its documents and its history."""
    if not labels:
        return
    st.subheader(ctx.tr(f"record.{kind}.title"))
    chosen = pick(ctx.tr(f"record.{kind}.pick"), labels, key=f"record_{kind}_{ctx.lang}")
    documents(ctx, kind, chosen, editor)
    history(ctx, kind, chosen)


def focus_panels(
    ctx: PageContext, view: Overview, metrics: list[MetricProgress], editor: bool
) -> None:
    """A focus's documents and history, and a metric's history, each picked from the forum's."""
    _picked_record(ctx, "focus", {f["id"]: f["title"] for f in view.focuses}, editor)
    labels = {m["id"]: metric_label(ctx, m) for m in metrics}
    picked_history(ctx, "metric", labels, "record_metric")


def milestone_documents(ctx: PageContext, editor: bool) -> None:
    """A stage milestone's documents (the plan document on "work plan written", say)."""
    names = {key: ctx.tr(f"forum.ms.{key}") for key in ALL_MILESTONES}
    chosen = pick(ctx.tr("record.documents.milestone"), names, key=f"record_ms_{ctx.lang}")
    documents(ctx, "milestone", chosen, editor)


def task_panels(ctx: PageContext, labels: Mapping[int, str], editor: bool) -> None:
    """A task's documents and history, the task picked from the plan's."""
    _picked_record(ctx, "task", labels, editor)
