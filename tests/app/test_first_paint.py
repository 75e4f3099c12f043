"""The first-paint middleware: Streamlit's HTML page carries the language and the RTL rules."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from components.shell.first_paint import (
    FirstPaintDirection,
    Receive,
    Scope,
    Send,
    language_from_cookie,
    rewrite,
)
from components.shell.style import FIRST_PAINT_CSS

PAGE = b'<!doctype html><html lang="en"><head><title>x</title></head><body></body></html>'


def test_language_comes_from_the_cookie_or_the_default() -> None:
    assert language_from_cookie("a=1; employdash_lang=en; b=2", "he") == "en"
    assert language_from_cookie("employdash_lang=fr", "he") == "he"
    assert language_from_cookie("", "en") == "en"


def test_rewrite_sets_the_language_and_adds_the_rules_once() -> None:
    page = rewrite(PAGE.decode(), "he", FIRST_PAINT_CSS)
    assert page.count("<html") == 1 and '<html lang="he">' in page
    assert page.count("<style>") == 1 and page.index("<style>") < page.index("</head>")
    assert "html:lang(he) .stMain" in page


async def _no_app(scope: Scope, receive: Receive, send: Send) -> None:
    """Never called: the middleware refuses the CSS before it wraps an app."""


def test_css_that_could_close_the_style_tag_is_refused() -> None:
    with pytest.raises(ValueError):
        FirstPaintDirection(_no_app, css="a{}</style><script>")


def _serve(content_type: bytes, body: bytes, headers: list[tuple[bytes, bytes]]) -> Any:
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen["headers"] = scope["headers"]
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": False})

    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> Any:
        return {"type": "http.request"}

    middleware = FirstPaintDirection(app, css=FIRST_PAINT_CSS, default_lang="he")
    scope = {"type": "http", "method": "GET", "path": "/tasks", "headers": headers}
    # In a thread of its own: once a browser file ran on this worker, its session Chromium
    # (Playwright's sync API) keeps an event loop running in the main thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, middleware(scope, receive, send)).result()
    return seen, sent


def test_the_html_page_is_served_rewritten_and_uncompressed() -> None:
    seen, sent = _serve(
        b"text/html; charset=utf-8",
        PAGE,
        [(b"accept", b"text/html"), (b"accept-encoding", b"gzip"), (b"cookie", b"x=1")],
    )
    assert b"accept-encoding" not in dict(seen["headers"])
    body = sent[1]["body"]
    assert b'<html lang="he">' in body and b"html:lang(he)" in body
    assert dict(sent[0]["headers"])[b"content-length"] == str(len(body)).encode()


def test_other_responses_pass_unchanged() -> None:
    script = b"console.log('<html lang=en></head>')"
    _, sent = _serve(b"text/javascript", script, [(b"accept", b"*/*")])
    assert sent[1]["body"] == script
    _, sent = _serve(b"application/json", b"{}", [(b"accept", b"text/html")])
    assert sent[1]["body"] == b"{}"
