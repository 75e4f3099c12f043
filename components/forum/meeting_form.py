"""The live meeting form: team, date, number with the seven-meeting outline as agenda, attendance
ticked per member, guests, issues, decisions, new tasks in a table, links and next dates.

Every widget keeps its value in session state (reruns lose nothing) and, after each change, the
whole form is written as a draft on the server (a dropped connection loses nothing either); the
draft comes back when the page opens again and is removed by the atomic save.

The attendance is a fragment: a tick reruns the ticks and their count alone (and writes the
draft); the page reads the ticks from session state when it saves. Everything else reruns the
page: the team and the date change whose attendance is asked, and a text area or a task cell
sends its value when it loses focus, which in a fragment swallowed a click on the save button
made straight from it (seen in Chromium: the meeting was not saved); a typed date sends its value
the same way.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.common.form_feedback import FormFeedback, required
from components.common.localized import DATE_FORMAT, choose
from components.common.state import Kept
from components.common.text import plain
from components.shell.context import PageContext
from components.shell.feedback import show_error
from employdash.errors import DomainError, ValidationError
from employdash.forum import meetings, planning
from employdash.forum.stages import MEETING_OUTLINE
from employdash.forum.structure import TEAM_KIND_TO_MEETING, MemberRow, PersonChoice, TeamRow
from employdash.i18n import fmt_date

P = "meet_"  # session-state prefix of every field
TEXT_FIELDS = ("agenda", "guests", "issues", "decisions", "attachments")
TASK_COLUMNS = ("title", "owner", "due")
SAVED: Kept[int] = Kept("_meet_saved_id")  # the meeting just saved
LAST_DRAFT: Kept[dict[str, Any]] = Kept("_meet_last_draft")  # the draft as last written
RESTORED: Kept[bool] = Kept("_meet_restored")
NEXT = (1, 2, 3)  # up to three next-meeting dates


def fkey(name: str) -> str:
    return P + name


def outline_text(ctx: PageContext, number: int | None) -> str:
    return "\n".join(ctx.tr(k) for k in MEETING_OUTLINE.get(number or 0, ()))


def people_labels(people: list[PersonChoice]) -> dict[str, int]:
    """Readable, unique labels for the owner column (a name repeats: add the organisation)."""
    seen: dict[str, int] = {}
    for p in people:
        label = p["full_name"]
        if label in seen:
            label = f"{label} ({p['organisation'] or p['id']})"
        seen[label] = p["id"]
    return seen


# --- draft -------------------------------------------------------------------------------------


def _tasks_frame() -> pd.DataFrame:
    base = st.session_state.get(fkey("tasks_base"))
    return (
        base
        if isinstance(base, pd.DataFrame)
        else pd.DataFrame(
            {
                "title": pd.Series(dtype="str"),
                "owner": pd.Series(dtype="str"),
                "due": pd.Series(dtype="object"),
            }
        )
    )


def task_rows() -> pd.DataFrame:
    """The task table as last drawn (or restored): every section's draft write and the save read
    it, though only the task section draws the table."""
    rows = st.session_state.get(fkey("tasks_rows"))
    return rows if isinstance(rows, pd.DataFrame) else _tasks_frame()


def collect() -> dict[str, Any]:
    """The form as JSON-safe values, for the server-side draft.

    Read from one snapshot of the session state: each read through `st.session_state` (and its
    iteration, for the ticks) goes over every widget's state, and this runs twice a run."""
    ss = st.session_state.to_dict()
    rows = [
        {
            "title": r.get("title") or "",
            "owner": r.get("owner") or "",
            "due": r["due"].isoformat() if isinstance(r.get("due"), date) else None,
        }
        for r in task_rows().to_dict("records")
    ]
    return {
        "team_id": ss.get(fkey("team")),
        "held_on": ss[fkey("date")].isoformat() if ss.get(fkey("date")) else None,
        "number": ss.get(fkey("number")),
        **{f: ss.get(fkey(f), "") for f in TEXT_FIELDS},
        "attendance": {
            k[len(fkey("att_")) :]: v
            for k, v in ss.items()
            if isinstance(k, str) and k.startswith(fkey("att_")) and v
        },
        "tasks": rows,
        "token": form_token(),  # a second tab restoring this draft saves the same meeting
        "next": [ss[fkey(f"next{i}")].isoformat() for i in NEXT if ss.get(fkey(f"next{i}"))],
    }


