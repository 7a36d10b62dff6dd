"""import external ids

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 12:27:58.345376
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # External keys for `licgraph import`: re-running an import updates the rows it loaded
    # before instead of adding them again. Existing rows keep NULL (unique indexes allow
    # any number of NULLs on both engines). Adding a column and an index needs no table
    # rebuild on SQLite, so this is quick on a database with millions of users.
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_customer_external_id"), ["external_id"], unique=True)

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_user_account_customer_id_external_id"),
            ["customer_id", "external_id"],
            unique=True,
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_customer_id_external_id"))
        batch_op.drop_column("external_id")

    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_external_id"))
        batch_op.drop_column("external_id")
