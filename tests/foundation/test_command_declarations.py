"""How a command is declared: `of` builds it from the IDs a writer is handed, `at` names the field
that places it. Run on no database: these are properties of the classes alone."""

from __future__ import annotations

import dataclasses

import pytest

from employdash.commands import Command, Ref, registered
from employdash.forum.focuses import MoveFocus
from employdash.models.forum import StrategicFocus
from tests.foundation.test_commands import PRODUCT


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


@pytest.mark.parametrize("name", PRODUCT)
def test_every_command_says_where_it_writes(name: str) -> None:
    """A command names the field that places it (`at`, one of its own fields) or says it itself."""
    kind: type[Command[object]] = registered()[name]
    if kind.at is None:
        assert kind.where is not Command.where, f"{name} declares neither `at` nor `where`"
    else:
        fields = {f.name for f in dataclasses.fields(kind)}  # type: ignore[arg-type]  # a dataclass
        assert kind.at in fields, f"{name}: `at` names {kind.at!r}, not one of its fields"
