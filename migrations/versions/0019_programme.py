"""the programme: its role and its dated notes on localities

A programme user's localities are kept like every user's (user_locality); none means every
locality (`Scope.ASSIGNED_OR_ALL`), so the role needs only the role check widened.

Revision ID: 0019_programme
Revises: 0015_mail
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_programme"
down_revision: str | None = "0018_trash_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES_BEFORE = "'admin','leadership','manager','member'"
ROLES_AFTER = f"{ROLES_BEFORE},'programme'"


def _roles(allowed: str) -> None:
    with op.batch_alter_table("app_user", recreate="auto") as batch:
        batch.drop_constraint(op.f("ck_app_user_role"), type_="check")
        batch.create_check_constraint("role", f"role IN ({allowed})")


def upgrade() -> None:
    _roles(ROLES_AFTER)
    op.create_table(
        "programme_note",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("locality_code", sa.Integer(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author", sa.String(60), nullable=False),
        sa.Column("author_name", sa.String(160), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["locality_code"], ["locality.code"], name="fk_programme_note_locality_code_locality"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_programme_note"),
    )
    op.create_index(
        "ix_programme_note_locality", "programme_note", ["locality_code", "noted_on"]
    )


def downgrade() -> None:
    op.drop_index("ix_programme_note_locality", table_name="programme_note")
    op.drop_table("programme_note")
    # nothing is deleted: a programme account stays, as a member who cannot log in
    op.execute("UPDATE app_user SET role = 'member', active = false WHERE role = 'programme'")
    _roles(ROLES_BEFORE)
