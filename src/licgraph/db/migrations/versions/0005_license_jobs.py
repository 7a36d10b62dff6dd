"""license jobs

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 15:48:32.853527
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # License jobs: the job, its selection (fixed at start, one row per user in processing
    # order, with the user's result once processed) and its failures' codes.
    op.create_table(
        "license_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("change", sa.JSON(), nullable=False),
        sa.Column("total_users", sa.Integer(), nullable=False),
        sa.Column("processed_users", sa.Integer(), nullable=False),
        sa.Column("succeeded_count", sa.Integer(), nullable=False),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("unchanged_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actor_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("actor_role", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("request_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("lease_owner", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_license_job_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_license_job")),
    )
    with op.batch_alter_table("license_job", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_license_job_customer_id_id"), ["customer_id", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_license_job_status_id"), ["status", "id"], unique=False
        )

    op.create_table(
        "license_job_error",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["license_job.id"],
            name=op.f("fk_license_job_error_job_id_license_job"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "position", "code", name=op.f("pk_license_job_error")),
    )
    with op.batch_alter_table("license_job_error", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_license_job_error_job_id_code_position"),
            ["job_id", "code", "position"],
            unique=False,
        )

    op.create_table(
        "license_job_user",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["license_job.id"],
            name=op.f("fk_license_job_user_job_id_license_job"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "position", name=op.f("pk_license_job_user")),
    )
    with op.batch_alter_table("license_job_user", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_license_job_user_job_id_status_position"),
            ["job_id", "status", "position"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("license_job_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_license_job_user_job_id_status_position"))

    op.drop_table("license_job_user")
    with op.batch_alter_table("license_job_error", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_license_job_error_job_id_code_position"))

    op.drop_table("license_job_error")
    with op.batch_alter_table("license_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_license_job_status_id"))
        batch_op.drop_index(batch_op.f("ix_license_job_customer_id_id"))

    op.drop_table("license_job")
