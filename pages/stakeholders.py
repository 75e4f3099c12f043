"""Stakeholder map: the power x interest grid, the register, the network and the coverage."""

import streamlit as st

from components.shell.context import current
from components.shell.feedback import guarded
from components.stakeholders import coverage as stakeholder_coverage
from components.stakeholders import grid as stakeholder_grid
from components.stakeholders import network as stakeholder_network_view
from components.stakeholders import page
from components.stakeholders import register as stakeholder_register
from employdash.access import Area

ctx = current()
code = page.top(ctx, "page.stakeholders", page.STAKE_FLASH, intro_key="stake.intro")
can_edit = ctx.actor.can_write(Area.STAKEHOLDERS, code)
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
