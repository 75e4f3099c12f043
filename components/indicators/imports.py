"""The import preview: counts, every rejected line with its reason, and the revisions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.common.cache import clear_area
from components.common.text import plain
from employdash.access import Area
from employdash.i18n import fmt_date, fmt_number, t
from employdash.indicators.import_plan import ImportPlan
from employdash.indicators.imports import BatchRow

MAX_LISTED = 500


def clear_read_caches() -> None:
    """After an import, the explorer and the briefing must show the new figures at once."""
    clear_area(Area.INDICATORS, Area.BRIEFING)


def preview(plan: ImportPlan, lang: str) -> None:
    st.caption(
        t(
            "ind.import.summary",
            lang,
            layout=t(f"ind.import.layout.{plan.layout}", lang),
            encoding=plain(plan.encoding),
        )
    )
    figures = (
        ("ind.import.rows_read", plan.rows_read),
        ("ind.import.to_add", len(plan.to_add)),
        ("ind.import.to_revise", len(plan.to_revise)),
        ("ind.import.unchanged", plan.unchanged),
        ("ind.import.duplicates", len(plan.duplicates)),
        ("ind.import.rejected", len(plan.rejected)),
    )
    for column, (key, value) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(t(key, lang), fmt_number(value, lang), border=True)
    if plan.ignored_columns:  # never dropped silently: each column named, with why
        st.markdown(f"**{t('ind.import.ignored_title', lang)}**")
        for header, reason in plan.ignored_columns:
            st.text(t("ind.import.ignored_column", lang, column=header, reason=t(reason, lang)))
    if plan.totals_skipped:
        lines = ", ".join(str(n) for n in plan.totals_skipped[:MAX_LISTED])
        st.text(t("ind.import.totals_skipped", lang, lines=lines))
    if plan.duplicates:
        st.markdown(f"**{t('ind.import.duplicates_title', lang)}**")
        st.dataframe(
            pd.DataFrame(
                {
                    t("ind.import.col.line", lang): [d.line for d in plan.duplicates[:MAX_LISTED]],
                    t("ind.import.col.reason", lang): [
                        f"{t(d.reason, lang)} {d.detail}" for d in plan.duplicates[:MAX_LISTED]
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    if plan.rejected:
        st.markdown(f"**{t('ind.import.rejected_title', lang)}**")
        st.dataframe(
            pd.DataFrame(
                {
                    t("ind.import.col.line", lang): [r.line for r in plan.rejected[:MAX_LISTED]],
                    t("ind.import.col.reason", lang): [
                        t(r.reason, lang) for r in plan.rejected[:MAX_LISTED]
                    ],
                    t("ind.import.col.detail", lang): [
                        r.detail for r in plan.rejected[:MAX_LISTED]
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    if plan.to_revise:
        st.markdown(f"**{t('ind.import.revisions_title', lang)}**")
        st.dataframe(
            pd.DataFrame(
                {
                    t("ind.import.col.line", lang): [
                        r.new.line for r in plan.to_revise[:MAX_LISTED]
                    ],
                    t("ind.col.locality", lang): [
                        r.new.locality_code for r in plan.to_revise[:MAX_LISTED]
                    ],
                    t("ind.col.period", lang): [
                        f"{r.new.period:%Y-%m}" for r in plan.to_revise[:MAX_LISTED]
                    ],
                    t("ind.col.indicator", lang): [
                        r.new.indicator_code for r in plan.to_revise[:MAX_LISTED]
                    ],
                    t("ind.col.old", lang): [r.old_value for r in plan.to_revise[:MAX_LISTED]],
                    t("ind.col.new", lang): [r.new.value for r in plan.to_revise[:MAX_LISTED]],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def history(batches: list[BatchRow], lang: str) -> None:
    st.subheader(t("ind.import.history", lang))
    if not batches:
        st.caption(t("ind.import.no_history", lang))
        return
    frame = pd.DataFrame(batches)
    frame["created_at"] = frame["created_at"].map(lambda d: fmt_date(d, lang))
    st.dataframe(frame, hide_index=True, width="stretch")
