"""The authorization matrix of the services a command does not guard, generated from the access
policy: every such service that names a locality, as every role, on a locality inside its scope
and on one outside, is allowed or refused exactly as `employdash.access.POLICY` says.

A write is a command, and `execute` checks its role and locality against the area it declares
(tests/foundation/commands/ refuses every forbidden role and a locality outside the scope
for every registered command), so the services that run one are left out. What remains is every
read, and the few services only writers may call without writing a record (a meeting draft, the
choices of a form). Services are found by introspection (public functions of the area packages
whose parameters start with `db, actor` and that take a locality), so a new read is in the matrix
without anyone adding it. Arguments other than the locality are placeholders: a call that gets
past the permission check may then fail on them (a validation error, a missing record); only
`PermissionDenied` counts as a refusal.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import importlib
import inspect
import pkgutil
import textwrap
import typing
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from employdash import users
from employdash.access import POLICY, Action, Area, allows
from employdash.db import Database
from employdash.errors import PermissionDenied
from employdash.mentoring.funnel import Selection

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

AREAS = ("indicators", "briefing", "forum", "stakeholders", "mentoring", "portfolio")
USER_OF_ROLE = {
    "admin": "admin",
    "leadership": "mayor",
    "manager": "manager",
    "member": "member",
    "programme": "programme",
}
OWN, FOREIGN = 1031, 31  # Sederot is in every demo user's scope; Tel Aviv in none but the admin's

# The area a module's services belong to, where it is not the package's own.
AREA_OF_MODULE = {
    "employdash.indicators.local": Area.CATALOGUE,  # local indicators: the admin's catalogue
    "employdash.portfolio.notes": Area.PROGRAMME_NOTES,  # the programme's notes on a locality
    "employdash.briefing.year_summary": Area.FORUM,  # the forum's year, for whoever reads it
}
# Single services whose area differs from their module's.
AREA_OF_SERVICE = {
    "employdash.mentoring.operations.participants": Area.PARTICIPANTS,
    "employdash.mentoring.operations.waiting_lists": Area.PARTICIPANTS,
    "employdash.mentoring.matches.matches": Area.PARTICIPANTS,
    # the getting-started steps: shown on the forum page too, to everyone who reads the forum
    "employdash.briefing.next_steps.setup_progress": Area.FORUM,
}
PACKAGE_AREA = {
    "indicators": Area.INDICATORS,
    "briefing": Area.BRIEFING,
    "forum": Area.FORUM,
    "stakeholders": Area.STAKEHOLDERS,
    "mentoring": Area.MENTORING,
    "portfolio": Area.PORTFOLIO,
}


LOCALITY_PARAMS = {"locality_code", "locality_codes", "sel"}


def _runs_a_command(fn: Callable[..., Any]) -> bool:
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "execute"
        for node in ast.walk(tree)
    )


def _services() -> Iterator[tuple[str, Callable[..., Any]]]:
    for area in AREAS:
        package = importlib.import_module(f"employdash.{area}")
        for info in pkgutil.iter_modules(package.__path__):
            if info.name in ("seed", "vocabulary"):
                continue
            module = importlib.import_module(f"employdash.{area}.{info.name}")
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                if fn.__module__ != module.__name__ or name.startswith("_"):
                    continue
                params = list(inspect.signature(fn).parameters)
                takes_locality = LOCALITY_PARAMS & set(params)
                if params[:2] == ["db", "actor"] and takes_locality and not _runs_a_command(fn):
                    yield f"{module.__name__}.{name}", fn


SERVICES = dict(_services())


# Services only writers may call, though they write no record: a meeting draft is the writer's own
# unsaved form, the program form's choices are part of writing the program, and the trash lists
# what its reader may restore.
WRITERS_ONLY = {
    "employdash.forum.trash.list_trash",
    "employdash.forum.meetings.save_draft",
    "employdash.forum.meetings.load_draft",
    "employdash.forum.meetings.discard_draft",
    "employdash.mentoring.programs.organisation_choices",
    "employdash.mentoring.programs.people_choices",
}


def _action(qualified: str) -> Action:
    return Action.WRITE if qualified in WRITERS_ONLY else Action.READ


def _area(qualified: str) -> Area:
    module = qualified.rsplit(".", 1)[0]
    return AREA_OF_SERVICE.get(
        qualified, AREA_OF_MODULE.get(module, PACKAGE_AREA[module.split(".")[1]])
    )


def _placeholder(param: inspect.Parameter, code: int, hint: Any = None) -> Any:
    """A value of the parameter's type where one can be made empty (a form's input object, a
    dict of values), so a service that builds a command from it reaches the permission check."""
    if param.name == "locality_code":
        return code
    if param.name == "locality_codes":
        return [code]
    if param.name == "sel":
        return Selection(locality_codes=(code,))
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        with contextlib.suppress(TypeError):
            return hint()
    annotation = str(param.annotation)
    if "date" in annotation or param.name in ("on", "as_of"):
        return date.today()
    if annotation.startswith("int") or param.name.endswith(("_id", "version")):
        return 10**9
    if annotation.startswith(("list", "tuple")):
        return []
    if annotation.startswith("str"):
        return ""
    if annotation.startswith("bool"):
        return False
    if annotation.startswith("dict"):
        return {}
    return None


def _call(fn: Callable[..., Any], db: Database, actor: Any, code: int) -> bool:
    """True when the call got past the permission check."""
    required = [
        p
        for p in list(inspect.signature(fn).parameters.values())[2:]
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        # an optional locality is named too: a service must refuse it, not filter it out
        and (p.default is inspect.Parameter.empty or p.name in LOCALITY_PARAMS)
    ]
    hints = typing.get_type_hints(fn)
    args = [
        _placeholder(p, code, hints.get(p.name)) for p in required if p.kind is not p.KEYWORD_ONLY
    ]
    kwargs = {
        p.name: _placeholder(p, code, hints.get(p.name))
        for p in required
        if p.kind is p.KEYWORD_ONLY
    }
    try:
        result = fn(db, actor, *args, **kwargs)
        # a read opened by a `with` checks on entering it
        if isinstance(result, contextlib.AbstractContextManager):
            with result:
                pass
    except PermissionDenied:
        return False
    except Exception:
        return True
    return True


def test_the_matrix_covers_every_area_and_every_role() -> None:
    assert {_area(q) for q in SERVICES} >= set(PACKAGE_AREA.values())
    assert len(SERVICES) >= 40
    assert set(SERVICES) >= WRITERS_ONLY
    assert set(USER_OF_ROLE) == set(POLICY)


@pytest.mark.parametrize("role", sorted(USER_OF_ROLE))
def test_every_service_every_role_own_and_other_locality(db: Database, role: str) -> None:
    actor = users.load_actor(db, USER_OF_ROLE[role])
    assert actor is not None
    wrong: list[str] = []
    for qualified, fn in SERVICES.items():
        permitted = allows(role, _area(qualified), _action(qualified))
        for code in (OWN, FOREIGN):
            expected = permitted and actor.can_see(code)
            if _call(fn, db, actor, code) != expected:
                wrong.append(f"{qualified} on {code}: expected {'allow' if expected else 'deny'}")
    assert not wrong, "\n".join(wrong)
