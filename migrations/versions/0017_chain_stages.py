"""stages that hold: the stage a forum started at, a milestone marked not applicable with its
reason, and the plan an approval approved (a fingerprint of its focuses and metrics); a mentoring
session's version, so a correction names the one it read

Revision ID: 0017_chain_stages
Revises: 0015_mail
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_chain_stages"
down_revision: str | None = "0016_indicator_catalogue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("forum") as batch:
        batch.add_column(
            sa.Column("start_stage", sa.Integer(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("milestone_check") as batch:
        batch.add_column(sa.Column("not_applicable_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("plan_approval") as batch:
        batch.add_column(sa.Column("plan_version", sa.String(64), nullable=True))
    with op.batch_alter_table("ment_session") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("ment_session") as batch:
        batch.drop_column("version")
    with op.batch_alter_table("plan_approval") as batch:
        batch.drop_column("plan_version")
    with op.batch_alter_table("milestone_check") as batch:
        batch.drop_column("not_applicable_reason")
    with op.batch_alter_table("forum") as batch:
        batch.drop_column("start_stage")
