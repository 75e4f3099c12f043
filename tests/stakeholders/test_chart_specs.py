"""The grid and network charts convert, from their cached spec templates, to exactly what the plain
Altair charts (built and validated in full) convert to: the same Vega-Lite spec and the same Arrow
datasets, in both languages, for changing data, and with a template reused rather than rebuilt."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from components.common import chart_specs
from components.stakeholders.charts import (
    build_grid_chart,
    build_network_chart,
    grid_chart,
    network_chart,
)
from employdash.access import Actor
from employdash.db import Database
from employdash.i18n import t
from employdash.seed.context import DEMO_LOCALITY
from employdash.stakeholders import grid as stakeholders_map
from employdash.stakeholders import network as stakeholders_network

ADMIN = Actor(user_id=0, username="test", full_name="test", role="admin", localities=None)


def _tr(lang: str) -> Any:
    return lambda key, **params: t(key, lang, **params)


def _converted(chart: Any) -> dict[str, Any]:
    return _convert_altair_to_vega_lite_spec(chart)


@pytest.fixture(autouse=True)
def fresh_templates() -> None:
    chart_specs.clear_templates()


@pytest.fixture
def grid_frame(sqlite_db: Database) -> pd.DataFrame:
    frame = stakeholders_map.grid(sqlite_db, ADMIN, DEMO_LOCALITY, as_of=date(2026, 11, 1))
    assert len(frame) > 10 and frame.moved.any() and not frame.moved.all()
    return frame


def test_grid_spec_from_template_is_the_full_charts_spec(
    grid_frame: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = _count_builds(monkeypatch)
    for lang in ("he", "en", "he"):
        tr = _tr(lang)
        for frame in (grid_frame, grid_frame.iloc[::2], grid_frame[~grid_frame.moved]):
            assert _converted(grid_chart(frame, tr)) == _converted(build_grid_chart(frame, tr))
    assert builds() == 2  # one template per language, reused for every other render
    assert len(chart_specs._TEMPLATES[("stakeholder_grid", 560)]) == 2


def test_network_spec_from_template_is_the_full_charts_spec(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = stakeholders_network.network(sqlite_db, ADMIN, DEMO_LOCALITY)
    edges = stakeholders_network.drawable_edges(model)
    assert len(model.nodes) > 5 and len(edges) > 5
    builds = _count_builds(monkeypatch)
    for lang in ("en", "he"):
        tr = _tr(lang)
        for nodes, drawn in ((model.nodes, edges), (model.nodes, edges.iloc[:3])):
            got = _converted(network_chart(nodes, drawn, tr))
            assert got == _converted(build_network_chart(nodes, drawn, tr))
    assert builds() == 2


def test_other_conversions_use_the_full_chart(grid_frame: pd.DataFrame) -> None:
    """Outside Streamlit (Altair's default transformer inlines the data) nothing is cached."""
    tr = _tr("en")
    assert grid_chart(grid_frame, tr).to_dict() == build_grid_chart(grid_frame, tr).to_dict()
    assert chart_specs._TEMPLATES == {}


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> Any:
    """How many templates were built from here on (each build records its translations)."""
    calls = {"n": 0}
    original = chart_specs.RecordingTr.__init__

    def counting(self: chart_specs.RecordingTr, tr: Any) -> None:
        calls["n"] += 1
        original(self, tr)

    monkeypatch.setattr(chart_specs.RecordingTr, "__init__", counting)
    return lambda: calls["n"]
