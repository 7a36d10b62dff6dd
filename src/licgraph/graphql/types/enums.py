"""Domain enums exposed as GraphQL enums (names are the contract's)."""

from __future__ import annotations

import strawberry

from licgraph.domain.access import Role

RoleEnum = strawberry.enum(
    Role,
    name="Role",
    description="A caller's role. Partner-side agents act on every customer unless scoped; "
    "GLOBAL_ADMIN and USER_MANAGEMENT_ADMIN act on their own customer only.",
)
