"""The pickers of the stakeholder forms: a choice among values shown by their names.

Every picker maps each value to its name (an organisation's, a person's, a vocabulary code's name
in the reader's language) and carries the localized placeholder. A picker whose names change with
the language has the language in its key (a keyed widget keeps the names it was first drawn with).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

import streamlit as st

from components.common.localized import choose
from components.shell.context import tr

K = TypeVar("K")


def named(codes: Iterable[str], prefix: str) -> dict[str, str]:
    """Vocabulary codes with their catalogue names (`prefix.<code>`) in the reader's language."""
    return {code: tr(f"{prefix}.{code}") for code in codes}


def pick(label: str, options: Mapping[K, str], key: str, value: K | None = None) -> K:
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