def restore(data: dict[str, Any]) -> None:
    """Put a draft back into the widgets' state (before they are drawn)."""
    ss = st.session_state
    ss[fkey("team")] = data.get("team_id")
    if data.get("token"):
        ss[fkey("token")] = data["token"]
    ss[fkey("date")] = date.fromisoformat(data["held_on"]) if data.get("held_on") else date.today()
    ss[fkey("number")] = data.get("number") or 0
    for f in TEXT_FIELDS:
        ss[fkey(f)] = data.get(f, "")
    for key, present in (data.get("attendance") or {}).items():
        ss[fkey(f"att_{key}")] = bool(present)
    ss[fkey("tasks_base")] = ss[fkey("tasks_rows")] = pd.DataFrame(
        [
            {
                "title": r["title"],
                "owner": r["owner"],
                "due": date.fromisoformat(r["due"]) if r.get("due") else None,
            }
            for r in data.get("tasks") or []
        ],
        columns=list(TASK_COLUMNS),
    )
    for i, value in enumerate((data.get("next") or [])[: len(NEXT)], start=1):
        ss[fkey(f"next{i}")] = date.fromisoformat(value)


def clear() -> None:
    for key in [k for k in st.session_state if k.startswith(P)]:
        del st.session_state[key]


def open_draft(ctx: PageContext) -> None:
    """Once per session and locality: bring back the server-side draft, if any."""
    flag = f"_meet_opened_{ctx.locality_code}"
    if st.session_state.get(flag):
        return
    st.session_state[flag] = True
    draft = meetings.load_draft(ctx.db, ctx.actor, ctx.locality_code)
    if draft:
        restore(draft)
        LAST_DRAFT.put(draft)
        RESTORED.put(True)


def from_planned(ctx: PageContext, planned_id: str | None) -> None:
    """Opened from a planned meeting (once per planned meeting): its team, date and agenda, and
    attendance ticked for those who answered coming; the save marks it held."""
    if not planned_id or not planned_id.isdigit():
        return
    if st.session_state.get(fkey("planned")) == int(planned_id):
        return
    planned = planning.planned_meeting(ctx.db, ctx.actor, int(planned_id))
    if planned.status != "planned" or planned.locality_code != ctx.locality_code:
        return
    clear()
    restore(
        {
            "team_id": planned.team_id,
            "held_on": planned.on_date.isoformat(),
            "agenda": "\n".join(planned_agenda(planned)),
            "attendance": {i.person_id: True for i in planned.answered("coming")},
        }
    )
    st.session_state[fkey("planned")] = planned.id


def planned_agenda(planned: planning.PlannedView) -> list[str]:
    """The planned agenda as the outcome form's lines: topic, then its presenter."""
    return [
        " – ".join(str(v) for v in (a.get("topic"), a.get("presenter")) if v)
        for a in planned.agenda
    ]


def persist(ctx: PageContext) -> None:
    """Write the draft when it changed since the last write (an untouched form is no draft).

    The attendance fragment calls it after a tick, and the page at its end."""
    data = collect()
    typed = any(data[f] for f in (*TEXT_FIELDS, "attendance", "tasks", "next", "number"))
    last = LAST_DRAFT.get()
    if data != last and (typed or last is not None):
        try:
            meetings.save_draft(ctx.db, ctx.actor, ctx.locality_code, data)
            LAST_DRAFT.put(data)
        except DomainError as exc:  # the session state still holds everything
            show_error(exc)


# --- widgets -----------------------------------------------------------------------------------


def _on_number(ctx: PageContext) -> None:
    """Offer the outline as the agenda unless the user already wrote one of their own."""
    current = st.session_state.get(fkey("agenda"), "").strip()
    outlines = {outline_text(ctx, n) for n in MEETING_OUTLINE} | {""}
    if current in outlines:
        st.session_state[fkey("agenda")] = outline_text(ctx, st.session_state.get(fkey("number")))


def header(ctx: PageContext, teams: list[TeamRow]) -> TeamRow:
    by_id = {t["id"]: t for t in teams}
    if st.session_state.get(fkey("team")) not in by_id:
        st.session_state[fkey("team")] = next(
            (t["id"] for t in teams if t["kind"] == "forum"), teams[0]["id"]
        )
    st.session_state.setdefault(fkey("date"), date.today())
    c1, c2, c3 = st.columns([2, 1, 2])
    team_id = c1.selectbox(
        required(ctx.tr("meet.team")),
        list(by_id),
        key=fkey("team"),
        format_func=lambda i: f"{ctx.tr('forum.kind.' + by_id[i]['kind'])}: {by_id[i]['name']}",
        placeholder=choose(),
    )
    c2.date_input(required(ctx.tr("meet.date")), key=fkey("date"), format="DD/MM/YYYY")
    c3.selectbox(
        ctx.tr("meet.number"),
        [0, *MEETING_OUTLINE],  # 0: a regular meeting outside the outline
        key=fkey("number"),
        format_func=lambda n: (
            ctx.tr("meet.number.none") if not n else f"{n}. {ctx.tr(f'forum.outline.{n}')}"
        ),
        on_change=_on_number,
        args=(ctx,),
        placeholder=choose(),
    )
    st.text_area(
        ctx.tr("meet.agenda"), key=fkey("agenda"), height=110, help=ctx.tr("meet.agenda.help")
    )
    kind = TEAM_KIND_TO_MEETING[by_id[team_id]["kind"]]
    st.caption(ctx.tr("meet.kind", kind=ctx.tr(f"forum.kind.{kind}")))
    return by_id[team_id]


