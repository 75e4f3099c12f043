"""Every write leaves an audit row with the values before and after and the locality, so that
any change can be traced to who made it, where and what it replaced.

A command's audit rows are written by the pipeline (`Write.create`, `update`, `delete` record the
values before and after themselves), and tests/foundation/commands/ proves for every
registered command that a valid run leaves rows by its actor, of its entity, in its locality.
What is left here:
- `test_every_writer_outside_a_command_is_listed` finds the public functions of the area packages
  and the foundation's services that write rows themselves (add, delete, insert, update, set
  attributes, record audit entries) and requires each to be listed: a user's own session with a
  scenario in AUDITED, a write that leaves no audit row by design in NOT_AUDITED with the reason,
  or a helper proven through its command. A new writer outside the pipeline fails until listed.
- `test_a_write_leaves_a_complete_audit_row` checks the rows whose content the generic test does
  not: an action of the command's own naming (a milestone ticked, focuses reordered, a plan
  approved, a snapshot, a decision closed by the task it became) with the values it replaced,
  and the session writes outside the pipeline.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import io
import pkgutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from employdash import logins
from employdash.access import Actor
from employdash.db import Database
from employdash.forum import approval, decisions, focuses, meetings
from employdash.forum import quarterly as forum_quarterly
from employdash.forum import structure as forum
from employdash.forum.structure import TeamRow
from employdash.mentoring import imports as mentoring_import
from employdash.mentoring import operations as mentoring
from employdash.models import AuditEntry
from tests.support.present import present
from tests.support.registry import registrar

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

SEDEROT, NETIVOT = 1031, 246


@dataclass(frozen=True)
class Expect:
    """The audit row a write must leave: its entity and action, the locality (None only where
    the record belongs to no locality by design), and whether values before are owed (updates,
    deletes, revisions)."""

    entity: str
    action: str
    locality: int | None
    before: bool = False
    after: bool = True  # a delete owes only the values before


Write = Callable[[], object]
Scenario = Callable[[Database, dict[str, Actor]], tuple[Write, list[Expect]]]
AUDITED: dict[str, Scenario] = {}


audited = registrar(AUDITED)


# Writers outside the pipeline this test does not prove: only the log itself.
NOT_COVERED_HERE = {
    "employdash.audit.record": "the audit log itself",
}
# Writes that leave no audit row by design, and why. Each reason was checked by hand: none of
# them changes a record another user relies on.
NOT_AUDITED = {
    "employdash.mentoring.state.rebuild_all": "derived rows, rebuilt from audited events",
    "employdash.mentoring.state.refresh": "derived rows, kept in step with audited events",
    "employdash.forum.meetings.save_draft": "a user's own unsaved form, not a record",
    "employdash.forum.meetings.discard_draft": "a user's own unsaved form, not a record",
    "employdash.indicators.catalogue.ensure_catalogue": "reference data, at start-up",
}
# Flagged by the scan (they set attributes of in-memory results), but write nothing.
NOT_WRITES = {
    "employdash.forum.minutes.docx",  # builds a Word document in memory
    "employdash.mentoring.imports.plan_batch",  # the preview
    "employdash.indicators.import_plan.build_plan",
    "employdash.indicators.import_plan.refreshed",  # the preview sorted again, in memory
    "employdash.stakeholders.survey_import.preview",
    "employdash.stakeholders.grid.coverage",
}
# Session-level helpers, proven through the public function that calls them.
HELPERS = {
    "employdash.indicators.import_plan.apply_plan": "the ImportIndicators command",
    "employdash.mentoring.operations.add": "operations.AddParticipant, imports.ImportParticipants",
    "employdash.mentoring.operations.assign": "operations.AssignCohort, operations.CreateCohort",
    "employdash.mentoring.operations.move": "operations.Advance, operations.RecordMatch",
    "employdash.forum.structure.seat_member": "structure.AddMember",
    "employdash.forum.structure.tick_milestone": "structure.SetMilestone, approval.ApprovePlan",
    "employdash.forum.structure.follow_stage": "structure.SetMilestone, approval.ApprovePlan",
}


def _writes(fn: Callable[..., Any]) -> bool:
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if (
                isinstance(f, ast.Attribute)
                and f.attr in {"add", "add_all", "delete", "merge"}
                and isinstance(f.value, ast.Name)
                and f.value.id in ("s", "session")
            ):
                return True
            if isinstance(f, ast.Name) and f.id in {"insert", "update", "delete", "setattr"}:
                return True
            if ast.unparse(f) == "audit.record":
                return True
        if isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for element in target.elts if isinstance(target, ast.Tuple) else [target]:
                    if isinstance(element, ast.Attribute) and isinstance(element.value, ast.Name):
                        return True
    return False


AREAS = ("indicators", "briefing", "forum", "stakeholders", "mentoring")
FOUNDATION = ("employdash.users", "employdash.people", "employdash.localities", "employdash.logins")


def _write_modules() -> list[Any]:
    """Every module of the area packages but the demo seed, and the foundation's services."""
    modules = [importlib.import_module(name) for name in FOUNDATION]
    for area in AREAS:
        package = importlib.import_module(f"employdash.{area}")
        for info in pkgutil.iter_modules(package.__path__):
            if info.name != "seed":
                modules.append(importlib.import_module(f"employdash.{area}.{info.name}"))
    return modules


