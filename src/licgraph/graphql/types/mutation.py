"""The root of every write; each mutation takes one `input` and returns a payload."""

from __future__ import annotations

import strawberry

from licgraph.graphql.mutations.groups import (
    add_group_members,
    create_group,
    delete_group,
    remove_group_members,
    reprocess_group_licenses,
    set_group_licenses,
    update_group,
)
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
    create_group = strawberry.mutation(
        resolver=create_group, description="Create a group of a customer's users."
    )
    update_group = strawberry.mutation(
        resolver=update_group, description="Rename a group or change its description."
    )
    delete_group = strawberry.mutation(
        resolver=delete_group,
        description="Delete a group; its members lose what no other source still grants.",
    )
    add_group_members = strawberry.mutation(
        resolver=add_group_members,
        description="Add users to a group; they get its products at once, every rule of a "
        "Save applying per member, seats in member order.",
    )
    remove_group_members = strawberry.mutation(
        resolver=remove_group_members,
        description="Take users out of a group; they lose only what no other source grants.",
    )
    set_group_licenses = strawberry.mutation(
        resolver=set_group_licenses,
        description="Change the products a group grants; its members follow at once.",
    )
    reprocess_group_licenses = strawberry.mutation(
        resolver=reprocess_group_licenses,
        description="Retry every open license error of a group's members (after a purchase "
        "or a fix).",
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
