"""The demo data set is deterministic and covers the 14 program localities."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from employdash.db import Database, migrate
from employdash.models import Locality, Organisation, Person
from employdash.models.forum import FORUM_ROLES, Membership
from employdash.seed import seed_demo
from employdash.seed.context import NORTH, SOUTH
from employdash.users import CHEAP
from tests.support.present import present


def _fingerprint(db: Database) -> list[object]:
    with db.transaction() as s:
        return [
            s.scalar(select(func.count()).select_from(Locality)),
            list(s.scalars(select(Person.full_name).order_by(Person.id))),
            list(s.scalars(select(Organisation.name).order_by(Organisation.id))),
        ]


def test_program_localities_are_real_cbs_localities(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as s:
        program = s.scalars(select(Locality).where(Locality.is_program.is_(True))).all()
        assert {loc.code for loc in program} == set(NORTH + SOUTH)
        assert {loc.region for loc in program} == {"north", "south"}
        sederot = present(s.get(Locality, 1031))
        assert (sederot.name_he, sederot.name_en, sederot.district_en) == (
            "שדרות",
            "Sederot",
            "Southern",
        )
        assert present(sederot.population) > 20000 and 31 < present(sederot.latitude) < 32
        assert present(s.scalar(select(func.count()).select_from(Locality))) > 1200


def test_same_seed_same_data(tmp_path: Path, sqlite_db: Database) -> None:
    fresh = Database(f"sqlite:///{tmp_path / 'again.db'}")
    migrate(fresh)
    seed_demo(fresh, hashing=CHEAP)
    assert _fingerprint(fresh) == _fingerprint(sqlite_db)
    fresh.dispose()


def test_demo_forum_roles_come_from_the_fixed_vocabulary(sqlite_db: Database) -> None:
    """The UI offers only these roles, in both languages; the demo must not show others."""
    with sqlite_db.transaction() as s:
        roles = set(s.scalars(select(Membership.role).distinct()))
    assert roles and roles <= {*FORUM_ROLES, None}
