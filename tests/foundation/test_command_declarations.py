"""How a command is declared: `of` builds it from the IDs a writer is handed; its first field, or
the one `at` names, places it. Run on no database: these are properties of the classes alone."""

from __future__ import annotations

import dataclasses
from typing import get_origin, get_type_hints

import pytest

from employdash.commands import Command, Ref, registered
from employdash.forum.focuses import MoveFocus
from employdash.forum.planning import CancelPlannedMeeting
from employdash.forum.tasks import CancelTask
from employdash.models.forum import StrategicFocus
from tests.foundation.commands.harness import PRODUCT


def test_of_turns_each_id_into_a_reference_to_its_fields_record() -> None:
    command = MoveFocus.of(7, step=-1)
    assert command.focus == Ref(StrategicFocus, 7)
    assert command.step == -1
    assert command.where() == Ref(StrategicFocus, 7)


def test_of_keeps_a_reference_none_and_a_plain_value_as_given() -> None:
    given = Ref(StrategicFocus, 3)
    assert MoveFocus.of(given, 1).focus is given
    assert MoveFocus.of(None, 1).focus is None
    flag: object = MoveFocus.of(True, 1).focus
    assert flag is True  # a flag is no ID, though Python counts it an int


def test_a_declared_reason_is_a_bounded_text_the_user_must_give() -> None:
    """`reason=` adds the field to the command's bounded texts (beside the ones it inherits or
    declares) and to the texts it requires."""
    assert CancelPlannedMeeting.texts["reason"] == "planned_meeting/cancel_reason"
    assert "reason" in CancelPlannedMeeting.required
    assert dict(CancelTask.texts) == {"reason": "task/note"}
    assert CancelTask.required == frozenset({"reason"})
    assert "reason" not in MoveFocus.required


@pytest.mark.parametrize("name", PRODUCT)
def test_every_command_says_where_it_writes(name: str) -> None:
    """A command is placed by its first field, or the field it names (`at`), or it says where
    itself: the placing field is a locality code or a reference to the record it changes (a
    field put first by a base class, a person's name, would place it nowhere)."""
    kind: type[Command[object]] = registered()[name]
    if kind.where is not Command.where:
        return
    fields = [f.name for f in dataclasses.fields(kind)]  # type: ignore[arg-type]  # a dataclass
    placing = kind.at or fields[0]
    assert placing in fields, f"{name}: `at` names {kind.at!r}, not one of its fields"
    hint = get_type_hints(kind)[placing]
    assert hint is int or get_origin(hint) is Ref, f"{name} is placed by {placing}: {hint}"
