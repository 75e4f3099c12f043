"""The one cached read-model helper: per read model, per database and actor, bounded, and cleared
per area after a write."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from components.common.cache import clear_area, read_model
from employdash.access import Actor, Area
from employdash.db import Database

calls: Counter[str] = Counter()
MANAGER = Actor(1, "manager", "Manager", "manager", frozenset({1031}))
ADMIN = Actor(2, "admin", "Admin", "admin", None)


@read_model(Area.FORUM, max_entries=2)
def forum_size(db: Database, actor: Actor, code: int) -> str:
    calls["forum"] += 1
    return f"forum {code} for {actor.username}"


@read_model(Area.MENTORING)
def mentoring_size(db: Database, actor: Actor, code: int) -> str:
    calls["mentoring"] += 1
    return f"mentoring {code} for {actor.username}"


def test_each_read_model_has_its_own_cache_keyed_by_actor(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    assert forum_size(db, MANAGER, 1031) == "forum 1031 for manager"
    assert mentoring_size(db, MANAGER, 1031) == "mentoring 1031 for manager"
    assert forum_size(db, ADMIN, 1031) == "forum 1031 for admin"
    before = calls.copy()
    assert forum_size(db, MANAGER, 1031) == "forum 1031 for manager"
    assert calls == before  # a hit


def test_an_actor_differing_in_any_field_is_another_key(tmp_path: Path) -> None:
    """The actor is keyed by a text of its fields: another scope, person or role never hits."""
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    mentoring_size(db, MANAGER, 8)
    before = calls["mentoring"]
    others = (
        replace(MANAGER, localities=frozenset({1031, 31})),
        replace(MANAGER, localities=None),
        replace(MANAGER, person_id=5),
        replace(MANAGER, role="member"),
    )
    for n, other in enumerate(others, start=1):
        mentoring_size(db, other, 8)
        assert calls["mentoring"] == before + n
    mentoring_size(db, replace(MANAGER, localities=frozenset({1031})), 8)  # equal to MANAGER
    assert calls["mentoring"] == before + len(others)


def test_another_database_is_another_key(tmp_path: Path) -> None:
    first = Database(f"sqlite:///{tmp_path / 'a.db'}")
    second = Database(f"sqlite:///{tmp_path / 'b.db'}")
    mentoring_size(first, MANAGER, 7)
    before = calls["mentoring"]
    mentoring_size(second, MANAGER, 7)
    assert calls["mentoring"] == before + 1


def test_clearing_an_area_leaves_the_others(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    forum_size(db, MANAGER, 5)
    mentoring_size(db, MANAGER, 5)
    before = calls.copy()
    clear_area(Area.FORUM)
    forum_size(db, MANAGER, 5)
    mentoring_size(db, MANAGER, 5)
    assert calls["forum"] == before["forum"] + 1
    assert calls["mentoring"] == before["mentoring"]


def test_entries_are_bounded(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    clear_area(Area.FORUM)
    for code in (1, 2, 3):  # max_entries=2: the first is evicted
        forum_size(db, MANAGER, code)
    before = calls["forum"]
    forum_size(db, MANAGER, 1)
    assert calls["forum"] == before + 1
