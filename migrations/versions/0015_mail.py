"""mail: planned meetings with their invitees, the outbox, mail preferences and scheduled runs

Revision ID: 0015_mail
Revises: 0014_events
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0015_mail"
down_revision: str | None = "0014_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def _when(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "planned_meeting",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("ends", sa.Time(), nullable=False),
        sa.Column("place", sa.String(300), nullable=True),
        sa.Column("online_url", sa.String(500), nullable=True),
        sa.Column("agenda", JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("uid", sa.String(120), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(60), nullable=False),
        _when("created_at"),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.CheckConstraint("kind IN ('steering','forum','task')", name="ck_planned_meeting_kind"),
        sa.CheckConstraint(
            "status IN ('planned','cancelled','held')", name="ck_planned_meeting_status"
        ),
        sa.CheckConstraint("ends > starts", name="ck_planned_meeting_ends_after_starts"),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forum.id"],
            name="fk_planned_meeting_forum_id_forum",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name="fk_planned_meeting_team_id_team"),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name="fk_planned_meeting_meeting_id_meeting",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_planned_meeting"),
        sa.UniqueConstraint("uid", name="uq_planned_meeting_uid"),
    )
    op.create_index("ix_planned_meeting_forum_on", "planned_meeting", ["forum_id", "on_date"])
    op.create_table(
        "invitee",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("planned_meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("guest_name", sa.String(160), nullable=True),
        sa.Column("guest_email", sa.String(200), nullable=True),
        sa.Column("answer", sa.String(20), nullable=True),
        _when("answered_at", nullable=True),
        sa.Column("token", sa.String(64), nullable=False),
        sa.CheckConstraint("answer IN ('coming','not_coming','maybe')", name="ck_invitee_answer"),
        sa.CheckConstraint(
            "person_id IS NOT NULL OR guest_email IS NOT NULL",
            name="ck_invitee_person_or_guest_email",
        ),
        sa.ForeignKeyConstraint(
            ["planned_meeting_id"],
            ["planned_meeting.id"],
            name="fk_invitee_planned_meeting_id_planned_meeting",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name="fk_invitee_person_id_person"),
        sa.PrimaryKeyConstraint("id", name="pk_invitee"),
        sa.UniqueConstraint("planned_meeting_id", "person_id", name="uq_invitee_person"),
        sa.UniqueConstraint("token", name="uq_invitee_token"),
    )
    op.create_index("ix_invitee_planned_meeting_id", "invitee", ["planned_meeting_id"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        _when("created_at"),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("locality_code", sa.Integer(), nullable=True),
        sa.Column("dedupe_key", sa.String(200), nullable=True),
        sa.Column("to_address", sa.String(200), nullable=False),
        sa.Column("to_name", sa.String(160), nullable=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=True),
        sa.Column("headers", JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _when("next_attempt_at"),
        sa.Column("claimed_by", sa.String(120), nullable=True),
        _when("claimed_at", nullable=True),
        _when("sent_at", nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued','sending','sent','failed')", name="ck_outbox_status"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("dedupe_key", name="uq_outbox_dedupe_key"),
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt_at"])
    op.create_table(
        "outbox_attachment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["outbox.id"],
            name="fk_outbox_attachment_message_id_outbox",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_attachment"),
    )
    op.create_index("ix_outbox_attachment_message_id", "outbox_attachment", ["message_id"])
    op.create_table(
        "mail_preference",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("reminders_off", sa.Boolean(), nullable=False),
        sa.Column("digest_off", sa.Boolean(), nullable=False),
        _when("changed_at"),
        sa.CheckConstraint(
            "person_id IS NOT NULL OR user_id IS NOT NULL",
            name="ck_mail_preference_person_or_user",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name="fk_mail_preference_person_id_person",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name="fk_mail_preference_user_id_app_user",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_mail_preference"),
        sa.UniqueConstraint("token", name="uq_mail_preference_token"),
        sa.UniqueConstraint("person_id", name="uq_mail_preference_person_id"),
        sa.UniqueConstraint("user_id", name="uq_mail_preference_user_id"),
    )
    op.create_table(
        "scheduled_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        _when("started_at"),
        _when("finished_at", nullable=True),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_scheduled_run"),
        sa.UniqueConstraint("kind", "period", name="uq_scheduled_run_period"),
    )


def downgrade() -> None:
    for table in (
        "scheduled_run",
        "mail_preference",
        "outbox_attachment",
        "outbox",
        "invitee",
        "planned_meeting",
    ):
        op.drop_table(table)
