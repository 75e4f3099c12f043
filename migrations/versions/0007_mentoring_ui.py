"""mentoring run from the UI: program people and versions, one active match per mentee, pipeline
closing stages and drop reasons, targets, sessions, certification standards and assessments

Revision ID: 0007_mentoring_ui
Revises: 0006_forum_setup
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import employdash.models.base

revision: str = "0007_mentoring_ui"
# lead: chain after 0006_forum_setup
down_revision: str | None = "0006_forum_setup"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = sa.text("status = 'active'")
PEOPLE = ("contact_person_id", "sponsor_person_id", "tevet_manager_person_id")
# The professional standards of the employment-promoter certification (editable in the app).
STANDARDS = (
    ("intake", "Intake interview and needs assessment"),
    ("plan", "Personal employment plan"),
    ("employers", "Working with employers"),
    ("placement", "Placement and job retention"),
    ("ethics", "Professional ethics and confidentiality"),
)
TERMINAL = (("mentee", "with_outcome"), ("mentor", "completed"), ("certification", "certified"))


def upgrade() -> None:
    with op.batch_alter_table("ment_program") as batch:
        for name in PEOPLE:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
            batch.create_foreign_key(f"fk_ment_program_{name}_person", "person", [name], ["id"])
        batch.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
        )
    with op.batch_alter_table("ment_pipeline") as batch:
        batch.add_column(sa.Column("label", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("drop_reasons", sa.String(length=400), nullable=True))
    with op.batch_alter_table("ment_stage") as batch:
        batch.add_column(sa.Column("label", sa.String(length=120), nullable=True))
        batch.add_column(
            sa.Column("terminal", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )
    stage = sa.table(
        "ment_stage", sa.column("pipeline_code"), sa.column("code"), sa.column("terminal")
    )
    for pipeline, code in TERMINAL:
        op.execute(
            stage.update()
            .where(stage.c.pipeline_code == pipeline, stage.c.code == code)
            .values(terminal=True)
        )
    with op.batch_alter_table("ment_participant") as batch:
        batch.add_column(
            sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
        )
    with op.batch_alter_table("ment_match") as batch:
        batch.add_column(sa.Column("end_reason", sa.String(length=30), nullable=True))
        batch.add_column(
            sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
        )
    op.create_index(
        "uq_ment_match_active_mentee",
        "ment_match",
        ["mentee_id"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )
    op.create_table(
        "ment_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("matches", sa.Integer(), nullable=True),
        sa.Column("completions", sa.Integer(), nullable=True),
        sa.Column("outcomes", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_ment_target_period")),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["ment_program.id"],
            name=op.f("fk_ment_target_program_id_ment_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ment_target")),
        sa.UniqueConstraint("program_id", "period_start", name="uq_ment_target_period"),
    )
    op.create_table(
        "ment_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.CheckConstraint("minutes > 0 AND minutes <= 600", name=op.f("ck_ment_session_minutes")),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["ment_match.id"],
            name=op.f("fk_ment_session_match_id_ment_match"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ment_session")),
    )
    op.create_index("ix_ment_session_match", "ment_session", ["match_id", "held_on"])
    op.create_table(
        "ment_standard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ment_standard")),
        sa.UniqueConstraint("code", name=op.f("uq_ment_standard_code")),
    )
    standard = sa.table(
        "ment_standard", sa.column("code"), sa.column("name"), sa.column("position")
    )
    op.bulk_insert(
        standard, [{"code": c, "name": n, "position": i} for i, (c, n) in enumerate(STANDARDS, 1)]
    )
    op.create_table(
        "ment_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("standard_id", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("gap_note", sa.String(length=500), nullable=True),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["ment_participant.id"],
            name=op.f("fk_ment_assessment_participant_id_ment_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["standard_id"],
            ["ment_standard.id"],
            name=op.f("fk_ment_assessment_standard_id_ment_standard"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ment_assessment")),
        sa.UniqueConstraint("participant_id", "standard_id", name="uq_ment_assessment_standard"),
    )


def downgrade() -> None:
    op.drop_table("ment_assessment")
    op.drop_table("ment_standard")
    op.drop_index("ix_ment_session_match", table_name="ment_session")
    op.drop_table("ment_session")
    op.drop_table("ment_target")
    op.drop_index("uq_ment_match_active_mentee", table_name="ment_match")
    with op.batch_alter_table("ment_match") as batch:
        batch.drop_column("version")
        batch.drop_column("end_reason")
    with op.batch_alter_table("ment_participant") as batch:
        batch.drop_column("version")
    with op.batch_alter_table("ment_stage") as batch:
        batch.drop_column("terminal")
        batch.drop_column("label")
    with op.batch_alter_table("ment_pipeline") as batch:
        batch.drop_column("drop_reasons")
        batch.drop_column("label")
    with op.batch_alter_table("ment_program") as batch:
        for name in reversed(PEOPLE):
            batch.drop_constraint(f"fk_ment_program_{name}_person", type_="foreignkey")
        batch.drop_column("version")
        batch.drop_column("closed_on")
        for name in reversed(PEOPLE):
            batch.drop_column(name)
