"""group-based licensing

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 15:48:11.023422
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Groups, their members and the products they grant (the desired state), each license's
    # group sources, and the members' group licenses that could not be applied yet.
    op.create_table(
        "license_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column(
            "name_key",
            sa.String().with_variant(sa.String(collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=1024), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_license_group_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_license_group")),
    )
    with op.batch_alter_table("license_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_license_group_customer_id_name_key"),
            ["customer_id", "name_key"],
            unique=True,
        )

    op.create_table(
        "group_license",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("disabled_service_plan_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["license_group.id"],
            name=op.f("fk_group_license_group_id_license_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_group_license_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "product_id", name=op.f("pk_group_license")),
    )
    with op.batch_alter_table("group_license", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_license_product_id_group_id"),
            ["product_id", "group_id"],
            unique=False,
        )

    op.create_table(
        "group_license_error",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["license_group.id"],
            name=op.f("fk_group_license_error_group_id_license_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_group_license_error_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_group_license_error_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "group_id", "user_id", "product_id", name=op.f("pk_group_license_error")
        ),
    )
    with op.batch_alter_table("group_license_error", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_license_error_product_id"), ["product_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_group_license_error_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "group_member",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["license_group.id"],
            name=op.f("fk_group_member_group_id_license_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_group_member_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "user_id", name=op.f("pk_group_member")),
    )
    with op.batch_alter_table("group_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_member_user_id_group_id"), ["user_id", "group_id"], unique=False
        )

    op.create_table(
        "inherited_license",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["license_group.id"],
            name=op.f("fk_inherited_license_group_id_license_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id", "product_id"],
            ["license_assignment.user_id", "license_assignment.product_id"],
            name=op.f("fk_inherited_license_user_id_license_assignment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "user_id", "product_id", "group_id", name=op.f("pk_inherited_license")
        ),
    )
    with op.batch_alter_table("inherited_license", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inherited_license_group_id_product_id_user_id"),
            ["group_id", "product_id", "user_id"],
            unique=False,
        )

    # A change-log entry names the group whose change it was (NULL once it is deleted).
    with op.batch_alter_table("license_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_license_event_group_id_license_group"),
            "license_group",
            ["group_id"],
            ["id"],
            ondelete="SET NULL",
        )

    # Every license held so far was assigned directly: it keeps its plans as its direct
    # source's. Adding a nullable column needs no table rebuild on SQLite.
    with op.batch_alter_table("license_assignment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("direct_disabled_service_plan_ids", sa.JSON(none_as_null=True), nullable=True)
        )
    assignment = sa.table(
        "license_assignment",
        sa.column("disabled_service_plan_ids", sa.JSON()),
        sa.column("direct_disabled_service_plan_ids", sa.JSON(none_as_null=True)),
    )
    op.execute(
        assignment.update().values(
            direct_disabled_service_plan_ids=assignment.c.disabled_service_plan_ids
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("license_event", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_license_event_group_id_license_group"), type_="foreignkey"
        )
        batch_op.drop_column("group_id")

    with op.batch_alter_table("license_assignment", schema=None) as batch_op:
        batch_op.drop_column("direct_disabled_service_plan_ids")

    with op.batch_alter_table("inherited_license", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inherited_license_group_id_product_id_user_id"))

    op.drop_table("inherited_license")
    with op.batch_alter_table("group_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_member_user_id_group_id"))

    op.drop_table("group_member")
    with op.batch_alter_table("group_license_error", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_license_error_user_id"))
        batch_op.drop_index(batch_op.f("ix_group_license_error_product_id"))

    op.drop_table("group_license_error")
    with op.batch_alter_table("group_license", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_license_product_id_group_id"))

    op.drop_table("group_license")
    with op.batch_alter_table("license_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_license_group_customer_id_name_key"))

    op.drop_table("license_group")
