"""Forum tracker pieces: stage header, health warnings, structure, milestones, focuses,
attendance against the 2/3 line, quarterly reviews and the meetings list with their minutes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from components.common.charts import reading_axis, reading_lines, reading_scale, with_line
from components.common.charts import show as show_chart
from components.common.commands import perform
from components.common.downloads import download_buttons
from components.common.form_feedback import expander_form, handled
from components.common.localized import choose, date_columns
from components.common.pickers import pick, pick_term
from components.common.tables import data_table
from components.common.text import plain
from components.forum import milestone_notes, target_status
from components.forum.record import done as saved
from components.forum.setup import team_label
from components.shell.context import PageContext
from components.shell.feedback import guarded
from employdash.access import Area
from employdash.forum import meetings, minutes
from employdash.forum import milestones as ms_service
from employdash.forum import quarterly as forum_quarterly
from employdash.forum import structure as forum_service
from employdash.forum.decisions import FocusWork
from employdash.forum.health import ATTENDANCE_LINE, Warning
from employdash.forum.meetings import MeetingAttendance, MemberAttendance
from employdash.forum.stages import OPTIONAL_MILESTONES, STAGE_KEYS, STAGES, progress_by_stage
from employdash.forum.structure import MemberRow, Overview
from employdash.forum.target_status import MetricStatus
from employdash.forum.tasks import TaskRow
from employdash.forum.vocabulary import FORUM_ROLES
from employdash.i18n import fmt_date, fmt_number, fmt_percent

# The forum page's sections, one tab each, in order; set-up only for those who may change it.
TABS = (
    "forum.tab.focuses",
    "forum.tab.structure",
    "forum.tab.stages",
    "forum.tab.attendance",
    "forum.tab.quarterly",
    "forum.tab.planned",
    "forum.tab.meetings",
    "forum.tab.decisions",
    "summary.section",
)
EDITOR_TABS = ("forum.tab.setup",)


def stage_header(ctx: PageContext, view: Overview) -> None:
    st.subheader(
        ctx.tr("forum.current_stage", stage=int(view.stage), name=ctx.tr(STAGE_KEYS[view.stage]))
    )
    if view.start_stage > 1:
        st.caption(ctx.tr("chain.stage.started_at", stage=int(view.start_stage)))
    cols = st.columns(3)
    for col, sp in zip(cols, progress_by_stage(set(view.checks)), strict=True):
        col.progress(
            sp.share, text=f"{sp.stage}. {ctx.tr(STAGE_KEYS[sp.stage])} ({sp.done}/{sp.total})"
        )


def health(ctx: PageContext, warnings: list[Warning]) -> None:
    if not warnings:
        st.success(ctx.tr("forum.healthy"), icon=":material/favorite:")
    for w in warnings:  # the names in a warning (a metric's, a team's) are user text
        text = ctx.tr(
            w.key, **{k: plain(v) if isinstance(v, str) else v for k, v in w.params.items()}
        )
        (st.error if w.severity >= 3 else st.warning)(text, icon=":material/warning:")


def structure(ctx: PageContext, rows: list[MemberRow]) -> None:
    table = pd.DataFrame(
        [
            {
                ctx.tr("forum.col.team"): team_label(ctx, r["kind"], r["team"]),
                ctx.tr("forum.col.name"): r["full_name"],
                ctx.tr("forum.col.organisation"): r["organisation"] or "",
                ctx.tr("forum.col.sector"): ctx.tr(f"sector.{r['sector']}") if r["sector"] else "",
                ctx.tr("forum.col.role"): (
                    ctx.tr(f"forum.role.{r['role']}")
                    if r["role"] in FORUM_ROLES
                    else r["role"] or ""
                ),
                ctx.tr("forum.col.email"): r["email"] or "",
                ctx.tr("forum.col.phone"): r["phone"] or "",
            }
            for r in rows
        ]
    )
    people = len({r["person_id"] for r in rows})
    st.caption(
        ctx.tr("forum.members.count", people=people, teams=len({r["team_id"] for r in rows}))
    )
    data_table(table, hide_index=True, width="stretch")
    download_buttons(table, "forum_members", "forum_members")


def milestones(ctx: PageContext, view: Overview) -> None:
    editable = ctx.actor.can_write(Area.FORUM, ctx.locality_code)
    notes = ms_service.notes(ctx.db, ctx.actor, ctx.locality_code)
    responses = ms_service.survey_responses(ctx.db, ctx.actor, ctx.locality_code)
    for stage, keys in STAGES.items():
        st.markdown(f"**{int(stage)}. {ctx.tr(STAGE_KEYS[stage])}**")
        for key in keys:
            done = view.checks.get(key)
            label = ctx.tr(f"forum.ms.{key}")
            if key in view.not_applicable:
                label += "  ·  " + ctx.tr(
                    "chain.ms.not_applicable", reason=plain(view.not_applicable[key])
                )
            elif done:
                label += "  ·  " + ctx.tr(
                    "forum.ms.checked", date=fmt_date(done[0], ctx.lang), who=plain(done[1])
                )
            if editable:
                st.checkbox(
                    label,
                    value=bool(done),
                    key=f"ms_{key}_{bool(done)}",
                    on_change=_toggle,
                    args=(ctx, view.forum_id, key, not done),
                )
            else:
                st.markdown(("✅ " if done else "⬜ ") + label)
            if editable and not done and key in OPTIONAL_MILESTONES:
                _not_applicable_form(ctx, view.forum_id, key)
            milestone_notes.show(ctx, key, notes, responses)
    if editable:
        milestone_notes.form(ctx, notes, view.forum_id)


def _not_applicable_form(ctx: PageContext, forum_id: int, key: str) -> None:
    """An optional milestone marked not applicable, with the reason (it then does not hold
    the next stage back)."""
    with expander_form(
        ctx.tr("chain.ms.mark_not_applicable"), ":material/block:", f"ms_na_{key}"
    ) as feedback:
        with feedback.labelled("reason", ctx.tr("chain.ms.reason"), mandatory=True) as label:
            reason = st.text_input(label, max_chars=2000)
        if st.form_submit_button(ctx.tr("chain.ms.mark_not_applicable")):
            with handled(feedback):
                command = forum_service.SetMilestone.of(
                    forum_id, key, True, date.today(), reason, True
                )
                perform(ctx.db, ctx.actor, command)
                saved("common.saved")


def _toggle(ctx: PageContext, forum_id: int, key: str, checked: bool) -> None:
    with guarded():
        command = forum_service.SetMilestone.of(forum_id, key, checked, date.today())
        perform(ctx.db, ctx.actor, command)


def _value(unit: str | None, value: float | None, lang: str) -> str:
    if unit == "fraction":
        return fmt_percent(value, lang)
    return fmt_number(value, lang)


def _indicator(ctx: PageContext, row: Mapping[str, Any], prefix: str = "name") -> str:
    """The indicator's name in the page's language (a metric row or a kept quarter's row)."""
    return str(row.get(f"{prefix}_{ctx.lang}") or row.get("indicator_code") or "")


def focuses(
    ctx: PageContext,
    view: Overview,
    metrics: list[MetricStatus],
    work: Mapping[int, FocusWork] | None = None,
) -> None:
    if not view.focuses:
        st.info(ctx.tr("forum.focus.none"))
    for focus in view.focuses:
        with st.container(border=True):
            st.markdown(f"**{plain(focus['title'])}**")
            if focus["description"]:
                st.caption(plain(focus["description"]))
            for m in (m for m in metrics if m["focus_id"] == focus["id"]):
                share = m["progress"]
                text = ctx.tr(
                    "forum.metric.line",
                    indicator=plain(_indicator(ctx, m)),
                    baseline=_value(m["unit"], m["baseline"], ctx.lang),
                    latest=_value(m["unit"], m["latest"], ctx.lang),
                    target=_value(m["unit"], m["target"], ctx.lang),
                    date=fmt_date(m["target_date"], ctx.lang),
                    progress=fmt_percent(share, ctx.lang, 0),
                )
                st.progress(share or 0.0, text=text)
                target_status.metric_detail(ctx, m, _value)
            if work is not None:
                _focus_work(ctx, work.get(focus["id"]))


def _focus_work(ctx: PageContext, work: FocusWork | None) -> None:
    """The tasks that serve a focus and the decisions they came from, on its card."""
    if work is None:
        st.caption(ctx.tr("chain.focus.no_tasks"))
        return
    # One text element per list, a line per item: an element per line was a share of the forum
    # board's run (every focus card draws these folded lists).
    with st.expander(ctx.tr("chain.focus.tasks", n=len(work.tasks)), icon=":material/task:"):
        st.text("\n".join(_task_line(ctx, task) for task in work.tasks))
    if work.decisions:
        with st.expander(
            ctx.tr("chain.focus.decisions", n=len(work.decisions)), icon=":material/gavel:"
        ):
            st.text(
                "\n".join(
                    f"• {_one_line(d.text)} · {fmt_date(d.held_on, ctx.lang)}"
                    for d in work.decisions
                )
            )


def _task_line(ctx: PageContext, task: TaskRow) -> str:
    due = fmt_date(task["due_date"], ctx.lang) if task["due_date"] else "—"
    status = ctx.tr(f"task.status.{task['status']}")
    return f"• {_one_line(task['title'])} · {status} · {due}"


def _one_line(text: str) -> str:
    """A typed text on one line of a list drawn as one text element."""
    return " ".join(text.splitlines())


def attendance(
    ctx: PageContext, rows: list[MeetingAttendance], people: list[MemberAttendance]
) -> None:
    """Share present per meeting and per member, against the 2/3 line."""
    data = pd.DataFrame(
        [
            {
                "date": r["held_on"],
                "rate": r["rate"],
                "team": r["team"],
            }
            for r in rows
            if r["rate"] is not None
        ]
    )
    if data.empty:
        st.info(ctx.tr("empty.no_data"))
        return
    # Built only when these inputs were not drawn lately (charts.show caches by inputs).
    show_chart(lambda: _attendance_chart(ctx, data), ctx.lang, inputs=(data,))
    st.caption(ctx.tr("forum.attendance.line_note"))
    per = pd.DataFrame(
        [
            {"name": p["full_name"], "rate": p["rate"], "n": p["expected"]}
            for p in people
            if p["rate"] is not None
        ]
    )
    if not per.empty:
        show_chart(lambda: _members_chart(ctx, per), ctx.lang, inputs=(per,))


def _attendance_chart(ctx: PageContext, data: pd.DataFrame) -> alt.LayerChart:
    y = alt.Y(
        "rate:Q",
        title=None,
        scale=alt.Scale(domain=[0, 1]),
        axis=reading_axis(ctx.lang, format="%"),
    )
    line = reading_lines(data, "date:T", ctx.lang, axis=alt.Axis(format=month_format(ctx))).encode(
        y=y,
        color=alt.Color(
            "team:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=320, columns=2)
        ),
        tooltip=["date:T", "team", alt.Tooltip("rate:Q", format=".0%")],
    )
    return with_line(line, ATTENDANCE_LINE)


def _members_chart(ctx: PageContext, per: pd.DataFrame) -> alt.LayerChart:
    bars = (
        alt.Chart(per)
        .mark_bar()
        .encode(
            x=alt.X(
                "rate:Q",
                title=ctx.tr("forum.attendance.rate"),
                scale=reading_scale(ctx.lang, domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            y=alt.Y(
                "name:N",
                sort="-x",
                title=None,
                axis=reading_axis(ctx.lang, labelLimit=200),
            ),
            color=alt.condition(
                alt.datum.rate < ATTENDANCE_LINE, alt.value("#d62728"), alt.value("#1f77b4")
            ),
            tooltip=["name", alt.Tooltip("rate:Q", format=".0%"), "n"],
        )
    )
    rule_x = (
        alt.Chart(pd.DataFrame({"line": [ATTENDANCE_LINE]}))
        .mark_rule(strokeDash=[6, 4], color="#333")
        .encode(x="line:Q")
    )
    layered: alt.LayerChart = (bars + rule_x).properties(height=max(200, 16 * len(per)))
    return layered


def month_format(ctx: PageContext) -> str:
    """Vega prints month names in English only: numeric months in Hebrew."""
    return "%m/%Y" if ctx.lang == "he" else "%b %Y"


def quarterly(ctx: PageContext, kept: list[dict[str, Any]]) -> None:
    if ctx.actor.can_write(Area.FORUM, ctx.locality_code):
        today = date.today()
        options = sorted(
            {
                forum_quarterly.quarter_of(date(today.year - (m > today.month), m, 1))
                for m in (1, 4, 7, 10)
            },
            reverse=True,
        )
        left, right = st.columns([2, 1], vertical_alignment="bottom")
        quarter = left.selectbox(
            ctx.tr("forum.quarterly.quarter"), options, key="q_pick", placeholder=choose(options)
        )
        if right.button(ctx.tr("forum.quarterly.take"), icon=":material/photo_camera:"):
            with guarded():
                forum_id = forum_service.forum_id_of(ctx.db, ctx.actor, ctx.locality_code)
                perform(ctx.db, ctx.actor, forum_quarterly.TakeSnapshot.of(forum_id, quarter))
                st.rerun()
    rows = forum_quarterly.comparison_rows(kept)
    if not rows:
        st.info(ctx.tr("forum.quarterly.none"))
        return
    table = pd.DataFrame(
        [
            {
                ctx.tr("forum.quarterly.quarter"): r["quarter"],
                ctx.tr("forum.col.focus"): r["focus"] or "",
                ctx.tr("forum.col.indicator"): _indicator(ctx, r, "indicator"),
                ctx.tr("forum.col.value"): _value(r["unit"], r["value"], ctx.lang),
                ctx.tr("forum.col.target"): _value(r["unit"], r["target"], ctx.lang),
                ctx.tr("forum.col.progress"): round(100 * r["progress"])
                if r["progress"] is not None
                else None,
                ctx.tr("forum.targets.col.status"): target_status.words(ctx, r["status"]),
                ctx.tr("forum.quarterly.planned"): r["planned"],
                ctx.tr("forum.quarterly.done"): r["done"],
            }
            for r in rows
        ]
    )
    data_table(table, hide_index=True, width="stretch")
    download_buttons(table, "quarterly_reviews", "quarterly")
    _plan_chart(ctx, kept)


def _plan_chart(ctx: PageContext, kept: list[dict[str, Any]]) -> None:
    """Planned vs done per kept quarter, side by side, to compare quarters at a glance."""
    planned, done = ctx.tr("forum.quarterly.planned"), ctx.tr("forum.quarterly.done")
    data = pd.DataFrame(
        [{"quarter": r["quarter"], "what": planned, "n": r["plan"]["planned"]} for r in kept]
        + [{"quarter": r["quarter"], "what": done, "n": r["plan"]["done"]} for r in kept]
    )
    show_chart(lambda: _plan_bars(ctx, data, planned, done), ctx.lang, inputs=(data, planned, done))


def _plan_bars(ctx: PageContext, data: pd.DataFrame, planned: str, done: str) -> alt.Chart:
    rtl = ctx.lang == "he"
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("quarter:N", title=None, sort="descending" if rtl else "ascending"),
            xOffset=alt.XOffset("what:N", sort=[planned, done]),
            y=alt.Y("n:Q", title=None, axis=reading_axis(ctx.lang)),
            color=alt.Color(
                "what:N", title=None, sort=[planned, done], legend=alt.Legend(orient="bottom")
            ),
            tooltip=["quarter", "what", "n"],
        )
        .properties(height=220)
    )
    return chart


def meetings_list(
    ctx: PageContext, rows: list[MeetingAttendance], linked: int | None = None
) -> int | None:
    """The meetings table and a picker; returns the meeting picked (None when there are none).
    `linked` (a meeting a link into the app names) is picked when it is one of them."""
    if not rows:
        st.info(ctx.tr("forum.meetings.none"), icon=":material/groups:")
        return None
    table = pd.DataFrame(
        [
            {
                ctx.tr("meet.date"): r["held_on"],
                ctx.tr("meet.team"): r["team"],
                ctx.tr("meet.number"): str(r["number"])
                if r["number"]
                else "—",  # a regular meeting: no outline number
                ctx.tr("forum.attendance.rate"): fmt_percent(r["rate"], ctx.lang, 0),
            }
            for r in reversed(rows)
        ]
    )
    data_table(table, hide_index=True, width="stretch", column_config=date_columns(table))
    by_id = {r["id"]: r for r in rows}
    if linked in by_id:
        st.session_state["forum_meeting_pick"] = linked
    mid = st.selectbox(
        ctx.tr("meet.pick"),
        list(reversed(by_id)),
        key="forum_meeting_pick",
        format_func=lambda i: f"{fmt_date(by_id[i]['held_on'], ctx.lang)} · {by_id[i]['team']}",
        placeholder=choose(),
    )
    minutes_downloads(ctx, mid, key="forum_minutes")
    return mid


def minutes_downloads(ctx: PageContext, meeting_id: int, key: str) -> None:
    record = meetings.meeting_record(ctx.db, ctx.actor, meeting_id)
    cols = st.columns(4)
    for i, (lang, kind) in enumerate(
        (("he", "pdf"), ("he", "docx"), ("en", "pdf"), ("en", "docx"))
    ):
        build = minutes.pdf if kind == "pdf" else minutes.docx
        data = lambda build=build, lang=lang: build(record, lang)  # noqa: E731 - built on click
        mime = "application/pdf" if kind == "pdf" else minutes.DOCX_MIME
        cols[i].download_button(
            ctx.tr(f"meet.minutes.{kind}_{lang}"),
            data,
            f"minutes_{record['held_on']}_{lang}.{kind}",
            mime,
            key=f"{key}_{kind}_{lang}",
            icon=":material/download:",
        )


def member_form(ctx: PageContext, view: Overview) -> None:
    """Editors: put a person in a team with a role (a person may sit in several teams)."""
    people = forum_service.people_of(ctx.db, ctx.actor, ctx.locality_code)
    teams = {t["id"]: team_label(ctx, t["kind"], t["name"]) for t in view.teams}
    # Choices only, nothing typed: the form keeps its key (and its choices) after a save.
    with expander_form(
        ctx.tr("forum.members.add"), ":material/person_add:", "member_new"
    ) as feedback:
        with feedback.labelled("team", ctx.tr("forum.col.team"), mandatory=True) as label:
            team = pick(label, teams)
        with feedback.labelled("person", ctx.tr("forum.col.name"), mandatory=True) as label:
            person = pick(
                label, {p["id"]: f"{p['full_name']} – {p['organisation'] or ''}" for p in people}
            )
        with feedback.labelled("role", ctx.tr("forum.col.role"), mandatory=True) as label:
            role = pick_term(ctx, label, FORUM_ROLES, "forum.role", current="member")
        st.caption(ctx.tr("forum.members.not_listed"))
        if st.form_submit_button(ctx.tr("common.save")):
            with handled(feedback):
                perform(ctx.db, ctx.actor, forum_service.AddMember.of(team, person, role))
                saved("forum.members.added")