@st.fragment
def attendance(ctx: PageContext, members: list[MemberRow]) -> None:
    """A tick reruns the ticks and their count alone."""
    st.markdown(f"**{ctx.tr('meet.attendance')}**")
    cols = st.columns(3)
    for i, m in enumerate(members):
        cols[i % 3].checkbox(plain(m["full_name"]), key=fkey(f"att_{m['person_id']}"))
    present = sum(bool(st.session_state.get(fkey(f"att_{m['person_id']}"))) for m in members)
    st.caption(
        ctx.tr(
            "meet.attendance.count",
            present=present,
            total=len(members),
            absent=len(members) - present,
        )
    )
    persist(ctx)


def _add_quick_row(gen: int) -> None:
    """The quick row's submit: appended to the table as last drawn (its edits included) before
    the section is drawn again, so the table shows it in the same rerun."""
    ss = st.session_state
    title = str(ss.get(fkey(f"quick_title_{gen}")) or "")
    if not title.strip():
        ss[fkey("quick_refused")] = True
        return
    row = {
        "title": title,
        "owner": ss.get(fkey(f"quick_owner_{gen}")) or "",
        "due": ss.get(fkey(f"quick_due_{gen}")),
    }
    rows = pd.concat([task_rows(), pd.DataFrame([row])], ignore_index=True)
    ss[fkey("tasks_base")] = ss[fkey("tasks_rows")] = rows
    ss.pop(fkey("tasks_editor"), None)
    ss[fkey("quick_gen")] = gen + 1


def _quick_add(ctx: PageContext, labels: dict[str, int]) -> None:
    """A one-line add for phones and for speed; it merges the table's edits first."""
    # A new key after each add empties the row; a refused add (no title) keeps what was typed.
    gen = int(st.session_state.get(fkey("quick_gen"), 0))
    with st.form(fkey(f"quick_form_{gen}"), border=False):
        feedback = FormFeedback()
        c1, c2, c3, c4 = st.columns([3, 2, 2, 1], vertical_alignment="bottom")
        c1.text_input(required(ctx.tr("task.title")), key=fkey(f"quick_title_{gen}"))
        c2.selectbox(
            ctx.tr("task.owner"),
            ["", *labels],
            key=fkey(f"quick_owner_{gen}"),
            placeholder=choose(),
        )
        c3.date_input(
            ctx.tr("task.due_date"),
            date.today() + timedelta(days=30),
            format="DD/MM/YYYY",
            key=fkey(f"quick_due_{gen}"),
        )
        feedback.field("title", ctx.tr("task.title"))
        c4.form_submit_button(
            ctx.tr("meet.task.add"), icon=":material/add:", on_click=_add_quick_row, args=(gen,)
        )
        if st.session_state.pop(fkey("quick_refused"), False):
            feedback.show(ValidationError({"title": "validation.required"}))


def tasks_table(ctx: PageContext, labels: dict[str, int], feedback: FormFeedback) -> None:
    """The new tasks, kept in session state for the draft and the save."""
    st.markdown(f"**{ctx.tr('meet.tasks')}**")
    edited = st.data_editor(
        _tasks_frame(),
        key=fkey("tasks_editor"),
        num_rows="dynamic",
        width="stretch",
        hide_index=True,
        column_config={
            "title": st.column_config.TextColumn(
                ctx.tr("task.title"), required=True, max_chars=300, width="large"
            ),
            "owner": st.column_config.SelectboxColumn(ctx.tr("task.owner"), options=list(labels)),
            "due": st.column_config.DateColumn(ctx.tr("task.due_date"), format=DATE_FORMAT),
        },
        column_order=list(TASK_COLUMNS),
    )
    st.session_state[fkey("tasks_rows")] = edited
    feedback.field("tasks", ctx.tr("meet.tasks"))
    _quick_add(ctx, labels)


def _lines(name: str) -> list[str]:
    return [x.strip() for x in st.session_state.get(fkey(name), "").splitlines() if x.strip()]


def _split(line: str, sep: str) -> tuple[str, str]:
    head, _, tail = line.partition(sep)
    return head.strip(), tail.strip()


