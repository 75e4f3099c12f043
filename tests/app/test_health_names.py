"""A forum health warning names a metric or a team as the people typed it: never as Markdown."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    from types import SimpleNamespace

    from components.forum.views import health
    from employdash.forum.health import Warning
    from employdash.i18n import t

    ctx = SimpleNamespace(tr=lambda key, **params: t(key, "en", **params))
    name = "**Jobs** [here](http://evil.example) ![x](http://evil.example/x.png)"
    warning = Warning("forum.health.off_track", {"metric_he": name, "metric_en": name}, 3)
    health(ctx, [warning])  # type: ignore[arg-type]  # health reads only ctx.tr


def test_a_metric_name_in_a_warning_is_shown_as_typed() -> None:
    at = AppTest.from_function(_script).run()
    assert not at.exception
    body = at.error[0].value
    assert "\\*\\*Jobs\\*\\*" in body and "\\[here\\]" in body and "\\!\\[x\\]" in body
