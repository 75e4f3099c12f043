"""The forum's upcoming meetings: the schedule form, each planned meeting with its agenda and the
invitees' answers (and who cannot be reached by mail), the two-thirds warning, edit and cancel
forms, and the way to the outcome form once the meeting is held.

User text (places, topics, names) is shown with st.text / st.caption of plain strings.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import FormFeedback, expander_form, feedback_form, handled
from components.common.localized import choose_many
from components.common.pickers import pick
from components.common.state import Kept
from components.common.text import plain
from components.forum.forms import form_key, leave_flash, renew, show_flash
from components.forum.setup import team_label
from components.shell.context import PageContext
from employdash.errors import ValidationError
from employdash.forum import planning
from employdash.forum.planning import ANSWERS, PlannedView
from employdash.forum.structure import MemberRow, Overview, PersonChoice
from employdash.i18n import fmt_date, local_today

FLASH: Kept[str] = Kept("_planning_flash")
MEETING_PAGE = "pages/meeting.py"


def when(ctx: PageContext, view: PlannedView) -> str:
    """The meeting's date and local times, as every screen says them."""
    return ctx.tr(
        "planning.when",
        date=fmt_date(view.on_date, ctx.lang),
        starts=view.starts.strftime("%H:%M"),
        ends=view.ends.strftime("%H:%M"),
    )


def agenda_lines(ctx: PageContext, view: PlannedView) -> list[str]:
    lines = []
    for item in view.agenda:
        line = str(item.get("topic") or "")
        if item.get("presenter"):
            line += f" – {item['presenter']}"
        if item.get("minutes"):
            line += f" ({item['minutes']}′)"
        lines.append(line)
    return lines


def details(ctx: PageContext, view: PlannedView) -> None:
    """Where and when, the link, and the agenda (shared with the RSVP page)."""
    st.markdown(f"**{plain(when(ctx, view))}**")
    if view.place:
        st.text(view.place)
    if view.online_url:
        st.link_button(ctx.tr("planning.join"), view.online_url, icon=":material/videocam:")
    if view.agenda:
        st.caption(ctx.tr("planning.agenda"))
        st.text("\n".join(f"• {line}" for line in agenda_lines(ctx, view)))


def _answers(ctx: PageContext, view: PlannedView) -> None:
    counts = {a: len(view.answered(a)) for a in ANSWERS}
    st.caption(plain(ctx.tr("planning.answers", none=len(view.answered(None)), **counts)))
    for answer in (*ANSWERS, None):
        names = [i.name for i in view.answered(answer)]
        if names:
            label = ctx.tr(f"planning.answer.{answer or 'none'}")
            st.text(f"{label}: {', '.join(names)}")
    unreachable = [i.name for i in view.unreachable]
    if unreachable:
        st.caption(plain(ctx.tr("planning.unreachable", names=", ".join(unreachable))))


def flash(ctx: PageContext) -> None:
    show_flash(ctx, FLASH)


def section(
    ctx: PageContext,
    view: Overview,
    members: list[MemberRow],
    people: list[PersonChoice],
    editor: bool,
) -> None:
    """The upcoming meetings of the forum, and (for an editor) the forms that plan them."""
    today = local_today()
    upcoming = planning.upcoming(ctx.db, ctx.actor, ctx.locality_code, today)
    flash(ctx)
    if editor:
        schedule_form(ctx, view, members, people)
    if not upcoming:
        st.info(ctx.tr("planning.none"))
    teams = {t["id"]: team_label(ctx, t["kind"], t["name"]) for t in view.teams}
    for planned in upcoming:
        with st.container(border=True, key=f"planned_{planned.id}"):
            st.subheader(plain(teams.get(planned.team_id, planned.team)), divider=False)
            if planning.soon_and_below(planned, today):
                attendance = planned.attendance
                st.warning(
                    ctx.tr(
                        "planning.warning",
                        expected=int(attendance.expected),
                        invited=int(attendance.invited),
                        needed=int(attendance.needed),
                    ),
                    icon=":material/group_off:",
                )
            details(ctx, planned)
            _answers(ctx, planned)
            if editor:
                if st.button(
                    ctx.tr("planning.record_outcome"),
                    key=f"planned_outcome_{planned.id}",
                    icon=":material/edit_note:",
                ):
                    st.switch_page(MEETING_PAGE, query_params={"planned": str(planned.id)})
                edit_form(ctx, view, planned, people)
                cancel_form(ctx, planned)


