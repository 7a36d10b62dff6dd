"""The tables. Rows stay in this package: repositories turn them into domain values."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

# Byte-wise ordering ("C" collation) on PostgreSQL matches SQLite's BINARY collation, so
# lists sort the same on every engine whatever the server's locale.
SortKey = String().with_variant(String(collation="C"), "postgresql")

# Stable constraint names make migrations reproducible on every engine.
SQLModel.metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
metadata = SQLModel.metadata


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every engine (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware one")
        return value.astimezone(UTC) if value is not None else None

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        if dialect.driver == "asyncpg":  # it hands back timestamptz as UTC datetimes
            return None
        return super().result_processor(dialect, coltype)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is UTC:  # asyncpg hands back UTC already
            return value
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _tz_datetime(*, nullable: bool = False) -> Any:
    return Field(sa_column=Column(UTCDateTime(), nullable=nullable))


def _foreign_key(target: str, *, primary_key: bool = False, nullable: bool = False) -> Any:
    return Field(
        sa_column=Column(
            Integer,
            ForeignKey(target, ondelete="CASCADE"),
            primary_key=primary_key,
            nullable=nullable,
        )
    )


class CustomerRow(SQLModel, table=True):
    __tablename__ = "customer"
    # A unique index, not a constraint: SQLite adds it without rebuilding the table.
    __table_args__ = (Index(None, "name_key", "id"), Index(None, "external_id", unique=True))

    id: int | None = Field(default=None, primary_key=True)
    name: str
    name_key: str = Field(sa_column=Column(SortKey, nullable=False))
    domain: str = Field(unique=True)
    # The key an import knows the customer by (`licgraph import`); none for others.
    external_id: str | None = Field(default=None, max_length=255)


class UserRow(SQLModel, table=True):
    __tablename__ = "user_account"
    __table_args__ = (
        Index(None, "customer_id", "display_name_key", "id"),
        Index(None, "customer_id", "usage_location"),
        Index(None, "customer_id", "external_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _foreign_key("customer.id")
    display_name: str
    display_name_key: str = Field(sa_column=Column(SortKey, nullable=False))
    user_principal_name: str = Field(unique=True)
    usage_location: str | None = Field(default=None, max_length=2)
    # The key an import knows the user by, unique within the customer; none for others.
    external_id: str | None = Field(default=None, max_length=255)


class ProductRow(SQLModel, table=True):
    __tablename__ = "product"
    __table_args__ = (
        UniqueConstraint("customer_id", "sku_part_number"),
        CheckConstraint("assigned_licenses >= 0", name="assigned_not_negative"),
        CheckConstraint("assigned_licenses <= total_licenses", name="never_oversold"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _foreign_key("customer.id")
    sku_part_number: str
    name: str
    total_licenses: int = 0
    assigned_licenses: int = 0


class ServicePlanRow(SQLModel, table=True):
    __tablename__ = "service_plan"
    __table_args__ = (Index(None, "product_id"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = _foreign_key("product.id")
    name: str


class ServicePlanRequirementRow(SQLModel, table=True):
    """A plan that must stay enabled while ``service_plan_id`` is enabled."""

    __tablename__ = "service_plan_requirement"

    service_plan_id: int = _foreign_key("service_plan.id", primary_key=True)
    required_service_plan_id: int = _foreign_key("service_plan.id", primary_key=True)


class ProductRequirementRow(SQLModel, table=True):
    """``product_id`` needs at least one of its required products (an add-on and its bases)."""

    __tablename__ = "product_requirement"

    product_id: int = _foreign_key("product.id", primary_key=True)
    required_product_id: int = _foreign_key("product.id", primary_key=True)


class ProductConflictRow(SQLModel, table=True):
    """Two products one user may not hold together; stored once, lower id first."""

    __tablename__ = "product_conflict"
    __table_args__ = (CheckConstraint("product_id < conflicting_product_id", name="ordered_pair"),)

    product_id: int = _foreign_key("product.id", primary_key=True)
    conflicting_product_id: int = _foreign_key("product.id", primary_key=True)


class ProductUnavailableLocationRow(SQLModel, table=True):
    __tablename__ = "product_unavailable_location"

    product_id: int = _foreign_key("product.id", primary_key=True)
    usage_location: str = Field(primary_key=True, max_length=2)


class LicenseAssignmentRow(SQLModel, table=True):
    __tablename__ = "license_assignment"
    __table_args__ = (Index(None, "product_id", "user_id"),)

    user_id: int = _foreign_key("user_account.id", primary_key=True)
    product_id: int = _foreign_key("product.id", primary_key=True)
    # What the user holds: the plans off for them (off only when every source turns it off).
    disabled_service_plan_ids: list[int] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    assigned_at: datetime = _tz_datetime()
    # The direct source, if any: the plans a direct assignment turns off; NULL when the user
    # holds the product only through groups (their sources are `InheritedLicenseRow`s).
    direct_disabled_service_plan_ids: list[int] | None = Field(
        default=None, sa_column=Column(JSON(none_as_null=True), nullable=True)
    )


class GroupRow(SQLModel, table=True):
    """A customer's group of users; its licenses are what its members should hold."""

    __tablename__ = "license_group"
    # Names are unique per customer case-insensitively; the same index orders the list.
    __table_args__ = (Index(None, "customer_id", "name_key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _foreign_key("customer.id")
    name: str = Field(max_length=255)
    name_key: str = Field(sa_column=Column(SortKey, nullable=False))
    description: str = Field(default="", max_length=1024)


class GroupMemberRow(SQLModel, table=True):
    __tablename__ = "group_member"
    # The primary key serves a group's members; this index a user's groups.
    __table_args__ = (Index(None, "user_id", "group_id"),)

    group_id: int = _foreign_key("license_group.id", primary_key=True)
    user_id: int = _foreign_key("user_account.id", primary_key=True)


class GroupLicenseRow(SQLModel, table=True):
    """A product a group grants its members, with the plans it turns off for them."""

    __tablename__ = "group_license"
    __table_args__ = (Index(None, "product_id", "group_id"),)

    group_id: int = _foreign_key("license_group.id", primary_key=True)
    product_id: int = _foreign_key("product.id", primary_key=True)
    disabled_service_plan_ids: list[int] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class InheritedLicenseRow(SQLModel, table=True):
    """A group as a source of a license the user holds (one seat, however many sources)."""

    __tablename__ = "inherited_license"
    __table_args__ = (
        ForeignKeyConstraint(
            ["user_id", "product_id"],
            ["license_assignment.user_id", "license_assignment.product_id"],
            ondelete="CASCADE",
        ),
        # A group's grants of one product (a group dropping a product, or being deleted).
        Index(None, "group_id", "product_id", "user_id"),
    )

    user_id: int = Field(primary_key=True)
    product_id: int = Field(primary_key=True)
    group_id: int = _foreign_key("license_group.id", primary_key=True)


class GroupLicenseErrorRow(SQLModel, table=True):
    """A member's license from a group that could not be applied, and why, since when."""

    __tablename__ = "group_license_error"
    __table_args__ = (Index(None, "user_id"), Index(None, "product_id"))

    group_id: int = _foreign_key("license_group.id", primary_key=True)
    user_id: int = _foreign_key("user_account.id", primary_key=True)
    product_id: int = _foreign_key("product.id", primary_key=True)
    errors: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    since: datetime = _tz_datetime()


class LicenseEventRow(SQLModel, table=True):
    """One real change, for the customer's change log (newest first by id)."""

    __tablename__ = "license_event"
    __table_args__ = (
        Index(None, "customer_id", "id"),
        Index(None, "customer_id", "user_id", "id"),
        Index(None, "customer_id", "product_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _foreign_key("customer.id")
    occurred_at: datetime = _tz_datetime()
    action: str = Field(max_length=32)
    user_id: int | None = Field(default=None)
    product_id: int | None = Field(default=None)
    # The group whose change it was; NULL once the group is deleted (details keep its name).
    group_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("license_group.id", ondelete="SET NULL"), nullable=True
        ),
    )
    actor_name: str
    actor_role: str = Field(max_length=32)
    request_id: str = Field(max_length=64)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class IdempotencyRecordRow(SQLModel, table=True):
    """The first response to a keyed request, replayed to retries with the same input."""

    __tablename__ = "idempotency_record"

    token_id: int = _foreign_key("api_token.id", primary_key=True)
    key: str = Field(primary_key=True, max_length=255)
    request_hash: str = Field(max_length=64)
    response: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = _tz_datetime()


class ApiTokenRow(SQLModel, table=True):
    """A bearer token; only a hash of its secret is kept."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    public_id: str = Field(unique=True, max_length=32)
    secret_hash: str = Field(max_length=64)
    role: str = Field(max_length=32)
    customer_id: int | None = _foreign_key("customer.id", nullable=True)
    created_at: datetime = _tz_datetime()
    expires_at: datetime | None = _tz_datetime(nullable=True)
    last_used_at: datetime | None = _tz_datetime(nullable=True)
    revoked_at: datetime | None = _tz_datetime(nullable=True)


class RateLimitBucketRow(SQLModel, table=True):
    """A token's request bucket, shared by every server process: its level and when it was set."""

    __tablename__ = "rate_limit_bucket"

    token_id: int = _foreign_key("api_token.id", primary_key=True)
    tokens: float
    updated_at: datetime = _tz_datetime()


class LicenseJobRow(SQLModel, table=True):
    """A license job: its change, state, counters, and which runner holds it until when."""

    __tablename__ = "license_job"
    __table_args__ = (Index(None, "customer_id", "id"), Index(None, "status", "id"))

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = _foreign_key("customer.id")
    status: str = Field(max_length=16)
    change: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    total_users: int = 0
    processed_users: int = 0
    succeeded_count: int = 0
    failed_count: int = 0
    unchanged_count: int = 0
    created_at: datetime = _tz_datetime()
    started_at: datetime | None = _tz_datetime(nullable=True)
    finished_at: datetime | None = _tz_datetime(nullable=True)
    actor_name: str
    actor_role: str = Field(max_length=32)
    request_id: str = Field(max_length=64)
    # The runner working the job and until when; another may take it over after that.
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_expires_at: datetime | None = _tz_datetime(nullable=True)


class LicenseJobUserRow(SQLModel, table=True):
    """One user of a job's selection (fixed at start) and, once processed, their result."""

    __tablename__ = "license_job_user"
    __table_args__ = (Index(None, "job_id", "status", "position"),)

    job_id: int = _foreign_key("license_job.id", primary_key=True)
    position: int = Field(primary_key=True)  # processing order: the users list's order
    user_id: int
    status: str | None = Field(default=None, max_length=16)
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class LicenseJobErrorRow(SQLModel, table=True):
    """One error code of one failed user of a job, for filtering and counting by code."""

    __tablename__ = "license_job_error"
    __table_args__ = (Index(None, "job_id", "code", "position"),)

    job_id: int = _foreign_key("license_job.id", primary_key=True)
    position: int = Field(primary_key=True)
    code: str = Field(primary_key=True, max_length=40)


def _table(model: type[SQLModel]) -> Table:
    """The Core table behind a SQLModel class (typed, unlike ``model.__table__``)."""
    return metadata.tables[str(model.__tablename__)]


customer_table = _table(CustomerRow)
user_table = _table(UserRow)
product_table = _table(ProductRow)
service_plan_table = _table(ServicePlanRow)
service_plan_requirement_table = _table(ServicePlanRequirementRow)
product_requirement_table = _table(ProductRequirementRow)
product_conflict_table = _table(ProductConflictRow)
product_unavailable_location_table = _table(ProductUnavailableLocationRow)
license_assignment_table = _table(LicenseAssignmentRow)
license_event_table = _table(LicenseEventRow)
group_table = _table(GroupRow)
group_member_table = _table(GroupMemberRow)
group_license_table = _table(GroupLicenseRow)
inherited_license_table = _table(InheritedLicenseRow)
group_license_error_table = _table(GroupLicenseErrorRow)
idempotency_record_table = _table(IdempotencyRecordRow)
api_token_table = _table(ApiTokenRow)
rate_limit_bucket_table = _table(RateLimitBucketRow)
license_job_table = _table(LicenseJobRow)
license_job_user_table = _table(LicenseJobUserRow)
license_job_error_table = _table(LicenseJobErrorRow)
