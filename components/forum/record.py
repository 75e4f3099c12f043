"""Keeping the forum's record right: a saved meeting read on screen, corrected or deleted with a
reason; the decisions listed, closed with an outcome or turned into a task; a membership ended.

User text is shown with st.text / st.caption of plain strings (never Markdown or HTML).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import expander_form, feedback_form, handled, required
from components.common.localized import choose, choose_many
from components.common.pickers import pick, pick_term
from components.common.state import Kept
from components.common.text import plain
from components.forum.forms import form_key, leave_flash, renew, show_flash
from components.forum.tasks import assignment
from components.shell.context import PageContext
from employdash.forum import meeting_edits, minutes
from employdash.forum import meetings as meeting_service
from employdash.forum import membership as membership_service
from employdash.forum import structure as forum_service
from employdash.forum.decisions import CloseDecision, DecisionRow, DecisionToTask
from employdash.forum.meetings import MeetingInput
from employdash.forum.structure import MemberRow
from employdash.forum.vocabulary import FORUM_ROLES
from employdash.i18n import fmt_date

FLASH: Kept[str] = Kept("_record_flash")


def flash(ctx: PageContext) -> None:
    """The outcome of the last write, shown once after the rerun it caused."""
    show_flash(ctx, FLASH)


def done(key: str) -> None:
    """Remember a success message for the next run, then rerun."""
    _done(key)


def _done(key: str) -> None:
    leave_flash(FLASH, key)


def read_minutes(ctx: PageContext, meeting_id: int) -> None:
    """The minutes on screen, in the order the PDF and Word files print them."""
    record = meeting_service.meeting_record(ctx.db, ctx.actor, meeting_id)
    title, parts = minutes.sections(record, ctx.lang)
    with st.expander(ctx.tr("forum.meeting.read"), icon=":material/article:"):
        st.text(title)
        for heading, lines in parts:
            st.caption(plain(heading))
            st.text("\n".join(f"• {line}" for line in lines))


def _lines(text: str) -> list[str]:
    return [x.strip() for x in (text or "").splitlines() if x.strip()]


def _guests(data: MeetingInput) -> str:
    return "\n".join(
        f"{g['name']}, {g['organisation']}" if g.get("organisation") else g["name"]
        for g in data.guests
    )


def correct_form(ctx: PageContext, meeting_id: int) -> None:
    """Open a saved meeting and correct it; the save names the version it was opened at."""
    data, version = meeting_edits.meeting_input(ctx.db, ctx.actor, meeting_id)
    opened = replace(data)  # as read: a refusal names what the other person changed
    people = {
        p["id"]: p["full_name"]
        for p in forum_service.people_of(ctx.db, ctx.actor, ctx.locality_code)
    }
    team_members = [
        r["person_id"]
        for r in forum_service.members(ctx.db, ctx.actor, ctx.locality_code, as_of=data.held_on)
        if r["team_id"] == data.team_id
    ]
    expected = list(dict.fromkeys([*data.attendance, *team_members]))
    tasks = meeting_edits.meeting_tasks(ctx.db, ctx.actor, meeting_id)
    view = forum_service.overview(ctx.db, ctx.actor, ctx.locality_code)
    teams = {t["id"]: t["name"] for t in view.teams} if view else {}
    focuses = {f["id"]: f["title"] for f in view.focuses} if view else {}
    with expander_form(
        ctx.tr("forum.meeting.correct"), ":material/edit:", f"meeting_fix_{meeting_id}_{version}"
    ) as feedback:
        with feedback.labelled("held_on", ctx.tr("meet.date"), mandatory=True) as label:
            held_on = st.date_input(label, data.held_on, format="DD/MM/YYYY")
        with feedback.labelled("attendance", ctx.tr("forum.meeting.present")) as label:
            present = st.multiselect(
                label,
                expected,
                default=[p for p, v in data.attendance.items() if v],
                format_func=lambda i: people.get(i, str(i)),
                placeholder=choose_many(expected),
            )
        with feedback.labelled("guests", ctx.tr("meet.guests")) as label:
            guests = st.text_area(label, _guests(data), help=ctx.tr("meet.guests.help"))
        with feedback.labelled("agenda", ctx.tr("meet.agenda")) as label:
            agenda = st.text_area(label, "\n".join(data.agenda))
        with feedback.labelled("issues", ctx.tr("meet.issues")) as label:
            issues = st.text_area(label, data.issues)
        kept = _decision_fields(ctx, f"meeting_fix_{meeting_id}_{version}", data)
        with feedback.labelled("decisions", ctx.tr("chain.decisions_new")) as label:
            decided = st.text_area(label, "", help=ctx.tr("meet.decisions.help"))
        edits = _task_fields(ctx, meeting_id, tasks, people, (teams, focuses))
        feedback.field("tasks", ctx.tr("forum.meeting.tasks"))
        cols = st.columns(3)
        nexts = [
            col.date_input(
                plain(ctx.tr("meet.next", n=i + 1)),
                data.next_dates[i] if i < len(data.next_dates) else None,
                format="DD/MM/YYYY",
                key=f"meeting_fix_next_{meeting_id}_{version}_{i}",
            )
            for i, col in enumerate(cols)
        ]
        if st.form_submit_button(ctx.tr("common.save"), type="primary", icon=":material/save:"):
            data.held_on = held_on
            data.attendance = {p: p in present for p in expected}
            data.guests = [
                dict(zip(("name", "organisation"), (a.strip(), b.strip()), strict=True))
                for a, _, b in (g.partition(",") for g in _lines(guests))
            ]
            data.agenda = _lines(agenda)
            data.issues = issues
            new_lines = _lines(decided)
            data.decisions = [text for _, text in kept] + new_lines
            data.decision_ids = [i for i, _ in kept] + [None] * len(new_lines)
            data.next_dates = [d for d in nexts if isinstance(d, date)]
            with handled(feedback):
                command = meeting_edits.CorrectMeeting.of(
                    meeting_id, version, data, edits, opened, tasks
                )
                perform(ctx.db, ctx.actor, command)
                _done("forum.meeting.corrected")


def _decision_fields(
    ctx: PageContext, key: str, data: MeetingInput
) -> list[tuple[int | None, str]]:
    """Each decision of the meeting in its own field, so a corrected wording stays the same
    decision (a closed one stays closed); an emptied field removes it."""
    kept: list[tuple[int | None, str]] = []
    for n, (decision_id, text) in enumerate(
        zip(data.decision_ids, data.decisions, strict=False), start=1
    ):
        typed = st.text_input(
            ctx.tr("chain.decision_n", n=n),
            text,
            max_chars=2000,
            key=f"{key}_decision_{decision_id}",
            help=ctx.tr("chain.decision_edit.help"),
        )
        kept.append((decision_id, typed))
    return kept


def _task_fields(
    ctx: PageContext,
    meeting_id: int,
    tasks: list[meeting_edits.TaskCorrection],
    people: dict[int, str],
    structure: tuple[dict[int, str], dict[int, str]],
) -> list[meeting_edits.TaskCorrection]:
    """The tasks the meeting created, each correctable (title, owner, due date, team, focus) or
    cancelled. Keys carry the task's version: a task saved elsewhere meanwhile comes back fresh."""
    if not tasks:
        return []
    st.caption(ctx.tr("forum.meeting.tasks"))
    owners: list[int | None] = [None, *people]
    edits: list[meeting_edits.TaskCorrection] = []
    for task in tasks:
        key = f"meeting_fix_task_{meeting_id}_{task.task_id}_{task.version}"
        if task.status == "cancelled":
            st.text(f"{task.title} – {ctx.tr('task.status.cancelled')}")
            continue
        with st.container(border=True):
            title = st.text_input(
                required(ctx.tr("task.title")), task.title, max_chars=300, key=f"{key}_title"
            )
            left, mid, right = st.columns([2, 2, 1], vertical_alignment="bottom")
            owner = left.selectbox(
                ctx.tr("task.owner"),
                owners,
                index=owners.index(task.owner_person_id) if task.owner_person_id in owners else 0,
                format_func=lambda i: "—" if i is None else people.get(i, str(i)),
                key=f"{key}_owner",
                placeholder=choose(owners),
            )
            due = mid.date_input(
                ctx.tr("task.due_date"), task.due_date, format="DD/MM/YYYY", key=f"{key}_due"
            )
            cancel = right.checkbox(ctx.tr("forum.meeting.task_cancel"), key=f"{key}_cancel")
            left, right = st.columns(2)
            with left:
                team = _pick_keyed(ctx.tr("task.team"), structure[0], task.team_id, f"{key}_team")
            with right:
                focus = _pick_keyed(
                    ctx.tr("task.focus"), structure[1], task.focus_id, f"{key}_focus"
                )
        edits.append(
            meeting_edits.TaskCorrection(
                task.task_id,
                task.version,
                title,
                owner,
                due if isinstance(due, date) else None,
                task.status,
                cancel,
                team,
                focus,
            )
        )
    return edits


