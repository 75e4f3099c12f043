"""The coverage tab: the forum's sectors against the recommended composition, and follow-ups."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from components.common.charts import show as show_chart
from components.common.downloads import download_buttons
from components.common.tables import data_table
from components.common.text import plain
from components.shell.context import PageContext
from components.stakeholders.charts import coverage_chart
from employdash.i18n import fmt_date, plural
from employdash.stakeholders import grid as stakeholders_map
from employdash.stakeholders.rules import FOLLOW_UP_DAYS


def _coverage(ctx: PageContext, code: int) -> None:
    cov = stakeholders_map.coverage(ctx.db, ctx.actor, code)
    st.subheader(ctx.tr("stake.coverage.title"))
    st.caption(ctx.tr(f"stake.coverage.source.{cov.source}"))
    if cov.gaps:
        names = ", ".join(ctx.tr(f"sector.{s}") for s in cov.gaps)
        st.warning(ctx.tr("stake.coverage.gaps", sectors=names), icon=":material/warning:")
        for gap in cov.gaps:
            if cov.candidates.get(gap):
                st.caption(
                    ctx.tr(
                        "stake.coverage.candidates",
                        sector=ctx.tr(f"sector.{gap}"),
                        names=", ".join(plain(n) for n in cov.candidates[gap]),
                    )
                )
    else:
        st.success(ctx.tr("stake.coverage.no_gaps"), icon=":material/check_circle:")
    left, right = st.columns([2, 3])
    by_sector = cov.by_sector
    show_chart(lambda: coverage_chart(by_sector, ctx.tr), ctx.lang, where=left, inputs=(by_sector,))
    right.dataframe(
        pd.DataFrame(
            {
                ctx.tr("stake.col.sector"): [
                    ctx.tr(f"sector.{r['sector']}") for r in cov.by_sector
                ],
                ctx.tr("stake.col.recommended"): [
                    ctx.tr("common.yes") if r["recommended"] else "" for r in cov.by_sector
                ],
                ctx.tr("stake.col.members"): [r["members"] for r in cov.by_sector],
                ctx.tr("stake.col.organisations"): [
                    ", ".join(r["organisations"]) for r in cov.by_sector
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _follow_ups(ctx: PageContext, code: int) -> None:
    st.subheader(ctx.tr("stake.followups.title", days=FOLLOW_UP_DAYS))
    due = stakeholders_map.follow_ups(ctx.db, ctx.actor, code, date.today())
    if due.empty:
        st.success(ctx.tr("stake.followups.none"), icon=":material/check_circle:")
        return
    table = pd.DataFrame(
        {
            ctx.tr("stake.col.organisation"): due.organisation,
            ctx.tr("stake.col.person"): due.person.fillna(""),
            ctx.tr("stake.col.owner"): due.owner.fillna(""),
            ctx.tr("stake.col.sector"): [ctx.tr(f"sector.{s}") for s in due.sector],
            ctx.tr("stake.col.last_contact"): [
                fmt_date(d, ctx.lang) if isinstance(d, date) else ctx.tr("stake.followups.never")
                for d in due.last_contact
            ],
            ctx.tr("stake.col.days_since"): [
                ("" if pd.isna(d) else int(d)) for d in due.days_since
            ],
        }
    )
    st.caption(plural(len(due), "stake.followups.count", ctx.lang))
    data_table(table, hide_index=True, width="stretch")
    download_buttons(table, f"stakeholder-follow-ups-{code}", "stake_followups")


def section(ctx: PageContext, code: int) -> None:
    _coverage(ctx, code)
    _follow_ups(ctx, code)
