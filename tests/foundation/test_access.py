"""Locality scope is enforced by the services, whatever the UI shows."""

from __future__ import annotations

import pytest

from employdash import localities
from employdash.access import Actor, Area, require_read_all, require_write
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back


def test_scope_lists_only_the_users_localities(db: Database, actors: dict[str, Actor]) -> None:
    assert [loc.code for loc in localities.in_scope(db, actors["mayor"])] == [1031]
    assert {loc.code for loc in localities.in_scope(db, actors["manager"])} == {1031, 246}
    assert len(localities.in_scope(db, actors["admin"])) == 14


def test_reading_another_locality_is_refused(db: Database, actors: dict[str, Actor]) -> None:
    assert localities.get(db, actors["member"], 1031).name_en == "Sederot"
    with pytest.raises(PermissionDenied):
        localities.get(db, actors["member"], 246)
    with pytest.raises(PermissionDenied):
        require_read_all(actors["manager"], Area.INDICATORS, [1031, 31])
    with pytest.raises(NotFound):
        localities.get(db, actors["admin"], 424242)


@pytest.mark.parametrize(
    ("who", "code", "allowed"),
    [
        ("admin", 31, True),
        ("manager", 246, True),
        ("manager", 31, False),
        ("mayor", 1031, False),
        ("member", 1031, False),
    ],
)
def test_who_may_edit_where(actors: dict[str, Actor], who: str, code: int, allowed: bool) -> None:
    if allowed:
        require_write(actors[who], Area.FORUM, code)
    else:
        with pytest.raises(PermissionDenied):
            require_write(actors[who], Area.FORUM, code)