def _pick_keyed(label: str, names: dict[int, str], current: int | None, key: str) -> int | None:
    """One of `names` or none ("—"), as `pick_or_none`, with its own key (one per task row)."""
    options: list[int | None] = [None, *names]
    chosen: int | None = st.selectbox(
        plain(label),
        options,
        index=options.index(current) if current in names else 0,
        format_func=lambda i: "—" if i is None else plain(names.get(i, str(i))),
        key=key,
        placeholder=choose(options),
    )
    return chosen


def delete_form(ctx: PageContext, meeting_id: int) -> None:
    _, version = meeting_edits.meeting_input(ctx.db, ctx.actor, meeting_id)
    with expander_form(
        ctx.tr("forum.meeting.delete"),
        ":material/delete:",
        f"meeting_delete_{meeting_id}_{version}",
    ) as feedback:
        with feedback.labelled(
            "reason", ctx.tr("forum.meeting.delete_reason"), mandatory=True
        ) as label:
            reason = st.text_input(label, max_chars=300)
        if st.form_submit_button(ctx.tr("forum.meeting.delete"), icon=":material/delete:"):
            with handled(feedback):
                command = meeting_edits.DeleteMeeting.of(
                    ctx.locality_code, meeting_id, version, reason
                )
                perform(ctx.db, ctx.actor, command)
                st.session_state.pop("forum_meeting_pick", None)
                _done("forum.meeting.deleted")


