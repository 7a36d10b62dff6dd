"""The root of every write; each mutation takes one `input` and returns a payload."""

from __future__ import annotations

import strawberry

from licgraph.graphql.mutations.license_jobs import (
    cancel_license_job_field,
    start_license_job_field,
)
from licgraph.graphql.mutations.licenses import (
    assign_licenses,
    revoke_licenses,
    update_licenses_field,
)
from licgraph.graphql.mutations.purchase import purchase_licenses_field
from licgraph.graphql.mutations.usage_location import set_usage_location_field


@strawberry.type(description="Writes. Refused over GET.")
class Mutation:
    assign_licenses = strawberry.mutation(
        resolver=assign_licenses,
        description="Assign products to users; each user's change applies whole or not at all.",
    )
    revoke_licenses = strawberry.mutation(
        resolver=revoke_licenses,
        description="Revoke products from users; revoking what a user lacks is a no-op.",
    )
    update_licenses = strawberry.mutation(
        resolver=update_licenses_field,
        description="The single Save: assign some products and revoke others, per user "
        "all or nothing.",
    )
    purchase_licenses = strawberry.mutation(
        resolver=purchase_licenses_field,
        description="Buy more licenses of a product (Admin and Sales agents).",
    )
    set_usage_location = strawberry.mutation(
        resolver=set_usage_location_field,
        description="Set the usage location of users (ISO 3166-1 alpha-2).",
    )
    start_license_job = strawberry.mutation(
        resolver=start_license_job_field,
        description="Start a license job: assign and revoke for any selection of users, "
        "with no cap, in the background; its selection is fixed now.",
    )
    cancel_license_job = strawberry.mutation(
        resolver=cancel_license_job_field,
        description="Cancel a queued or running license job before its next chunk.",
    )