def _calls(fn: Callable[..., Any]) -> set[str]:
    """The plain names `fn` calls (functions of its own module among them)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    return {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }


def _public_writers() -> set[str]:
    """Public functions that write themselves or through a private function of their module."""
    found = set()
    for module in _write_modules():
        own = {
            name: fn
            for name, fn in inspect.getmembers(module, inspect.isfunction)
            if fn.__module__ == module.__name__
        }
        writers = {name for name, fn in own.items() if _writes(fn)}
        grew = True
        while grew:  # private helpers that call writing helpers write too
            more = {
                name
                for name, fn in own.items()
                if name.startswith("_") and name not in writers and _calls(fn) & writers
            }
            writers |= more
            grew = bool(more)
        for name, fn in own.items():
            if name.startswith("_"):
                continue
            if name in writers or _calls(fn) & {w for w in writers if w.startswith("_")}:
                found.add(f"{module.__name__}.{name}")
    return found


def test_every_writer_outside_a_command_is_listed() -> None:
    listed = set(AUDITED) | set(NOT_COVERED_HERE) | set(NOT_AUDITED) | NOT_WRITES | set(HELPERS)
    unlisted = _public_writers() - listed
    assert not unlisted, f"writers outside a command, not listed here: {sorted(unlisted)}"
    for name in listed:
        module, _, function = name.rpartition(".")
        assert hasattr(importlib.import_module(module), function), f"stale entry {name}"


# --- scenarios ----------------------------------------------------------------------------------


def _team(db: Database, actor: Actor) -> TeamRow:
    return next(
        t for t in present(forum.overview(db, actor, SEDEROT)).teams if t["kind"] == "forum"
    )


@audited("employdash.forum.structure.set_milestone")
def _set_milestone(db, actors):  # type: ignore[no-untyped-def]
    manager = actors["manager"]
    view = present(forum.overview(db, manager, SEDEROT))
    from employdash.forum.stages import ALL_MILESTONES

    key = next(k for k in ALL_MILESTONES if k not in view.checks)
    return (
        lambda: forum.set_milestone(db, manager, SEDEROT, key, True, date(2026, 11, 1)),
        [Expect("forum", "milestone", SEDEROT, before=True)],
    )


@audited("employdash.forum.quarterly.take_snapshot")
def _take_snapshot(db, actors):  # type: ignore[no-untyped-def]
    return (
        lambda: forum_quarterly.take_snapshot(db, actors["manager"], SEDEROT, "2026Q3"),
        [Expect("quarterly_review", "snapshot", SEDEROT)],
    )


def _program(db: Database, actor: Actor, name: str = "Audit program") -> int:
    return mentoring.create_program(
        db,
        actor,
        name=name,
        locality_code=NETIVOT,
        operating_model="freelancer",
        target_population="haredi",
    )


def _mentoring_import(db: Database, actors: dict[str, Actor]) -> tuple[Write, list[Expect]]:
    manager = actors["manager"]
    _program(db, manager, "Import program")
    book = Workbook()
    book.active.append(["code", "role", "program", "population", "stage", "date"])
    book.active.append(["AUD-1", "mentee", "Import program", "haredi", "referred", "2025-05-01"])
    book.active.append(["AUD-1", None, None, None, "screened", "2025-05-10"])
    buffer = io.BytesIO()
    book.save(buffer)
    return (
        lambda: mentoring_import.commit_import(db, manager, "m.xlsx", buffer.getvalue()),
        [
            Expect("ment_stage_event", "import", NETIVOT),
            Expect("ment_participant", "create", NETIVOT),
        ],
    )


# --- commands whose audit row carries an action and values of their own ---------------------


def _meeting(db: Database, manager: Actor, decisions: list[str]) -> int:
    data = meetings.MeetingInput(
        locality_code=SEDEROT,
        team_id=_team(db, manager)["id"],
        held_on=date(2026, 11, 21),
        decisions=decisions,
    )
    return meetings.save_meeting(db, manager, data)


def _decision(db: Database, manager: Actor, text: str) -> decisions.DecisionRow:
    meeting = _meeting(db, manager, [text])
    rows = decisions.list_decisions(db, manager, SEDEROT)
    return next(d for d in rows if d.meeting_id == meeting and d.text == text)


@audited("employdash.forum.decisions.decision_to_task")
def _decision_to_task(db, actors):  # type: ignore[no-untyped-def]
    manager = actors["manager"]
    d = _decision(db, manager, "Make it a task")
    return (
        lambda: decisions.decision_to_task(db, manager, SEDEROT, d.id, d.version, {}),
        [Expect("task", "create", SEDEROT), Expect("decision", "close", SEDEROT, before=True)],
    )


@audited("employdash.forum.focuses.move_focus")
def _move_focus(db, actors):  # type: ignore[no-untyped-def]
    manager = actors["manager"]
    forum.create_focus(db, manager, SEDEROT, "First")
    second = forum.create_focus(db, manager, SEDEROT, "Second")
    return (
        lambda: focuses.move_focus(db, manager, SEDEROT, second, -1),
        [Expect("forum", "reorder", SEDEROT, before=True)],
    )


@audited("employdash.forum.approval.approve_plan")
def _approve_plan(db, actors):  # type: ignore[no-untyped-def]
    return (
        lambda: approval.approve_plan(db, actors["mayor"], SEDEROT, date(2026, 11, 1), "Yes"),
        [Expect("work_plan", "approve", SEDEROT)],
    )


# --- a user's own session ------------------------------------------------------------------------


@audited("employdash.logins.record_login")
def _record_login(db, actors):  # type: ignore[no-untyped-def]
    def write() -> None:
        logins.record_login(db, "member", False)
        logins.record_login(db, "member", True)

    return write, [
        Expect("user", "login_failed", None, before=True),
        Expect("user", "login", None, before=True),
    ]


@audited("employdash.logins.record_logout")
def _record_logout(db, actors):  # type: ignore[no-untyped-def]
    return (
        lambda: logins.record_logout(db, actors["member"]),
        [Expect("user", "logout", None, before=True)],
    )


@audited("employdash.logins.set_language")
def _set_language(db, actors):  # type: ignore[no-untyped-def]
    return (
        lambda: logins.set_language(db, actors["member"], "en"),
        [Expect("user", "update", None, before=True)],
    )


def _last_id(db: Database) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.max(AuditEntry.id))) or 0


@pytest.mark.parametrize("name", sorted(AUDITED))
def test_a_write_leaves_a_complete_audit_row(
    db: Database, actors: dict[str, Actor], name: str
) -> None:
    write, expected = AUDITED[name](db, actors)
    mark = _last_id(db)
    write()
    with db.transaction() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.id > mark)).all()
    for want in expected:
        found = [r for r in rows if (r.entity, r.action) == (want.entity, want.action)]
        assert found, f"{name}: no {want} among {[(r.entity, r.action) for r in rows]}"
        for row in found:
            assert row.locality_code == want.locality, (name, want, row.locality_code)
            if want.after:
                assert row.after, (name, want)
            if want.before:
                assert row.before, (name, want)


def test_the_mentoring_import_row_counts_what_it_wrote_in_its_locality(
    db: Database, actors: dict[str, Actor]
) -> None:
    write, _ = _mentoring_import(db, actors)
    mark = _last_id(db)
    write()
    with db.transaction() as s:
        row = s.scalar(
            select(AuditEntry).where(AuditEntry.id > mark, AuditEntry.action == "import")
        )
    assert row is not None
    assert row.locality_code == NETIVOT
    assert present(row.after)["events"] == 2  # AUD-1 referred, then screened
    assert present(row.after)["rejected"] == 0
