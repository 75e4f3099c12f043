"""optimistic locking for a manual metric's value per period and for the certification standards:
each carries the version a save must name (existing rows start at 1)

Revision ID: 0013_value_standard_version
Revises: 0012_mentoring_stage_names
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_value_standard_version"
down_revision: str | None = "0012_mentoring_stage_names"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("metric_value", "ment_standard")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
