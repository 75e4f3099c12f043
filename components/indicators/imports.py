"""The import preview: counts, every rejected line with its reason, and the revisions."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from components.common.state import Kept
from components.common.tables import data_table
from components.common.text import plain
from employdash.i18n import fmt_date, fmt_month, fmt_number, t
from employdash.indicators.import_plan import ImportPlan, Rejection
from employdash.indicators.imports import BatchRow

# The file previewed (its digest and plan), kept until it is committed or another file replaces it.
PLAN: Kept[tuple[str, ImportPlan]] = Kept("ind_import_plan")
# The committed import's outcome, shown once above the form by the next run.
DONE: Kept[str] = Kept("ind_import_done")

MAX_LISTED = 500
PER_ROW = 4
HISTORY_COLUMNS = (
    "created_at",
    "username",
    "filename",
    "layout",
    "source",
    "rows_read",
    "added",
    "revised",
    "unchanged",
    "rejected",
)


def _name(names: dict[Any, tuple[str, str]], code: Any, lang: str) -> str:
    """A locality's or measure's name in the user's language; a code the catalogue does not
    know (an unknown indicator in the file) as the file wrote it."""
    found = names.get(code)
    return str(code) if found is None else (found[0] if lang == "he" else found[1])


def _reason(rejection: Rejection, plan: ImportPlan, lang: str) -> str:
    locality = (
        _name(plan.locality_names, rejection.locality, lang)
        if rejection.locality is not None
        else ""
    )
    return t(rejection.reason, lang, locality=locality)


def _coverage(plan: ImportPlan, lang: str) -> None:
    """What the import covers: every month from the first to the last, the localities and the
    measures by name."""
    if not plan.months:
        return
    st.markdown(f"**{t('ind.import.covers_title', lang)}**")
    st.text(
        t(
            "ind.import.covers_months",
            lang,
            first=fmt_month(min(plan.months), lang),
            last=fmt_month(max(plan.months), lang),
            months=fmt_number(len(plan.months), lang),
        )
    )
    localities = sorted(_name(plan.locality_names, c, lang) for c in plan.localities)
    st.text(t("ind.import.covers_localities", lang, names=", ".join(localities)))
    measures = sorted(_name(plan.indicator_names, c, lang) for c in plan.indicators)
    st.text(t("ind.import.covers_measures", lang, names=" · ".join(measures)))


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
        ("ind.import.suppressed", plan.suppressed),
        ("ind.import.duplicates", len(plan.duplicates)),
        ("ind.import.rejected", plan.rejected_lines),
    )
    for row in range(0, len(figures), PER_ROW):  # labels whole, not cut to fit seven across
        for column, (key, value) in zip(
            st.columns(PER_ROW), figures[row : row + PER_ROW], strict=False
        ):
            column.metric(t(key, lang), fmt_number(value, lang), border=True)
    _coverage(plan, lang)
    if plan.suppressed:
        st.caption(t("ind.import.suppressed_note", lang))
    if plan.ignored_columns:  # never dropped silently: each column named, with why
        st.markdown(f"**{t('ind.import.ignored_title', lang)}**")
        for header, reason in plan.ignored_columns:
            st.text(t("ind.import.ignored_column", lang, column=header, reason=t(reason, lang)))
    if plan.totals_skipped:
        lines = ", ".join(str(n) for n in plan.totals_skipped[:MAX_LISTED])
        st.text(t("ind.import.totals_skipped", lang, lines=lines))
    if plan.duplicates:
        st.markdown(f"**{t('ind.import.duplicates_title', lang)}**")
        data_table(
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
        listed = plan.rejected[:MAX_LISTED]
        st.markdown(f"**{t('ind.import.rejected_title', lang)}**")
        st.caption(t("ind.import.rejected_note", lang))
        data_table(
            pd.DataFrame(
                {
                    t("ind.import.col.line", lang): [r.line for r in listed],
                    t("ind.import.col.reason", lang): [_reason(r, plan, lang) for r in listed],
                    t("ind.import.col.measures", lang): [
                        " · ".join(_name(plan.indicator_names, c, lang) for c in r.indicators)
                        for r in listed
                    ],
                    t("ind.import.col.detail", lang): [r.detail for r in listed],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    if plan.to_revise:
        listed_revisions = plan.to_revise[:MAX_LISTED]
        st.markdown(f"**{t('ind.import.revisions_title', lang)}**")
        data_table(
            pd.DataFrame(
                {
                    t("ind.import.col.line", lang): [r.new.line for r in listed_revisions],
                    t("ind.col.locality", lang): [
                        _name(plan.locality_names, r.new.locality_code, lang)
                        for r in listed_revisions
                    ],
                    t("ind.col.period", lang): [
                        fmt_month(r.new.period, lang) for r in listed_revisions
                    ],
                    t("ind.col.indicator", lang): [
                        _name(plan.indicator_names, r.new.indicator_code, lang)
                        for r in listed_revisions
                    ],
                    t("ind.col.old", lang): [r.old_value for r in listed_revisions],
                    t("ind.col.new", lang): [r.new.value for r in listed_revisions],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def scope_note(localities: list[str] | None, lang: str) -> None:
    """Whose rows this user imports: every locality, or the ones on their record by name."""
    if localities is None:
        st.caption(t("ind.import.scope_all", lang))
    else:
        st.caption(t("ind.import.scope_assigned", lang, names=plain(", ".join(localities))))


def history(batches: list[BatchRow], lang: str) -> None:
    st.subheader(t("ind.import.history", lang))
    if not batches:
        st.caption(t("ind.import.no_history", lang))
        return
    frame = pd.DataFrame(batches)
    frame["created_at"] = frame["created_at"].map(lambda d: fmt_date(d, lang))
    frame["layout"] = frame["layout"].map(lambda k: t(f"ind.import.layout.{k}", lang))
    headers = {column: t(f"ind.import.history.{column}", lang) for column in HISTORY_COLUMNS}
    data_table(
        frame[list(HISTORY_COLUMNS)].rename(columns=headers), hide_index=True, width="stretch"
    )