def _team_members(members: list[MemberRow], team_id: int) -> list[int]:
    return list(dict.fromkeys(r["person_id"] for r in members if r["team_id"] == team_id))


def _agenda_text(view: PlannedView | None) -> str:
    if view is None:
        return ""
    return "\n".join(
        " | ".join(
            str(v) for v in (a.get("topic") or "", a.get("presenter") or "", a.get("minutes") or "")
        ).rstrip(" |")
        for a in view.agenda
    )


def _guests_text(view: PlannedView | None) -> str:
    if view is None:
        return ""
    return "\n".join(f"{i.name}, {i.email}" for i in view.invitees if i.guest)


def _parse_agenda(text: str) -> list[dict[str, Any]]:
    rows = []
    for line in (x.strip() for x in text.splitlines()):
        if not line:
            continue
        topic, presenter, minutes = ([*(p.strip() for p in line.split("|")), "", ""])[:3]
        rows.append(
            {
                "topic": topic,
                "presenter": presenter or None,
                "minutes": int(minutes) if minutes.isdigit() else (minutes or None),
            }
        )
    return rows


def _parse_guests(text: str) -> list[dict[str, Any]]:
    rows = []
    for line in (x.strip() for x in text.splitlines()):
        if line:
            name, _, email = line.rpartition(",") if "," in line else ("", "", line)
            rows.append({"name": name.strip(), "email": email.strip()})
    return rows


def by_field(ctx: PageContext, exc: ValidationError) -> ValidationError:
    """A refusal with each row's problem under its list's field, naming the line
    ("agenda[2].topic" is the agenda's third line)."""
    fields: dict[str, str] = {}
    params: dict[str, dict[str, Any]] = {}
    for name, key in exc.fields.items():
        base, bracket, rest = name.partition("[")
        if not bracket:
            fields.setdefault(name, key)
            if name in exc.field_params:
                params[name] = exc.field_params[name]
            continue
        if base in fields:
            continue
        line = int(rest.split("]", 1)[0]) + 1
        message = ctx.tr(key, **exc.field_params.get(name, {}))
        fields[base] = "planning.line"
        params[base] = {"line": line, "message": message}
    return ValidationError(fields, field_params=params)


def _fields(
    ctx: PageContext,
    feedback: FormFeedback,
    key: str,
    team_id: int,
    invitees: list[int],
    people: dict[int, str],
    view: PlannedView | None = None,
) -> dict[str, Any]:
    """The schedule form's fields (empty, or as `view` holds them), its values on submit."""
    today = local_today()
    left, mid, right = st.columns(3)
    with left, feedback.labelled("on_date", ctx.tr("planning.date"), mandatory=True) as label:
        on_date = st.date_input(
            label,
            view.on_date if view else today + timedelta(days=7),
            min_value=today,
            format="DD/MM/YYYY",
            key=f"{key}_date",
        )
    with mid, feedback.labelled("starts", ctx.tr("planning.starts"), mandatory=True) as label:
        starts = st.time_input(label, view.starts if view else time(17, 0), key=f"{key}_starts")
    with right, feedback.labelled("ends", ctx.tr("planning.ends"), mandatory=True) as label:
        ends = st.time_input(label, view.ends if view else time(19, 0), key=f"{key}_ends")
    with feedback.labelled("place", ctx.tr("planning.place")) as label:
        place = st.text_input(label, view.place or "" if view else "", max_chars=300)
    with feedback.labelled("online_url", ctx.tr("planning.online_url")) as label:
        online_url = st.text_input(label, view.online_url or "" if view else "", max_chars=500)
    with feedback.labelled("agenda", ctx.tr("planning.agenda")) as label:
        agenda = st.text_area(label, _agenda_text(view), help=ctx.tr("planning.agenda.help"))
    options = list(dict.fromkeys([*invitees, *people]))
    with feedback.labelled("invitees", ctx.tr("planning.invitees")) as label:
        chosen = st.multiselect(
            label,
            options,
            default=invitees,
            format_func=lambda i: people.get(i, str(i)),
            placeholder=choose_many(options),
            help=ctx.tr("planning.invitees.help"),
            key=f"{key}_invitees",
        )
    with feedback.labelled("guests", ctx.tr("planning.guests")) as label:
        guests = st.text_area(label, _guests_text(view), help=ctx.tr("planning.guests.help"))
    return {
        "team_id": team_id,
        "on_date": on_date,
        "starts": starts,
        "ends": ends,
        "place": place,
        "online_url": online_url,
        "agenda": _parse_agenda(agenda),
        "invitee_ids": list(chosen),
        "guests": _parse_guests(guests),
    }


