"""The page registry: which page scripts exist and which roles see them, and the sidebar menu.

A page left out of `st.navigation` cannot be reached by menu, URL or `switch_page`, so building the
list per role is the UI half of authorization; the services check again on every call.

The menu is drawn here, not by `st.navigation`: its sectioned sidebar menu puts `div`s directly
inside a `ul` (invalid list markup, flagged by axe-core on every page). Navigation is hidden and the
sidebar gets headings with `st.page_link`s under them; `components/style.py` names the block as a
navigation landmark and marks the current page with `aria-current`. URLs stay the page file names.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from employdash.access import ADMIN, LEADERSHIP, MANAGER, MEMBER, PROGRAMME, Action, Area, allows
from employdash.i18n import t


@dataclass(frozen=True)
class PageSpec:
    """A page and the permission it needs: shown exactly when the access policy allows it."""

    path: str
    title_key: str
    icon: str
    section_key: str
    area: Area
    action: Action = Action.READ


LOCALITIES_PAGE = "pages/admin_localities.py"  # where an administrator enables localities

PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "pages/portfolio.py",
        "page.portfolio",
        ":material/table_view:",
        "nav.section.overview",
        Area.PORTFOLIO,
    ),
    PageSpec(
        "pages/briefing.py",
        "page.briefing",
        ":material/dashboard:",
        "nav.section.overview",
        Area.BRIEFING,
    ),
    PageSpec(
        "pages/explorer.py",
        "page.explorer",
        ":material/monitoring:",
        "nav.section.overview",
        Area.INDICATORS,
    ),
    PageSpec("pages/forum.py", "page.forum", ":material/groups:", "nav.section.forum", Area.FORUM),
    PageSpec(
        "pages/tasks.py", "page.tasks", ":material/task_alt:", "nav.section.forum", Area.FORUM
    ),
    PageSpec(
        "pages/rsvp.py",
        "page.rsvp",
        ":material/event_available:",
        "nav.section.forum",
        Area.RSVP,
    ),
    PageSpec(
        "pages/meeting.py",
        "page.meeting",
        ":material/edit_note:",
        "nav.section.forum",
        Area.FORUM,
        Action.WRITE,
    ),
    PageSpec(
        "pages/people.py", "page.people", ":material/contacts:", "nav.section.forum", Area.PEOPLE
    ),
    PageSpec(
        "pages/trash.py",
        "page.trash",
        ":material/delete:",
        "nav.section.forum",
        Area.FORUM,
        Action.WRITE,
    ),
    PageSpec(
        "pages/stakeholders.py",
        "page.stakeholders",
        ":material/hub:",
        "nav.section.mapping",
        Area.STAKEHOLDERS,
    ),
    PageSpec(
        "pages/surveys.py",
        "page.surveys",
        ":material/fact_check:",
        "nav.section.mapping",
        Area.STAKEHOLDERS,
    ),
    PageSpec(
        "pages/mentoring.py",
        "page.mentoring",
        ":material/filter_alt:",
        "nav.section.mentoring",
        Area.MENTORING,
    ),
    PageSpec(
        "pages/indicators_admin.py",
        "page.indicators_admin",
        ":material/upload_file:",
        "nav.section.admin",
        Area.INDICATOR_IMPORTS,
        Action.WRITE,
    ),
    PageSpec(
        LOCALITIES_PAGE,
        "page.admin_localities",
        ":material/location_city:",
        "nav.section.admin",
        Area.LOCALITIES,
        Action.WRITE,
    ),
    PageSpec(
        "pages/admin_users.py",
        "page.admin_users",
        ":material/manage_accounts:",
        "nav.section.admin",
        Area.USERS,
        Action.WRITE,
    ),
    PageSpec("pages/audit.py", "page.audit", ":material/history:", "nav.section.admin", Area.AUDIT),
    PageSpec(
        "pages/outbox.py", "page.outbox", ":material/outbox:", "nav.section.admin", Area.OUTBOX
    ),
)

# The landing page per role: the briefing for leadership, "my tasks" for forum members.
DEFAULT_PAGE = {
    ADMIN: "pages/briefing.py",
    LEADERSHIP: "pages/briefing.py",
    MANAGER: "pages/briefing.py",
    MEMBER: "pages/tasks.py",
    PROGRAMME: "pages/portfolio.py",
}


# The landing page's own name (served at the root) and the key of its alias at its file's name.
LANDING_URL = "home"
LANDING_ALIAS = "landing-at-its-own-path"


# Every page's own address: a link from a mail to any of them, opened before login, shows the
# login form there, so the page and its query are still there for the run that logs in.
URL_PATHS = tuple(Path(spec.path).stem for spec in PAGES)


def pages_for(role: str) -> list[PageSpec]:
    return [p for p in PAGES if allows(role, p.area, p.action)]


@dataclass(frozen=True)
class PublicPage:
    """A page outside the access policy: open to every role and to visitors."""

    path: str
    title_key: str
    icon: str


# The accessibility statement: every role, and visitors on the login page (IS 5568 asks for it).
STATEMENT = PublicPage(
    "pages/accessibility.py", "page.accessibility", ":material/accessibility_new:"
)


def statement_page(lang: str) -> st.Page:
    return st.Page(STATEMENT.path, title=t(STATEMENT.title_key, lang), icon=STATEMENT.icon)


def build(role: str, lang: str) -> dict[str, st.Page]:
    """The role's pages by script path, the statement included, for a hidden `st.navigation`."""
    landing = DEFAULT_PAGE[role]
    pages = {
        spec.path: st.Page(
            spec.path,
            title=t(spec.title_key, lang),
            icon=spec.icon,
            default=spec.path == landing,
            url_path=LANDING_URL if spec.path == landing else None,
        )
        for spec in pages_for(role)
    }
    if landing in pages:
        # Streamlit serves the landing page at the root only, so a link that names it by its
        # own path (an e-mail's /tasks?task=12 opened by a member) would find no page: the same
        # script answers there too.
        pages[LANDING_ALIAS] = st.Page(
            landing, title=pages[landing].title, url_path=Path(landing).stem
        )
    pages[STATEMENT.path] = statement_page(lang)
    return pages


def menu(role: str, lang: str, pages: dict[str, st.Page], current: st.Page) -> None:
    """The sidebar menu: a heading per section, a link per page, in the registry's order.

    The current page's link sits in a container keyed `nav_current`, where the document script
    of `components/style.py` gives it `aria-current="page"`.
    """
    sections: dict[str, list[PageSpec]] = {}
    for spec in pages_for(role):
        sections.setdefault(spec.section_key, []).append(spec)
    with st.sidebar.container(key="nav"):
        for section_key, specs in sections.items():
            # A catalogue string, escaped anyway: only static text goes through st.html.
            st.html(f"<h2>{html.escape(t(section_key, lang))}</h2>")
            for spec in specs:
                page = pages[spec.path]
                where = st.container(key="nav_current") if page.url_path == current.url_path else st
                where.page_link(page, label=t(spec.title_key, lang), icon=spec.icon)


def statement_link(
    lang: str, page: st.Page, where: DeltaGenerator | None = None, current: bool = False
) -> None:
    """The link to the accessibility statement (sidebar by default; the login page adds one)."""
    where = where or st.sidebar
    if current:
        where = where.container(key="nav_current_statement")
    where.page_link(page, label=t(STATEMENT.title_key, lang), icon=STATEMENT.icon)
