"""The unsubscribe link of the reminders and summaries, served beside the app (`serve.py`).

`POST /mail/unsubscribe?token=T` is the one-click unsubscribe of RFC 8058: mail clients post
`List-Unsubscribe=One-Click` to the `List-Unsubscribe` address and expect no page to click
through. A `GET` of the same address (a person clicking the link in the footer) only shows a
small page with the button that posts: link scanners and previews follow GETs, and a GET must
never unsubscribe anyone. `POST /mail/resubscribe?token=T` turns the mail back on from the same
page. A token nobody holds answers 404 with a page that says only that the link is not valid.

Plain Starlette handlers and HTML (no Streamlit session, no login: the token is the credential);
every text from the catalogue, escaped, in the holder's language.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from employdash.config import get_config
from employdash.db import Database, get_database
from employdash.i18n import direction, t
from employdash.mail.preferences import Subscription, set_stopped, subscription

STYLE = (
    "body{font-family:system-ui,Arial,sans-serif;max-width:34rem;margin:3rem auto;"
    "padding:0 1rem;line-height:1.5;color:#1a1a1a}"
    "button{font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:.4rem;"
    "background:#0b5394;color:#fff;cursor:pointer}"
)


def _page(language: str, body: str, status: int = 200) -> HTMLResponse:
    title = escape(t("mail.unsubscribe.title", language))
    html = (
        f'<!doctype html><html lang="{language}" dir="{direction(language)}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{title}</title><style>{STYLE}</style>'
        f"</head><body><main><h1>{title}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status)


def _button(language: str, action: str, token: str, label_key: str) -> str:
    return (
        f'<form method="post" action="{action}?token={quote(token)}">'
        f'<button type="submit">{escape(t(label_key, language))}</button></form>'
    )


def _state_page(found: Subscription, token: str, message_key: str | None = None) -> HTMLResponse:
    language = found.language
    if found.stopped:
        text, form = (
            "mail.unsubscribe.stopped",
            _button(language, "resubscribe", token, "mail.unsubscribe.resume"),
        )
    else:
        text, form = (
            "mail.unsubscribe.active",
            _button(language, "unsubscribe", token, "mail.unsubscribe.stop"),
        )
    said = escape(t(message_key or text, language))
    return _page(language, f'<p role="status">{said}</p>{form}')


def _not_found() -> HTMLResponse:
    language = str(get_config().DEFAULT_LANGUAGE)
    return _page(language, f"<p>{escape(t('mail.unsubscribe.unknown', language))}</p>", 404)


def _database() -> Database:
    return get_database(get_config().DATABASE_URL)


async def show(request: Request) -> HTMLResponse:
    token = request.query_params.get("token", "")
    found = await run_in_threadpool(subscription, _database(), token)
    return _not_found() if found is None else _state_page(found, token)


async def _switch(request: Request, stop: bool) -> HTMLResponse:
    token = request.query_params.get("token", "")
    found = await run_in_threadpool(set_stopped, _database(), token, stop)
    if found is None:
        return _not_found()
    return _state_page(found, token, None if stop else "mail.unsubscribe.resumed")


async def unsubscribe(request: Request) -> HTMLResponse:
    return await _switch(request, stop=True)


async def resubscribe(request: Request) -> HTMLResponse:
    return await _switch(request, stop=False)


ROUTES = [
    Route("/mail/unsubscribe", show, methods=["GET"]),
    Route("/mail/unsubscribe", unsubscribe, methods=["POST"]),
    Route("/mail/resubscribe", resubscribe, methods=["POST"]),
]