def _person_names(people: list[PersonChoice]) -> dict[int, str]:
    return {p["id"]: p["full_name"] for p in people}


def schedule_form(
    ctx: PageContext, view: Overview, members: list[MemberRow], people: list[PersonChoice]
) -> None:
    """A new planned meeting: the team first (its members are the default invitees)."""
    base = "planned_new"
    with st.expander(ctx.tr("planning.schedule"), icon=":material/event:"):
        teams = {t["id"]: team_label(ctx, t["kind"], t["name"]) for t in view.teams}
        plenary = next((t["id"] for t in view.teams if t["kind"] == "forum"), None)
        team_id = pick(ctx.tr("planning.team"), teams, key=f"{base}_team_{ctx.lang}", value=plenary)
        key = f"{form_key(base)}_{team_id}"
        with feedback_form(key, clear_on_submit=False) as feedback:
            feedback.field("team", ctx.tr("planning.team"))
            invitees = _team_members(members, team_id)
            values = _fields(ctx, feedback, key, team_id, invitees, _person_names(people))
            if st.form_submit_button(
                ctx.tr("planning.schedule"), type="primary", icon=":material/event_available:"
            ):
                with handled(feedback):
                    try:
                        perform(
                            ctx.db,
                            ctx.actor,
                            planning.ScheduleMeeting.of(ctx.locality_code, values),
                        )
                    except ValidationError as exc:
                        raise by_field(ctx, exc) from None
                    renew(base)
                    leave_flash(FLASH, "planning.scheduled")


def edit_form(
    ctx: PageContext, view: Overview, planned: PlannedView, people: list[PersonChoice]
) -> None:
    key = f"planned_edit_{planned.id}_{planned.version}"
    with expander_form(ctx.tr("planning.edit"), ":material/edit_calendar:", key) as feedback:
        teams = {t["id"]: team_label(ctx, t["kind"], t["name"]) for t in view.teams}
        with feedback.labelled("team", ctx.tr("planning.team")) as label:
            team_id = pick(label, teams, key=f"{key}_team_{ctx.lang}", value=planned.team_id)
        invitees = [i.person_id for i in planned.invitees if i.person_id is not None]
        values = _fields(ctx, feedback, key, team_id, invitees, _person_names(people), planned)
        if st.form_submit_button(ctx.tr("common.save"), type="primary", icon=":material/save:"):
            with handled(feedback):
                command = planning.EditPlannedMeeting.of(planned.id, planned.version, values)
                try:
                    perform(ctx.db, ctx.actor, command)
                except ValidationError as exc:
                    raise by_field(ctx, exc) from None
                leave_flash(FLASH, "planning.edited")


def cancel_form(ctx: PageContext, planned: PlannedView) -> None:
    key = f"planned_cancel_{planned.id}_{planned.version}"
    with expander_form(ctx.tr("planning.cancel"), ":material/event_busy:", key) as feedback:
        with feedback.labelled("reason", ctx.tr("planning.cancel_reason"), mandatory=True) as label:
            reason = st.text_area(label, max_chars=1000)
        if st.form_submit_button(ctx.tr("planning.cancel"), icon=":material/event_busy:"):
            with handled(feedback):
                command = planning.CancelPlannedMeeting.of(planned.id, planned.version, reason)
                perform(ctx.db, ctx.actor, command)
                leave_flash(FLASH, "planning.cancelled")
