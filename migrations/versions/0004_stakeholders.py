"""stakeholders tables

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import employdash.models.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "employer_survey_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locality_code", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("survey_date", sa.Date(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("branch", sa.String(length=20), nullable=False),
        sa.Column("employee_count", sa.Integer(), nullable=True),
        sa.Column(
            "recruitment_areas",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("hiring_horizon", sa.String(length=8), nullable=False),
        sa.Column("remote_work", sa.String(length=8), nullable=False),
        sa.Column("offers_training", sa.Boolean(), nullable=False),
        sa.Column(
            "training_needs",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("service_contact", sa.String(length=12), nullable=False),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("community_interest", sa.Boolean(), nullable=False),
        sa.Column("contact_name", sa.String(length=160), nullable=True),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("contact_email", sa.String(length=200), nullable=True),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("created_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.CheckConstraint(
            "hiring_horizon IN ('1_2','3_6','6_plus','none')",
            name=op.f("ck_employer_survey_response_hiring_horizon"),
        ),
        sa.CheckConstraint(
            "remote_work IN ('no','partial','yes')",
            name=op.f("ck_employer_survey_response_remote_work"),
        ),
        sa.CheckConstraint(
            "service_contact IN ('none','occasional','regular')",
            name=op.f("ck_employer_survey_response_service_contact"),
        ),
        sa.CheckConstraint(
            "satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5",
            name=op.f("ck_employer_survey_response_satisfaction"),
        ),
        sa.ForeignKeyConstraint(
            ["locality_code"],
            ["locality.code"],
            name=op.f("fk_employer_survey_response_locality_code_locality"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_employer_survey_response_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer_survey_response")),
        sa.UniqueConstraint(
            "locality_code", "organisation_id", "survey_date", name="uq_survey_key"
        ),
    )
    with op.batch_alter_table("employer_survey_response", schema=None) as batch_op:
        batch_op.create_index(
            "ix_employer_survey_response_locality", ["locality_code"], unique=False
        )

    op.create_table(
        "organisation_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("locality_code", sa.Integer(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=True),
        sa.Column("activities", sa.Text(), nullable=True),
        sa.Column(
            "audiences",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("collaborations", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["locality_code"],
            ["locality.code"],
            name=op.f("fk_organisation_profile_locality_code_locality"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_profile_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_profile")),
        sa.UniqueConstraint("organisation_id", "locality_code", name="uq_organisation_profile"),
    )
    op.create_table(
        "employer_survey_position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("profession", sa.String(length=120), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint("count > 0", name=op.f("ck_employer_survey_position_count")),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["employer_survey_response.id"],
            name=op.f("fk_employer_survey_position_response_id_employer_survey_response"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer_survey_position")),
        sa.UniqueConstraint("response_id", "profession", name="uq_survey_position"),
    )
    with op.batch_alter_table("employer_survey_position", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_employer_survey_position_response_id"), ["response_id"], unique=False
        )

    op.create_table(
        "organisation_program",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "audiences",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["organisation_profile.id"],
            name=op.f("fk_organisation_program_profile_id_organisation_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_program")),
    )
    op.create_table(
        "stakeholder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locality_code", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=160), nullable=True),
        sa.Column("power", sa.Integer(), nullable=False),
        sa.Column("interest", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=12), nullable=False),
        sa.Column("engagement", sa.String(length=16), nullable=False),
        sa.Column("owner_person_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("last_contact", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.CheckConstraint(
            "engagement IN ('not_contacted','contacted','engaged','forum_member')",
            name=op.f("ck_stakeholder_engagement"),
        ),
        sa.CheckConstraint(
            "stance IN ('supporter','neutral','resistant')", name=op.f("ck_stakeholder_stance")
        ),
        sa.CheckConstraint("interest BETWEEN 1 AND 5", name=op.f("ck_stakeholder_interest")),
        sa.CheckConstraint("power BETWEEN 1 AND 5", name=op.f("ck_stakeholder_power")),
        sa.ForeignKeyConstraint(
            ["locality_code"], ["locality.code"], name=op.f("fk_stakeholder_locality_code_locality")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_stakeholder_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_person_id"], ["person.id"], name=op.f("fk_stakeholder_owner_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_stakeholder_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder")),
    )
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.create_index("ix_stakeholder_locality", ["locality_code"], unique=False)

    op.create_table(
        "stakeholder_position_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("review_period", sa.Date(), nullable=False),
        sa.Column("power", sa.Integer(), nullable=False),
        sa.Column("interest", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=12), nullable=False),
        sa.Column("engagement", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholder.id"],
            name=op.f("fk_stakeholder_position_history_stakeholder_id_stakeholder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder_position_history")),
        sa.UniqueConstraint("stakeholder_id", "review_period", name="uq_stakeholder_review"),
    )
    op.create_table(
        "stakeholder_relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locality_code", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("created_at", employdash.models.base.UtcDateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('works_with','funds','competes_with','reports_to')",
            name=op.f("ck_stakeholder_relation_kind"),
        ),
        sa.CheckConstraint("source_id <> target_id", name=op.f("ck_stakeholder_relation_not_self")),
        sa.ForeignKeyConstraint(
            ["locality_code"],
            ["locality.code"],
            name=op.f("fk_stakeholder_relation_locality_code_locality"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["stakeholder.id"],
            name=op.f("fk_stakeholder_relation_source_id_stakeholder"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["stakeholder.id"],
            name=op.f("fk_stakeholder_relation_target_id_stakeholder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder_relation")),
        sa.UniqueConstraint("source_id", "target_id", "kind", name="uq_stakeholder_relation"),
    )
    with op.batch_alter_table("stakeholder_relation", schema=None) as batch_op:
        batch_op.create_index("ix_stakeholder_relation_locality", ["locality_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stakeholder_relation", schema=None) as batch_op:
        batch_op.drop_index("ix_stakeholder_relation_locality")

    op.drop_table("stakeholder_relation")
    op.drop_table("stakeholder_position_history")
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.drop_index("ix_stakeholder_locality")

    op.drop_table("stakeholder")
    op.drop_table("organisation_program")
    with op.batch_alter_table("employer_survey_position", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employer_survey_position_response_id"))

    op.drop_table("employer_survey_position")
    op.drop_table("organisation_profile")
    with op.batch_alter_table("employer_survey_response", schema=None) as batch_op:
        batch_op.drop_index("ix_employer_survey_response_locality")

    op.drop_table("employer_survey_response")
