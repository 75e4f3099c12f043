"""Altair charts whose Vega-Lite spec is built and validated once per shape, then refilled with
each render's data.

Why: building an Altair chart and converting it (`st.altair_chart` calls `to_dict()`) validates
every encoding against the Vega-Lite JSON schema, a roughly fixed 0.05-0.3 s per chart that was
most of the stakeholder grid's and network's render time, while only the data changes between
renders of the same chart. A `SpecChart` stands in for the Altair chart: the first time a shape
is converted it builds the real chart, converts it as Altair does (validated) and keeps that spec
with the datasets' places marked; after that, converting it only turns the frames into datasets
through the data transformer Streamlit has active, so the spec Streamlit receives is the one the
real chart would give (tests/stakeholders/test_chart_specs.py compares them).

A shape is the chart kind, its height and every translation its builder asked for: a change of
language (or of any label) builds and caches another template.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import altair as alt
import pandas as pd

Tr = Callable[..., str]
_LOCK = threading.Lock()
_MAX_TEMPLATES = 32  # per chart kind: a few languages x heights; bounded whatever happens
_SLOT = "__employdash_dataset_{}__"


class RecordingTr:
    """A translator that remembers what it was asked, to key a template by its labels."""

    def __init__(self, tr: Tr) -> None:
        self.tr = tr
        self.calls: dict[tuple[str, tuple[tuple[str, Any], ...]], str] = {}

    def __call__(self, key: str, **params: Any) -> str:
        text = self.tr(key, **params)
        self.calls[(key, tuple(sorted(params.items())))] = text
        return text


@dataclass(frozen=True)
class _Template:
    spec: dict[str, Any]
    labels: dict[tuple[str, tuple[tuple[str, Any], ...]], str]

    def matches(self, tr: Tr) -> bool:
        return all(tr(key, **dict(params)) == text for (key, params), text in self.labels.items())


_TEMPLATES: dict[tuple[str, int], list[_Template]] = {}

Builder = Callable[[Sequence[pd.DataFrame], Tr], alt.TopLevelMixin]


class SpecChart(alt.LayerChart):
    """Converts like the chart `build(frames, tr)` returns, without rebuilding or revalidating it
    once its shape is known. Only `to_dict()` with no arguments (what Streamlit calls, with its
    data transformer active) takes the short path; anything else converts the real chart."""

    def __init__(
        self, kind: str, height: int, build: Builder, frames: Sequence[pd.DataFrame], tr: Tr
    ) -> None:
        super().__init__(layer=[])
        object.__setattr__(self, "_spec_args", (kind, height, build, tuple(frames), tr))
        object.__setattr__(self, "_extra", {})

    def properties(self, **extra: Any) -> SpecChart:
        """Top-level properties (a chart's description, say) kept beside the template: they are
        laid over the spec after it is filled, and over the real chart when that is built."""
        kind, height, build, frames, tr = self._spec_args
        copy = SpecChart(kind, height, build, frames, tr)
        object.__setattr__(copy, "_extra", {**self._extra, **extra})
        return copy

    def real_chart(self) -> alt.TopLevelMixin:
        _kind, _height, build, frames, tr = self._spec_args
        chart: alt.TopLevelMixin = build(frames, tr)
        if self._extra:
            chart = chart.properties(**self._extra)
        return chart

    def to_dict(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs:
            asked: dict[str, Any] = self.real_chart().to_dict(*args, **kwargs)
            return asked
        kind, height, build, frames, tr = self._spec_args
        transform = alt.data_transformers.get()
        named = [transform(f) if transform else None for f in frames]
        if not all(isinstance(n, dict) and set(n) == {"name"} for n in named):
            inline: dict[str, Any] = self.real_chart().to_dict()  # data inlined: no templates
            return inline
        names = [str(n["name"]) for n in named if isinstance(n, dict)]
        with _LOCK:
            template = next((t for t in _TEMPLATES.get((kind, height), []) if t.matches(tr)), None)
        if template is None:
            recorder = RecordingTr(tr)
            spec: dict[str, Any] = build(frames, recorder).to_dict()
            if len(set(names)) == len(names):  # each dataset's place is known
                marked = _replace_names(spec, dict(zip(names, _slots(len(names)), strict=True)))
                with _LOCK:
                    bucket = _TEMPLATES.setdefault((kind, height), [])
                    bucket.append(_Template(marked, recorder.calls))
                    del bucket[:-_MAX_TEMPLATES]
            return {**spec, **self._extra}
        # _replace_names copies every dict and list on its way, so the template stays intact.
        filled: dict[str, Any] = _replace_names(
            template.spec, dict(zip(_slots(len(names)), names, strict=True))
        )
        return {**filled, **self._extra}


def _slots(n: int) -> list[str]:
    return [_SLOT.format(i) for i in range(n)]


def _replace_names(node: Any, names: dict[str, str]) -> Any:
    """Swap dataset names wherever a spec refers to data by name ({"data": {"name": ...}})."""
    if isinstance(node, dict):
        if set(node) == {"name"} and node["name"] in names:
            return {"name": names[node["name"]]}
        return {k: _replace_names(v, names) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace_names(v, names) for v in node]
    return node


def clear_templates() -> None:
    """Forget every template (tests)."""
    with _LOCK:
        _TEMPLATES.clear()


def inputs_key(builder: Callable[..., object], *inputs: object) -> str:
    """A digest of a chart builder and everything it draws from (`components.common.charts.show`
    caches finished specs by it): the builder's code (its module, name and line: a lambda at
    another call site is another chart) and each input: data frames by their columns, types,
    index and values, and plain values (text, numbers, dates, None, and tuples, lists, dicts and
    dataclasses of them) by their repr. Anything else is refused: its repr may not say all."""
    digest = hashlib.blake2b(digest_size=20)
    code = getattr(builder, "__code__", None)
    where = (
        f"{code.co_filename}:{code.co_firstlineno}" if code is not None else type(builder).__name__
    )
    digest.update(f"{getattr(builder, '__module__', '')}.{builder.__qualname__}@{where}".encode())
    for value in inputs:
        _feed(digest, value)
    return digest.hexdigest()


_PLAIN = (str, int, float, bool, type(None), date, datetime, Decimal)


def _feed(digest: Any, value: object) -> None:
    if isinstance(value, pd.DataFrame | pd.Series):
        digest.update(b"frame")
        digest.update(repr(value.shape).encode())
        if isinstance(value, pd.DataFrame):
            digest.update(repr(list(value.columns)).encode())
            digest.update(repr([str(t) for t in value.dtypes]).encode())
        else:
            digest.update(repr((value.name, str(value.dtype))).encode())
        try:
            digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        except TypeError:  # unhashable cells (lists, dicts): their pickled form says it all
            digest.update(pickle.dumps(value, protocol=5))
    elif isinstance(value, _PLAIN):
        digest.update(f"{type(value).__name__}:{value!r}".encode())
    elif isinstance(value, tuple | list | frozenset | set):
        items = sorted(value, key=repr) if isinstance(value, frozenset | set) else value
        digest.update(f"{type(value).__name__}[{len(items)}]".encode())
        for item in items:
            _feed(digest, item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(f"{type(value).__qualname__}".encode())
        for f in dataclasses.fields(value):
            _feed(digest, f.name)
            _feed(digest, getattr(value, f.name))
    elif isinstance(value, dict):
        digest.update(f"dict[{len(value)}]".encode())
        for k, v in value.items():
            _feed(digest, k)
            _feed(digest, v)
    else:
        raise TypeError(f"a chart input must be data or a plain value, not {type(value).__name__}")
