"""Task UI: the quick status/progress card (one click from landing), the board, the timeline,
the overdue and due-soon lists, and the manager's edit form.

A save names the version the card was drawn from; a refusal (someone else saved meanwhile) keeps
the user's value in session state with a button to apply it again over the new version.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from components.common.charts import reading_axis, reading_scale
from components.common.charts import show as show_chart
from components.common.commands import perform
from components.common.form_feedback import FormFeedback, feedback_form, handled
from components.common.localized import choose, date_columns
from components.common.pickers import pick, pick_or_none
from components.common.state import Kept
from components.common.tables import data_table
from components.common.text import plain
from components.forum import task_notes
from components.forum.forms import form_key, renew
from components.shell.context import PageContext
from components.shell.feedback import show_error
from employdash.errors import DomainError, NotFound, PermissionDenied, StaleVersion, ValidationError
from employdash.forum.structure import FocusRow, PersonChoice, TeamRow
from employdash.forum.tasks import AddNote, CreateTask, TaskRow, UpdateTask, get_task
from employdash.forum.vocabulary import TASK_STATUSES
from employdash.i18n import fmt_date

STATUS_ICON = {
    "not_started": ":material/radio_button_unchecked:",
    "in_progress": ":material/pending:",
    "blocked": ":material/block:",
    "done": ":material/check_circle:",
    "cancelled": ":material/cancel:",
}
TIMING_ICON = {"overdue": ":material/alarm: ", "due_soon": ":material/schedule: "}
PROGRESS_STEPS = (0, 25, 50, 75, 100)
CONFLICTS = "_task_conflicts"
FLASH: Kept[str] = Kept("_task_flash")
BOARD_LIMIT = 15
CLOSED = frozenset({"done", "cancelled"})
WHOLE_PAGE = "_task_card_moved"
_LATEST = "_task_latest_{id}"


def _status_label(ctx: PageContext, status: str, icon: bool = True) -> str:
    """With a Material icon for widgets; plain text for tables (which show no icons)."""
    text = ctx.tr(f"task.status.{status}")
    return f"{STATUS_ICON[status]} {text}" if icon else text


def _field(task: TaskRow, name: str) -> object:
    """A task field named at run time (a widget's field, a changed value's key)."""
    fields: Mapping[str, object] = task
    return fields[name]


def _save(ctx: PageContext, task: TaskRow, values: dict[str, Any], note: str | None = None) -> None:
    """Save and remember the outcome for the next run (callbacks run before the page).

    The note (the reason, when marking blocked) is the card's note field unless one is given."""
    conflicts = st.session_state.setdefault(CONFLICTS, {})
    from_card = note is None
    note = task_notes.pending_note(task["id"]) if note is None else note
    try:
        if not values:  # only a note
            perform(ctx.db, ctx.actor, AddNote.of(task["id"], note))
            FLASH.put(task["title"])
            return
        read = {k: _field(task, k) for k in values}
        command = UpdateTask.of(task["id"], task["version"], values, read, note)
        perform(ctx.db, ctx.actor, command)
        st.session_state[_LATEST.format(id=task["id"])] = get_task(ctx.db, ctx.actor, task["id"])
        if note and from_card:
            st.session_state[task_notes.note_key(task["id"])] = ""
        conflicts.pop(task["id"], None)
        FLASH.put(task["title"])
    except StaleVersion as exc:
        conflicts[task["id"]] = {
            "values": values,
            "changes": exc.changes,
            "version": exc.current_version,
        }
    except DomainError as exc:
        st.session_state[f"_task_error_{task['id']}"] = exc


def _on_change(ctx: PageContext, task: TaskRow, field: str, key: str) -> None:
    value = st.session_state.get(key)
    if value is None or value == _field(task, field):
        return
    _save(ctx, task, {field: value})
    if field == "status" and (value in CLOSED) != (task["status"] in CLOSED):
        # The task moves between the open and the closed lists: the page, not the card, changed.
        st.session_state[WHOLE_PAGE] = True


def _latest(task: TaskRow) -> TaskRow:
    """The task as the card's last save left it: a card's rerun is handed the row the page read
    before that save."""
    saved: TaskRow | None = st.session_state.get(_LATEST.format(id=task["id"]))
    return saved if saved is not None and saved["version"] > task["version"] else task


