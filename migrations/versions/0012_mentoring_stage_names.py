"""pipelines and stages defined in the UI carry an English name beside the (Hebrew) label, so the
funnel names them in the reader's language

Revision ID: 0012_mentoring_stage_names
Revises: 0010_session_version
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_mentoring_stage_names"
# lead: re-chain after the forum's 0011 at merge
down_revision: str | None = "0010_session_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("ment_pipeline", "ment_stage"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("label_en", sa.String(length=120), nullable=True))


def downgrade() -> None:
    for table in ("ment_stage", "ment_pipeline"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("label_en")
