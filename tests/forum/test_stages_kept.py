"""Stages that hold: the stage a forum was set up at is kept, an optional milestone marked not
applicable (with its reason) does not hold the next stage back, and the mayor's approval ticks
"plan presented to the mayor" and keeps the version of the plan it approved, so the briefing can
say when the plan changed after it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.forum import approval, focuses, setup
from employdash.forum import briefing as forum_briefing
from employdash.forum import structure as forum_service
from employdash.forum.stages import STAGES
from employdash.models import Locality
from employdash.models.forum import Forum, MilestoneCheck, PlanApproval
from tests.forum.helpers import SEDEROT, forum_id
from tests.support.present import present

pytestmark = pytest.mark.rolled_back

TODAY = date.today()


def _fresh_locality(db: Database) -> int:
    with db.transaction() as s:
        code = s.scalar(
            select(Locality.code)
            .where(Locality.code.not_in(select(Forum.locality_code)))
            .order_by(Locality.code)
        )
    assert code is not None
    return code


def _milestone_audits(db: Database) -> int:
    from sqlalchemy import func

    from employdash.models import AuditEntry

    with db.transaction() as s:
        return int(s.scalar(select(func.count()).where(AuditEntry.action == "milestone")) or 0)


def test_a_forum_set_up_at_stage_two_stays_there_on_its_first_milestone(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    code = _fresh_locality(db)
    setup.create_forum(db, admin, code, "Forum", TODAY - timedelta(days=30), 2)
    assert forum_service.set_milestone(db, admin, code, "employer_survey", True, TODAY) == 2
    assert forum_service.set_milestone(db, admin, code, "employer_survey", False, TODAY) == 2
    view = present(forum_service.overview(db, admin, code))
    assert (view.stage, view.start_stage) == (2, 2)
    for key in STAGES[2]:
        forum_service.set_milestone(db, admin, code, key, True, TODAY)
    assert present(forum_service.overview(db, admin, code)).stage == 3


def test_an_optional_milestone_not_applicable_does_not_block_the_next_stage(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    code = _fresh_locality(db)
    setup.create_forum(db, admin, code, "Forum", TODAY - timedelta(days=30), 2)
    for key in STAGES[2]:
        if key != "public_participation":
            forum_service.set_milestone(db, admin, code, key, True, TODAY)
    assert present(forum_service.overview(db, admin, code)).stage == 2
    forum_service.set_milestone(db, admin, code, "forum_launched", False, TODAY)
    with pytest.raises(ValidationError) as refused:  # the model requires it
        forum_service.set_milestone(db, admin, code, "forum_launched", True, TODAY, "No need")
    assert refused.value.fields == {"reason": "chain.milestone_required"}
    forum_service.set_milestone(db, admin, code, "forum_launched", True, TODAY)
    with pytest.raises(ValidationError) as refused:
        forum_service.set_milestone(db, admin, code, "public_participation", True, TODAY, "")
    assert refused.value.fields == {"reason": "validation.required"}
    stage = forum_service.set_milestone(
        db, admin, code, "public_participation", True, TODAY, "A survey of residents instead"
    )
    assert stage == 3
    view = present(forum_service.overview(db, admin, code))
    assert view.not_applicable == {"public_participation": "A survey of residents instead"}
    view = present(forum_service.overview(db, admin, code))
    audits = _milestone_audits(db)
    # ticked twice (a stale screen): nothing changes, no second check is claimed
    assert (
        forum_service.set_milestone(
            db, admin, code, "forum_launched", True, TODAY + timedelta(days=1)
        )
        == 3
    )
    assert present(forum_service.overview(db, admin, code)).checks == view.checks
    assert _milestone_audits(db) == audits


def test_the_approval_ticks_its_milestone_and_the_briefing_says_the_plan_changed_after_it(
    db: Database, actors: dict[str, Actor]
) -> None:
    mayor, manager = actors["mayor"], actors["manager"]
    fid = forum_id(db, SEDEROT)
    with db.transaction() as s:
        s.query(MilestoneCheck).filter(
            MilestoneCheck.forum_id == fid,
            MilestoneCheck.milestone_key == "plan_presented_to_mayor",
        ).delete()
    approved_on = TODAY - timedelta(days=3)
    approval.approve_plan(db, mayor, SEDEROT, approved_on, "Approved at the council")
    view = present(forum_service.overview(db, manager, SEDEROT))
    assert view.checks["plan_presented_to_mayor"][0] == approved_on
    with db.transaction() as s:
        row = s.scalars(
            select(PlanApproval)
            .where(PlanApproval.forum_id == fid)
            .order_by(PlanApproval.id.desc())
        ).first()
        assert row is not None and row.plan_version == approval.plan_version(s, fid)
    status = present(forum_briefing.briefing_status(db, mayor, SEDEROT, as_of=TODAY))
    assert present(status.approval).plan_changed is False
    approval.approve_plan(db, mayor, SEDEROT, TODAY)  # again: the milestone stays as it was
    assert (
        present(forum_service.overview(db, manager, SEDEROT)).checks["plan_presented_to_mayor"][0]
        == approved_on
    )
    focus = view.focuses[0]
    focuses.update_focus(
        db, manager, SEDEROT, focus["id"], focus["version"], {"title": "Youth employment, widened"}
    )
    status = present(forum_briefing.briefing_status(db, mayor, SEDEROT, as_of=TODAY))
    assert present(status.approval).plan_changed is True
    from employdash.briefing.text import approval_text

    assert "present it to the mayor again" in approval_text(present(status.approval), "en")
