"""The root of every write; each mutation takes one `input` and returns a payload."""

from __future__ import annotations

import strawberry

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
