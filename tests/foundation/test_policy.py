"""The access policy table is the single source: the navigation and every area's services agree with
it for every role. Each area has a real read call and a real write call; write calls are handed
invalid input, so an allowed role reaches validation (and writes nothing) while a refused role is
stopped by the permission check first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from components.shell.navigation import PAGES, pages_for
from employdash import audit, localities, people, users
from employdash.access import POLICY, READABLE, ROLES, WRITABLE, Action, Actor, Area, allows
from employdash.briefing.build import build_briefing
from employdash.db import Database
from employdash.errors import DomainError, PermissionDenied
from employdash.forum import approval, planning, structure, tasks
from employdash.indicators import imports, local, values
from employdash.mail import outbox_admin
from employdash.mentoring import operations
from employdash.portfolio import board, notes
from employdash.stakeholders import grid
from employdash.stakeholders.network import add_relation
from tests.forum.helpers import SEDEROT, member_task

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

Probe = Callable[[Database, Actor], object]

READ_PROBES: dict[Area, Probe] = {
    Area.INDICATORS: lambda db, a: values.catalogue(db, a),
    Area.BRIEFING: lambda db, a: build_briefing(db, a, SEDEROT),
    Area.FORUM: lambda db, a: structure.overview(db, a, SEDEROT),
    Area.STAKEHOLDERS: lambda db, a: grid.grid(db, a, SEDEROT),
    Area.MENTORING: lambda db, a: operations.programs(db, a),
    Area.PARTICIPANTS: lambda db, a: operations.participants(db, a, SEDEROT, "mentee"),
    Area.CATALOGUE: lambda db, a: local.headline_choices(db, a),
    Area.INDICATOR_IMPORTS: lambda db, a: imports.list_batches(db, a),
    Area.USERS: lambda db, a: users.list_users(db, a),
    Area.PEOPLE: lambda db, a: people.search_people(db, a, SEDEROT),
    Area.AUDIT: lambda db, a: audit.list_entries(db, a),
    Area.LOCALITIES: lambda db, a: localities.search(db, a, "Sederot"),
    Area.OUTBOX: lambda db, a: outbox_admin.messages(db, a),
    Area.RSVP: lambda db, a: planning.my_invitations(db, a),
    Area.PORTFOLIO: lambda db, a: board.portfolio(db, a),
    Area.PROGRAMME_NOTES: lambda db, a: notes.notes(db, a, SEDEROT),
}


def _update_members_task(db: Database, actor: Actor) -> object:
    member = users.load_actor(db, "member")
    assert member is not None and member.person_id is not None
    task = member_task(db, member.person_id)
    return tasks.update_task(db, actor, task.id, task.version, {"status": "no-such-status"})


WRITE_PROBES: dict[Area, Probe] = {
    Area.FORUM: lambda db, a: structure.create_focus(db, a, SEDEROT, title="  "),
    Area.TASKS: _update_members_task,
    Area.STAKEHOLDERS: lambda db, a: add_relation(db, a, SEDEROT, 1, 1, kind="no-such-kind"),
    Area.MENTORING: lambda db, a: operations.create_program(
        db, a, name=" ", locality_code=SEDEROT, operating_model="?", target_population="?"
    ),
    Area.CATALOGUE: lambda db, a: operations.define_pipeline(db, a, "", "mentee", []),
    Area.INDICATOR_IMPORTS: lambda db, a: imports.preview_import(db, a, "empty.csv", b""),
    Area.USERS: lambda db, a: users.create_user(db, a, users.UserForm("?", "", "nobody", ())),
    Area.PEOPLE: lambda db, a: people.create_person(db, a, SEDEROT, people.PersonInput("  ")),
    Area.LOCALITIES: lambda db, a: localities.enable(db, a, [-1]),  # not in the catalogue
    Area.PLAN_APPROVAL: lambda db, a: approval.approve_plan(db, a, SEDEROT, date.max),
    Area.OUTBOX: lambda db, a: outbox_admin.retry_message(db, a, -1),  # no such message
    Area.RSVP: lambda db, a: planning.answer_invitation(db, a, "no-such-token", "coming"),
    Area.PROGRAMME_NOTES: lambda db, a: notes.add_note(db, a, SEDEROT, date.max, " "),
}

USER_OF_ROLE = {
    "admin": "admin",
    "leadership": "mayor",
    "manager": "manager",
    "member": "member",
    "programme": "programme",
}


def _allowed(probe: Probe, db: Database, actor: Actor) -> bool:
    """True when the call got past the permission check (a validation error still counts)."""
    try:
        probe(db, actor)
    except PermissionDenied:
        return False
    except DomainError:
        return True
    return True


def test_the_table_covers_every_role_and_every_area_has_probes() -> None:
    assert set(POLICY) == set(ROLES)
    assert set(READ_PROBES) == set(READABLE)
    assert set(WRITE_PROBES) == set(WRITABLE)
    for rules in POLICY.values():
        assert rules.reads <= READABLE and rules.writes <= WRITABLE


@pytest.mark.parametrize("role", ROLES)
def test_navigation_shows_a_page_exactly_when_the_policy_allows_its_area(role: str) -> None:
    shown = {p.path for p in pages_for(role)}
    for page in PAGES:
        assert (page.path in shown) == allows(role, page.area, page.action), page.path
    assert shown, f"{role} would land on an empty menu"


@pytest.mark.parametrize("role", ROLES)
def test_services_agree_with_the_policy(db: Database, role: str) -> None:
    actor = users.load_actor(db, USER_OF_ROLE[role])
    assert actor is not None and actor.role == role
    for area, probe in READ_PROBES.items():
        assert _allowed(probe, db, actor) == allows(role, area, Action.READ), (area, "read")
    for area, probe in WRITE_PROBES.items():
        assert _allowed(probe, db, actor) == allows(role, area, Action.WRITE), (area, "write")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_sees_can_be_served(db: Database, role: str) -> None:
    """The services behind each page in the menu answer this role (same area, same action)."""
    actor = users.load_actor(db, USER_OF_ROLE[role])
    assert actor is not None
    for page in pages_for(role):
        probes = READ_PROBES if page.action is Action.READ else WRITE_PROBES
        assert _allowed(probes[page.area], db, actor), page.path


def test_a_write_outside_the_scope_is_refused_even_where_the_area_is_allowed(
    db: Database, actors: dict[str, Actor]
) -> None:
    with pytest.raises(PermissionDenied):
        structure.create_focus(db, actors["manager"], 31, title="Tel Aviv focus")


def test_managers_import_indicator_values_but_do_not_edit_the_catalogue() -> None:
    """Importing monthly values is its own area: managers write it in their scope, while the
    catalogue (local indicators, pipelines) stays the admin's."""
    manager = POLICY["manager"]
    assert manager.allows(Area.INDICATOR_IMPORTS, Action.WRITE)
    assert manager.scope.value == "assigned"
    assert not manager.allows(Area.CATALOGUE, Action.WRITE)
    assert not manager.allows(Area.CATALOGUE, Action.READ)
    for role in ("leadership", "member"):
        assert not allows(role, Area.INDICATOR_IMPORTS, Action.WRITE)
