"""What the forum's forms share: a form key renewed after a successful save, and the success
message a save leaves for the rerun it causes.

A form that keeps its input on a refused save (clear_on_submit=False, so nothing typed is lost
while the errors are shown) must still start empty for the next entry once a save succeeds. A
widget's state merely deleted is kept by the browser; a form under a new key has new widgets.
"""

from __future__ import annotations

import streamlit as st

from components.common.state import Kept
from components.shell.context import PageContext


def form_key(base: str) -> str:
    """The key of the form `base` for this round of entry."""
    generation = int(st.session_state.get(f"_form_gen_{base}", 0))
    return f"{base}_{generation}" if generation else base


def renew(base: str) -> None:
    """After a save: the form `base` starts empty on the next run."""
    name = f"_form_gen_{base}"
    st.session_state[name] = int(st.session_state.get(name, 0)) + 1


def show_flash(ctx: PageContext, flash: Kept[str]) -> None:
    """The outcome of the last write (a catalogue key), shown once after the rerun it caused."""
    key = flash.take()
    if key:
        st.success(ctx.tr(key), icon=":material/check_circle:")


def leave_flash(flash: Kept[str], key: str) -> None:
    """Remember a success message (a catalogue key) for the next run, then rerun."""
    flash.put(key)
    st.rerun()
