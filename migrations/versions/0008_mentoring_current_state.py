"""mentoring state spans: the state each stage event opened, for fast funnels as of any date

Revision ID: 0008_mentoring_current_state
Revises: 0007_mentoring_ui
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_mentoring_current_state"
down_revision: str | None = "0007_mentoring_ui"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AS_OF_COLUMNS = [
    "pipeline_code",
    "to_on",
    "from_on",
    "program_id",
    "population",
    "position",
    "kind",
    "furthest",
    "reason",
    "cohort_id",
]


def upgrade() -> None:
    op.create_table(
        "ment_state_span",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("pipeline_code", sa.String(length=30), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("population", sa.String(length=20), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=True),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("furthest", sa.Integer(), nullable=True),
        sa.Column("from_on", sa.Date(), nullable=False),
        sa.Column("to_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["ment_stage_event.id"],
            name=op.f("fk_ment_state_span_event_id_ment_stage_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["ment_participant.id"],
            name=op.f("fk_ment_state_span_participant_id_ment_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_ment_state_span")),
    )
    op.create_index("ix_ment_state_span_asof", "ment_state_span", AS_OF_COLUMNS)
    op.create_index("ix_ment_state_span_participant", "ment_state_span", ["participant_id"])
    # Existing events get their spans (the same SELECT the services run per participant).
    from sqlalchemy.orm import Session

    from employdash.mentoring import state

    state.rebuild_all(Session(bind=op.get_bind()))


def downgrade() -> None:
    op.drop_index("ix_ment_state_span_participant", table_name="ment_state_span")
    op.drop_index("ix_ment_state_span_asof", table_name="ment_state_span")
    op.drop_table("ment_state_span")
