"""Descriptions of every enum value, so clients (and GraphiQL's docs) say what each means.

The enums are domain enums exposed with ``strawberry.enum``; their values can't carry
Strawberry's ``enum_value`` descriptions without the domain importing Strawberry, so the
descriptions are set here, on the GraphQL definitions, once at import. ``describe`` refuses
a table that misses or invents a member: a new value without a description fails loudly.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from licgraph.domain.access import Role
from licgraph.domain.events import EventAction
from licgraph.domain.license_errors import LicenseErrorCode
from licgraph.domain.license_jobs import JobStatus
from licgraph.domain.outcomes import OutcomeStatus
from licgraph.domain.selection import AssignmentState
from licgraph.graphql.types.enums import RoleEnum
from licgraph.graphql.types.license_errors import LicenseErrorCodeEnum
from licgraph.graphql.types.license_event import EventActionEnum
from licgraph.graphql.types.license_job import LicenseJobStatusEnum
from licgraph.graphql.types.license_update import LicenseUpdateStatusEnum
from licgraph.graphql.types.licensing import AssignmentStateEnum


def describe(graphql_enum: type[enum.Enum], descriptions: Mapping[enum.Enum, str]) -> None:
    """Give every value of a Strawberry enum its description (all of them, no others)."""
    definition = graphql_enum.__strawberry_definition__  # type: ignore[attr-defined]
    members = set(graphql_enum)
    if set(descriptions) != members:
        raise ValueError(f"{definition.name}: describe exactly {sorted(m.name for m in members)}")
    by_value = {member.value: text for member, text in descriptions.items()}
    for value in definition.values:
        value.description = by_value[value.value]


describe(
    AssignmentStateEnum,
    {
        AssignmentState.ALL: "Every one of the given users holds the product (box ticked).",
        AssignmentState.SOME: "Some of the given users hold it, some don't (box half-ticked).",
        AssignmentState.NONE: "None of the given users holds it, or none was given (box clear).",
    },
)
describe(
    LicenseErrorCodeEnum,
    {
        LicenseErrorCode.INSUFFICIENT_LICENSES: "InsufficientLicensesError: too few free seats.",
        LicenseErrorCode.USAGE_LOCATION_REQUIRED: (
            "UsageLocationRequiredError: the user has no usage location."
        ),
        LicenseErrorCode.PRODUCT_UNAVAILABLE_IN_LOCATION: (
            "ProductUnavailableInLocationError: not sold in the user's usage location."
        ),
        LicenseErrorCode.MISSING_DEPENDENCY: (
            "MissingDependencyError: the product needs another the user lacks."
        ),
        LicenseErrorCode.DEPENDENT_LICENSE: (
            "DependentLicenseError: a license the user keeps needs the revoked product."
        ),
        LicenseErrorCode.MUTUALLY_EXCLUSIVE_LICENSES: (
            "MutuallyExclusiveLicensesError: the product excludes another of the user's."
        ),
        LicenseErrorCode.INVALID_SERVICE_PLAN: (
            "InvalidServicePlanError: a disabled plan is not a plan of the product."
        ),
        LicenseErrorCode.SERVICE_PLAN_DEPENDENCY: (
            "ServicePlanDependencyError: an enabled plan needs a disabled one."
        ),
        LicenseErrorCode.USER_NOT_FOUND: "UserNotFoundError: no such user in this customer.",
        LicenseErrorCode.PRODUCT_NOT_FOUND: (
            "ProductNotFoundError: no such product in this customer."
        ),
        LicenseErrorCode.INHERITED_LICENSE: (
            "InheritedLicenseError: the product is held only through groups."
        ),
    },
)
describe(
    EventActionEnum,
    {
        EventAction.ASSIGNED: "A product was assigned to the user.",
        EventAction.REVOKED: "A product was revoked from the user.",
        EventAction.PLANS_CHANGED: "The service plans switched off in a user's license changed.",
        EventAction.PURCHASED: "Licenses of a product were bought (details: quantity).",
        EventAction.USAGE_LOCATION_SET: "The user's usage location was set (details: location).",
        EventAction.GROUP_CREATED: "A group was created (details: groupName).",
        EventAction.GROUP_DELETED: "A group was deleted (details: groupName).",
        EventAction.MEMBER_ADDED: "The user joined the group (details: groupName).",
        EventAction.MEMBER_REMOVED: "The user left the group (details: groupName).",
        EventAction.GROUP_LICENSES_CHANGED: (
            "The products a group grants changed (details: groupName, assigned and revoked "
            "Product ids)."
        ),
    },
)
describe(
    LicenseUpdateStatusEnum,
    {
        OutcomeStatus.SUCCEEDED: "The user's licenses changed (or would, in a dry run).",
        OutcomeStatus.FAILED: "Nothing changed for the user; `errors` says why.",
        OutcomeStatus.UNCHANGED: "Nothing to do: the user already had what was asked.",
    },
)
describe(
    RoleEnum,
    {
        Role.ADMIN_AGENT: "Partner admin agent: reads, changes licenses, buys licenses.",
        Role.SALES_AGENT: "Partner sales agent: reads, changes licenses, buys licenses.",
        Role.HELPDESK_AGENT: "Partner helpdesk agent: reads and changes licenses.",
        Role.GLOBAL_ADMIN: "A customer's global admin: reads and changes its own licenses.",
        Role.USER_MANAGEMENT_ADMIN: (
            "A customer's user management admin: reads and changes its own licenses."
        ),
        Role.READER: "Reads only, partner-wide or for one customer.",
    },
)
describe(
    LicenseJobStatusEnum,
    {
        JobStatus.QUEUED: "Started, its selection fixed; no chunk has committed yet.",
        JobStatus.RUNNING: "Chunks are committing; the counters move with each one.",
        JobStatus.SUCCEEDED: "Every selected user was processed (some may have failed).",
        JobStatus.FAILED: "The job itself broke; processed users keep their results.",
        JobStatus.CANCELLED: "Cancelled; users processed before keep their results.",
    },
)