# --- decisions ----------------------------------------------------------------------------------


def decision_label(ctx: PageContext, d: DecisionRow) -> str:
    return f"{fmt_date(d.held_on, ctx.lang)} · {d.text[:80]} · #{d.id}"


def decisions(ctx: PageContext, rows: list[DecisionRow], editable: bool) -> None:
    """Open decisions first; closed ones with their date and outcome."""
    if not rows:
        st.info(ctx.tr("forum.decisions.none"), icon=":material/gavel:")
        return
    open_rows = [d for d in rows if d.is_open]
    closed = [d for d in rows if not d.is_open]
    st.subheader(ctx.tr("forum.decisions.open", n=len(open_rows)))
    for d in open_rows:
        st.text(f"• {d.text}")
        st.caption(ctx.tr("forum.decision.meeting", date=fmt_date(d.held_on, ctx.lang)))
    if closed:
        with st.expander(ctx.tr("forum.decisions.closed", n=len(closed))):
            for d in closed:
                st.text(f"• {d.text}")
                note = (
                    ctx.tr("forum.decision.to_task")
                    if d.task_id
                    else ctx.tr("forum.decision.closed_on", date=fmt_date(d.closed_on, ctx.lang))
                )
                st.caption(plain(" · ".join(x for x in (note, d.outcome or "") if x)))
    if editable and open_rows:
        _decision_forms(ctx, open_rows)


