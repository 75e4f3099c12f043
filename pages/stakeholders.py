"""Stakeholder map: the power x interest grid, the register, the network and the coverage."""

from functools import partial

from components.common.tabs import shown_tab
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
# Only the open tab's content runs: switching tabs reruns the page (the register's forms, the
# network and the coverage are each a page's worth of work).
sections = {
    "stake.tab.grid": partial(stakeholder_grid.section, ctx, code, can_edit),
    "stake.tab.register": partial(stakeholder_register.section, ctx, code, can_edit),
    "stake.tab.network": partial(stakeholder_network_view.section, ctx, code, can_edit),
    "stake.tab.coverage": partial(stakeholder_coverage.section, ctx, code),
}
shown, tab = shown_tab(ctx, list(sections), "stake_tabs")
with tab, guarded():
    sections[shown]()
