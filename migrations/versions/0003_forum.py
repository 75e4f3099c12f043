"""forum tables

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import employdash.models.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "forum",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locality_code", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("stage_since", sa.Date(), nullable=True),
        sa.Column("created_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.CheckConstraint("stage BETWEEN 1 AND 3", name=op.f("ck_forum_stage")),
        sa.ForeignKeyConstraint(
            ["locality_code"], ["locality.code"], name=op.f("fk_forum_locality_code_locality")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forum")),
        sa.UniqueConstraint("locality_code", name=op.f("uq_forum_locality_code")),
    )
    op.create_table(
        "milestone_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("milestone_key", sa.String(length=60), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("checked_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forum.id"],
            name=op.f("fk_milestone_check_forum_id_forum"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_check")),
        sa.UniqueConstraint("forum_id", "milestone_key", name="uq_milestone_check_forum_key"),
    )
    op.create_table(
        "quarterly_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=7), nullable=False),
        sa.Column("taken_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.Column("taken_by", sa.String(length=60), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forum.id"],
            name=op.f("fk_quarterly_review_forum_id_forum"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarterly_review")),
        sa.UniqueConstraint("forum_id", "quarter", name="uq_quarterly_review_quarter"),
    )
    op.create_table(
        "strategic_focus",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forum.id"],
            name=op.f("fk_strategic_focus_forum_id_forum"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strategic_focus")),
    )
    with op.batch_alter_table("strategic_focus", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_strategic_focus_forum_id"), ["forum_id"], unique=False)

    op.create_table(
        "success_metric",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("focus_id", sa.Integer(), nullable=False),
        sa.Column("indicator_code", sa.String(length=60), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=False),
        sa.Column("baseline_date", sa.Date(), nullable=True),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["focus_id"],
            ["strategic_focus.id"],
            name=op.f("fk_success_metric_focus_id_strategic_focus"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_code"],
            ["indicator_definition.code"],
            name=op.f("fk_success_metric_indicator_code_indicator_definition"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_success_metric")),
    )
    with op.batch_alter_table("success_metric", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_success_metric_focus_id"), ["focus_id"], unique=False)

    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("focus_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('steering','forum','task','adhoc')", name=op.f("ck_team_kind")
        ),
        sa.ForeignKeyConstraint(
            ["focus_id"], ["strategic_focus.id"], name=op.f("fk_team_focus_id_strategic_focus")
        ),
        sa.ForeignKeyConstraint(
            ["forum_id"], ["forum.id"], name=op.f("fk_team_forum_id_forum"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
    )
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_forum_id"), ["forum_id"], unique=False)

    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column(
            "agenda",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("issues", sa.Text(), nullable=True),
        sa.Column(
            "next_dates",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('steering','forum','task')", name=op.f("ck_meeting_kind")),
        sa.ForeignKeyConstraint(
            ["forum_id"], ["forum.id"], name=op.f("fk_meeting_forum_id_forum"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_meeting_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_forum_held", ["forum_id", "held_on"], unique=False)

    op.create_table(
        "meeting_draft",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forum.id"],
            name=op.f("fk_meeting_draft_forum_id_forum"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_meeting_draft_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "forum_id", name=op.f("pk_meeting_draft")),
    )
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=120), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_membership_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_membership_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.UniqueConstraint("team_id", "person_id", name="uq_membership_team_person"),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_membership_person_id"), ["person_id"], unique=False)

    op.create_table(
        "attendance",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_attendance_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_attendance_person_id_person")
        ),
        sa.PrimaryKeyConstraint("meeting_id", "person_id", name=op.f("pk_attendance")),
    )
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_decision_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "meeting_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_attachment_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attachment")),
    )
    with op.batch_alter_table("meeting_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_attachment_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "meeting_guest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_meeting_guest_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_guest")),
    )
    with op.batch_alter_table("meeting_guest", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_guest_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("focus_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("owner_person_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("created_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('not_started','in_progress','blocked','done')", name=op.f("ck_task_status")
        ),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name=op.f("ck_task_progress")),
        sa.ForeignKeyConstraint(
            ["focus_id"], ["strategic_focus.id"], name=op.f("fk_task_focus_id_strategic_focus")
        ),
        sa.ForeignKeyConstraint(
            ["forum_id"], ["forum.id"], name=op.f("fk_task_forum_id_forum"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_task_meeting_id_meeting")
        ),
        sa.ForeignKeyConstraint(
            ["owner_person_id"], ["person.id"], name=op.f("fk_task_owner_person_id_person")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_task_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index("ix_task_forum_status", ["forum_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index("ix_task_owner", ["owner_person_id"], unique=False)
        batch_op.create_index("ix_task_team", ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_team")
        batch_op.drop_index("ix_task_owner")
        batch_op.drop_index(batch_op.f("ix_task_meeting_id"))
        batch_op.drop_index("ix_task_forum_status")

    op.drop_table("task")
    with op.batch_alter_table("meeting_guest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_guest_meeting_id"))

    op.drop_table("meeting_guest")
    with op.batch_alter_table("meeting_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_attachment_meeting_id"))

    op.drop_table("meeting_attachment")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_meeting_id"))

    op.drop_table("decision")
    op.drop_table("attendance")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_person_id"))

    op.drop_table("membership")
    op.drop_table("meeting_draft")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_forum_held")

    op.drop_table("meeting")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_forum_id"))

    op.drop_table("team")
    with op.batch_alter_table("success_metric", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_success_metric_focus_id"))

    op.drop_table("success_metric")
    with op.batch_alter_table("strategic_focus", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_strategic_focus_forum_id"))

    op.drop_table("strategic_focus")
    op.drop_table("quarterly_review")
    op.drop_table("milestone_check")
    op.drop_table("forum")
