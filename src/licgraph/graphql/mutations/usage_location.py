"""setUsageLocation: fix the users a location error names."""

from __future__ import annotations

from typing import Annotated, Self

import strawberry

from licgraph.domain.license_errors import LicenseError as DomainLicenseError
from licgraph.domain.locations import LocationOutcome
from licgraph.graphql.arguments import id_argument
from licgraph.graphql.context import Info
from licgraph.graphql.ids import to_global_id
from licgraph.graphql.mutations.inputs import USER_IDS, user_ids_argument
from licgraph.graphql.types.license_errors import LicenseError, shown
from licgraph.graphql.types.license_update import (
    LicenseUpdateStatusEnum,
    requested_user_field,
    was_found,
)
from licgraph.graphql.types.licensing import User
from licgraph.services.usage_locations import UsageLocationUpdate, set_usage_location


@strawberry.input(description="Set one usage location on several users.")
class SetUsageLocationInput:
    customer_id: strawberry.ID = strawberry.field(description="The users' customer.")
    user_ids: list[strawberry.ID] = strawberry.field(description=USER_IDS)
    usage_location: str = strawberry.field(
        description="ISO 3166-1 alpha-2 country code, e.g. US or DE (case-insensitive)."
    )


@strawberry.type(description="One requested user's outcome.")
class UsageLocationResult:
    user_id: strawberry.ID = strawberry.field(description="The user id as requested.")
    status: LicenseUpdateStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="SUCCEEDED: set; UNCHANGED: already so; FAILED: see errors."
    )
    user_pk: strawberry.Private[int]
    found: strawberry.Private[bool]
    domain_errors: strawberry.Private[tuple[DomainLicenseError, ...]]
    user: User | None = requested_user_field("The user as it is now; null when not found.")

    @classmethod
    def from_domain(cls, outcome: LocationOutcome) -> Self:
        return cls(
            user_id=strawberry.ID(to_global_id("User", outcome.user_id)),
            status=outcome.status,
            user_pk=outcome.user_id,
            found=was_found(outcome.errors),
            domain_errors=outcome.errors,
        )

    @strawberry.field(
        description="UserNotFoundError, or ProductUnavailableInLocationError for a product "
        "the user holds that can't be used there."
    )
    async def errors(self, info: Info) -> list[LicenseError]:
        return await shown(info, self.domain_errors)


@strawberry.type(description="The outcome of setting a usage location.")
class SetUsageLocationPayload:
    usage_location: str = strawberry.field(description="The location set (canonical form).")
    results: list[UsageLocationResult] = strawberry.field(
        description="One per distinct requested user, in request order."
    )

    @classmethod
    def from_domain(cls, update: UsageLocationUpdate) -> Self:
        return cls(
            usage_location=update.usage_location,
            results=[UsageLocationResult.from_domain(item) for item in update.outcomes],
        )


async def set_usage_location_field(
    info: Info,
    input: Annotated[
        SetUsageLocationInput,
        strawberry.argument(description="The customer, the users and the location to set."),
    ],
) -> SetUsageLocationPayload:
    """Resolve `setUsageLocation`."""
    context = info.context
    update = await set_usage_location(
        database=context.database,
        principal=context.principal,
        customer_id=id_argument(input.customer_id, "Customer"),
        user_ids=user_ids_argument(input.user_ids, context.settings),
        location=input.usage_location,
        request_id=context.request_id,
        max_users=context.settings.max_users_per_mutation,
    )
    return SetUsageLocationPayload.from_domain(update)
