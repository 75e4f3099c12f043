"""events: what happened, written in the transaction of the change that caused it (the mail and
calendar work reads them after the commit)

Revision ID: 0014_events
Revises: 0013_value_standard_version
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0014_events"
down_revision: str | None = "0013_value_standard_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("username", sa.String(60), nullable=False),
        sa.Column("locality_code", sa.Integer(), nullable=True),
        sa.Column("entity", sa.String(60), nullable=False),
        sa.Column("entity_id", sa.String(60), nullable=True),
        sa.Column("payload", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_event"),
    )
    op.create_index("ix_event_name", "event", ["name", "id"])


def downgrade() -> None:
    op.drop_index("ix_event_name", table_name="event")
    op.drop_table("event")
