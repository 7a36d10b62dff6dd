"""Why a user's change failed: the LicenseError interface and one type per reason.

Domain errors become GraphQL types here and only here (``license_error``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import strawberry

from licgraph.domain import license_errors as domain
from licgraph.domain.license_errors import LicenseErrorCode
from licgraph.graphql.context import Info
from licgraph.graphql.ids import to_global_id
from licgraph.graphql.types.product import Product, ServicePlan

LicenseErrorCodeEnum = strawberry.enum(
    LicenseErrorCode,
    name="LicenseErrorCode",
    description="One value per LicenseError type, so clients can switch on either.",
)


@strawberry.interface(description="Why one user's change failed; one concrete type per reason.")
class LicenseError:
    code: LicenseErrorCodeEnum = strawberry.field(  # type: ignore[valid-type]
        description="The reason, as an enum (one value per concrete type)."
    )
    message: str = strawberry.field(description="The reason in words, for people.")


async def _product(info: Info, pk: int) -> Product:
    product = await info.context.loaders.product_by_id.load(pk)
    if product is None:  # products of a customer are never deleted
        raise LookupError(f"product {pk} vanished")
    return Product.from_domain(product)


async def _products(info: Info, pks: tuple[int, ...]) -> list[Product]:
    return [await _product(info, pk) for pk in pks]


async def _plans(info: Info, pks: tuple[int, ...]) -> list[ServicePlan]:
    plans = await info.context.loaders.service_plan_by_id.load_many(list(pks))
    return [ServicePlan.from_domain(plan) for plan in plans if plan is not None]


@strawberry.type(description="Not enough free licenses of a product were left for this user.")
class InsufficientLicensesError(LicenseError):
    product_pk: strawberry.Private[int]
    requested: int = strawberry.field(
        description="New seats this save needed for the product (over all its users)."
    )
    available: int = strawberry.field(description="Free seats of the product before the save.")

    @strawberry.field(description="The product that ran out.")
    async def product(self, info: Info) -> Product:
        return await _product(info, self.product_pk)


@strawberry.type(description="The user has no usage location, so no license can be given.")
class UsageLocationRequiredError(LicenseError):
    user_id: strawberry.ID = strawberry.field(
        description="The user to fix with `setUsageLocation`."
    )


@strawberry.type(description="The product can't be assigned in the user's usage location.")
class ProductUnavailableInLocationError(LicenseError):
    product_pk: strawberry.Private[int]
    usage_location: str = strawberry.field(description="The user's usage location.")

    @strawberry.field(description="The product that is unavailable there.")
    async def product(self, info: Info) -> Product:
        return await _product(info, self.product_pk)


@strawberry.type(description="The product needs one of some other products the user lacks.")
class MissingDependencyError(LicenseError):
    product_pk: strawberry.Private[int]
    required_pks: strawberry.Private[tuple[int, ...]]

    @strawberry.field(description="The product that was asked for.")
    async def product(self, info: Info) -> Product:
        return await _product(info, self.product_pk)

    @strawberry.field(description="Assign (or hold) at least one of these first.")
    async def required_products(self, info: Info) -> list[Product]:
        return await _products(info, self.required_pks)


@strawberry.type(description="A product can't be revoked while licenses that need it remain.")
class DependentLicenseError(LicenseError):
    product_pk: strawberry.Private[int]
    dependent_pks: strawberry.Private[tuple[int, ...]]

    @strawberry.field(description="The product whose revoke was refused.")
    async def product(self, info: Info) -> Product:
        return await _product(info, self.product_pk)

    @strawberry.field(description="Products the user keeps that need it; revoke them too.")
    async def dependent_products(self, info: Info) -> list[Product]:
        return await _products(info, self.dependent_pks)


@strawberry.type(description="The product can't be held together with another of the user's.")
class MutuallyExclusiveLicensesError(LicenseError):
    product_pk: strawberry.Private[int]
    conflicting_pks: strawberry.Private[tuple[int, ...]]

    @strawberry.field(description="The product that was asked for.")
    async def product(self, info: Info) -> Product:
        return await _product(info, self.product_pk)

    @strawberry.field(description="Products held or requested that exclude it.")
    async def conflicting_products(self, info: Info) -> list[Product]:
        return await _products(info, self.conflicting_pks)


@strawberry.type(description="Some disabled service plans are not plans of the product.")
class InvalidServicePlanError(LicenseError):
    product_pk: strawberry.Private[int]
    service_plan_ids: list[strawberry.ID] = strawberry.field(
        description="The ServicePlan ids that do not belong to the product."
    )

    @strawberry.field(description="The product the plans were meant for.")
    async def product(self, info: Info) -> Product:
        return await _product(info, self.product_pk)


@strawberry.type(description="An enabled service plan needs plans that were disabled.")
class ServicePlanDependencyError(LicenseError):
    product_pk: strawberry.Private[int]
    plan_pk: strawberry.Private[int]
    required_pks: strawberry.Private[tuple[int, ...]]

    @strawberry.field(description="The product.")
    async def product(self, info: Info) -> Product:
        return await _product(info, self.product_pk)

    @strawberry.field(description="The enabled plan whose requirement is broken.")
    async def service_plan(self, info: Info) -> ServicePlan:
        plans = await _plans(info, (self.plan_pk,))
        return plans[0]

    @strawberry.field(description="Plans it needs enabled; enable them or disable it too.")
    async def required_service_plans(self, info: Info) -> list[ServicePlan]:
        return await _plans(info, self.required_pks)


@strawberry.type(description="No such user in this customer (ids of other customers included).")
class UserNotFoundError(LicenseError):
    user_id: strawberry.ID = strawberry.field(description="The id as requested.")


@strawberry.type(description="No such product in this customer.")
class ProductNotFoundError(LicenseError):
    product_id: strawberry.ID = strawberry.field(description="The id as requested.")


LICENSE_ERROR_TYPES: tuple[type[LicenseError], ...] = (
    InsufficientLicensesError,
    UsageLocationRequiredError,
    ProductUnavailableInLocationError,
    MissingDependencyError,
    DependentLicenseError,
    MutuallyExclusiveLicensesError,
    InvalidServicePlanError,
    ServicePlanDependencyError,
    UserNotFoundError,
    ProductNotFoundError,
)


class _LoadedNames:
    """Product and plan names for messages, falling back to ids for anything not loaded."""

    def __init__(self, products: dict[int, str], plans: dict[int, str]) -> None:
        self._products = products
        self._plans = plans

    def product(self, product_id: int) -> str:
        return self._products.get(product_id) or domain.IDS.product(product_id)

    def service_plan(self, service_plan_id: int) -> str:
        return self._plans.get(service_plan_id) or domain.IDS.service_plan(service_plan_id)


def _referenced(errors: Sequence[domain.LicenseError]) -> tuple[list[int], list[int]]:
    products: set[int] = set()
    plans: set[int] = set()
    for error in errors:
        if (product_id := getattr(error, "product_id", None)) is not None:
            products.add(product_id)
        for name in ("required_product_ids", "dependent_product_ids", "conflicting_product_ids"):
            products.update(getattr(error, name, ()))
        if isinstance(error, domain.ServicePlanDependency):
            plans.update((error.service_plan_id, *error.required_service_plan_ids))
    return sorted(products), sorted(plans)


async def error_names(info: Info, errors: Sequence[domain.LicenseError]) -> domain.Names:
    """The names of every product and plan ``errors`` mention, loaded in one batch each."""
    product_ids, plan_ids = _referenced(errors)
    loaders = info.context.loaders
    products = await loaders.product_by_id.load_many(product_ids)
    plans = await loaders.service_plan_by_id.load_many(plan_ids)
    return _LoadedNames(
        {product.id: product.name for product in products if product is not None},
        {plan.id: plan.name for plan in plans if plan is not None},
    )


def license_errors(
    errors: Sequence[domain.LicenseError], names: domain.Names
) -> list[LicenseError]:
    """The GraphQL types for domain errors, their messages naming things with ``names``."""
    return [_MAPPERS[type(error)](error, names) for error in errors]


def _base(error: domain.LicenseError, names: domain.Names) -> dict[str, Any]:
    text = error.describe(names)
    return {"code": error.code, "message": text[:1].upper() + text[1:]}


_MAPPERS: dict[type[Any], Callable[[Any, domain.Names], LicenseError]] = {
    domain.InsufficientLicenses: lambda e, n: InsufficientLicensesError(
        **_base(e, n), product_pk=e.product_id, requested=e.requested, available=e.available
    ),
    domain.UsageLocationRequired: lambda e, n: UsageLocationRequiredError(
        **_base(e, n), user_id=strawberry.ID(to_global_id("User", e.user_id))
    ),
    domain.ProductUnavailableInLocation: lambda e, n: ProductUnavailableInLocationError(
        **_base(e, n), product_pk=e.product_id, usage_location=e.usage_location
    ),
    domain.MissingDependency: lambda e, n: MissingDependencyError(
        **_base(e, n), product_pk=e.product_id, required_pks=e.required_product_ids
    ),
    domain.DependentLicense: lambda e, n: DependentLicenseError(
        **_base(e, n), product_pk=e.product_id, dependent_pks=e.dependent_product_ids
    ),
    domain.MutuallyExclusiveLicenses: lambda e, n: MutuallyExclusiveLicensesError(
        **_base(e, n), product_pk=e.product_id, conflicting_pks=e.conflicting_product_ids
    ),
    domain.InvalidServicePlan: lambda e, n: InvalidServicePlanError(
        **_base(e, n),
        product_pk=e.product_id,
        service_plan_ids=[
            strawberry.ID(to_global_id("ServicePlan", pk)) for pk in e.service_plan_ids
        ],
    ),
    domain.ServicePlanDependency: lambda e, n: ServicePlanDependencyError(
        **_base(e, n),
        product_pk=e.product_id,
        plan_pk=e.service_plan_id,
        required_pks=e.required_service_plan_ids,
    ),
    domain.UserNotFound: lambda e, n: UserNotFoundError(
        **_base(e, n), user_id=strawberry.ID(to_global_id("User", e.user_id))
    ),
    domain.ProductNotFound: lambda e, n: ProductNotFoundError(
        **_base(e, n), product_id=strawberry.ID(to_global_id("Product", e.product_id))
    ),
}
