"""revocable sessions: a per-user session version signed into the login cookie

Revision ID: 0010_session_version
Revises: 0009_survey_annex2
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_session_version"
down_revision: str | None = "0009_survey_annex2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("session_version")
