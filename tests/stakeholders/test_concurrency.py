"""Several processes save the same record from the same version at once, on SQLite and
PostgreSQL. At most one save is accepted, every other is refused (never silently lost), and the
stored record equals the accepted save."""

from __future__ import annotations

from sqlalchemy import func, select

from employdash.access import Actor
from employdash.db import Database
from employdash.models import AuditEntry
from employdash.models.stakeholders import OrganisationProfile, Stakeholder
from employdash.stakeholders import organisations
from employdash.stakeholders import register as stakeholders
from employdash.stakeholders.organisations import ProfileInput
from employdash.stakeholders.register import PositionEdit
from tests.stakeholders.conftest import add_org, add_stakeholder
from tests.support.concurrency import race

SEDEROT = 1031
WORKERS = [1, 2, 3, 4, 5]


def _accepted(results: dict[int, str]) -> list[int]:
    assert all(r in ("ok", "stale", "busy") for r in results.values()), results
    accepted = [arg for arg, r in results.items() if r == "ok"]
    assert len(accepted) == 1, results  # the first writer wins; every other is refused
    return accepted


def _audits(db: Database, entity: str, entity_id: int, action: str) -> int:
    with db.transaction() as s:
        return s.scalars(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.entity == entity,
                AuditEntry.entity_id == str(entity_id),
                AuditEntry.action == action,
            )
        ).one()


def test_concurrent_stakeholder_updates_keep_exactly_the_accepted_save(
    db: Database, actors: dict[str, Actor]
) -> None:
    sid = add_stakeholder(db, actors["admin"], "מעסיק", "employer", 3, 3, code=SEDEROT)

    def save(db: Database, actor: Actor, n: int) -> None:
        stakeholders.update(db, actor, sid, 1, {"notes": f"from worker {n}", "power": n})

    accepted = _accepted(race(db.url, "manager", save, WORKERS))
    with db.transaction() as s:
        row = s.get_one(Stakeholder, sid)
        if accepted:
            (n,) = accepted
            assert (row.notes, row.power, row.version) == (f"from worker {n}", n, 2)
        else:
            assert (row.notes, row.power, row.version) == (None, 3, 1)
    assert _audits(db, "stakeholder", sid, "update") == len(accepted)


def test_concurrent_grid_moves_keep_exactly_the_accepted_move(
    db: Database, actors: dict[str, Actor]
) -> None:
    sid = add_stakeholder(db, actors["admin"], "מעסיק", "employer", 3, 3, code=SEDEROT)

    def move(db: Database, actor: Actor, n: int) -> None:
        stakeholders.move(db, actor, SEDEROT, [PositionEdit(sid, 1, n, 6 - n)])

    accepted = _accepted(race(db.url, "manager", move, [1, 2, 4, 5]))
    with db.transaction() as s:
        row = s.get_one(Stakeholder, sid)
        expected = (accepted[0], 6 - accepted[0], 2) if accepted else (3, 3, 1)
        assert (row.power, row.interest, row.version) == expected
    assert _audits(db, "stakeholder", sid, "move") == len(accepted)


def test_concurrent_profile_saves_keep_exactly_the_accepted_save(
    db: Database, actors: dict[str, Actor]
) -> None:
    org = add_org(db, "עמותה", "ngo", SEDEROT)
    v1 = organisations.save_profile(
        db, actors["admin"], SEDEROT, org, ProfileInput(goals="0"), None
    )

    def save(db: Database, actor: Actor, n: int) -> None:
        organisations.save_profile(db, actor, SEDEROT, org, ProfileInput(goals=f"g{n}"), v1)

    accepted = _accepted(race(db.url, "manager", save, WORKERS))
    with db.transaction() as s:
        profile = s.scalar(
            select(OrganisationProfile).where(OrganisationProfile.organisation_id == org)
        )
        assert profile is not None
        expected = (f"g{accepted[0]}", 2) if accepted else ("0", 1)
        assert (profile.goals, profile.version) == expected


def test_concurrent_first_profile_saves_create_one_profile(
    db: Database, actors: dict[str, Actor]
) -> None:
    org = add_org(db, "עמותה חדשה", "ngo", SEDEROT)

    def save(db: Database, actor: Actor, n: int) -> None:
        organisations.save_profile(db, actor, SEDEROT, org, ProfileInput(goals=f"g{n}"), None)

    accepted = _accepted(race(db.url, "manager", save, [1, 2, 3]))
    with db.transaction() as s:
        rows = s.scalars(
            select(OrganisationProfile).where(OrganisationProfile.organisation_id == org)
        ).all()
        assert [(p.goals, p.version) for p in rows] == [(f"g{n}", 1) for n in accepted]
