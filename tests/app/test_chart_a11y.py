"""Charts' text alternatives: a sentence in the reader's language, a table with the same numbers."""

from __future__ import annotations

from datetime import date

import pandas as pd

from components.common import chart_a11y, charts


def _series() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": [date(2026, m, 1) for m in (1, 2, 3)] * 2,
            "locality": ["Sderot"] * 3 + ["District"] * 3,
            "value": [10.0, 12.0, 11.0, 20.0, 21.0, 22.0],
        }
    )


def test_line_chart_sentence_names_its_axes_and_series_in_both_languages() -> None:
    chart = charts.lines(
        _series(), "month", "value", "locality", "en", x_title="Month", y_title="Job seekers"
    )
    spec = chart_a11y.spec_of(chart)
    assert chart_a11y.chart_title(spec) == "Job seekers"
    en = chart_a11y.describe(spec, "en", 6)
    assert en.startswith("Line chart of Job seekers by Month") and "6 data rows" in en
    he = chart_a11y.describe(
        chart_a11y.spec_of(
            charts.lines(
                _series(), "month", "value", "locality", "he", x_title="חודש", y_title="דורשי עבודה"
            )
        ),
        "he",
        6,
    )
    assert he.startswith("תרשים קווי של דורשי עבודה לפי חודש") and "6 שורות" in he


def test_table_has_the_same_numbers_one_column_per_series() -> None:
    chart = charts.lines(_series(), "month", "value", "locality", "en", x_title="Month")
    table = chart_a11y.table_of(chart, chart_a11y.spec_of(chart))
    assert table is not None
    assert list(table.columns) == ["Month", "District", "Sderot"]
    assert table["Sderot"].tolist() == [10.0, 12.0, 11.0]
    assert table["District"].tolist() == [20.0, 21.0, 22.0]


def test_bar_chart_table_keeps_category_and_value() -> None:
    frame = pd.DataFrame({"sector": ["a", "b"], "n": [3, 7]})
    chart = charts.bars(frame, "sector", "n", "en", value_title="Organisations")
    table = chart_a11y.table_of(chart, chart_a11y.spec_of(chart))
    assert table is not None and table.to_dict("list") == {
        "sector": ["a", "b"],
        "Organisations": [3, 7],
    }
    assert chart_a11y.describe(chart_a11y.spec_of(chart), "en", 2).startswith(
        "Bar chart of Organisations, 2 data rows"
    )
