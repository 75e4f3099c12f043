"""Scoped reads in one place: a read's queries limit their locality columns only through the
`ReadScope` that `employdash.access.read_scope` made (after checking the role and every locality
asked for against the actor's scope), so a read can neither forget the scope nor widen it.

`SCOPED_MODULES` lists the modules whose reads go through it; the scan fails when one of their
functions queries a table that holds a locality without a scope, or filters a locality column by
hand. Add a module to the list when its reads move to the helper.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from sqlalchemy import select

from employdash.access import Actor, Area, ReadScope, only, read_scope
from employdash.db import Database
from employdash.errors import PermissionDenied
from employdash.forum import structure
from employdash.models import Organisation
from employdash.models.base import Base

ROOT = Path(__file__).resolve().parents[2] / "employdash"
SCOPED_MODULES = (
    "briefing/build.py",
    "briefing/next_steps.py",
    "briefing/year_summary.py",
    "forum/approval.py",
    "forum/briefing.py",
    "forum/decisions.py",
    "forum/documents.py",
    "forum/focuses.py",
    "forum/health.py",
    "forum/history.py",
    "forum/meeting_edits.py",
    "forum/meetings.py",
    "forum/membership.py",
    "forum/milestones.py",
    "forum/planning.py",
    "forum/quarterly.py",
    "forum/setup.py",
    "forum/structure.py",
    "forum/targets.py",
    "forum/tasks.py",
    "forum/trash.py",
    "indicators/explorer.py",
    "indicators/imports.py",
    "indicators/local.py",
    "indicators/values.py",
    "mentoring/briefing.py",
    "mentoring/certification.py",
    "mentoring/funnel.py",
    "mentoring/matches.py",
    "mentoring/operations.py",
    "mentoring/programs.py",
    "mentoring/targets.py",
    "people.py",
    "portfolio/board.py",
    "portfolio/notes.py",
    "stakeholders/common.py",
    "stakeholders/grid.py",
    "stakeholders/network.py",
    "stakeholders/organisations.py",
    "stakeholders/register.py",
    "stakeholders/survey_import.py",
    "stakeholders/surveys.py",
    "users.py",
)
# Functions that read other localities' values by design and return only an aggregate of them
# (their service makes its scope for the locality asked about): not row reads.
AGGREGATES = {
    "briefing/build.py": {"_peer_ranks"},  # the locality's rank among its peers
    "indicators/values.py": {"_aggregate", "_comparable"},  # expressions of district aggregates
}
# Mapped classes whose table holds a locality code: a query over one of them names its scope.
LOCALITY_MODELS = {
    mapper.class_.__name__: mapper.class_
    for mapper in Base.registry.mappers
    if "locality_code" in mapper.columns
}
# What makes a scope: the checked one of a read, or one locality a command already checked, or
# the forum's read of one locality (structure.reading_forum / reading_existing_forum check the
# locality with read_scope before they open the transaction; tested below).
SCOPE_MAKERS = {"read_scope", "only", "reading_forum", "reading_existing_forum"}


def _is_locality_column(node: ast.AST) -> bool:
    """`Model.locality_code` of a mapped class, or `table.c.locality_code` of a Core table."""
    if not (isinstance(node, ast.Attribute) and node.attr == "locality_code"):
        return False
    owner = node.value
    return (isinstance(owner, ast.Name) and owner.id in LOCALITY_MODELS) or (
        isinstance(owner, ast.Attribute) and owner.attr == "c"
    )


def _is_column(node: ast.AST) -> bool:
    """`Model.column`: the other side of a join condition."""
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id[:1].isupper()
    )


def _filters_by_hand(node: ast.AST) -> bool:
    """A locality column compared with a value, or tested with a method (`.in_`); a join of
    two columns is not a filter."""
    if isinstance(node, ast.Compare):
        sides = [node.left, *node.comparators]
        return any(_is_locality_column(n) for n in sides) and not all(map(_is_column, sides))
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and _is_locality_column(node.func.value)
    )


def _is_command(cls: ast.ClassDef) -> bool:
    """A command's methods write through the pipeline, which checks their locality."""
    return any(
        isinstance(base, ast.Subscript)
        and isinstance(base.value, ast.Name)
        and base.value.id == "Command"
        for base in cls.bases
    )


def _takes_a_scope(fn: ast.FunctionDef) -> bool:
    args = fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs
    return any(a.annotation is not None and "ReadScope" in ast.unparse(a.annotation) for a in args)


def _functions(tree: ast.Module) -> list[ast.FunctionDef]:
    found: list[ast.FunctionDef] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            found.append(node)
        elif isinstance(node, ast.ClassDef) and not _is_command(node):
            found += [n for n in node.body if isinstance(n, ast.FunctionDef)]
    return found


