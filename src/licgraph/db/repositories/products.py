"""Products (a customer's entitlements) and the catalog rules attached to them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select, update

from licgraph.db.prepared import PreparedRead, in_scope
from licgraph.db.repositories._sql import Repository, among_parameter
from licgraph.db.tables import (
    product_conflict_table,
    product_requirement_table,
    product_table,
    product_unavailable_location_table,
    service_plan_requirement_table,
    service_plan_table,
)
from licgraph.domain.catalog import Product, ProductRules, ServicePlan

_product = product_table
_plan = service_plan_table
_plan_requirement = service_plan_requirement_table
_requirement = product_requirement_table
_conflict = product_conflict_table
_unavailable = product_unavailable_location_table
_PRODUCT_COLUMNS = (
    _product.c.id,
    _product.c.customer_id,
    _product.c.sku_part_number,
    _product.c.name,
    _product.c.total_licenses,
    _product.c.assigned_licenses,
)

Links = dict[int, set[Any]]


def _to_product(row: Any) -> Product:
    # By position, in ``_PRODUCT_COLUMNS`` order: a panel reads every product of a customer.
    return Product(row[0], row[1], row[2], row[3], row[4], row[5])


_BY_IDS = PreparedRead(
    lambda dialect, scoped: select(*_PRODUCT_COLUMNS).where(
        among_parameter(dialect, _product.c.id, "ids"), *in_scope(_product.c.customer_id, scoped)
    )
)
_OF_CUSTOMERS = PreparedRead(
    lambda dialect, scoped: (
        select(*_PRODUCT_COLUMNS)
        .where(
            among_parameter(dialect, _product.c.customer_id, "ids"),
            *in_scope(_product.c.customer_id, scoped),
        )
        .order_by(_product.c.name, _product.c.id)
    )
)


class ProductRepository(Repository):
    """Reads products and their rules in batches (one statement per kind of fact)."""

    async def by_customer_ids(self, customer_ids: Sequence[int]) -> dict[int, list[Product]]:
        """Each customer's products, ordered by name then id."""
        products: dict[int, list[Product]] = defaultdict(list)
        for row in await self.read(_OF_CUSTOMERS, ids=self.ids(customer_ids)):
            product = _to_product(row)
            products[product.customer_id].append(product)
        return products

    async def every_product(self) -> list[Product]:
        """Every product in scope, by customer then id (seat gauges of the metrics)."""
        query = select(*_PRODUCT_COLUMNS).order_by(_product.c.customer_id, _product.c.id)
        rows = await self.connection.execute(self.visible(query, _product.c.customer_id))
        return [_to_product(row) for row in rows]

    async def by_ids(self, ids: Sequence[int]) -> dict[int, Product]:
        """The products with these ids that exist (and are in scope)."""
        found = [_to_product(row) for row in await self.read(_BY_IDS, ids=self.ids(ids))]
        return {product.id: product for product in found}

    async def add_licenses(
        self, *, customer_id: int, product_id: int, quantity: int
    ) -> Product | None:
        """Raise the customer's product total by ``quantity``; None if it is not theirs."""
        statement = (
            update(_product)
            .where(_product.c.id == product_id, _product.c.customer_id == customer_id)
            .values(total_licenses=_product.c.total_licenses + quantity)
            .returning(*_PRODUCT_COLUMNS)
        )
        row = (await self.connection.execute(statement)).first()
        return _to_product(row) if row else None

    async def service_plans_by_ids(self, ids: Sequence[int]) -> dict[int, ServicePlan]:
        """The service plans with these ids that exist (and are in scope), with their own
        requirements."""
        query = select(_plan).where(self.among(_plan.c.id, ids))
        if self.scope is not None:
            query = query.where(_plan.c.product_id.in_(self._products_in_scope()))
        rows = list(await self.connection.execute(query))
        requirements = await self._plan_requirements([row.id for row in rows])
        return {row.id: _to_plan(row, requirements) for row in rows}

    async def rules_by_product_ids(self, ids: Sequence[int]) -> dict[int, ProductRules]:
        """The catalog facts of each product (every id gets rules, empty when it has none or
        is out of scope)."""
        plans = await self._plans_of_products(ids)
        requirements = await self._links(
            _requirement.c.product_id, _requirement.c.required_product_id, ids
        )
        unavailable = await self._links(
            _unavailable.c.product_id, _unavailable.c.usage_location, ids
        )
        conflicts = await self._conflicts(ids)
        return {
            product_id: ProductRules(
                product_id=product_id,
                required_product_ids=frozenset(requirements.get(product_id, ())),
                conflicting_product_ids=frozenset(conflicts.get(product_id, ())),
                unavailable_usage_locations=frozenset(unavailable.get(product_id, ())),
                service_plans=tuple(plans.get(product_id, ())),
            )
            for product_id in ids
        }

    def _products_in_scope(self) -> Select[Any]:
        return self.visible(select(_product.c.id), _product.c.customer_id)

    def _in_scope(self, column: ColumnElement[int], ids: Sequence[int]) -> ColumnElement[bool]:
        """``column`` is one of the product ``ids``, and a product in scope."""
        if self.scope is None:
            return self.among(column, ids)
        return and_(self.among(column, ids), column.in_(self._products_in_scope()))

    async def _plans_of_products(self, product_ids: Sequence[int]) -> dict[int, list[ServicePlan]]:
        query = (
            select(_plan)
            .where(self._in_scope(_plan.c.product_id, product_ids))
            .order_by(_plan.c.name, _plan.c.id)
        )
        rows = list(await self.connection.execute(query))
        requirements = await self._plan_requirements([row.id for row in rows])
        plans: dict[int, list[ServicePlan]] = defaultdict(list)
        for row in rows:
            plans[row.product_id].append(_to_plan(row, requirements))
        return plans

    async def _plan_requirements(self, plan_ids: Sequence[int]) -> Links:
        # Plans reach here from plans already read in scope.
        links: Links = defaultdict(set)
        source = _plan_requirement.c.service_plan_id
        query = select(source, _plan_requirement.c.required_service_plan_id)
        for owner, linked in await self.connection.execute(
            query.where(self.among(source, plan_ids))
        ):
            links[owner].add(linked)
        return links

    async def _links(self, source: Any, target: Any, ids: Sequence[int]) -> Links:
        links: Links = defaultdict(set)
        query = select(source, target).where(self._in_scope(source, ids))
        for owner, linked in await self.connection.execute(query):
            links[owner].add(linked)
        return links

    async def _conflicts(self, ids: Sequence[int]) -> Links:
        # Pairs are stored once (lower id first); read them from both sides.
        a, b = _conflict.c.product_id, _conflict.c.conflicting_product_id
        links: Links = defaultdict(set)
        for first, second in await self.connection.execute(
            select(a, b).where(or_(self._in_scope(a, ids), self._in_scope(b, ids)))
        ):
            links[first].add(second)
            links[second].add(first)
        return links


def _to_plan(row: Any, requirements: Links) -> ServicePlan:
    return ServicePlan(
        id=row.id,
        product_id=row.product_id,
        name=row.name,
        required_service_plan_ids=frozenset(requirements.get(row.id, ())),
    )
