"""Buying more licenses of a product (the "Buy more" link)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from licgraph.db.engine import Database
from licgraph.db.repositories.events import LicenseEventRepository
from licgraph.db.repositories.products import ProductRepository
from licgraph.domain.access import Principal
from licgraph.domain.catalog import Product
from licgraph.domain.events import Actor, EventAction, LicenseEvent
from licgraph.domain.idempotency import check_key, fingerprint
from licgraph.domain.license_change import validate_quantity
from licgraph.domain.license_errors import ProductNotFound
from licgraph.services.access import authorize, require_customer
from licgraph.services.idempotent import run_once
from licgraph.services.transactions import in_transaction


@dataclass(frozen=True, slots=True)
class PurchaseResult:
    """The product after the purchase, or why there is none."""

    product: Product | None
    errors: tuple[ProductNotFound, ...] = ()

    @property
    def applied(self) -> bool:
        """Whether licenses were bought."""
        return self.product is not None


async def purchase_licenses(
    *,
    database: Database,
    principal: Principal,
    customer_id: int,
    product_id: int,
    quantity: int,
    idempotency_key: str | None,
    request_id: str,
) -> PurchaseResult:
    """Raise a product's total by ``quantity`` (Admin and Sales agents only)."""
    authorize(principal, customer_id, purchase=True)
    validate_quantity(quantity)
    if idempotency_key is not None:
        check_key(idempotency_key)
    request_hash = fingerprint(
        "purchaseLicenses",
        {"customerId": customer_id, "productId": product_id, "quantity": quantity},
    )

    async def work(connection: AsyncConnection) -> PurchaseResult:
        await require_customer(connection, customer_id)
        now = datetime.now(UTC)
        return await run_once(
            connection,
            token_id=principal.token_id,
            key=idempotency_key,
            request_hash=request_hash,
            run=lambda: _buy(
                connection, principal, customer_id, product_id, quantity, request_id, now
            ),
            encode=lambda result: _encode(result, product_id),
            decode=_decode,
            now=now,
        )

    return await in_transaction(database, work)


async def _buy(
    connection: AsyncConnection,
    principal: Principal,
    customer_id: int,
    product_id: int,
    quantity: int,
    request_id: str,
    now: datetime,
) -> PurchaseResult:
    products = ProductRepository(connection)
    product = await products.add_licenses(
        customer_id=customer_id, product_id=product_id, quantity=quantity
    )
    if product is None:
        return PurchaseResult(product=None, errors=(ProductNotFound(product_id),))
    event = LicenseEvent(
        customer_id=customer_id,
        occurred_at=now,
        action=EventAction.PURCHASED,
        actor=Actor.of(principal),
        request_id=request_id,
        product_id=product_id,
        details={"quantity": quantity, "totalLicenses": product.total_licenses},
    )
    await LicenseEventRepository(connection).add_all([event])
    return PurchaseResult(product=product)


def _encode(result: PurchaseResult, product_id: int) -> dict[str, Any]:
    if result.product is None:
        return {"notFound": product_id}
    return {"product": dataclasses.asdict(result.product)}


def _decode(data: dict[str, Any]) -> PurchaseResult:
    if "product" in data:
        return PurchaseResult(product=Product(**data["product"]))
    return PurchaseResult(product=None, errors=(ProductNotFound(data["notFound"]),))