def unscoped_reads(source: str, exempt: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """What in `source` reads a locality-bearing table around the helper, one line each
    (functions named in `exempt` aside)."""
    problems: list[str] = []
    for fn in _functions(ast.parse(source)):
        if fn.name in exempt:
            continue
        nodes = list(ast.walk(fn))
        for node in nodes:
            if _filters_by_hand(node):
                problems.append(
                    f"{fn.name}:{getattr(node, 'lineno', '?')} filters a locality by hand"
                )
        models = sorted(
            {
                n.value.id
                for n in nodes
                if isinstance(n, ast.Attribute)
                and isinstance(n.value, ast.Name)
                and n.value.id in LOCALITY_MODELS
            }
        )
        makes_scope = any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in SCOPE_MAKERS
            for n in nodes
        )
        if models and not (makes_scope or _takes_a_scope(fn)):
            problems.append(f"{fn.name}:{fn.lineno} queries {', '.join(models)} with no scope")
    return problems


@pytest.mark.parametrize("module", SCOPED_MODULES)
def test_a_scoped_module_reads_only_through_the_helper(module: str) -> None:
    source = (ROOT / module).read_text(encoding="utf-8")
    assert unscoped_reads(source, AGGREGATES.get(module, set())) == []


def test_the_scan_finds_a_forgotten_scope_and_a_hand_written_one() -> None:
    forgot = "def read(s):\n    return s.execute(select(Stakeholder.id)).all()\n"
    by_hand = (
        "def read(s, scope: ReadScope, code):\n"
        "    return select(Person.id).where(\n"
        "        scope.of(Person.locality_code), Person.locality_code == code\n"
        "    )\n"
    )
    scoped = (
        "def read(db, actor, code):\n"
        "    scope = read_scope(actor, Area.STAKEHOLDERS, code)\n"
        "    return select(Stakeholder.id).join(Person, Person.locality_code == Locality.code)"
        ".where(scope.of(Stakeholder.locality_code))\n"
    )
    assert unscoped_reads(forgot) == ["read:1 queries Stakeholder with no scope"]
    assert unscoped_reads(by_hand) == ["read:3 filters a locality by hand"]
    core = "def read(s, codes):\n    return select(G.c.id).where(G.c.locality_code.in_(codes))\n"
    assert unscoped_reads(core) == ["read:2 filters a locality by hand"]
    assert unscoped_reads(scoped) == []


@pytest.mark.parametrize("maker", [structure.reading_forum, structure.reading_existing_forum])
def test_a_forum_read_checks_the_scope_before_it_opens_the_database(
    maker: Callable[[Database, Actor, int], AbstractContextManager[object]], tmp_path: Path
) -> None:
    """The forum's readers count as scope makers above because they refuse another locality
    before they read: here on a database that cannot even be opened."""
    sederot = 1031
    outsider = Actor(1, "m", "M", "manager", frozenset({sederot + 1}))
    unreachable = Database(f"sqlite:///{tmp_path / 'missing' / 'no.db'}")
    with pytest.raises(PermissionDenied), maker(unreachable, outsider, sederot):
        pass


def _codes(db: Database, model: type[Base], scope: ReadScope) -> set[int]:
    column = model.locality_code  # type: ignore[attr-defined]  # every LOCALITY_MODELS class has it
    with db.transaction() as s:
        return set(s.scalars(select(column).where(scope.of(column)).distinct()))


def test_a_read_through_the_helper_never_returns_another_locality(
    db: Database, actors: dict[str, Actor]
) -> None:
    """Every table that holds a locality, read through the manager's scope (all of it, or one
    locality), returns none of another locality's rows; the demo data holds rows of localities
    outside it, which the administrator's scope of all returns."""
    manager, admin = actors["manager"], actors["admin"]
    assert manager.localities
    mine = read_scope(manager, Area.STAKEHOLDERS)
    sederot = read_scope(manager, Area.STAKEHOLDERS, 1031)
    everything = read_scope(admin, Area.STAKEHOLDERS)
    outside_seen = False
    for model in LOCALITY_MODELS.values():
        assert _codes(db, model, mine) <= manager.localities, model.__name__
        assert _codes(db, model, sederot) <= {1031}, model.__name__
        outside_seen |= bool(_codes(db, model, everything) - manager.localities)
    assert outside_seen, "the demo data holds no row outside the manager's scope"
    assert _codes(db, LOCALITY_MODELS["Stakeholder"], sederot) == {1031}  # its own rows are read


def test_a_scope_is_refused_where_the_actor_may_not_read(actors: dict[str, Actor]) -> None:
    with pytest.raises(PermissionDenied):  # a locality outside the scope, among others asked
        read_scope(actors["manager"], Area.STAKEHOLDERS, [1031, 31])
    with pytest.raises(PermissionDenied):  # a role that does not read the area
        read_scope(actors["member"], Area.STAKEHOLDERS)
    assert read_scope(actors["manager"], Area.STAKEHOLDERS, []).codes == frozenset()


def test_a_national_read_adds_the_records_of_no_locality_and_no_other(db: Database) -> None:
    """Organisations of the locality and national ones (a person or a program may name either):
    `national=True` widens the scope to records of no locality, never to another locality's."""
    with db.transaction() as s:
        s.add(Organisation(name="National employer", sector="public", locality_code=None))
    column = Organisation.locality_code
    with db.transaction() as s:
        found = set(s.scalars(select(column).where(only(1031).of(column, national=True))))
    assert found == {1031, None}