def build_input(
    ctx: PageContext,
    team: TeamRow,
    members: list[MemberRow],
    labels: dict[str, int],
) -> meetings.MeetingInput:
    ss = st.session_state
    attachments = []
    for line in _lines("attachments"):
        title, url = _split(line, "|") if "|" in line else ("", line)
        if not url.lower().startswith(("http://", "https://")):
            title, url = line, ""
        attachments.append({"title": title or url, "url": url})
    tasks = [
        {
            "title": str(r["title"] or "").strip(),
            "owner_person_id": labels.get(r["owner"] or ""),
            "due_date": r["due"] if isinstance(r["due"], date) else None,
            "focus_id": team.get("focus_id"),
        }
        for r in task_rows().to_dict("records")
        if str(r.get("title") or "").strip()
    ]
    return meetings.MeetingInput(
        locality_code=ctx.locality_code,
        team_id=team["id"],
        held_on=ss[fkey("date")],
        number=ss.get(fkey("number")) or None,
        agenda=_lines("agenda"),
        attendance={m["person_id"]: bool(ss.get(fkey(f"att_{m['person_id']}"))) for m in members},
        guests=[
            dict(zip(("name", "organisation"), _split(g, ","), strict=True))
            for g in _lines("guests")
        ],
        issues=ss.get(fkey("issues"), ""),
        decisions=_lines("decisions"),
        tasks=tasks,
        attachments=attachments,
        next_dates=[ss[fkey(f"next{i}")] for i in NEXT if ss.get(fkey(f"next{i}"))],
        form_token=form_token(),
        planned_id=ss.get(fkey("planned")),
    )


def by_part(exc: ValidationError) -> ValidationError:
    """The save's refusal by part of the form: every task row's problem is the task table's,
    every link's the links' (the rows have no field of their own to show a message under)."""
    fields: dict[str, str] = {}
    for name, key in exc.fields.items():
        fields.setdefault(name.split("[", 1)[0], key)
    return ValidationError(fields)


def form_token() -> str:
    """One token per opened form (cleared with it): a second save of it finds the first."""
    return str(st.session_state.setdefault(fkey("token"), uuid.uuid4().hex))


def saved_notice(ctx: PageContext) -> int | None:
    mid = SAVED.get()
    if mid:
        st.success(ctx.tr("meet.saved"), icon=":material/check_circle:")
    return mid


def next_dates(ctx: PageContext, feedback: FormFeedback) -> None:
    for col, i in zip(st.columns(len(NEXT)), NEXT, strict=True):
        st.session_state.setdefault(fkey(f"next{i}"), None)
        col.date_input(
            ctx.tr("meet.next", n=int(i)),
            key=fkey(f"next{i}"),
            format="DD/MM/YYYY",
            min_value=date.today() - timedelta(days=365),
        )
    feedback.field("next_dates", ctx.tr("meet.next_dates"))


def restored_notice(ctx: PageContext) -> None:
    if RESTORED.take():
        draft = LAST_DRAFT.get() or {}
        when = draft.get("held_on")
        st.info(
            ctx.tr(
                "meet.draft.restored",
                date=fmt_date(date.fromisoformat(when), ctx.lang) if when else "—",
            ),
            icon=":material/restore:",
        )


# --- discarding the draft ----------------------------------------------------------------------

DISCARD_ASKED: Kept[bool] = Kept("_meet_discard_asked")
DISCARDED: Kept[bool] = Kept("_meet_discarded")


def discard(ctx: PageContext, where: DeltaGenerator) -> None:
    """The draft's delete button (in `where`), then a confirmation under it: deleting throws away
    everything typed in the meeting, so one stray click must not do it."""
    if where.button(ctx.tr("meet.discard"), icon=":material/delete:", width="stretch"):
        DISCARD_ASKED.put(True)
    if not DISCARD_ASKED.get():
        return
    st.warning(ctx.tr("meet.discard.confirm"), icon=":material/warning:")
    yes, no = st.columns(2)
    if yes.button(ctx.tr("meet.discard.yes"), type="primary", icon=":material/delete:"):
        meetings.discard_draft(ctx.db, ctx.actor, ctx.locality_code)
        clear()
        LAST_DRAFT.forget()
        DISCARD_ASKED.forget()
        DISCARDED.put(True)
        st.rerun()
    if no.button(ctx.tr("meet.discard.no"), icon=":material/undo:"):
        DISCARD_ASKED.forget()
        st.rerun()


def discarded_notice(ctx: PageContext) -> None:
    if DISCARDED.take():
        st.success(ctx.tr("meet.discard.done"), icon=":material/check_circle:")
