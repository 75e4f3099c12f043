"""Status against target on screen: a metric's or a focus's status as a badge that says it in
words (its colour and icon only repeat them), the line's expected value against the value
measured, the work plan's summary of the focuses, and the forum's tolerance setting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import feedback_form, handled
from components.common.text import plain
from components.forum.record import done as saved
from components.shell.context import PageContext
from employdash.forum import setup as setup_service
from employdash.forum.structure import FocusRow, forum_id_of
from employdash.forum.target_status import TOLERANCE_RANGE, MetricStatus, Status, focus_statuses
from employdash.i18n import fmt_month

BadgeColour = Literal["green", "orange", "red", "gray"]
LOOK: dict[Status, tuple[BadgeColour, str]] = {
    "on_track": ("green", ":material/check_circle:"),
    "at_risk": ("orange", ":material/warning:"),
    "off_track": ("red", ":material/error:"),
    "no_data": ("gray", ":material/help:"),
}


def words(ctx: PageContext, status: Status | str | None) -> str:
    """A status in words ("—" for a quarter kept before statuses were)."""
    return ctx.tr(f"forum.targets.status.{status}") if status else "—"


def badge(ctx: PageContext, status: Status) -> None:
    colour, icon = LOOK[status]
    st.badge(
        ctx.tr("forum.targets.status_line", status=words(ctx, status)), icon=icon, color=colour
    )


def metric_detail(
    ctx: PageContext, m: MetricStatus, value: Callable[[str | None, float | None, str], str]
) -> None:
    """The metric's status, and where its line stands against the value measured."""
    badge(ctx, m["status"])
    if m["expected"] is not None and m["latest_period"] is not None:
        st.caption(
            ctx.tr(
                "forum.targets.expected",
                expected=plain(value(m["unit"], m["expected"], ctx.lang)),
                latest=plain(value(m["unit"], m["latest"], ctx.lang)),
                month=fmt_month(m["latest_period"], ctx.lang),
            )
        )


def plan_summary(ctx: PageContext, focuses: list[FocusRow], metrics: list[MetricStatus]) -> None:
    """The work plan's view of the focuses against their targets: each focus's status, then its
    metrics' in words."""
    if not metrics:
        return
    by_focus = focus_statuses(metrics)
    blocks = []
    for focus in focuses:
        if focus["id"] not in by_focus:
            continue
        heading = ctx.tr(
            "forum.targets.focus_line",
            title=plain(focus["title"]),
            status=plain(words(ctx, by_focus[focus["id"]])),
        )
        items = (
            "- "
            + ctx.tr(
                "forum.targets.metric_line",
                metric=plain(m["name_he"] if ctx.lang == "he" else m["name_en"]),
                status=plain(words(ctx, m["status"])),
            )
            for m in metrics
            if m["focus_id"] == focus["id"]
        )
        blocks.append(f"**{heading}**\n\n" + "\n".join(items))
    with st.expander(ctx.tr("forum.targets.plan_title"), expanded=True, icon=":material/flag:"):
        # One Markdown block for the whole summary: two elements per focus were a share of the
        # tasks page's run.
        st.markdown("\n\n".join(blocks))


def tolerance_form(ctx: PageContext) -> None:
    """Editors: the forum's tolerance for a metric behind its line, in percent of the way."""
    low, high = TOLERANCE_RANGE
    with st.expander(ctx.tr("forum.targets.tolerance_title"), icon=":material/flag:"):
        version = setup_service.forum_version(ctx.db, ctx.actor, ctx.locality_code)
        tolerance = setup_service.forum_tolerance(ctx.db, ctx.actor, ctx.locality_code)
        forum_id = forum_id_of(ctx.db, ctx.actor, ctx.locality_code)
        with feedback_form(f"forum_tolerance_{version}") as feedback:
            with feedback.labelled(
                "tolerance", ctx.tr("forum.targets.tolerance"), mandatory=True
            ) as label:
                percent = st.number_input(
                    label,
                    min_value=int(100 * low),
                    max_value=int(100 * high),
                    value=round(100 * tolerance),
                    step=1,
                    help=ctx.tr("forum.targets.tolerance_help"),
                )
            if st.form_submit_button(ctx.tr("common.save")):
                with handled(feedback):
                    command = setup_service.SetTargetTolerance.of(forum_id, version, percent / 100)
                    perform(ctx.db, ctx.actor, command)
                    saved("common.saved")
