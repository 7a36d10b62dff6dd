"""purchaseLicenses: raise a product's total (the "Buy more" link)."""

from __future__ import annotations

from typing import Annotated, Self

import strawberry

from licgraph.domain.license_errors import ProductNotFound
from licgraph.graphql.arguments import id_argument
from licgraph.graphql.context import Info
from licgraph.graphql.mutations.inputs import IDEMPOTENCY_KEY
from licgraph.graphql.types.license_errors import LicenseError, shown
from licgraph.graphql.types.licensing import Product
from licgraph.services.purchases import PurchaseResult, purchase_licenses


@strawberry.input(description="Buy more licenses of one of the customer's products.")
class PurchaseLicensesInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer buying.")
    product_id: strawberry.ID = strawberry.field(description="The product to buy more of.")
    quantity: int = strawberry.field(description="How many licenses to add (1 to 10,000).")
    idempotency_key: str | None = strawberry.field(default=None, description=IDEMPOTENCY_KEY)


@strawberry.type(description="The product after a purchase, or why it could not be made.")
class PurchaseLicensesPayload:
    product: Product | None = strawberry.field(
        description="The product with its new total; null if the purchase failed."
    )
    applied: bool = strawberry.field(description="Whether licenses were bought.")
    domain_errors: strawberry.Private[tuple[ProductNotFound, ...]]

    @classmethod
    def from_domain(cls, result: PurchaseResult) -> Self:
        return cls(
            product=Product.from_domain(result.product) if result.product else None,
            applied=result.applied,
            domain_errors=result.errors,
        )

    @strawberry.field(description="Why the purchase failed (ProductNotFoundError); else empty.")
    async def errors(self, info: Info) -> list[LicenseError]:
        return await shown(info, self.domain_errors)


async def purchase_licenses_field(
    info: Info,
    input: Annotated[
        PurchaseLicensesInput,
        strawberry.argument(description="The customer, the product and how many licenses to buy."),
    ],
) -> PurchaseLicensesPayload:
    """Resolve `purchaseLicenses` (Admin and Sales agents only)."""
    context = info.context
    result = await purchase_licenses(
        database=context.database,
        principal=context.principal,
        customer_id=id_argument(input.customer_id, "Customer"),
        product_id=id_argument(input.product_id, "Product"),
        quantity=input.quantity,
        idempotency_key=input.idempotency_key,
        request_id=context.request_id,
    )
    return PurchaseLicensesPayload.from_domain(result)
