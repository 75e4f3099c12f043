"""No text a command is handed goes unbounded: every string in a command, wherever it sits (a
field, a value of its changes, a row of a list, a field of a row), is either declared in its
`texts` with a limit, or, far longer than any limit, refused (a word of a fixed vocabulary, a
code, a token checked against what exists) or left out of what is stored (an imported row judged
and rejected). No record and no audit row ever holds it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import JSON, String, Text, cast, func, select
from sqlalchemy.types import TypeEngine

from employdash.access import Actor
from employdash.commands import Command, Ref, execute
from employdash.db import Database
from employdash.errors import DomainError, ValidationError
from employdash.forum import meetings
from employdash.limits import FIELDS, MAX_DRAFT_CHARS
from employdash.models.base import Base
from tests.foundation.commands.harness import PRODUCT, SAMPLES, command, counts, writer

# Longer than every declared limit: a field that takes it has no bound.
HUGE = "x" * (max(limit.max_len for limit in FIELDS.values()) * 5 + 1)
# What the editor saw, handed to name a conflict: compared with the stored values, never written.
NOT_WRITTEN = frozenset({"read"})


def _texts(kind: TypeEngine[Any]) -> bool:
    return isinstance(kind, String | Text | JSON)


# How many stored values of every text or JSON column are at least as long as HUGE, in one query.
_HOLDING_HUGE = select(
    *(
        select(func.count())
        .select_from(table)
        .where(func.length(cast(column, Text)) >= len(HUGE))
        .scalar_subquery()
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if _texts(column.type)
    )
)


def _stored_huge(db: Database) -> int:
    with db.transaction() as s:
        return sum(int(n) for n in s.execute(_HOLDING_HUGE).one())


Step = tuple[str, Any]  # ("attr", name), ("key", key) or ("item", index)


def _strings(value: Any, steps: tuple[Step, ...] = ()) -> Iterator[tuple[Step, ...]]:
    """The place of every string inside `value` (the first row of each list stands for all)."""
    if isinstance(value, str):
        yield steps
    elif isinstance(value, Ref) or value is None:
        return
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name), (*steps, ("attr", f.name)))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*steps, ("key", key)))
    elif isinstance(value, list | tuple):
        if value:
            yield from _strings(value[0], (*steps, ("item", 0)))
    elif isinstance(value, frozenset | set) and value:
        yield (*steps, ("member", next(iter(value))))


def _replaced(value: Any, steps: tuple[Step, ...], new: str) -> Any:
    """A copy of `value` with the string at `steps` replaced by `new` (the input stays as is)."""
    if not steps:
        return new
    (kind, at), rest = steps[0], steps[1:]
    if kind == "attr":
        return dataclasses.replace(value, **{at: _replaced(getattr(value, at), rest, new)})
    if kind == "key":
        return {**value, at: _replaced(value[at], rest, new)}
    if kind == "item":
        items = list(value)
        items[at] = _replaced(items[at], rest, new)
        return type(value)(items) if isinstance(value, tuple) else items
    return type(value)((value - {at}) | {new})  # a member of a set


def _declared_as(steps: tuple[Step, ...]) -> str:
    """The place as a `texts` key names it: "note", "values.title", "agenda[]", "tasks[].title"."""
    path = ""
    for kind, at in steps:
        if kind == "item":
            path += "[]"
        elif kind == "member":
            path += "{}"
        else:
            path += f".{at}" if path else str(at)
    return path


def _unbounded(sampled: Command[Any]) -> list[tuple[Step, ...]]:
    declared = set(type(sampled).texts)
    return [
        steps
        for steps in _strings(sampled)
        if _declared_as(steps) not in declared and steps[0][1] not in NOT_WRITTEN
    ]


@pytest.mark.parametrize("name", PRODUCT)
def test_a_megabyte_in_any_text_of_a_command_changes_nothing(
    db: Database, actors: dict[str, Actor], name: str
) -> None:
    if name not in SAMPLES:
        pytest.skip(f"{name} has no sample (test_commands.py fails on that)")
    sampled = command(db, actors, name)
    taken = []
    for steps in _unbounded(sampled):
        before, held = counts(db), _stored_huge(db)
        try:
            execute(db, writer(actors, sampled), _replaced(sampled, steps, HUGE))
        except DomainError:
            assert counts(db) == before
            continue
        if _stored_huge(db) > held:
            taken.append(_declared_as(steps))
    assert not taken, f"{name} stores a text of any length from {taken}: declare it in `texts`"


def test_the_places_are_named_as_texts_declares_them() -> None:
    assert _declared_as((("attr", "note"),)) == "note"
    assert _declared_as((("attr", "values"), ("key", "title"))) == "values.title"
    assert _declared_as((("attr", "agenda"), ("item", 0))) == "agenda[]"
    steps = (("attr", "tasks"), ("item", 0), ("attr", "title"))
    assert _declared_as(steps) == "tasks[].title"


SEDEROT = 1031


def test_a_meeting_draft_is_bounded_and_the_last_one_kept(
    db: Database, actors: dict[str, Actor]
) -> None:
    """The meeting form's draft is no command, but a write of typed text all the same: a text
    longer than any field of the form, or a draft larger than a whole form, is refused."""
    manager = actors["manager"]
    kept = {"issues": "The youth desk", "decisions": ["Open it"], "agenda": ["Youth"]}
    meetings.save_draft(db, manager, SEDEROT, kept)
    for draft in (
        {**kept, "issues": HUGE},
        {**kept, "decisions": ["y" * 1_000] * (MAX_DRAFT_CHARS // 1_000 + 1)},
    ):
        with pytest.raises(ValidationError):
            meetings.save_draft(db, manager, SEDEROT, draft)
        assert meetings.load_draft(db, manager, SEDEROT) == kept
