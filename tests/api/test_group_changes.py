"""Group changes through the service, on both engines: what each does to members' licenses,
their sources, the group's open errors and seat counts (the invariants run after each test).

Member order is the users list's (casefolded display name, byte order, then id): on the world
that is Alice Adams, bob Brown, Nobody Located, Zoë Zhang, Émile Dubois.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.db.repositories.groups import GroupRepository
from licgraph.db.tables import license_assignment_table, license_event_table
from licgraph.domain.access import Principal, Role
from licgraph.domain.groups import Group, InvalidGroupError
from licgraph.domain.license_change import LicenseChange, LicenseToAssign
from licgraph.domain.license_errors import (
    DependentLicense,
    InheritedLicense,
    InsufficientLicenses,
    MutuallyExclusiveLicenses,
    UsageLocationRequired,
    UserNotFound,
)
from licgraph.domain.license_update import UserLicenseResult
from licgraph.domain.outcomes import OutcomeStatus
from licgraph.services.errors import GroupNotFoundError
from licgraph.services.groups import (
    GroupChangeRequest,
    GroupOperation,
    GroupUpdateResult,
    change_group,
)
from licgraph.services.licenses import LicenseUpdateRequest, update_licenses
from licgraph.services.purchases import purchase_licenses
from tests.api.invariants import table_contents
from tests.api.world import World
from tests.factories import make_token

pytestmark = pytest.mark.usefixtures("invariants_hold")


class Groups:
    """Runs group mutations for one caller, like the GraphQL layer does."""

    def __init__(self, database: Database, settings: Settings, principal: Principal) -> None:
        self.database, self.settings, self.principal = database, settings, principal

    async def __call__(self, operation: GroupOperation, **fields: Any) -> GroupUpdateResult:
        return await change_group(
            database=self.database,
            principal=self.principal,
            request=GroupChangeRequest(operation=operation, **fields),
            request_id="test",
            max_users=self.settings.max_users_per_mutation,
        )

    async def create(self, customer_id: int, name: str) -> Group:
        result = await self(GroupOperation.CREATE, customer_id=customer_id, name=name)
        assert result.group is not None
        return result.group

    async def license(self, group: Group, *product_ids: int, **fields: Any) -> GroupUpdateResult:
        change = LicenseChange(assign=tuple(LicenseToAssign(id_) for id_ in product_ids))
        return await self(GroupOperation.SET_LICENSES, group_id=group.id, change=change, **fields)

    async def add(self, group: Group, *user_ids: int, **fields: Any) -> GroupUpdateResult:
        return await self(
            GroupOperation.ADD_MEMBERS, group_id=group.id, user_ids=user_ids, **fields
        )

    async def remove(self, group: Group, *user_ids: int) -> GroupUpdateResult:
        return await self(GroupOperation.REMOVE_MEMBERS, group_id=group.id, user_ids=user_ids)


@pytest.fixture
def groups(database: Database, settings: Settings, admin: Principal) -> Groups:
    return Groups(database, settings, admin)


def statuses(result: GroupUpdateResult) -> list[tuple[int, OutcomeStatus]]:
    return [(item.user_id, item.status) for item in result.update.results]


async def licenses(database: Database, user_id: int) -> dict[int, tuple[list[int], Any]]:
    """A user's licenses: product -> (plans off, the direct assignment's plans off or None)."""
    table = license_assignment_table.c
    query = select(table.product_id, table.disabled_service_plan_ids).add_columns(
        table.direct_disabled_service_plan_ids
    )
    async with database.connect() as connection:
        rows = await connection.execute(query.where(table.user_id == user_id))
        return {product: (sorted(off), direct) for product, off, direct in rows}


async def open_errors(database: Database, group: Group) -> list[tuple[int, int, tuple[Any, ...]]]:
    async with database.connect() as connection:
        rows = await GroupRepository(connection).open_errors(group.id)
    return [(user_id, product_id, errors) for user_id, product_id, errors, _ in rows]


async def test_licensing_a_group_applies_every_rule_per_member_in_member_order(
    groups: Groups, database: Database, world: World
) -> None:
    sales = await groups.create(world.contoso, "Sales")
    await groups.add(sales, world.emile, world.zoe, world.alice)

    result = await groups.license(sales, world.e3)

    # Alice held E3 directly with Teams off: the group turns it on. Zoë holds E5, which
    # conflicts with E3: she keeps her licenses and is listed with the error.
    assert statuses(result) == [
        (world.alice, OutcomeStatus.SUCCEEDED),
        (world.zoe, OutcomeStatus.FAILED),
        (world.emile, OutcomeStatus.SUCCEEDED),
    ]
    conflict = MutuallyExclusiveLicenses(world.e3, (world.e5,))
    assert result.update.results[1].errors == (conflict,)
    assert [(p.id, p.assigned_licenses) for p in result.update.products] == [(world.e3, 3)]
    assert await licenses(database, world.alice) == {
        world.e3: ([], [world.teams]),
        world.visio: ([], []),
    }
    assert await licenses(database, world.emile) == {world.e3: ([], None)}
    assert await open_errors(database, sales) == [(world.zoe, world.e3, (conflict,))]


async def test_a_member_out_of_seats_waits_in_the_open_errors_until_a_purchase_and_reprocess(
    groups: Groups, database: Database, world: World, admin: Principal
) -> None:
    # Visio: 2 seats, Alice holds one. Bob (E3) and Zoë (E5) may both hold it; one seat left.
    designers = await groups.create(world.contoso, "Designers")
    await groups.add(designers, world.zoe, world.bob)

    licensed = await groups.license(designers, world.visio)

    assert statuses(licensed) == [
        (world.bob, OutcomeStatus.SUCCEEDED),
        (world.zoe, OutcomeStatus.FAILED),
    ]
    shortage = InsufficientLicenses(world.visio, requested=2, available=1)
    assert licensed.update.results[1].errors == (shortage,)
    assert await open_errors(database, designers) == [(world.zoe, world.visio, (shortage,))]

    await purchase_licenses(
        database=database,
        principal=admin,
        customer_id=world.contoso,
        product_id=world.visio,
        quantity=1,
        idempotency_key=None,
        request_id="test",
    )
    # A purchase alone applies nothing; a reprocess does.
    assert await open_errors(database, designers) == [(world.zoe, world.visio, (shortage,))]
    reprocessed = await groups(GroupOperation.REPROCESS, group_id=designers.id)

    assert statuses(reprocessed) == [
        (world.bob, OutcomeStatus.UNCHANGED),
        (world.zoe, OutcomeStatus.SUCCEEDED),
    ]
    assert await open_errors(database, designers) == []
    assert world.visio in await licenses(database, world.zoe)


async def test_leaving_revokes_only_what_no_other_source_grants_and_restores_direct_plans(
    groups: Groups, database: Database, world: World
) -> None:
    sales = await groups.create(world.contoso, "Sales")
    support = await groups.create(world.contoso, "Support")
    for group in (sales, support):
        await groups.license(group, world.e3)
    await groups.add(sales, world.alice, world.emile)
    await groups.add(support, world.emile)

    left = await groups.remove(sales, world.alice, world.emile)

    assert statuses(left) == [
        (world.alice, OutcomeStatus.SUCCEEDED),  # Teams off again, as assigned directly
        (world.emile, OutcomeStatus.UNCHANGED),  # Support still grants E3
    ]
    assert await licenses(database, world.alice) == {
        world.e3: ([world.teams], [world.teams]),
        world.visio: ([], []),
    }
    assert await licenses(database, world.emile) == {world.e3: ([], None)}

    left_support = await groups.remove(support, world.emile)

    assert statuses(left_support) == [(world.emile, OutcomeStatus.SUCCEEDED)]
    assert await licenses(database, world.emile) == {}


async def test_a_member_without_a_usage_location_is_refused_and_listed(
    groups: Groups, database: Database, world: World
) -> None:
    sales = await groups.create(world.contoso, "Sales")
    await groups.license(sales, world.e3)

    joined = await groups.add(sales, world.nobody)

    assert statuses(joined) == [(world.nobody, OutcomeStatus.FAILED)]
    assert await open_errors(database, sales) == [
        (world.nobody, world.e3, (UsageLocationRequired(world.nobody),))
    ]

    left = await groups.remove(sales, world.nobody)

    # Leaving settles it: nothing grants E3 any more and the error closes.
    assert statuses(left) == [(world.nobody, OutcomeStatus.UNCHANGED)]
    assert await open_errors(database, sales) == []


async def test_another_customers_user_is_not_found_and_does_not_join(
    groups: Groups, database: Database, world: World
) -> None:
    sales = await groups.create(world.contoso, "Sales")

    result = await groups.add(sales, world.foreigner, world.bob)

    assert statuses(result) == [
        (world.bob, OutcomeStatus.UNCHANGED),  # a group without licenses changes nobody
        (world.foreigner, OutcomeStatus.FAILED),
    ]
    assert result.update.results[1].errors == (UserNotFound(world.foreigner),)
    async with database.connect() as connection:
        members = await GroupRepository(connection).members(sales.id)
    assert [user.id for user in members] == [world.bob]


async def test_deleting_a_group_revokes_what_only_it_granted(
    groups: Groups, database: Database, world: World
) -> None:
    sales = await groups.create(world.contoso, "Sales")
    await groups.license(sales, world.e3)
    await groups.add(sales, world.bob, world.emile)

    deleted = await groups(GroupOperation.DELETE, group_id=sales.id)

    assert deleted.group is None
    assert statuses(deleted) == [
        (world.bob, OutcomeStatus.UNCHANGED),  # bob holds E3 directly as well
        (world.emile, OutcomeStatus.SUCCEEDED),
    ]
    assert await licenses(database, world.emile) == {}
    async with database.connect() as connection:
        assert await GroupRepository(connection).by_id(sales.id) is None
        log = license_event_table.c
        events = await connection.execute(
            select(log.action, log.user_id, log.product_id, log.group_id, log.details).order_by(
                log.id
            )
        )
    # One entry per change, each naming the group: its id until it is deleted, its name for
    # good (the world's own events, made by its factories, come before).
    assert [
        (action, user, product, group, details.get("groupName"))
        for action, user, product, group, details in events
        if details.get("groupName")
    ] == [
        ("GROUP_CREATED", None, None, None, "Sales"),
        ("GROUP_LICENSES_CHANGED", None, None, None, "Sales"),
        ("MEMBER_ADDED", world.bob, None, None, "Sales"),
        ("MEMBER_ADDED", world.emile, None, None, "Sales"),
        ("ASSIGNED", world.emile, world.e3, None, "Sales"),
        ("REVOKED", world.emile, world.e3, None, "Sales"),
        ("GROUP_DELETED", None, None, None, "Sales"),
    ]


async def test_a_dry_run_changes_nothing_and_says_what_would_happen(
    groups: Groups, database: Database, world: World
) -> None:
    sales = await groups.create(world.contoso, "Sales")
    await groups.add(sales, world.emile)
    before = await table_contents(database)

    result = await groups.license(sales, world.e3, dry_run=True)

    assert statuses(result) == [(world.emile, OutcomeStatus.SUCCEEDED)]
    assert (result.update.dry_run, result.update.applied) == (True, False)
    assert await table_contents(database) == before


async def test_a_retried_key_replays_the_first_answer(
    groups: Groups, database: Database, world: World
) -> None:
    sales = await groups.create(world.contoso, "Sales")
    await groups.license(sales, world.visio)
    first = await groups.add(sales, world.bob, world.zoe, idempotency_key="k1")
    after_first = await table_contents(database)

    again = await groups.add(sales, world.bob, world.zoe, idempotency_key="k1")

    assert again == first
    assert await table_contents(database) == after_first


async def test_names_are_unique_per_customer_case_insensitively(
    groups: Groups, database: Database, world: World
) -> None:
    await groups.create(world.contoso, "Sales")
    await groups.create(world.fabrikam, "Sales")  # another customer's name is no clash
    before = await table_contents(database)

    with pytest.raises(InvalidGroupError, match="already has a group named 'SALES'"):
        await groups.create(world.contoso, "SALES")

    assert await table_contents(database) == before


async def test_a_group_license_must_be_the_customers_product(groups: Groups, world: World) -> None:
    sales = await groups.create(world.contoso, "Sales")

    with pytest.raises(InvalidGroupError, match="no such product"):
        await groups.license(sales, world.fabrikam_e3)


async def test_another_customers_group_is_not_found(
    groups: Groups, database: Database, settings: Settings, world: World
) -> None:
    sales = await groups.create(world.contoso, "Sales")
    fabrikam_admin = await make_token(database, Role.GLOBAL_ADMIN, customer_id=world.fabrikam)

    with pytest.raises(GroupNotFoundError):
        await Groups(database, settings, fabrikam_admin).add(sales, world.foreigner)
    with pytest.raises(GroupNotFoundError):
        await groups(GroupOperation.REPROCESS, group_id=sales.id + 1000)


# -- a Save on users who hold licenses through groups -------------------------------------


async def save(
    groups: Groups, world: World, user_id: int, change: LicenseChange
) -> UserLicenseResult:
    result = await update_licenses(
        database=groups.database,
        principal=groups.principal,
        request=LicenseUpdateRequest("updateLicenses", world.contoso, (user_id,), change),
        request_id="test",
        max_users=groups.settings.max_users_per_mutation,
    )
    (only,) = result.results
    return only


async def test_a_direct_revoke_of_a_license_held_only_through_groups_is_refused(
    groups: Groups, database: Database, world: World
) -> None:
    sales = await groups.create(world.contoso, "Sales")
    await groups.license(sales, world.e3)
    await groups.add(sales, world.emile)

    result = await save(groups, world, world.emile, LicenseChange(revoke=(world.e3,)))

    assert result.status is OutcomeStatus.FAILED
    assert result.errors == (InheritedLicense(world.e3, (sales.id,)),)
    assert await licenses(database, world.emile) == {world.e3: ([], None)}


async def test_offboarding_a_user_holding_a_license_directly_and_through_two_groups(
    groups: Groups, database: Database, world: World
) -> None:
    # Alice holds E3 directly with Teams off; both groups grant it with every plan on.
    sales, support = (
        await groups.create(world.contoso, "Sales"),
        await groups.create(world.contoso, "Support"),
    )
    for group in (sales, support):
        await groups.license(group, world.e3)
        await groups.add(group, world.alice)

    revoked = await save(groups, world, world.alice, LicenseChange(revoke=(world.e3,)))

    # The direct assignment goes; the groups keep the license (and its seat).
    assert revoked.status is OutcomeStatus.SUCCEEDED
    assert [(item.product_id, item.assigned_directly) for item in revoked.licenses] == [
        (world.e3, False),
        (world.visio, True),
    ]
    assert (await licenses(database, world.alice))[world.e3] == ([], None)
    assert statuses(await groups.remove(sales, world.alice)) == [
        (world.alice, OutcomeStatus.UNCHANGED)
    ]
    # Visio needs E3 (or E5): the last group can't take E3 while she keeps Visio. She
    # leaves the group anyway, and the group lists her until Visio goes.
    left = await groups.remove(support, world.alice)
    blocked = DependentLicense(world.e3, (world.visio,))
    assert left.update.results[0].errors == (blocked,)
    assert await open_errors(database, support) == [(world.alice, world.e3, (blocked,))]

    await save(groups, world, world.alice, LicenseChange(revoke=(world.visio,)))
    reprocessed = await groups(GroupOperation.REPROCESS, group_id=support.id)

    # No member any more, she is retried for her open error: E3 goes.
    assert statuses(reprocessed) == [(world.alice, OutcomeStatus.SUCCEEDED)]
    assert await licenses(database, world.alice) == {}
    assert await open_errors(database, support) == []


async def test_assigning_directly_what_a_group_grants_records_the_direct_source(
    groups: Groups, database: Database, world: World
) -> None:
    sales = await groups.create(world.contoso, "Sales")
    await groups.license(sales, world.e3)
    await groups.add(sales, world.emile)

    assigned = await save(
        groups, world, world.emile, LicenseChange(assign=(LicenseToAssign(world.e3),))
    )
    left = await groups.remove(sales, world.emile)

    assert assigned.status is OutcomeStatus.UNCHANGED  # the same licenses, one more source
    assert statuses(left) == [(world.emile, OutcomeStatus.UNCHANGED)]
    assert await licenses(database, world.emile) == {world.e3: ([], [])}
