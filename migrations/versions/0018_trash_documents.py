"""record: the trash deleted records wait in, and documents attached to forum records

Revision ID: 0018_trash_documents
Revises: 0015_mail
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0018_trash_documents"
down_revision: str | None = "0017_chain_stages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "trash_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("locality_code", sa.Integer(), nullable=True),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(300), nullable=False),
        sa.Column("reason", sa.String(300), nullable=True),
        sa.Column("rows", JSON, nullable=False),
        sa.Column("deleted_by", sa.String(60), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["locality_code"], ["locality.code"], name="fk_trash_item_locality_code_locality"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_trash_item"),
    )
    op.create_index(
        "ix_trash_item_locality_deleted", "trash_item", ["locality_code", "deleted_at"]
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("owner_kind", sa.String(20), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("focus_id", sa.Integer(), nullable=True),
        sa.Column("milestone_key", sa.String(60), nullable=True),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(60), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["forum_id"], ["forum.id"], name="fk_document_forum_id_forum", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name="fk_document_meeting_id_meeting", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name="fk_document_task_id_task", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["focus_id"],
            ["strategic_focus.id"],
            name="fk_document_focus_id_strategic_focus",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_document"),
    )
    op.create_index("ix_document_forum_owner", "document", ["forum_id", "owner_kind"])
    op.create_index("ix_document_meeting_id", "document", ["meeting_id"])
    op.create_index("ix_document_task_id", "document", ["task_id"])
    op.create_index("ix_document_focus_id", "document", ["focus_id"])


def downgrade() -> None:
    op.drop_table("document")
    op.drop_table("trash_item")
