"""The login cookie, set and cleared by the server: HttpOnly, SameSite=Strict, Secure over HTTPS.

A script can neither read nor write such a cookie, so it is only ever set by an HTTP response:
- a password login happens in a script run (the form), which cannot answer HTTP. The run hands
  the cookie's value to `issue_exchange` and gets back a one-time token, good for
  EXCHANGE_SECONDS, that a zero-height frame posts (as the request's body) to
  `POST /signin/session`; the answer sets the cookie (the open session goes on as it is: no
  page load).
- a sign-in with the identity provider ends in an HTTP response anyway (components/shell/oidc.py),
  which sets it with `set_on`.
- `POST /signin/logout` clears it (the session version was already moved on by the logout itself,
  so a copy that a clear never reached is dead too).

The value is the same signed JWT as before (username, expiry, session version), read back by the
login gate from the request (`st.context.cookies`, which includes HttpOnly cookies).

The one-time tokens live in this process: the frame's post comes from the browser whose session
ran the login, which the load balancer's sticky cookie sends to the same replica. A token is
removed when it is used and refused once EXCHANGE_SECONDS have passed. Posts from another site
are refused (`Sec-Fetch-Site`, or `Origin` against `Host`): nobody can log a browser into their
own account from elsewhere.
"""

from __future__ import annotations

import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import jwt
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from employdash.config import Config, get_config

EXCHANGE_PATH = "/signin/session"
LOGOUT_PATH = "/signin/logout"
EXCHANGE_SECONDS = 60

_pending: dict[str, tuple[str, float, float]] = {}  # token -> (cookie value, its expiry, deadline)
_lock = threading.Lock()


def encode(config: Config, username: str, version: int | None) -> tuple[str, float]:
    """The signed cookie value for a login, and when it expires (a POSIX timestamp)."""
    expires = (datetime.now(UTC) + timedelta(days=config.COOKIE_EXPIRY_DAYS)).timestamp()
    claims = {"username": username, "exp_date": expires, "sv": version}
    return jwt.encode(claims, config.COOKIE_KEY, algorithm="HS256"), expires


def issue_exchange(value: str, expires: float) -> str:
    """A one-time token the browser trades for the cookie `value` at EXCHANGE_PATH."""
    token = secrets.token_urlsafe(32)
    now = time.monotonic()
    with _lock:
        for stale in [t for t, (_v, _e, deadline) in _pending.items() if deadline < now]:
            del _pending[stale]
        _pending[token] = (value, expires, now + EXCHANGE_SECONDS)
    return token


def _redeem(token: str) -> tuple[str, float] | None:
    with _lock:
        found = _pending.pop(token, None)
    if found is None or found[2] < time.monotonic():
        return None
    return found[0], found[1]


def served_over_https(request: Request) -> bool:
    """HTTPS here or at the proxy in front (nginx passes X-Forwarded-Proto)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def same_origin(request: Request) -> bool:
    """The request comes from a page of this site (a browser says so in `Sec-Fetch-Site`; an
    older one in `Origin`)."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host")


def set_on(
    response: Response, request: Request, config: Config, value: str, expires: float
) -> None:
    response.set_cookie(
        config.COOKIE_NAME,
        value,
        max_age=max(0, int(expires - time.time())),
        path="/",
        secure=served_over_https(request),
        httponly=True,
        samesite="strict",
    )


def clear_on(response: Response, request: Request, config: Config) -> None:
    response.delete_cookie(
        config.COOKIE_NAME,
        path="/",
        secure=served_over_https(request),
        httponly=True,
        samesite="strict",
    )


async def exchange(request: Request) -> Response:
    if not same_origin(request):
        return Response(status_code=403)
    body = await request.body()
    found = _redeem(body.decode("ascii", "replace")) if len(body) < 200 else None
    if found is None:
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    set_on(response, request, get_config(), *found)
    return response


async def logout(request: Request) -> Response:
    if not same_origin(request):
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    clear_on(response, request, get_config())
    return response


ROUTES = [
    Route(EXCHANGE_PATH, exchange, methods=["POST"]),
    Route(LOGOUT_PATH, logout, methods=["POST"]),
]
