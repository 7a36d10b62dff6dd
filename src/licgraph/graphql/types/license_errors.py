"""Why a user's change failed: the LicenseError interface and one type per reason.

Domain errors become GraphQL types here and only here (``license_error``).
"""

from __future__ import annotations

from collections.abc import Callable
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


def _base(error: domain.LicenseError) -> dict[str, Any]:
    return {"code": error.code, "message": error.message}


_MAPPERS: dict[type[Any], Callable[[Any], LicenseError]] = {
    domain.InsufficientLicenses: lambda e: InsufficientLicensesError(
        **_base(e), product_pk=e.product_id, requested=e.requested, available=e.available
    ),
    domain.UsageLocationRequired: lambda e: UsageLocationRequiredError(
        **_base(e), user_id=strawberry.ID(to_global_id("User", e.user_id))
    ),
    domain.ProductUnavailableInLocation: lambda e: ProductUnavailableInLocationError(
        **_base(e), product_pk=e.product_id, usage_location=e.usage_location
    ),
    domain.MissingDependency: lambda e: MissingDependencyError(
        **_base(e), product_pk=e.product_id, required_pks=e.required_product_ids
    ),
    domain.DependentLicense: lambda e: DependentLicenseError(
        **_base(e), product_pk=e.product_id, dependent_pks=e.dependent_product_ids
    ),
    domain.MutuallyExclusiveLicenses: lambda e: MutuallyExclusiveLicensesError(
        **_base(e), product_pk=e.product_id, conflicting_pks=e.conflicting_product_ids
    ),
    domain.InvalidServicePlan: lambda e: InvalidServicePlanError(
        **_base(e),
        product_pk=e.product_id,
        service_plan_ids=[
            strawberry.ID(to_global_id("ServicePlan", pk)) for pk in e.service_plan_ids
        ],
    ),
    domain.ServicePlanDependency: lambda e: ServicePlanDependencyError(
        **_base(e),
        product_pk=e.product_id,
        plan_pk=e.service_plan_id,
        required_pks=e.required_service_plan_ids,
    ),
    domain.UserNotFound: lambda e: UserNotFoundError(
        **_base(e), user_id=strawberry.ID(to_global_id("User", e.user_id))
    ),
    domain.ProductNotFound: lambda e: ProductNotFoundError(
        **_base(e), product_id=strawberry.ID(to_global_id("Product", e.product_id))
    ),
}


def license_error(error: domain.LicenseError) -> LicenseError:
    """The GraphQL type for a domain error."""
    return _MAPPERS[type(error)](error)
