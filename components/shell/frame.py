"""The sidebar every page shares: language, locality picker, who is signed in, logout."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.common.text import plain
from components.shell.context import lang, tr
from employdash import logins
from employdash.access import Actor
from employdash.db import Database
from employdash.i18n import LANGUAGES, t
from employdash.localities import LocalityInfo

LANG_KEY = "lang"
LOCALITY_KEY = "locality_code"
LOCALITY_PARAM = "locality"  # a link into the app (an e-mail's) may name the locality to show


def init_language(default: str) -> None:
    if st.session_state.get(LANG_KEY) not in LANGUAGES:
        st.session_state[LANG_KEY] = default


def adopt_user_language(actor: Actor) -> None:
    """Once per login, take the language the user chose last time."""
    if st.session_state.get("_lang_user") != actor.username:
        st.session_state["_lang_user"] = actor.username
        st.session_state[LANG_KEY] = actor.language


def language_switch(db: Database | None, actor: Actor | None) -> None:
    """The language buttons. The chosen language lives under LANG_KEY; the widget's own key
    carries the language it was drawn in, so a late widget update from a page drawn before the
    user's saved language was adopted (the login cookie's extra reruns) is a different widget
    and cannot switch the language back, nor save the stale choice as the user's preference."""
    current = lang()
    widget_key = f"{LANG_KEY}_switch_{current}"
    st.session_state[widget_key] = current

    def remember() -> None:
        chosen = st.session_state.get(widget_key)
        if chosen not in LANGUAGES or chosen == current:
            return  # clicking the selected option clears a segmented control: keep the language
        st.session_state[LANG_KEY] = chosen
        if db is not None and actor is not None:
            logins.set_language(db, actor, chosen)

    st.sidebar.segmented_control(
        t("lang.label", current),
        options=list(LANGUAGES),
        format_func=lambda code: t(f"lang.{code}", code),
        key=widget_key,
        on_change=remember,
    )


def first_run_notice(setup: st.Page, where: DeltaGenerator | None = None) -> None:
    """No locality is enabled yet: the administrator is told so and led to the localities page."""
    where = where or st.container()
    where.info(tr("localities.first_run.admin"))
    where.page_link(setup, label=tr("localities.first_run.link"), icon=":material/location_city:")


def locality_picker(
    localities: list[LocalityInfo], setup: st.Page | None = None
) -> LocalityInfo | None:
    """The chosen locality stays chosen across pages and languages.

    The choice lives under its own session key; the widget's key carries the language, because a
    keyed selectbox keeps the option labels it was first drawn with (Hebrew names would stay after
    switching to English). With none to choose, `setup` (the localities page, for the one who may
    enable localities) is offered instead of the advice to ask an administrator.
    """
    if not localities:
        if setup is None:
            st.sidebar.warning(tr("locality.none_in_scope"))
        else:
            first_run_notice(setup, st.sidebar)
        return None
    by_code = {loc.code: loc for loc in localities}
    linked = st.query_params.get(LOCALITY_PARAM)
    if linked is not None:
        del st.query_params[LOCALITY_PARAM]  # taken once: the picker decides after that
        if linked.isdigit() and int(linked) in by_code:  # one outside the scope is ignored
            st.session_state[LOCALITY_KEY] = int(linked)
    if st.session_state.get(LOCALITY_KEY) not in by_code:
        st.session_state[LOCALITY_KEY] = localities[0].code
    language = lang()  # bound now: a format_func may be called outside this run
    widget_key = f"{LOCALITY_KEY}_{language}"
    st.session_state[widget_key] = st.session_state[LOCALITY_KEY]

    def remember() -> None:
        st.session_state[LOCALITY_KEY] = st.session_state[widget_key]

    st.sidebar.selectbox(
        tr("locality.picker"),
        options=list(by_code),
        format_func=lambda c: by_code[c].name(language),
        key=widget_key,
        on_change=remember,
        placeholder=tr("common.choose"),
    )
    return by_code[st.session_state[LOCALITY_KEY]]


def user_badge(actor: Actor) -> None:
    st.sidebar.caption(
        tr("user.signed_in_as", name=plain(actor.full_name), role=tr(f"role.{actor.role}"))
    )
