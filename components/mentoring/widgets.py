"""The pieces every mentoring form and filter draws: the form with its error slots, and pickers
(a choice among values shown by their names).

Every picker maps each value to its name (a program's, a participant's code, a vocabulary code's
name in the reader's language) and carries the localized placeholder. A picker whose names change
with the language has the language in its key (a keyed widget keeps the names it was first drawn
with).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TypeVar

import streamlit as st

from components.common.form_feedback import FormFeedback
from components.common.localized import choose, choose_many
from components.shell.context import tr

K = TypeVar("K")


def named(codes: Iterable[str], prefix: str) -> dict[str, str]:
    """Vocabulary codes with their catalogue names (`prefix.<code>`) in the reader's language."""
    return {code: tr(f"{prefix}.{code}") for code in codes}


def pick(label: str, options: Mapping[K, str], key: str | None = None, value: K | None = None) -> K:
    """One of `options`: on `value` when it is one of them, else on the first."""
    choices: tuple[K, ...] = tuple(options)
    chosen: K = st.selectbox(
        label,
        choices,
        index=choices.index(value) if value in choices else 0,
        format_func=options.__getitem__,
        key=key,
        placeholder=choose(choices),
    )
    return chosen


def pick_many(label: str, options: Mapping[K, str], key: str, default: Iterable[K] = ()) -> list[K]:
    """Any of `options`, `default` chosen at first."""
    choices: tuple[K, ...] = tuple(options)
    chosen: list[K] = st.multiselect(
        label,
        choices,
        default=list(default),
        format_func=options.__getitem__,
        key=key,
        placeholder=choose_many(choices),
    )
    return chosen


@contextmanager
def entry_form(key: str) -> Iterator[FormFeedback]:
    """A form with its error slots, the note on required fields on top. A refused submit keeps
    everything typed (the form is not cleared)."""
    with st.form(key, clear_on_submit=False):
        feedback = FormFeedback()
        feedback.note()
        yield feedback