def _decision_forms(ctx: PageContext, open_rows: list[DecisionRow]) -> None:
    by_id = {d.id: d for d in open_rows}
    labels = {d.id: decision_label(ctx, d) for d in open_rows}
    pick_label = required(ctx.tr("forum.decision.pick"))
    with expander_form(
        ctx.tr("forum.decision.close"), ":material/task_alt:", form_key("decision_close")
    ) as feedback:
        picked = pick(pick_label, labels)
        with feedback.labelled(
            "closed_on", ctx.tr("forum.decision.close_on"), mandatory=True
        ) as label:
            on = st.date_input(label, date.today(), format="DD/MM/YYYY")
        with feedback.labelled(
            "outcome", ctx.tr("forum.decision.outcome"), mandatory=True
        ) as label:
            outcome = st.text_area(label)
        if st.form_submit_button(ctx.tr("forum.decision.close"), type="primary"):
            d = by_id[picked]
            with handled(feedback):
                command = CloseDecision.of(ctx.locality_code, d.id, d.version, on, outcome)
                perform(ctx.db, ctx.actor, command)
                renew("decision_close")
                _done("common.saved")
    people = {
        p["id"]: p["full_name"]
        for p in forum_service.people_of(ctx.db, ctx.actor, ctx.locality_code)
    }
    view = forum_service.overview(ctx.db, ctx.actor, ctx.locality_code)
    teams = {t["id"]: t["name"] for t in view.teams} if view else {}
    focuses = {f["id"]: f["title"] for f in view.focuses} if view else {}
    with expander_form(
        ctx.tr("forum.decision.make_task"), ":material/add_task:", form_key("decision_task")
    ) as feedback:
        picked = pick(pick_label, labels, key="decision_task_pick")
        task = assignment(ctx, feedback, people, teams, focuses, None)
        if st.form_submit_button(ctx.tr("forum.decision.make_task"), type="primary"):
            d = by_id[picked]
            with handled(feedback):
                perform(
                    ctx.db, ctx.actor, DecisionToTask.of(ctx.locality_code, d.id, d.version, task)
                )
                renew("decision_task")
                _done("common.saved")


# --- membership ---------------------------------------------------------------------------------


def _member_labels(rows: list[MemberRow]) -> dict[int, str]:
    """Each membership by its person and team (a person may sit in several teams)."""
    return {r["membership_id"]: f"{r['full_name']} – {r['team']}" for r in rows}


def change_membership_form(ctx: PageContext, rows: list[MemberRow], teams: dict[int, str]) -> None:
    """Editors: move a member to another team or give them another forum role."""
    if not rows:
        return
    by_id = {r["membership_id"]: r for r in rows}
    with st.expander(ctx.tr("forum.members.change"), icon=":material/swap_horiz:"):
        picked = pick(ctx.tr("forum.members.pick"), _member_labels(rows), key="member_change_pick")
        row = by_id[picked]
        with feedback_form(f"member_change_{picked}_{row['membership_version']}") as feedback:
            team_ids = list(teams)
            with feedback.labelled("team", ctx.tr("forum.col.team"), mandatory=True) as label:
                team = st.selectbox(
                    label,
                    team_ids,
                    index=team_ids.index(row["team_id"]) if row["team_id"] in teams else 0,
                    format_func=lambda i: teams[i],
                    placeholder=choose(team_ids),
                )
            role_now = row["role"] if row["role"] in FORUM_ROLES else "member"
            with feedback.labelled("role", ctx.tr("forum.col.role"), mandatory=True) as label:
                role = pick_term(ctx, label, FORUM_ROLES, "forum.role", current=role_now)
            if st.form_submit_button(ctx.tr("common.save"), icon=":material/swap_horiz:"):
                values: dict[str, object] = {}
                if team != row["team_id"]:
                    values["team_id"] = team
                if role != row["role"]:
                    values["role"] = role
                with handled(feedback):
                    if values:
                        command = membership_service.UpdateMembership.of(
                            picked, row["membership_version"], values
                        )
                        perform(ctx.db, ctx.actor, command)
                    _done("common.saved")


def end_membership_form(ctx: PageContext, rows: list[MemberRow]) -> None:
    """Editors: end a membership on a date (history and past attendance stay)."""
    if not rows:
        return
    by_id = {r["membership_id"]: r for r in rows}
    with expander_form(
        ctx.tr("forum.members.end"), ":material/person_remove:", form_key("member_end")
    ) as feedback:
        picked = pick(required(ctx.tr("forum.members.pick")), _member_labels(rows))
        with feedback.labelled("ended_on", ctx.tr("forum.members.end_on"), mandatory=True) as label:
            on = st.date_input(label, date.today(), format="DD/MM/YYYY")
        if st.form_submit_button(ctx.tr("forum.members.end"), icon=":material/person_remove:"):
            row = by_id[picked]
            with handled(feedback):
                command = membership_service.UpdateMembership.ending(
                    row["membership_id"], row["membership_version"], on
                )
                perform(ctx.db, ctx.actor, command)
                renew("member_end")
                _done("forum.members.ended")
