"""What the forum's forms share: a form key renewed after a successful save.

A form that keeps its input on a refused save (clear_on_submit=False, so nothing typed is lost
while the errors are shown) must still start empty for the next entry once a save succeeds. A
widget's state merely deleted is kept by the browser; a form under a new key has new widgets.
"""

from __future__ import annotations

import streamlit as st


def form_key(base: str) -> str:
    """The key of the form `base` for this round of entry."""
    generation = int(st.session_state.get(f"_form_gen_{base}", 0))
    return f"{base}_{generation}" if generation else base


def renew(base: str) -> None:
    """After a save: the form `base` starts empty on the next run."""
    name = f"_form_gen_{base}"
    st.session_state[name] = int(st.session_state.get(name, 0)) + 1
