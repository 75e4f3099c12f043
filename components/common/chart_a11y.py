"""Text alternatives for charts: the chart's title and one sentence, set as its description.

Kept apart from the builders in `charts.py` because it only reads a finished chart spec: the mark
and the titles of its axes. A call site may pass its own sentence; otherwise one is made from the
spec in the user's language ("Line chart of jobseekers by month, one line per locality, 48 values").
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from employdash.i18n import t

_MARKS = {
    "line": "line",
    "bar": "bar",
    "area": "area",
    "point": "point",
    "circle": "point",
    "rect": "heat",
    "arc": "pie",
    "rule": "line",
    "tick": "point",
    "square": "point",
    "text": "text",
    "trail": "line",
    "geoshape": "map",
}


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    if "layer" in spec:
        return [leaf for layer in spec["layer"] for leaf in _layers(layer)]
    for nested in ("hconcat", "vconcat", "concat"):
        if nested in spec:
            return [leaf for part in spec[nested] for leaf in _layers(part)]
    return [spec]


def _title(channel: Any) -> str:
    if not isinstance(channel, dict):
        return ""
    if "title" in channel:  # set, even to nothing: the field's name is not for readers
        title = channel["title"]
        if isinstance(title, list):
            title = " ".join(str(x) for x in title)
        return str(title or "")
    return str(channel.get("field", "")).replace("_", " ")


def chart_title(spec: dict[str, Any]) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(x) for x in title)
    if title:
        return str(title)
    for leaf in _layers(spec):
        found = chart_title(leaf) if leaf is not spec else ""
        if found:
            return found
    return ""


def describe(spec: dict[str, Any], lang: str, rows: int | None) -> str:
    """One sentence from the spec: kind of chart, what against what, by what, how many values."""
    leaf = next((x for x in _layers(spec) if x.get("encoding")), spec)
    mark = leaf.get("mark", "")
    mark = mark.get("type", "") if isinstance(mark, dict) else mark
    kind = t(f"chart.kind.{_MARKS.get(str(mark), 'other')}", lang)
    encoding = leaf.get("encoding", {})
    if "latitude" in encoding or "longitude" in encoding:
        kind = t("chart.kind.map", lang)
    x, y = _title(encoding.get("x")), _title(encoding.get("y"))
    colour = _title(encoding.get("color"))
    y_is_value = encoding.get("y", {}).get("type") == "quantitative"
    quantity, axis = (y, x) if y_is_value else (x, y)
    quantity = quantity or chart_title(spec)
    parts = [t("chart.sentence.kind", lang, kind=kind)]
    if quantity and axis:
        parts = [t("chart.sentence.of_by", lang, kind=kind, value=quantity, axis=axis)]
    elif quantity or colour:
        parts = [t("chart.sentence.of", lang, kind=kind, value=quantity or colour)]
    if colour and colour not in (quantity, axis):
        parts.append(t("chart.sentence.series", lang, series=colour))
    if rows:
        parts.append(t("chart.sentence.rows", lang, n=rows))
    return ", ".join(parts) + "."


def _data_of(chart: Any) -> pd.DataFrame | None:
    data = getattr(chart, "data", alt.Undefined)
    if isinstance(data, pd.DataFrame):
        return data
    for nested in ("layer", "hconcat", "vconcat", "concat"):
        for part in getattr(chart, nested, None) or []:
            found = _data_of(part)
            if found is not None:
                return found
    return None


def table_of(chart: alt.TopLevelMixin, spec: dict[str, Any]) -> pd.DataFrame | None:
    """The numbers the chart draws, as a table with the chart's own titles for columns.

    Only the encoded fields are kept; a time series with one line per series is turned wide
    (a row per date, a column per series), which is how a reader compares the lines.
    """
    data = _data_of(chart)
    if data is None or data.empty:
        return None
    columns: dict[str, str] = {}
    roles: dict[str, str] = {}
    for leaf in _layers(spec):
        for channel, enc in (leaf.get("encoding") or {}).items():
            if channel in ("tooltip", "strokeDash", "opacity", "size") or not isinstance(enc, dict):
                continue
            field = enc.get("field")
            if isinstance(field, str) and field in data.columns and field not in columns:
                columns[field] = _title(enc) or chart_title(spec) or field
                roles.setdefault(channel, field)
    if not columns:
        return data
    table = data[list(columns)]
    x, y, colour = roles.get("x"), roles.get("y"), roles.get("color")
    if x and y and colour and len(columns) == 3 and not table.duplicated([x, colour]).any():
        wide = table.pivot(index=x, columns=colour, values=y).reset_index()
        wide.columns = [columns[x], *[str(c) for c in wide.columns[1:]]]
        return wide
    return table.rename(columns=columns)
