"""The demo's groups: Contoso's, chosen so that every case of group licensing shows.

- "Design team" grants a base suite and an add-on (E3 and Visio). Adele Vance holds both
  directly as well (direct and inherited); Megan Bowen has no usage location, so she waits
  in the group's license errors.
- "Copilot pilot" grants Copilot, which has no free seat: Miriam Graham waits for one (buy
  more, then reprocess); Alex Wilber holds it directly already.
- "Sales" and "Helpdesk" both grant E3: Lee Gu and Pradeep Gupta are in both and hold E3
  directly too (one seat, three sources: the offboarding case).

No group takes a seat, so the demo's free-seat figures stay as its customers declare them.
They are made through the group service itself, in the seed's transaction, so the demo's
sources and open errors are exactly what the API would have written (its change log starts
empty, as for the licenses the demo loads).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.repositories.products import ProductRepository
from licgraph.db.repositories.users import UserRepository
from licgraph.domain.access import Principal, Role
from licgraph.domain.license_change import LicenseChange, LicenseToAssign
from licgraph.services.groups import GroupChangeRequest, GroupOperation, change_group_in
from licgraph.services.seeding.microsoft import COPILOT, E3, VISIO

# The demo's changes are made by "demo", a partner-wide admin (no stored token: no keys).
DEMO_ACTOR = Principal(token_id=0, name="demo", role=Role.ADMIN_AGENT, customer_id=None)


@dataclass(frozen=True, slots=True)
class DemoGroup:
    """A group of one demo customer: what it grants and who is in it."""

    name: str
    description: str
    skus: tuple[str, ...]
    members: tuple[str, ...]


CONTOSO_GROUPS = (
    DemoGroup(
        "Design team",
        "Microsoft 365 E3 with Visio for the designers",
        (E3, VISIO),
        ("Adele Vance", "Megan Bowen"),
    ),
    DemoGroup("Copilot pilot", "Copilot trial", (COPILOT,), ("Alex Wilber", "Miriam Graham")),
    DemoGroup("Sales", "Microsoft 365 E3 for sales", (E3,), ("Lee Gu", "Pradeep Gupta")),
    DemoGroup("Helpdesk", "Microsoft 365 E3 for support", (E3,), ("Lee Gu", "Pradeep Gupta")),
)


async def seed_groups(
    connection: AsyncConnection, *, customer_id: int, groups: tuple[DemoGroup, ...]
) -> int:
    """Create ``groups`` for the customer, license them, then add their members; returns
    how many licenses the groups added."""
    catalog = await ProductRepository(connection).by_customer_ids([customer_id])
    held_before = sum(product.assigned_licenses for product in catalog.get(customer_id, []))
    product_ids = {p.sku_part_number: p.id for p in catalog.get(customer_id, [])}
    names = sorted({name for group in groups for name in group.members})
    user_ids = await UserRepository(connection).ids_by_display_name(
        customer_id=customer_id, names=names
    )
    for group in groups:
        created = await _change(
            connection,
            GroupChangeRequest(
                GroupOperation.CREATE,
                customer_id=customer_id,
                name=group.name,
                description=group.description,
            ),
        )
        if created is None:  # a real (not dry) createGroup always answers with the group
            raise RuntimeError(f"demo group {group.name!r} was not created")
        change = LicenseChange(assign=tuple(LicenseToAssign(product_ids[s]) for s in group.skus))
        await _change(
            connection,
            GroupChangeRequest(GroupOperation.SET_LICENSES, group_id=created, change=change),
        )
        members = tuple(user_ids[name] for name in group.members)
        await _change(
            connection,
            GroupChangeRequest(GroupOperation.ADD_MEMBERS, group_id=created, user_ids=members),
        )
    after = await ProductRepository(connection).by_customer_ids([customer_id])
    return sum(product.assigned_licenses for product in after.get(customer_id, [])) - held_before


async def _change(connection: AsyncConnection, request: GroupChangeRequest) -> int | None:
    result = await change_group_in(
        connection,
        principal=DEMO_ACTOR,
        request=request,
        request_id="demo-seed",
        max_users=len(request.user_ids) or 1,
        record_events=False,  # the demo's change log starts empty, as for its licenses
    )
    return None if result.group is None else result.group.id
