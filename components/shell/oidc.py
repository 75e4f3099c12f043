"""Sign-in with the municipality's identity provider (OpenID Connect), served beside the app.

`GET /signin/oidc/start` sends the browser to the provider (authorization code flow with PKCE);
`GET /signin/oidc/callback` takes its answer, and Authlib checks it all: the state against the
browser's, the code exchanged for tokens with the client secret, the ID token's signature (the
provider's published keys), issuer, audience, expiry and nonce. The e-mail the provider vouches
for (in the ID token, or from its userinfo endpoint for the same subject) then names the
account: an active user with that e-mail (any case) signs in with their own role and locality
scope, exactly as a password login (audited, the session version in the cookie, the cookie set
by this response: components/shell/session_cookie.py). Nobody else gets in, and no account is
ever made here: an unknown e-mail is sent back to the login page, which says why
(`?signin=unknown`).

Authlib keeps the flow's state, nonce and PKCE verifier in Starlette's session, a cookie signed
with COOKIE_KEY and scoped to these two paths: whichever replica the provider sends the browser
back to can finish the sign-in. That cookie is SameSite=Lax, as it must be: the provider's
redirect back is a navigation from another site.

Streamlit's own `st.login` runs the same Authlib flow, but keeps the user in a cookie of its own
(SameSite=Lax, never Secure, 30 days, no session version) with its settings in `[auth]` secrets;
here the sign-in ends in the app's one login cookie, so revocation, expiry and the flags hold for
both ways in, and the settings are the app's (employdash/config.py).
"""

from __future__ import annotations

import logging
from functools import lru_cache

import httpx2
from authlib.integrations.starlette_client import (  # type: ignore[import-untyped]  # no types
    OAuth,
    OAuthError,
    StarletteOAuth2App,
)
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from components.shell import session_cookie
from employdash import logins, users
from employdash.config import Config, get_config
from employdash.db import get_database

PREFIX = "/signin/oidc"
START_PATH = f"{PREFIX}/start"
CALLBACK_PATH = f"{PREFIX}/callback"
REFUSAL_PARAM = "signin"  # ?signin=unknown (no account with that e-mail) or ?signin=failed
STATE_COOKIE = "employdash_oidc"
STATE_SECONDS = 600

_LOG = logging.getLogger(__name__)


@lru_cache(maxsize=2)
def _client(issuer: str, client_id: str, client_secret: str) -> StarletteOAuth2App:
    """One client per provider and process: it caches the provider's metadata and keys."""
    oauth = OAuth()
    oauth.register(
        "municipality",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
    )
    client: StarletteOAuth2App = oauth.create_client("municipality")
    return client


def _client_of(config: Config) -> StarletteOAuth2App:
    return _client(config.OIDC_ISSUER, config.OIDC_CLIENT_ID, config.OIDC_CLIENT_SECRET)


def _origin(request: Request) -> str:
    """This site as the browser addressed it (behind nginx: its Host and X-Forwarded-Proto)."""
    scheme = "https" if session_cookie.served_over_https(request) else request.url.scheme
    return f"{scheme}://{request.headers.get('host', request.url.netloc)}"


def email_of(claims: dict[str, object]) -> str | None:
    """The e-mail the provider vouches for: `email` (unless marked unverified), else Entra ID's
    `preferred_username` when it is an address (an organisational account's sign-in name)."""
    if claims.get("email_verified") is False:
        return None
    for name in ("email", "preferred_username"):
        value = claims.get(name)
        if isinstance(value, str) and "@" in value:
            return value.strip()
    return None


async def _vouched_email(client: StarletteOAuth2App, request: Request) -> str | None:
    """The e-mail of the provider's answer: from the checked ID token, else (a provider that
    puts only the subject in it) from its userinfo endpoint, for the same subject."""
    token = await client.authorize_access_token(request)
    claims = dict(token.get("userinfo") or {})
    email = email_of(claims)
    if email is None and claims.get("sub"):
        more = dict(await client.userinfo(token=token))
        if more.get("sub") == claims["sub"]:
            email = email_of(more)
    return email


def _back_to_login(reason: str) -> RedirectResponse:
    return RedirectResponse(f"/?{REFUSAL_PARAM}={reason}", status_code=303)


async def start(request: Request) -> Response:
    config = get_config()
    if not config.OIDC_ISSUER:
        return Response(status_code=404)
    try:
        redirect: Response = await _client_of(config).authorize_redirect(
            request, _origin(request) + CALLBACK_PATH
        )
    except (OAuthError, httpx2.HTTPError, ValueError):
        _LOG.exception("the identity provider %s did not answer", config.OIDC_ISSUER)
        return _back_to_login("failed")
    return redirect


async def callback(request: Request) -> Response:
    config = get_config()
    if not config.OIDC_ISSUER:
        return Response(status_code=404)
    try:
        email = await _vouched_email(_client_of(config), request)
    except (OAuthError, httpx2.HTTPError, ValueError) as exc:
        _LOG.warning("sign-in with the identity provider refused: %s", exc)
        return _back_to_login("failed")
    db = get_database(config.DATABASE_URL)
    username = await run_in_threadpool(users.username_for_email, db, email) if email else None
    if username is None:
        _LOG.warning("sign-in with the identity provider: no active account for %r", email)
        return _back_to_login("unknown")
    version = await run_in_threadpool(logins.record_login, db, username, True)
    response = RedirectResponse("/", status_code=303)
    session_cookie.set_on(
        response, request, config, *session_cookie.encode(config, username, version)
    )
    return response


def routes(config: Config) -> list[BaseRoute]:
    """The two routes, under a session that holds only the flow's state."""
    flow = Starlette(
        routes=[Route("/start", start), Route("/callback", callback)],
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=config.COOKIE_KEY,
                session_cookie=STATE_COOKIE,
                max_age=STATE_SECONDS,
                path=PREFIX,
                same_site="lax",
            )
        ],
    )
    return [Mount(PREFIX, app=flow)]
