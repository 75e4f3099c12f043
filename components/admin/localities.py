"""The localities page: the ones the installation serves, and a search of the CBS catalogue to
enable more. Each locality shows what the briefing compares it with: its district and the
similar-size peer group (population within the briefing's size band)."""

from __future__ import annotations

from typing import Literal

import pandas as pd
import streamlit as st

from components.common.commands import perform
from components.common.localized import choose
from components.common.tables import data_table
from components.common.text import plain
from components.shell.context import PageContext
from employdash import localities
from employdash.i18n import fmt_number
from employdash.indicators.values import SIZE_BAND
from employdash.localities import LocalityInfo
from employdash.reference import sub_districts

FLASH_KEY = "localities_flash"


def _peers(ctx: PageContext, loc: LocalityInfo, counts: dict[int, int]) -> str:
    if not loc.population or loc.code not in counts:
        return "—"
    return ctx.tr(
        "localities.peers",
        low=fmt_number(loc.population * SIZE_BAND[0], ctx.lang),
        high=fmt_number(loc.population * SIZE_BAND[1], ctx.lang),
        count=fmt_number(counts[loc.code], ctx.lang),
    )


def table(ctx: PageContext, rows: list[LocalityInfo], status: bool = False) -> None:
    """Localities with their district, sub-district, population and peer group."""
    counts = localities.peer_counts(ctx.db, ctx.actor, [r.code for r in rows], SIZE_BAND)
    subs = sub_districts()
    columns = {
        ctx.tr("localities.col.name"): [r.name(ctx.lang) for r in rows],
        ctx.tr("localities.col.code"): [str(r.code) for r in rows],
        ctx.tr("localities.col.district"): [r.district(ctx.lang) or "—" for r in rows],
        ctx.tr("localities.col.sub_district"): [subs.get(r.code, "—") for r in rows],
        ctx.tr("localities.col.population"): [
            fmt_number(r.population, ctx.lang) if r.population else "—" for r in rows
        ],
        ctx.tr("localities.col.peers"): [_peers(ctx, r, counts) for r in rows],
    }
    if status:
        columns[ctx.tr("localities.col.status")] = [
            ctx.tr("localities.status.enabled" if r.enabled else "localities.status.available")
            for r in rows
        ]
    data_table(pd.DataFrame(columns), hide_index=True, width="stretch")


def flash(ctx: PageContext) -> None:
    """The outcome of the last enable or disable, shown once after the page is drawn again."""
    done = st.session_state.pop(FLASH_KEY, None)
    if done:
        key, name = done
        st.success(ctx.tr(key, name=plain(name)))


def _done(key: str, name: str) -> None:
    """Remember the outcome (its catalogue key and the locality's name) for the next run."""
    st.session_state[FLASH_KEY] = (key, name)
    st.rerun()


def _act_on_one(ctx: PageContext, offered: list[LocalityInfo], action: str) -> None:
    """A choice among `offered` and the button that enables or disables the chosen one."""
    if not offered:
        return
    by_code = {loc.code: loc for loc in offered}
    language = ctx.lang  # bound now: a format_func may be called outside this run
    chosen = st.selectbox(
        ctx.tr(f"localities.pick.{action}"),
        list(by_code),
        format_func=lambda c: by_code[c].name(language),
        key=f"localities_{action}_pick_{language}",
        placeholder=choose(by_code),
    )
    name = by_code[chosen].name(ctx.lang)
    kind: Literal["primary", "secondary"] = "primary" if action == "enable" else "secondary"
    label = ctx.tr(f"localities.{action}", name=plain(name))
    if st.button(label, key=f"localities_{action}", type=kind):
        if action == "enable":
            perform(ctx.db, ctx.actor, localities.EnableLocalities.of([chosen]))
        else:
            perform(ctx.db, ctx.actor, localities.DisableLocality.of(chosen))
        _done(f"localities.{action}d.done", name)


def enabled_section(ctx: PageContext, served: list[LocalityInfo]) -> None:
    st.subheader(ctx.tr("localities.enabled.heading", count=fmt_number(len(served), ctx.lang)))
    if not served:
        st.info(ctx.tr("localities.enabled.none"))
        return
    table(ctx, served)
    _act_on_one(ctx, served, "disable")


def search_section(ctx: PageContext) -> None:
    st.subheader(ctx.tr("localities.search.heading"))
    text = st.text_input(
        ctx.tr("localities.search.label"),
        placeholder=ctx.tr("localities.search.placeholder"),
        key="localities_search",
    )
    if not text.strip():
        return
    found = localities.search(ctx.db, ctx.actor, text)
    if not found:
        st.info(ctx.tr("localities.search.none"))
        return
    if len(found) == localities.SEARCH_LIMIT:
        st.caption(
            ctx.tr("localities.search.more", count=fmt_number(localities.SEARCH_LIMIT, ctx.lang))
        )
    table(ctx, found, status=True)
    _act_on_one(ctx, [loc for loc in found if not loc.enabled], "enable")
