"""A small world that exercises every read: two customers, rules, plans and licenses, and
the variables of a Save on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from licgraph.db.engine import Database
from licgraph.graphql.ids import to_global_id
from tests import factories as make


@dataclass(frozen=True)
class World:
    contoso: int
    fabrikam: int
    alice: int
    bob: int
    emile: int
    zoe: int
    nobody: int
    foreigner: int
    e3: int
    e5: int
    visio: int
    copilot: int
    fabrikam_e3: int
    exchange: int
    sharepoint: int
    teams: int

    def gid(self, type_name: str, pk: int) -> str:
        return to_global_id(type_name, pk)


async def build_world(database: Database) -> World:
    contoso = await make.make_customer(database, "Contoso Ltd.", "contoso.example.com")
    fabrikam = await make.make_customer(database, "Fabrikam, Inc.", "fabrikam.example.com")
    e3 = await make.make_product(database, contoso, "Microsoft 365 E3", total=10)
    e5 = await make.make_product(database, contoso, "Microsoft 365 E5", total=5)
    visio = await make.make_product(database, contoso, "Visio Plan 2", total=2)
    copilot = await make.make_product(database, contoso, "Microsoft 365 Copilot", total=1)
    fabrikam_e3 = await make.make_product(database, fabrikam, "Microsoft 365 E3", total=3)
    exchange = await make.make_plan(database, e3, "Exchange Online")
    sharepoint = await make.make_plan(database, e3, "SharePoint Online")
    teams = await make.make_plan(database, e3, "Microsoft Teams", requires=(exchange, sharepoint))
    await make.require(database, visio, e3, e5)
    await make.require(database, copilot, e3, e5)
    await make.conflict(database, e3, e5)
    await make.unavailable_in(database, copilot, "CN", "RU")
    alice = await make.make_user(database, contoso, "Alice Adams", "US")
    bob = await make.make_user(database, contoso, "bob Brown", "GB")
    emile = await make.make_user(database, contoso, "Émile Dubois", "FR")
    zoe = await make.make_user(database, contoso, "Zoë Zhang", "CN")
    nobody = await make.make_user(database, contoso, "Nobody Located", None)
    foreigner = await make.make_user(database, fabrikam, "Foreign User", "US")
    await make.assign(database, alice, e3, disabled=(teams,))
    await make.assign(database, bob, e3)
    await make.assign(database, alice, visio)
    await make.assign(database, zoe, e5)
    await make.assign(database, bob, copilot)
    await make.assign(database, foreigner, fabrikam_e3)
    return World(
        contoso=contoso,
        fabrikam=fabrikam,
        alice=alice,
        bob=bob,
        emile=emile,
        zoe=zoe,
        nobody=nobody,
        foreigner=foreigner,
        e3=e3,
        e5=e5,
        visio=visio,
        copilot=copilot,
        fabrikam_e3=fabrikam_e3,
        exchange=exchange,
        sharepoint=sharepoint,
        teams=teams,
    )


def to_assign(world: World, product: int, *disabled_plans: int) -> dict[str, Any]:
    """A license to assign in a Save: ``product`` with ``disabled_plans`` switched off."""
    return {
        "productId": world.gid("Product", product),
        "disabledServicePlanIds": [world.gid("ServicePlan", pk) for pk in disabled_plans],
    }


def save_input(world: World, users: list[int], **change: Any) -> dict[str, Any]:
    """Variables for a Save on Contoso's ``users``; ``change`` holds the mutation's lists."""
    return {
        "input": {
            "customerId": world.gid("Customer", world.contoso),
            "userIds": [world.gid("User", pk) for pk in users],
            **change,
        }
    }
