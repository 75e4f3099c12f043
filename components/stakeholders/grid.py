"""The map tab: filters, the power x interest grid, and the side table that moves stakeholders.

The side table is an `st.data_editor`; its deltas (`edited_rows`) are turned into position edits
carrying the version each row was read at, and saved in one service call. After a save the
editor gets a new key, so it never reads its own output back as input (Streamlit #7749).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.common.charts import show as show_chart
from components.common.commands import perform
from components.shell.context import PageContext
from components.shell.feedback import guarded
from components.stakeholders import data as stakeholder_data
from components.stakeholders.charts import grid_chart
from components.stakeholders.page import STAKE_FLASH
from employdash.stakeholders import register as stakeholders
from employdash.stakeholders.grid import GridFilter
from employdash.stakeholders.rules import QUADRANTS
from employdash.stakeholders.vocabulary import ENGAGEMENTS, SECTORS, STANCES

REVISION = "stake_grid_revision"
Named = Callable[[str], str]


def _filters(ctx: PageContext) -> GridFilter:
    tr = ctx.tr

    def any_of(
        where: DeltaGenerator, label: str, options: tuple[str, ...], key: str, name: Named
    ) -> tuple[str, ...]:
        """One field of the filter: the options chosen, none meaning all."""
        chosen = where.multiselect(
            tr(label), options, key=key, placeholder=tr("common.all"), format_func=name
        )
        return tuple(chosen)

    def coded(prefix: str) -> Named:
        return lambda code: tr(f"{prefix}.{code}")

    def quadrant(q: str) -> str:
        return tr("stake.quadrant.label", letter=q, action=tr(f"stake.action.{q}"))

    c1, c2, c3, c4 = st.columns(4)
    return GridFilter(
        sectors=any_of(c1, "stake.col.sector", SECTORS, "stake_f_sector", coded("sector")),
        quadrants=any_of(c2, "stake.col.quadrant", QUADRANTS, "stake_f_quadrant", quadrant),
        stances=any_of(c3, "stake.col.stance", STANCES, "stake_f_stance", coded("stake.stance")),
        engagements=any_of(
            c4, "stake.col.engagement", ENGAGEMENTS, "stake_f_eng", coded("stake.engagement")
        ),
    )


def _editor(ctx: PageContext, code: int, frame: pd.DataFrame, can_edit: bool) -> None:
    """Power and interest first (narrow, editable), then who it is; rows in name order."""
    rows = frame.sort_values(["organisation", "id"], kind="stable").reset_index(drop=True)
    table = pd.DataFrame(
        {
            "power": rows.power.astype(int),
            "interest": rows.interest.astype(int),
            "quadrant": rows.quadrant,
            "organisation": rows.organisation,
        }
    )
    key = f"stake_grid_editor_{code}_{st.session_state.get(REVISION, 0)}"
    st.data_editor(
        table,
        key=key,
        hide_index=True,
        width="stretch",
        disabled=not can_edit,
        height=min(560, 38 + 35 * len(table)),
        column_config={
            # power and interest: narrow whole numbers from 1 to 5
            "power": st.column_config.NumberColumn(
                ctx.tr("stake.col.power"), min_value=1, max_value=5, step=1, format="%d", width=64
            ),
            "interest": st.column_config.NumberColumn(
                ctx.tr("stake.col.interest"),
                min_value=1,
                max_value=5,
                step=1,
                format="%d",
                width=64,
            ),
            "quadrant": st.column_config.TextColumn(
                ctx.tr("stake.col.quadrant"), disabled=True, width=56
            ),
            "organisation": st.column_config.TextColumn(
                ctx.tr("stake.col.organisation"), disabled=True, width="medium"
            ),
        },
    )
    if not can_edit:
        return
    edited = st.session_state.get(key, {}).get("edited_rows", {})
    if st.button(
        ctx.tr("stake.grid.save"),
        key="stake_grid_save",
        type="primary",
        disabled=not edited,
        icon=":material/save:",
    ):
        edits = []
        for row, change in edited.items():
            current = rows.iloc[int(row)]
            edits.append(
                stakeholders.PositionEdit(
                    stakeholder_id=int(current.id),
                    version=int(current.version),
                    power=int(change.get("power", current.power)),
                    interest=int(change.get("interest", current.interest)),
                )
            )
        with guarded():
            moved = perform(ctx.db, ctx.actor, stakeholders.MoveStakeholders.of(code, edits))
            st.session_state[REVISION] = st.session_state.get(REVISION, 0) + 1
            STAKE_FLASH.put(ctx.tr("stake.grid.saved", count=moved))
            st.rerun(scope="app")


@st.fragment
def section(ctx: PageContext, code: int, can_edit: bool) -> None:
    """The map tab as a fragment: a filter, or a move typed in the table, reruns this tab alone;
    a save reruns the page (its message at the top, and the register's positions, change)."""
    with guarded():
        _section(ctx, code, can_edit)


def _section(ctx: PageContext, code: int, can_edit: bool) -> None:
    flt = _filters(ctx)
    frame = stakeholder_data.grid(ctx.db, ctx.actor, code, flt, date.today())
    if frame.empty:
        st.info(ctx.tr("stake.grid.none"))
        return
    left, right = st.columns([1, 1])
    with left:
        show_chart(lambda: grid_chart(frame, ctx.tr), ctx.lang, inputs=(frame,))
        st.caption(ctx.tr("stake.grid.caption", shown=len(frame), moved=int(frame.moved.sum())))
    with right:
        st.caption(ctx.tr("stake.grid.edit_caption") if can_edit else ctx.tr("stake.readonly"))
        _editor(ctx, code, frame, can_edit)