def _conflict(ctx: PageContext, task: TaskRow) -> None:
    box = st.session_state.get(CONFLICTS, {}).get(task["id"])
    if not box:
        return
    show_error(StaleVersion(box["changes"], box["version"]))
    yours = ", ".join(f"{ctx.tr('task.' + k)}: {plain(v)}" for k, v in box["values"].items())
    st.caption(ctx.tr("task.yours_kept", values=yours))
    if st.button(
        ctx.tr("task.reapply"),
        key=f"reapply_{task['id']}_{task['version']}",
        icon=":material/replay:",
    ):
        _save(ctx, task, box["values"])
        st.rerun()


@st.fragment
def quick_card(ctx: PageContext, task: TaskRow) -> None:
    """One task with its status and progress controls; a change saves at once.

    A fragment: a tap reruns this card alone (the member's status tap does not redraw the board,
    the timeline and the lists); a change that moves the task between the open and the closed
    lists reruns the whole page."""
    if st.session_state.pop(WHOLE_PAGE, False):
        st.rerun(scope="app")
    task = _latest(task)
    flash(ctx)
    with st.container(border=True, key=f"task_card_{task['id']}"):
        badge = TIMING_ICON.get(task["timing"], "")
        facts = " · ".join(
            x
            for x in (
                ctx.tr("task.due_on", date=fmt_date(task["due_date"], ctx.lang)),
                plain(task["team"]),
                plain(task["owner"]),
                ctx.tr(f"task.timing.{task['timing']}") if task["timing"] else "",
            )
            if x
        )
        # The title and its facts in one element (a card per task: elements are most of the
        # page's run), the facts as small text the stylesheet mutes like a caption.
        st.markdown(f"{badge}**{plain(task['title'])}**  \n:small[{facts}]")
        err = st.session_state.pop(f"_task_error_{task['id']}", None)
        if err:
            show_error(err)
        if not task["editable"]:
            st.progress(task["progress"] / 100, text=_status_label(ctx, task["status"]))
            return
        skey = f"task_status_{task['id']}_{task['version']}"
        st.segmented_control(
            ctx.tr("task.status"),
            TASK_STATUSES,
            default=task["status"],
            key=skey,
            format_func=lambda s: _status_label(ctx, s),
            label_visibility="collapsed",
            on_change=_on_change,
            args=(ctx, task, "status", skey),
        )
        pkey = f"task_progress_{task['id']}_{task['version']}"
        st.segmented_control(
            ctx.tr("task.progress"),
            PROGRESS_STEPS,
            default=_step(task["progress"]),
            key=pkey,
            format_func=lambda v: f"{int(v)}%",
            on_change=_on_change,
            args=(ctx, task, "progress", pkey),
        )
        task_notes.notes(ctx, task)
        _conflict(ctx, task)


