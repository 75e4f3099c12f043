"""The months the explorer offers, and the range an import hands it to open on.

The pickers reach back to the first month with a value of the chosen indicator in the chosen
localities (never fewer than `WINDOW` months), so a long history imported is all there to pick;
after an import the explorer opens on the localities, measure and months the file covered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from components.indicators import data
from components.shell.context import PageContext
from employdash.indicators.import_plan import ImportPlan
from employdash.indicators.values import add_months

WINDOW = 48  # months offered at least
OPENS_ON = 24  # months shown when nothing else is asked for
EARLIEST = date(1990, 1, 1)  # the first month an import accepts
HANDED = "explorer_imported"
FRESH = "explorer_imported_fresh"


@dataclass(frozen=True)
class Imported:
    """What an import just wrote, for the explorer to open on."""

    localities: tuple[int, ...]
    indicators: tuple[str, ...]
    first: date
    last: date


def hand_over(plan: ImportPlan) -> None:
    """Remember the committed plan's localities, measures and months for the explorer."""
    if plan.months:
        st.session_state[HANDED] = Imported(
            tuple(sorted(plan.localities)),
            tuple(sorted(plan.indicators)),
            min(plan.months),
            max(plan.months),
        )


def take_over(ctx: PageContext, headline: list[str]) -> Imported | None:
    """The range an import handed over (once), with the explorer's pickers set to it."""
    imported: Imported | None = st.session_state.pop(HANDED, None)
    if imported is None:
        return None
    in_scope = {loc.code for loc in ctx.localities}
    chosen = [c for c in imported.localities if c in in_scope][:8]
    if chosen:
        st.session_state[f"explorer_localities_{ctx.lang}"] = chosen
    measure = next((c for c in headline if c in imported.indicators), None)
    if measure is not None:
        st.session_state[f"explorer_indicator_{ctx.lang}"] = measure
    st.session_state[FRESH] = True
    return imported


def first_run(imported: Imported | None) -> bool:
    """Whether `imported` was taken over in this very run: a fragment's rerun is handed the
    arguments of the run that drew it, and must not set the pickers to the import again."""
    return imported is not None and bool(st.session_state.pop(FRESH, False))


def months(
    ctx: PageContext, codes: list[int], indicator: str, latest: date, imported: Imported | None
) -> list[date]:
    """Every month from the first value (or `WINDOW` months back) to the newest; with a range
    handed over, the from and to pickers are set to it."""
    newest = max(latest, imported.last) if imported else latest
    first = add_months(newest, -(WINDOW - 1))
    if codes:
        history = data.series(ctx.db, ctx.actor, tuple(codes), indicator, EARLIEST, newest)
        if not history.empty:
            first = min(first, history["period"].min().date())
    count = (newest.year - first.year) * 12 + newest.month - first.month + 1
    offered = [add_months(first, i) for i in range(count)]
    if imported is not None:
        st.session_state[f"explorer_from_{ctx.lang}"] = max(imported.first, first)
        st.session_state[f"explorer_to_{ctx.lang}"] = imported.last
    return offered
