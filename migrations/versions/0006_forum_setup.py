"""forum set-up and a correct record: versions, ended memberships, closed decisions, cancelled
tasks and their notes, team leads, people deactivated, the mayor's plan approval

Revision ID: 0006_forum_setup
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import employdash.models.base  # noqa: F401  (custom column types)

revision: str = "0006_forum_setup"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUS = "status IN ('not_started','in_progress','blocked','done')"
NEW_STATUS = "status IN ('not_started','in_progress','blocked','done','cancelled')"


def _sqlite_foreign_keys(on: bool) -> None:
    """SQLite rebuilds a table to change a constraint; with foreign keys on, dropping the old copy
    of a table other rows point at fails. Off for the rebuild (it only works outside a
    transaction, so it is the migration's first statement), on again after."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade() -> None:
    _sqlite_foreign_keys(False)
    op.create_table(
        "task_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=60), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_task_note_task_id_task"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_note")),
    )
    op.create_index(op.f("ix_task_note_task_id"), "task_note", ["task_id"], unique=False)
    op.create_table(
        "plan_approval",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("approved_by", sa.String(length=60), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forum.id"],
            name=op.f("fk_plan_approval_forum_id_forum"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_approval")),
    )
    op.create_index(op.f("ix_plan_approval_forum_id"), "plan_approval", ["forum_id"], unique=False)
    with op.batch_alter_table("person") as b:
        b.add_column(sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False))
        b.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("forum") as b:
        b.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("strategic_focus") as b:
        b.add_column(sa.Column("retired", sa.Boolean(), server_default=sa.false(), nullable=False))
        b.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("success_metric") as b:
        b.alter_column("indicator_code", existing_type=sa.String(length=60), nullable=True)
        b.add_column(sa.Column("name", sa.String(length=200), nullable=True))
        b.add_column(sa.Column("unit", sa.String(length=20), nullable=True))
        b.add_column(sa.Column("direction", sa.String(length=4), nullable=True))
        b.add_column(sa.Column("retired", sa.Boolean(), server_default=sa.false(), nullable=False))
        b.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "milestone_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("milestone_key", sa.String(length=60), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("link_title", sa.String(length=200), nullable=True),
        sa.Column("link_url", sa.String(length=500), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forum.id"],
            name=op.f("fk_milestone_note_forum_id_forum"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_note")),
        sa.UniqueConstraint("forum_id", "milestone_key", name="uq_milestone_note_forum_key"),
    )
    op.create_table(
        "metric_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("entered_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["success_metric.id"],
            name=op.f("fk_metric_value_metric_id_success_metric"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_value")),
        sa.UniqueConstraint("metric_id", "period", name="uq_metric_value_period"),
    )
    op.create_index(op.f("ix_metric_value_metric_id"), "metric_value", ["metric_id"], unique=False)
    with op.batch_alter_table("team") as b:
        b.add_column(sa.Column("lead_person_id", sa.Integer(), nullable=True))
        b.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        b.create_foreign_key(
            op.f("fk_team_lead_person_id_person"), "person", ["lead_person_id"], ["id"]
        )
    with op.batch_alter_table("membership") as b:
        b.add_column(sa.Column("ended_on", sa.Date(), nullable=True))
        b.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("meeting") as b:
        b.add_column(sa.Column("form_token", sa.String(length=64), nullable=True))
        b.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        b.create_unique_constraint(op.f("uq_meeting_form_token"), ["form_token"])
    with op.batch_alter_table("decision") as b:
        b.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        b.add_column(sa.Column("outcome", sa.Text(), nullable=True))
        b.add_column(sa.Column("task_id", sa.Integer(), nullable=True))
        b.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        b.create_foreign_key(
            op.f("fk_decision_task_id_task"), "task", ["task_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("task") as b:
        b.drop_constraint(op.f("ck_task_status"), type_="check")
        b.create_check_constraint(op.f("ck_task_status"), NEW_STATUS)

    _sqlite_foreign_keys(True)

def downgrade() -> None:
    _sqlite_foreign_keys(False)
    op.execute("UPDATE task SET status = 'done' WHERE status = 'cancelled'")
    with op.batch_alter_table("task") as b:
        b.drop_constraint(op.f("ck_task_status"), type_="check")
        b.create_check_constraint(op.f("ck_task_status"), OLD_STATUS)
    with op.batch_alter_table("decision") as b:
        b.drop_constraint(op.f("fk_decision_task_id_task"), type_="foreignkey")
        b.drop_column("version")
        b.drop_column("task_id")
        b.drop_column("outcome")
        b.drop_column("closed_on")
    with op.batch_alter_table("meeting") as b:
        b.drop_constraint(op.f("uq_meeting_form_token"), type_="unique")
        b.drop_column("version")
        b.drop_column("form_token")
    with op.batch_alter_table("membership") as b:
        b.drop_column("version")
        b.drop_column("ended_on")
    with op.batch_alter_table("forum") as b:
        b.drop_column("version")
    op.drop_table("milestone_note")
    op.drop_index(op.f("ix_metric_value_metric_id"), table_name="metric_value")
    op.drop_table("metric_value")
    op.execute("DELETE FROM success_metric WHERE indicator_code IS NULL")
    with op.batch_alter_table("success_metric") as b:
        b.drop_column("version")
        b.drop_column("retired")
        b.drop_column("direction")
        b.drop_column("unit")
        b.drop_column("name")
        b.alter_column("indicator_code", existing_type=sa.String(length=60), nullable=False)
    with op.batch_alter_table("strategic_focus") as b:
        b.drop_column("version")
        b.drop_column("retired")
    with op.batch_alter_table("team") as b:
        b.drop_constraint(op.f("fk_team_lead_person_id_person"), type_="foreignkey")
        b.drop_column("version")
        b.drop_column("lead_person_id")
    with op.batch_alter_table("person") as b:
        b.drop_column("version")
        b.drop_column("active")
    op.drop_index(op.f("ix_plan_approval_forum_id"), table_name="plan_approval")
    op.drop_table("plan_approval")
    op.drop_index(op.f("ix_task_note_task_id"), table_name="task_note")
    op.drop_table("task_note")
    _sqlite_foreign_keys(True)
