"""Stakeholder map: the power x interest grid, the register, the network and the coverage."""

import streamlit as st

from components import (
    stakeholder_coverage,
    stakeholder_grid,
    stakeholder_network_view,
    stakeholder_register,
)
from components.context import current
from components.feedback import guarded
from components.text import plain

ctx = current()
st.header(ctx.tr("page.stakeholders"))
code = ctx.locality_code
if code is None:
    st.info(ctx.tr("empty.no_data"))
    st.stop()
st.caption(ctx.tr("stake.intro", locality=plain(ctx.locality.name(ctx.lang))))
flash = st.session_state.pop("stake_flash", None)
if flash:
    st.success(plain(flash))
can_edit = ctx.actor.can_edit(code)
grid_tab, register_tab, network_tab, coverage_tab = st.tabs(
    [
        ctx.tr("stake.tab.grid"),
        ctx.tr("stake.tab.register"),
        ctx.tr("stake.tab.network"),
        ctx.tr("stake.tab.coverage"),
    ]
)
with grid_tab, guarded():
    stakeholder_grid.section(ctx, code, can_edit)
with register_tab, guarded():
    stakeholder_register.section(ctx, code, can_edit)
with network_tab, guarded():
    stakeholder_network_view.section(ctx, code, can_edit)
with coverage_tab, guarded():
    stakeholder_coverage.section(ctx, code)
