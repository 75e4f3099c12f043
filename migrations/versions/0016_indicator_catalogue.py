"""indicator catalogue from the first migration, and the forum's tolerance for targets

The catalogue's definitions (reference data, not values) are inserted when missing, from the one
definition in `employdash.indicators.catalogue`, so a database that was only migrated lets a
manager define a catalogue metric before any import. The forum gains `target_tolerance`: how far
behind its straight line a metric may fall before it is off track.

Revision ID: 0016_indicator_catalogue
Revises: 0015_mail
"""

from collections.abc import Sequence
from dataclasses import asdict

import sqlalchemy as sa
from alembic import op

from employdash.indicators.catalogue import DEFINITIONS

revision: str = "0016_indicator_catalogue"
down_revision: str | None = "0015_mail"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFINITION = sa.table(
    "indicator_definition",
    *(sa.column(name) for name in asdict(DEFINITIONS[0])),
)


def upgrade() -> None:
    with op.batch_alter_table("forum") as batch:
        batch.add_column(
            sa.Column("target_tolerance", sa.Float(), server_default="0.1", nullable=False)
        )
    present = set(op.get_bind().scalars(sa.select(sa.column("code")).select_from(DEFINITION)))
    # Headline definitions first: breakdowns refer to them.
    missing = sorted(
        (d for d in DEFINITIONS if d.code not in present), key=lambda d: d.parent_code is not None
    )
    if missing:
        op.bulk_insert(DEFINITION, [asdict(d) for d in missing])


def downgrade() -> None:
    # The definitions stay: they are reference data `migrate` loads on any revision.
    with op.batch_alter_table("forum") as batch:
        batch.drop_column("target_tolerance")
