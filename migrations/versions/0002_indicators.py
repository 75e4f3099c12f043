"""indicators tables

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text  # noqa: F401  (used by rendered JSONB types)

import employdash.models.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("layout", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_added", sa.Integer(), nullable=False),
        sa.Column("rows_revised", sa.Integer(), nullable=False),
        sa.Column("rows_unchanged", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    op.create_table(
        "indicator_definition",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name_he", sa.String(length=160), nullable=False),
        sa.Column("name_en", sa.String(length=160), nullable=False),
        sa.Column("unit", sa.String(length=12), nullable=False),
        sa.Column("higher_is_better", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("frequency", sa.String(length=12), nullable=False),
        sa.Column("parent_code", sa.String(length=60), nullable=True),
        sa.Column("dimension", sa.String(length=30), nullable=True),
        sa.Column("category", sa.String(length=30), nullable=True),
        sa.Column("headline", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "unit IN ('count','fraction','ils')", name=op.f("ck_indicator_definition_unit")
        ),
        sa.ForeignKeyConstraint(
            ["parent_code"],
            ["indicator_definition.code"],
            name=op.f("fk_indicator_definition_parent_code_indicator_definition"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_indicator_definition")),
    )
    op.create_table(
        "indicator_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locality_code", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("indicator_code", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('ok','suppressed','preliminary','revised')",
            name=op.f("ck_indicator_value_status"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_indicator_value_batch_id_import_batch")
        ),
        sa.ForeignKeyConstraint(
            ["indicator_code"],
            ["indicator_definition.code"],
            name=op.f("fk_indicator_value_indicator_code_indicator_definition"),
        ),
        sa.ForeignKeyConstraint(
            ["locality_code"],
            ["locality.code"],
            name=op.f("fk_indicator_value_locality_code_locality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_value")),
        sa.UniqueConstraint(
            "locality_code", "indicator_code", "period", name="uq_indicator_value_key"
        ),
    )
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.create_index(
            "ix_indicator_value_indicator_period",
            ["indicator_code", "period", "locality_code", "value"],
            unique=False,
        )

    op.create_table(
        "indicator_value_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locality_code", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("indicator_code", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.Column("replaced_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.Column("replaced_by_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name=op.f("fk_indicator_value_history_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["indicator_code"],
            ["indicator_definition.code"],
            name=op.f("fk_indicator_value_history_indicator_code_indicator_definition"),
        ),
        sa.ForeignKeyConstraint(
            ["locality_code"],
            ["locality.code"],
            name=op.f("fk_indicator_value_history_locality_code_locality"),
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_batch_id"],
            ["import_batch.id"],
            name=op.f("fk_indicator_value_history_replaced_by_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_value_history")),
    )
    with op.batch_alter_table("indicator_value_history", schema=None) as batch_op:
        batch_op.create_index(
            "ix_indicator_value_history_key",
            ["locality_code", "indicator_code", "period"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("indicator_value_history", schema=None) as batch_op:
        batch_op.drop_index("ix_indicator_value_history_key")

    op.drop_table("indicator_value_history")
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.drop_index("ix_indicator_value_indicator_period")

    op.drop_table("indicator_value")
    op.drop_table("indicator_definition")
    op.drop_table("import_batch")