def linked_task_id() -> int | None:
    """The task a link names (`/tasks?task=<id>`: each task in a reminder e-mail links there)."""
    raw = st.query_params.get("task", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def linked_card(ctx: PageContext, task_id: int) -> None:
    """The linked task's card first on the page, marked, so a phone opening the reminder's link
    lands on it without scrolling; a task the reader may not see reads as not found."""
    try:
        task = get_task(ctx.db, ctx.actor, task_id)
    except (NotFound, PermissionDenied):
        st.info(ctx.tr("task.link.not_found"))
        return
    with st.container(border=True, key="linked_task"):
        st.subheader(ctx.tr("task.link.title"), anchor="linked-task")
        quick_card(ctx, task)


def _step(value: int) -> int:
    return min(PROGRESS_STEPS, key=lambda s: abs(s - value))


def flash(ctx: PageContext) -> None:
    title = FLASH.take()
    if title:
        st.toast(ctx.tr("task.saved", title=plain(title)), icon=":material/check:")


def frame(ctx: PageContext, rows: list[TaskRow]) -> pd.DataFrame:
    """Tasks as a table in the reader's language (for lists and downloads)."""
    return pd.DataFrame(
        [
            {
                ctx.tr("task.title"): r["title"],
                ctx.tr("task.team"): r["team"] or "",
                ctx.tr("task.owner"): r["owner"] or "",
                ctx.tr("task.due_date"): r["due_date"],
                ctx.tr("task.status"): _status_label(ctx, r["status"], icon=False),
                ctx.tr("task.progress"): r["progress"],
                ctx.tr("task.focus"): r["focus"] or "",
            }
            for r in rows
        ]
    )


def board(ctx: PageContext, rows: list[TaskRow]) -> None:
    """Per team, one column per status."""
    teams: dict[str, list[TaskRow]] = {}
    for r in rows:
        teams.setdefault(r["team"] or ctx.tr("task.no_team"), []).append(r)
    for n, (team, items) in enumerate(teams.items()):
        # Keyed: the stylesheet mutes the columns' small text like a caption's.
        label = f"{plain(team)} ({len(items)})"
        with st.expander(label, expanded=len(teams) <= 4, key=f"task_board_{n}"):
            cols = st.columns(len(TASK_STATUSES))
            for col, status in zip(cols, TASK_STATUSES, strict=True):
                in_status = [r for r in items if r["status"] == status]
                heading = f"{STATUS_ICON[status]} {ctx.tr(f'task.status.{status}')}"
                # The column's heading and its tasks (small paragraphs) in one element: an
                # element per task, then a caption per column, made the board most of the tasks
                # page's elements.
                listed = "".join(
                    f"\n\n:small[{_overdue_flag(r)}{plain(r['title'])} — {plain(r['owner'])}]"
                    for r in in_status[:BOARD_LIMIT]
                )
                if len(in_status) > BOARD_LIMIT:
                    more = ctx.tr("task.more", n=len(in_status) - BOARD_LIMIT)
                    listed = f"{listed}\n\n:small[{more}]"
                col.markdown(f"**{heading}** ({len(in_status)}){listed}")


def _overdue_flag(task: TaskRow) -> str:
    return TIMING_ICON["overdue"] if task["timing"] == "overdue" else ""


def timeline(ctx: PageContext, rows: list[TaskRow]) -> None:
    """A Gantt of open tasks from creation to due date; time runs right to left in Hebrew."""
    data = pd.DataFrame(
        [
            {
                "task": f"{r['title'][:45]} – {r['owner'] or ''}",
                "start": (r["meeting_date"] or r["created_at"].date()),
                "due": r["due_date"],
                "status": ctx.tr(f"task.status.{r['status']}"),
                "team": r["team"] or "",
            }
            for r in rows
            if r["due_date"] is not None
        ]
    )
    if data.empty:
        st.info(ctx.tr("empty.no_data"))
        return
    today = date.today()
    show_chart(lambda: _timeline_chart(ctx, data, today), ctx.lang, inputs=(data, today))


def _timeline_chart(ctx: PageContext, data: pd.DataFrame, today: date) -> alt.LayerChart:
    rtl = ctx.lang == "he"
    chart = (
        alt.Chart(data)
        .mark_bar(cornerRadius=3)
        .encode(
            x=alt.X(
                "start:T",
                title=ctx.tr("task.timeline.time"),
                scale=reading_scale(ctx.lang),
                axis=alt.Axis(format="%m/%Y" if rtl else "%b %Y"),
            ),
            x2="due:T",
            y=alt.Y(
                "task:N",
                sort=alt.EncodingSortField("due"),
                title=None,
                axis=reading_axis(ctx.lang, labelLimit=260),
            ),
            color=alt.Color(
                "status:N",
                title=ctx.tr("task.status"),
                scale=alt.Scale(
                    domain=[ctx.tr(f"task.status.{s}") for s in TASK_STATUSES],
                    range=["#9e9e9e", "#1f77b4", "#d62728", "#2ca02c"],
                ),
            ),
            tooltip=["task", "team", "status", "start:T", "due:T"],
        )
        .properties(height=max(200, 24 * len(data)))
    )
    rule = alt.Chart(pd.DataFrame({"d": [today]})).mark_rule(color="#333").encode(x="d:T")
    layered: alt.LayerChart = chart + rule
    return layered


def due_lists(ctx: PageContext, rows: list[TaskRow]) -> None:
    overdue = [r for r in rows if r["timing"] == "overdue"]
    soon = [r for r in rows if r["timing"] == "due_soon"]
    left, right = st.columns(2)
    with left:
        st.subheader(ctx.tr("task.overdue", n=len(overdue)))
        if overdue:
            shown = frame(ctx, overdue)
            data_table(shown, hide_index=True, width="stretch", column_config=date_columns(shown))
    with right:
        st.subheader(ctx.tr("task.due_soon", n=len(soon)))
        if soon:
            shown = frame(ctx, soon)
            data_table(shown, hide_index=True, width="stretch", column_config=date_columns(shown))


def edit_form(
    ctx: PageContext,
    rows: list[TaskRow],
    people: list[PersonChoice],
    teams: list[TeamRow],
    focuses: list[FocusRow],
) -> None:
    """Managers: pick a task and change any field (refused if someone saved it meanwhile)."""
    by_id = {r["id"]: r for r in rows if r["status"] != "cancelled"}  # a cancelled task is closed
    if not by_id:
        return
    # Titles repeat across teams; the label must be unique or the pick jumps to the twin.
    labels = {
        i: " · ".join(x for x in (r["title"], r["team"] or "", f"#{i}") if x)
        for i, r in by_id.items()
    }
    tid = pick(ctx.tr("task.pick"), labels, key="task_edit_pick")
    task = by_id[tid]
    names = {p["id"]: p["full_name"] for p in people}
    team_names = {t["id"]: t["name"] for t in teams}
    with feedback_form(f"task_edit_{tid}_{task['version']}") as feedback:
        with feedback.labelled("title", ctx.tr("task.title"), mandatory=True) as label:
            title = st.text_input(label, task["title"], max_chars=300)
        owner = pick_or_none(ctx.tr("task.owner"), names, task["owner_person_id"])
        team = pick_or_none(ctx.tr("task.team"), team_names, task["team_id"])
        focus = pick_or_none(ctx.tr("task.focus"), _focus_names(focuses), task["focus_id"])
        due = st.date_input(ctx.tr("task.due_date"), task["due_date"], format="DD/MM/YYYY")
        with feedback.labelled("status", ctx.tr("task.status"), mandatory=True) as label:
            status = st.selectbox(
                label,
                TASK_STATUSES,
                index=TASK_STATUSES.index(task["status"]),
                format_func=lambda s: _status_label(ctx, s),
                placeholder=choose(TASK_STATUSES),
            )
        with feedback.labelled("progress", ctx.tr("task.progress")) as label:
            progress = st.slider(label, 0, 100, task["progress"], step=5)
        with feedback.labelled("note", ctx.tr("task.note")) as label:
            note = st.text_input(label, max_chars=4000)
        if st.form_submit_button(ctx.tr("common.save"), type="primary"):
            values = {
                "title": title,
                "owner_person_id": owner,
                "team_id": team,
                "focus_id": focus,
                "due_date": due,
                "status": status,
                "progress": progress,
            }
            changed = {k: v for k, v in values.items() if v != _field(task, k)}
            if changed or note.strip():
                _save(ctx, task, changed, note=note)
                refused = st.session_state.get(f"_task_error_{task['id']}")
                if isinstance(refused, ValidationError):
                    # Shown here, at the top and under the field, with everything typed kept.
                    del st.session_state[f"_task_error_{task['id']}"]
                    feedback.show(refused)
                else:
                    st.rerun()
    err = st.session_state.pop(f"_task_error_{task['id']}", None)
    if err:
        show_error(err)
    _conflict(ctx, task)
    task_notes.notes(ctx, task, with_input=False)
    task_notes.manage(ctx, task)


def _focus_names(focuses: list[FocusRow]) -> dict[int, str]:
    return {f["id"]: f["title"] for f in focuses}


def assignment(
    ctx: PageContext,
    feedback: FormFeedback,
    people: Mapping[int, str],
    teams: Mapping[int, str],
    focuses: Mapping[int, str],
    due: date | None,
) -> dict[str, Any]:
    """A task's owner, team, focus and due date (starting at `due`), as a form names them to
    the command that makes the task."""
    with feedback.labelled("owner_person_id", ctx.tr("task.owner")) as label:
        owner = pick_or_none(label, people)
    with feedback.labelled("team_id", ctx.tr("task.team")) as label:
        team = pick_or_none(label, teams)
    with feedback.labelled("focus_id", ctx.tr("task.focus")) as label:
        focus = pick_or_none(label, focuses)
    with feedback.labelled("due_date", ctx.tr("task.due_date")) as label:
        due_date = st.date_input(label, due, format="DD/MM/YYYY")
    return {"owner_person_id": owner, "team_id": team, "focus_id": focus, "due_date": due_date}


def new_task_form(
    ctx: PageContext, people: list[PersonChoice], teams: list[TeamRow], focuses: list[FocusRow]
) -> None:
    """A task of the work plan: its team and focus picked (the focus the team's by default)."""
    names = {p["id"]: p["full_name"] for p in people}
    team_names = {t["id"]: t["name"] for t in teams}
    with feedback_form(form_key("task_new")) as feedback:
        with feedback.labelled("title", ctx.tr("task.title"), mandatory=True) as label:
            title = st.text_input(label, max_chars=300)
        due = date.today() + timedelta(days=30)
        values = assignment(ctx, feedback, names, team_names, _focus_names(focuses), due)
        if st.form_submit_button(ctx.tr("task.create"), icon=":material/add:"):
            with handled(feedback):
                if values["focus_id"] is None:
                    team_focus = (t["focus_id"] for t in teams if t["id"] == values["team_id"])
                    values["focus_id"] = next(team_focus, None)
                perform(
                    ctx.db, ctx.actor, CreateTask.of(ctx.locality_code, {"title": title, **values})
                )
                renew("task_new")
                FLASH.put(title)
                st.rerun()
