"""What to do next on a new installation, on the briefing and the forum pages: the set-up steps in
order, numbered, each ticked off once done, a link to its page for a reader who may do it, and
otherwise who does it (the mayor is told the office manager sets the forum up, not sent to a
page they cannot open). Whether a reader may do a step is the access policy's answer for the
page the step is done on, as the menu's is, so the two cannot disagree.
"""

from __future__ import annotations

import streamlit as st

from components.briefing.data import cached_setup
from components.common.text import plain
from components.shell.context import PageContext
from components.shell.feedback import guarded
from components.shell.navigation import LOCALITIES_PAGE, PAGES, PageSpec, pages_for
from employdash.access import ADMIN, MANAGER, Action, allows
from employdash.briefing.next_steps import SetupProgress

# The page each step is done on.
STEP_PAGES = {
    "locality": LOCALITIES_PAGE,
    "accounts": "pages/admin_users.py",
    "people": "pages/people.py",
    "forum": "pages/forum.py",
    "focus": "pages/forum.py",
    "meeting": "pages/meeting.py",
    "indicators": "pages/indicators_admin.py",
}
DOERS = (MANAGER, ADMIN)  # who a step is attributed to: the locality's own staff first


def _spec(path: str) -> PageSpec:
    return next(spec for spec in PAGES if spec.path == path)


def _can_do(role: str, spec: PageSpec) -> bool:
    """The role opens the step's page and writes what the page edits."""
    return spec in pages_for(role) and allows(role, spec.area, Action.WRITE)


def checklist(ctx: PageContext, progress: SetupProgress, expanded: bool) -> None:
    """Nothing once every step is done."""
    if progress.complete:
        return
    steps = progress.steps
    done = sum(step.done for step in steps)
    with st.expander(
        ctx.tr("next.title", done=done, total=len(steps)),
        icon=":material/checklist:",
        expanded=expanded,
    ):
        st.caption(ctx.tr("next.intro"))
        for number, step in enumerate(steps, start=1):
            label = f"{number}. {ctx.tr('next.step.' + step.key)}"
            spec = _spec(STEP_PAGES[step.key])
            if step.done:  # muted: what is left matters more
                st.caption(f":material/check_circle: {plain(ctx.tr('next.done', step=label))}")
            elif _can_do(ctx.actor.role, spec):
                st.page_link(spec.path, label=label, icon=":material/radio_button_unchecked:")
            else:
                doer = next(role for role in DOERS if _can_do(role, spec))
                who = ctx.tr(f"next.who.{doer}")
                st.markdown(f":material/schedule: {plain(ctx.tr('next.by', step=label, who=who))}")


def show(ctx: PageContext, locality_code: int | None, expanded: bool) -> None:
    """The checklist of the locality (None: no locality yet) in a container drawn on every run,
    so that the list going away when its last step is done moves nothing below it (a form or
    tab a save left open stays where it was)."""
    with st.container(), guarded():
        checklist(ctx, cached_setup(ctx.db, ctx.actor, locality_code), expanded)
