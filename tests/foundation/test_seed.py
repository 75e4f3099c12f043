"""The demo data set is deterministic and covers the 14 program localities."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from employdash.briefing.attention import MAX_ATTENTION
from employdash.briefing.build import build_briefing
from employdash.db import Database, migrate
from employdash.forum.health import evaluate, facts_for
from employdash.i18n import t
from employdash.models import Locality, Organisation, Person, User
from employdash.models.forum import FORUM_ROLES, Forum, Meeting, Membership, PlannedMeeting
from employdash.models.indicators import indicator_value_table
from employdash.seed import seed_demo
from employdash.seed.context import DEMO_AS_OF, MANAGER_LOCALITIES, NORTH, SOUTH
from employdash.users import CHEAP, load_actor
from tests.support.databases import seed_for_tests
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
    seed_for_tests(fresh)
    assert _fingerprint(fresh) == _fingerprint(sqlite_db)
    fresh.dispose()


def test_demo_forum_roles_come_from_the_fixed_vocabulary(sqlite_db: Database) -> None:
    """The UI offers only these roles, in both languages; the demo must not show others."""
    with sqlite_db.transaction() as s:
        roles = set(s.scalars(select(Membership.role).distinct()))
    assert roles and roles <= {*FORUM_ROLES, None}


def _sederot_at(
    tmp_path: Path, as_of: date
) -> tuple[dict[int, list[str]], date, date, list[date], list[str]]:
    """Seed a demo at `as_of`: the manager's forums' health warnings, Sederot's last plenary
    meeting, the newest indicator month, Sederot's planned meeting dates and the attention items
    the mayor's briefing shows."""
    db = Database(f"sqlite:///{tmp_path / f'demo-{as_of}.db'}")
    migrate(db)
    seed_demo(db, hashing=CHEAP, as_of=as_of)
    try:
        with db.transaction() as s:
            warnings = {
                code: [w.key for w in evaluate(facts_for(s, forum, as_of))]
                for code in MANAGER_LOCALITIES
                if (forum := s.scalar(select(Forum).where(Forum.locality_code == code)))
            }
            forum = present(s.scalar(select(Forum).where(Forum.locality_code == 1031)))
            plenary = present(
                s.scalar(
                    select(func.max(Meeting.held_on)).where(
                        Meeting.forum_id == forum.id, Meeting.kind == "forum"
                    )
                )
            )
            newest = present(s.scalar(select(func.max(indicator_value_table.c.period))))
            planned = list(
                s.scalars(select(PlannedMeeting.on_date).where(PlannedMeeting.forum_id == forum.id))
            )
        mayor = present(load_actor(db, "mayor"))
        shown = build_briefing(db, mayor, 1031, as_of).attention[:MAX_ATTENTION]
        return warnings, plenary, newest, planned, [i.key for i in shown]
    finally:
        db.dispose()


@pytest.mark.parametrize("as_of", [date(2027, 3, 18), date(2028, 1, 2)])
def test_the_demo_is_current_on_the_day_it_is_seeded(tmp_path: Path, as_of: date) -> None:
    """A newcomer's demo: the last forum meeting a few weeks ago, the next one planned ahead,
    indicators up to last month, and a healthy forum with a few real warnings (never the
    "no forum meeting" one an aged demo opened on)."""
    warnings, plenary, newest, planned, attention = _sederot_at(tmp_path, as_of)
    assert 14 <= (as_of - plenary).days <= 35
    assert planned == [as_of + timedelta(days=15)]
    last_month = as_of.replace(day=1) - timedelta(days=1)
    assert (newest.year, newest.month) == (last_month.year, last_month.month)
    assert set(warnings) == set(MANAGER_LOCALITIES)  # the manager's forums, Netivot first
    # Both forums' metrics on the job seekers and the unemployment rate are off track (the data
    # rise), and Sederot's employers' team has not met for 75 days: nothing else.
    off_track = "forum.health.off_track"
    assert warnings == {
        1031: [off_track, off_track, "forum.health.team_idle"],
        246: [off_track, off_track],
    }
    assert off_track in attention  # and the mayor's briefing shows it


def test_the_same_seed_date_gives_the_same_demo(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    assert _sederot_at(first, date(2027, 3, 18)) == _sederot_at(second, date(2027, 3, 18))


def test_tests_see_the_demo_as_written_on_its_pinned_date(sqlite_db: Database) -> None:
    """The fixtures pin the seed date: the figures the tests rely on never move with the clock."""
    with sqlite_db.transaction() as s:
        newest = s.scalar(select(func.max(indicator_value_table.c.period)))
        assert newest == (DEMO_AS_OF.replace(day=1) - timedelta(days=1)).replace(day=1)
        assert s.scalar(select(func.count()).select_from(PlannedMeeting)) == 0


def test_the_login_hint_names_every_demo_user(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as s:
        usernames = set(s.scalars(select(User.username)))
    for lang in ("he", "en"):
        hint = t("login.demo_hint", lang)
        assert {u for u in usernames if u not in hint} == set(), lang
