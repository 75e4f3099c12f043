"""Entry point: configuration, language, login gate, locality picker, navigation per role."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components.common.cache import settle_heap
from components.common.text import plain
from components.shell import auth, navigation, schema, style, warmup
from components.shell import frame as shell
from components.shell.context import PageContext, lang, set_current, tr
from components.shell.feedback import show_error
from employdash import localities
from employdash.config import get_config
from employdash.db import get_database, outage
from employdash.errors import DomainError
from employdash.users import ensure_safe_to_serve

st.set_page_config(page_title="Employment dashboard", page_icon=":material/work:", layout="wide")


def _login_here() -> None:
    """A linked page before login: the login form (drawn above) is all it shows."""


def main() -> None:
    try:
        config = get_config()
    except DomainError as exc:
        st.error(plain(exc))
        st.stop()
    shell.init_language(config.DEFAULT_LANGUAGE)
    # The stylesheet is the first thing drawn, so the first paint is already right to left; the
    # slot lets a user's own language (known after the login gate) replace it, not stack on it.
    head = style.Head()
    first_lang = lang()
    head.apply(first_lang)
    db = get_database(config.DATABASE_URL)
    header = st.container()
    try:
        schema.ensure_schema(db, config)
        ensure_safe_to_serve(db, config)
        if st.session_state.get("authentication_status"):
            actor = auth.login_gate(db, config)
        else:
            # The form's narrow column, in a slot: when this run logs in (a submit, or a login
            # cookie) the slot is cleared and the same run goes on to draw the navigation and
            # the page at full width, with the login cookie written (no second run).
            gate = st.empty()
            with gate.container(), st.columns([1, 2, 1])[1]:
                actor = auth.login_gate(db, config)
            if actor is not None:
                gate.empty()
                auth.write_pending_cookie()
    except DomainError as exc:
        show_error(exc)
        st.stop()

    if actor is None:
        with header:
            st.title(tr("app.title"))
            st.caption(tr("app.tagline"))
        shell.language_switch(None, None)
        login_page = st.Page(lambda: None, title=tr("login.title"), url_path="login", default=True)
        statement = navigation.statement_page(lang())
        # A link from a mail logs in where it points (navigation.URL_PATHS).
        deep = [
            st.Page(_login_here, title=tr("login.title"), url_path=path)
            for path in navigation.URL_PATHS
        ]
        current = st.navigation([login_page, *deep, statement], position="hidden")
        navigation.statement_link(lang(), statement, current=current.url_path == statement.url_path)
        with st.columns([1, 2, 1])[1]:
            navigation.statement_link(lang(), statement, st.container())
        current.run()
        warmup.start()  # the form is drawn: the pages' imports are paid while the user types
        st.stop()

    shell.adopt_user_language(actor)
    if lang() != first_lang:
        head.apply(lang())
    pages = navigation.build(actor.role, lang())
    # Only chooses the page (its script runs at the end); the menu needs to know which one.
    page = st.navigation(list(pages.values()), position="hidden")
    navigation.menu(actor.role, lang(), pages, page)
    shell.language_switch(db, actor)
    try:
        scope = localities.in_scope(db, actor)
    except DomainError as exc:
        show_error(exc)
        st.stop()
    setup = pages.get(navigation.LOCALITIES_PAGE)  # only for a role that enables localities
    chosen = shell.locality_picker(scope, setup)
    shell.user_badge(actor)
    auth.logout_button(db, actor)
    statement = pages[navigation.STATEMENT.path]
    navigation.statement_link(lang(), statement, current=page.url_path == statement.url_path)
    set_current(
        PageContext(db=db, actor=actor, lang=lang(), locality=chosen, localities=tuple(scope))
    )
    if not scope and setup is not None and page.url_path != setup.url_path:
        shell.first_run_notice(setup)
    try:
        page.run()
    except DomainError as exc:
        show_error(exc)


def _as_main_script() -> AbstractContextManager[None]:
    """Run as the main script, whoever runs it.

    The project has a `pages/` folder, so until the first `st.navigation` of the process Streamlit
    runs this script inside its old multipage shim, as a page named "app". A widget's id includes
    the running script's hash, so in that one run (a fresh server's first visitor) the login form
    had ids that the next run no longer drew: the first submit's username and password went to
    widgets that no longer existed and arrived empty (a second submit worked).

    `get_script_run_ctx`, `pages_manager.main_script_hash` and `run_with_active_hash` are
    Streamlit internals, kept for that correctness (tests/e2e/test_login_fast.py logs a fresh
    server's first visitor in with one submit); tests/test_streamlit_internals.py fails with this
    module's name if an upgrade changes them.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return nullcontext()
    return ctx.run_with_active_hash(ctx.pages_manager.main_script_hash)


def guarded_main() -> None:
    """The last line of defence: a database outage anywhere is a message, never a trace."""
    try:
        with warmup.script_run(), _as_main_script():
            main()
    except Exception as exc:  # Streamlit's rerun and stop are BaseException: they pass through
        unavailable = outage(exc)
        if unavailable is None:
            raise
        style.apply(lang())
        show_error(unavailable)
    finally:
        settle_heap()


guarded_main()
