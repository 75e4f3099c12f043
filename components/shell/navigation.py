"""The page registry: which page scripts exist and which roles see them.

A page left out of `st.navigation` cannot be reached by menu, URL or `switch_page`, so building the
list per role is the UI half of authorization; the services check again on every call.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from employdash.access import ADMIN, LEADERSHIP, MANAGER, MEMBER, Action, Area, allows
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


PAGES: tuple[PageSpec, ...] = (
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
        Area.CATALOGUE,
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
)

# The landing page per role: the briefing for leadership, "my tasks" for forum members.
DEFAULT_PAGE = {
    ADMIN: "pages/briefing.py",
    LEADERSHIP: "pages/briefing.py",
    MANAGER: "pages/briefing.py",
    MEMBER: "pages/tasks.py",
}


def pages_for(role: str) -> list[PageSpec]:
    return [p for p in PAGES if allows(role, p.area, p.action)]


def build(role: str, lang: str) -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    for spec in pages_for(role):
        page = st.Page(
            spec.path,
            title=t(spec.title_key, lang),
            icon=spec.icon,
            default=spec.path == DEFAULT_PAGE[role],
        )
        sections.setdefault(t(spec.section_key, lang), []).append(page)
    return sections
