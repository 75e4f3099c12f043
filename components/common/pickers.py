"""Pickers that show names but answer keys: one (or any) of a mapping's keys shown by its name
(or none), and a term of a fixed vocabulary shown in the catalogue's words.

Each passes the localized placeholder (components/common/localized.py), so a caller cannot
forget it, and binds the language when the widget is drawn: Streamlit calls `format_func` again
later, outside the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

import streamlit as st

from components.common.localized import choose, choose_many
from components.common.text import plain
from components.shell.context import PageContext, tr

K = TypeVar("K")
T = TypeVar("T", bound=str)


def named(codes: Iterable[str], prefix: str) -> dict[str, str]:
    """Vocabulary codes with their catalogue names (`prefix.<code>`) in the reader's language."""
    return {code: tr(f"{prefix}.{code}") for code in codes}


def pick(label: str, names: Mapping[K, str], key: str | None = None, value: K | None = None) -> K:
    """One of `names`' keys, each shown by its name: on `value` when it is one of them, else on
    the first until the user picks another."""
    choices: tuple[K, ...] = tuple(names)
    chosen: K = st.selectbox(
        plain(label),
        choices,
        index=choices.index(value) if value in choices else 0,
        format_func=names.__getitem__,
        key=key,
        placeholder=choose(choices),
    )
    return chosen


def pick_many(label: str, names: Mapping[K, str], key: str, default: Iterable[K] = ()) -> list[K]:
    """Any of `names`' keys, each shown by its name, `default` chosen at first."""
    choices: tuple[K, ...] = tuple(names)
    chosen: list[K] = st.multiselect(
        plain(label),
        choices,
        default=list(default),
        format_func=names.__getitem__,
        key=key,
        placeholder=choose_many(choices),
    )
    return chosen


def pick_or_none(label: str, names: Mapping[K, str], current: K | None = None) -> K | None:
    """One of `names`' keys or none ("—"), starting at `current` when it is one of them."""
    options: list[K | None] = [None, *names]
    chosen: K | None = st.selectbox(
        plain(label),
        options,
        format_func=lambda k: names.get(k, "—") if k is not None else "—",
        index=options.index(current) if current in names else 0,
        placeholder=choose(),
    )
    return chosen


def pick_term(
    ctx: PageContext,
    label: str,
    terms: Sequence[T],
    prefix: str,
    *,
    current: T | None = None,
    key: str | None = None,
) -> T:
    """One term of `terms`, each shown as the catalogue's `prefix.term`; starts at `current`
    (else the first). A keyed picker keeps the labels it was first drawn with, so its key carries
    the language."""
    chosen: T = st.selectbox(
        plain(label),
        terms,
        index=terms.index(current) if current in terms else 0,
        format_func=lambda term: ctx.tr(f"{prefix}.{term}"),
        key=None if key is None else f"{key}_{ctx.lang}",
        placeholder=choose(terms),
    )
    return chosen
