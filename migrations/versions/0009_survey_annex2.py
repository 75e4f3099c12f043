"""employer survey as annex 2 of the locality model gives it

Every question of annex 2 with its own answer scale: Q6 open positions yes/no, Q7 how many (and
each profession's ES code), Q8 "need help recruiting", Q9 remote work in the annex's three
answers, Q10 training offered in four levels, Q11 training needed in three, Q12 contact with the
Employment Service yes/no, Q14 consent to be contacted; and a version for correcting a response.

No answer is lost: remote work maps one to one (yes → hybrid, partial → considering, no → not
relevant, and back); "offers training" becomes level `none` (no) or `offered` (yes, level not
recorded: not guessed); training needs listed → `training`, none listed → `none` (the list is
kept); the contact frequency stays in `service_contact` and yes/no is derived from it. The
downgrade restores the old columns from these.

Revision ID: 0009_survey_annex2
Revises: 0008_mentoring_current_state
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0009_survey_annex2"
down_revision: str | None = "0008_mentoring_current_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "employer_survey_response"
REMOTE = (("yes", "hybrid"), ("partial", "considering"), ("no", "not_relevant"))


def _ck(name: str) -> str:
    return op.f(f"ck_{TABLE}_{name}")


@contextmanager
def _positions_kept() -> Iterator[None]:
    """SQLite rebuilds the table to change its checks, and dropping the old copy cascades to the
    open positions (foreign keys cannot be switched off inside the migration's transaction):
    keep them aside and put back the ones the rebuild removed."""
    bind = op.get_bind()
    positions = sa.table(
        "employer_survey_position",
        sa.column("id", sa.Integer),
        sa.column("response_id", sa.Integer),
        sa.column("profession", sa.String),
        sa.column("count", sa.Integer),
    )
    kept = [dict(r._mapping) for r in bind.execute(sa.select(positions)).all()]
    yield
    present = set(bind.execute(sa.select(positions.c.id)).scalars())
    missing = [r for r in kept if r["id"] not in present]
    if missing:
        bind.execute(positions.insert(), missing)


def upgrade() -> None:
    with _positions_kept(), op.batch_alter_table(TABLE, recreate="auto") as batch:
        batch.drop_constraint(_ck("remote_work"), type_="check")
        batch.drop_constraint(_ck("service_contact"), type_="check")
        batch.alter_column(
            "remote_work", type_=sa.String(12), existing_type=sa.String(8), nullable=True
        )
        batch.alter_column("service_contact", existing_type=sa.String(12), nullable=True)
        batch.add_column(sa.Column("has_vacancies", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("vacancies", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("recruiting_help", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("training_offered", sa.String(12), nullable=True))
        batch.add_column(sa.Column("training_need", sa.String(12), nullable=True))
        batch.add_column(sa.Column("has_service_contact", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("contact_consent", sa.Boolean(), nullable=True))
        batch.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
    with op.batch_alter_table("employer_survey_position") as batch:
        batch.add_column(sa.Column("profession_code", sa.String(20), nullable=True))

    table = sa.table(
        TABLE,
        sa.column("remote_work", sa.String),
        sa.column("offers_training", sa.Boolean),
        sa.column("training_offered", sa.String),
        sa.column("training_needs", sa.JSON),
        sa.column("training_need", sa.String),
        sa.column("service_contact", sa.String),
        sa.column("has_service_contact", sa.Boolean),
        sa.column("id", sa.Integer),
    )
    for old, new in REMOTE:
        op.execute(table.update().where(table.c.remote_work == old).values(remote_work=new))
    op.execute(
        table.update().values(
            training_offered=sa.case((table.c.offers_training, "offered"), else_="none"),
            has_service_contact=table.c.service_contact != "none",
        )
    )
    # Training needs: a JSON list; read it in Python so the same code serves both databases.
    bind = op.get_bind()
    for row_id, needs in bind.execute(sa.select(table.c.id, table.c.training_needs)).all():
        level = "training" if needs else "none"
        bind.execute(table.update().where(table.c.id == row_id).values(training_need=level))

    with _positions_kept(), op.batch_alter_table(TABLE, recreate="auto") as batch:
        batch.drop_column("offers_training")
        batch.alter_column("version", existing_type=sa.Integer(), server_default=None)
        batch.create_check_constraint(
            "remote_work",
            "remote_work IS NULL OR remote_work IN ('hybrid','considering','not_relevant')",
        )
        batch.create_check_constraint(
            "service_contact",
            "service_contact IS NULL OR service_contact IN ('none','occasional','regular')",
        )
        batch.create_check_constraint(
            "training_offered",
            "training_offered IS NULL OR training_offered IN "
            "('program','regular','occasional','none','offered')",
        )
        batch.create_check_constraint(
            "training_need",
            "training_need IS NULL OR training_need IN ('none','onboarding','training')",
        )
        batch.create_check_constraint("vacancies", "vacancies IS NULL OR vacancies >= 0")


def downgrade() -> None:
    with _positions_kept(), op.batch_alter_table(TABLE, recreate="auto") as batch:
        for name in (
            "remote_work",
            "service_contact",
            "training_offered",
            "training_need",
            "vacancies",
        ):
            batch.drop_constraint(_ck(name), type_="check")
        batch.add_column(sa.Column("offers_training", sa.Boolean(), nullable=True))
    table = sa.table(
        TABLE,
        sa.column("remote_work", sa.String),
        sa.column("offers_training", sa.Boolean),
        sa.column("training_offered", sa.String),
        sa.column("service_contact", sa.String),
        sa.column("has_service_contact", sa.Boolean),
    )
    for old, new in REMOTE:
        op.execute(table.update().where(table.c.remote_work == new).values(remote_work=old))
    # Answers given on the annex-2 form map to the nearest old answer.
    op.execute(table.update().where(table.c.remote_work.is_(None)).values(remote_work="no"))
    op.execute(
        table.update().values(
            offers_training=sa.case(
                (table.c.training_offered.is_(None), False),
                (table.c.training_offered == "none", False),
                else_=True,
            )
        )
    )
    op.execute(
        table.update()
        .where(table.c.service_contact.is_(None))
        .values(service_contact=sa.case((table.c.has_service_contact, "occasional"), else_="none"))
    )
    with op.batch_alter_table("employer_survey_position") as batch:
        batch.drop_column("profession_code")
    with _positions_kept(), op.batch_alter_table(TABLE, recreate="auto") as batch:
        for name in (
            "has_vacancies",
            "vacancies",
            "recruiting_help",
            "training_offered",
            "training_need",
            "has_service_contact",
            "contact_consent",
            "version",
        ):
            batch.drop_column(name)
        batch.alter_column("offers_training", existing_type=sa.Boolean(), nullable=False)
        batch.alter_column(
            "remote_work", type_=sa.String(8), existing_type=sa.String(12), nullable=False
        )
        batch.alter_column("service_contact", existing_type=sa.String(12), nullable=False)
        batch.create_check_constraint("remote_work", "remote_work IN ('no','partial','yes')")
        batch.create_check_constraint(
            "service_contact", "service_contact IN ('none','occasional','regular')"
        )
