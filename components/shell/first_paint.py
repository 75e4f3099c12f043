"""Right to left before the first paint: the direction is in the page's HTML itself.

Streamlit draws everything from JavaScript, and the app's stylesheet reaches the page as an
element (`style.Head`) whose HTML support is a separate script file loaded on demand. On a page
opened by URL, a session that logs in from the cookie sends the whole page in its first run, and
its headings and captions (drawn without that file) would paint left to right for a few frames
until the stylesheet arrives.

So the server puts the right-to-left rules into the HTML document it serves: this ASGI middleware
sets `<html lang>` from the language cookie the page script keeps (`LANG_COOKIE`; before any
choice, the configured default language) and adds the rules, scoped to `html:lang(he)`, to the
document's head. The page script keeps `lang` up to date, so after a switch to English in the
same page the rules stop applying. Only Streamlit's HTML page is touched; nothing else passes
through here changed. Served by `serve.py` (`st.App`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LANG_COOKIE = "employdash_lang"
LANGUAGES = ("he", "en")
_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)


def language_from_cookie(header: str, default: str) -> str:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == LANG_COOKIE and value in LANGUAGES:
            return value
    return default


def rewrite(document: str, lang: str, css: str) -> str:
    """The HTML page with `lang` on its root element and `css` at the end of its head."""
    document = _HTML_TAG.sub(f'<html lang="{lang}">', document, count=1)
    # Static CSS from the code (no user text); "</" cannot occur in it, so it cannot end the tag.
    return document.replace("</head>", f"<style>{css}</style></head>", 1)


class FirstPaintDirection:
    """ASGI middleware: Streamlit's HTML page carries the language and the RTL rules."""

    def __init__(self, app: ASGIApp, css: str, default_lang: str = "he") -> None:
        if "</" in css:
            raise ValueError("the first-paint CSS may not contain '</'")
        self.app = app
        self.css = css
        self.default_lang = default_lang

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        cookie = headers.get(b"cookie", b"").decode("latin-1")
        lang = language_from_cookie(cookie, self.default_lang)
        accepts_html = b"text/html" in headers.get(b"accept", b"")
        if not accepts_html:
            await self.app(scope, receive, send)
            return
        # The page is rewritten, so it must come uncompressed (it is a few kilobytes).
        plain_scope = dict(scope)
        plain_scope["headers"] = [
            (k, v) for k, v in scope.get("headers") or [] if k != b"accept-encoding"
        ]
        start: Message | None = None
        passing = False
        body: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start, passing
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers") or []).get(b"content-type", b"")
                if not content_type.startswith(b"text/html"):
                    passing = True
                    await send(message)
                else:
                    start = message
                return
            if passing or start is None:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            data = rewrite(b"".join(body).decode("utf-8"), lang, self.css).encode("utf-8")
            kept = [(k, v) for k, v in start.get("headers") or [] if k != b"content-length"]
            kept.append((b"content-length", str(len(data)).encode("ascii")))
            await send({**start, "headers": kept})
            await send({"type": "http.response.body", "body": data, "more_body": False})

        await self.app(plain_scope, receive, capture)
