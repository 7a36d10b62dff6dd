"""Why a user's change failed: the LicenseError interface and one type per domain reason.

Each type names the domain reason it shows (``reason=`` in its class line) and builds
itself from it in ``from_domain``; ``license_errors`` maps any list of domain reasons, and
the schema lists ``LICENSE_ERROR_TYPES``. A new reason is its domain class plus its type here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Self

import strawberry

from licgraph.domain import license_errors as domain
from licgraph.domain.license_errors import LicenseErrorCode, sentence
from licgraph.graphql.context import Info
from licgraph.graphql.ids import to_global_id
from licgraph.graphql.types.licensing import Product, ServicePlan

if TYPE_CHECKING:
    from licgraph.graphql.types.groups import Group

LicenseErrorCodeEnum = strawberry.enum(
    LicenseErrorCode,
    name="LicenseErrorCode",
    description="One value per LicenseError type, so clients can switch on either.",
)

_TYPES: dict[type[domain.LicenseError], type[LicenseError]] = {}


@strawberry.interface(description="Why one user's change failed; one concrete type per reason.")
class LicenseError:
    code: LicenseErrorCodeEnum = strawberry.field(  # type: ignore[valid-type]
        description="The reason, as an enum (one value per concrete type)."
    )
    message: str = strawberry.field(description="The reason in words, for people.")

    def __init_subclass__(cls, reason: type[domain.LicenseError] | None = None, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if reason is not None:
            _TYPES[reason] = cls

    @classmethod
    def from_domain(cls, error: Any, names: domain.Names) -> Self:
        """The type showing the domain ``error``; each concrete type narrows ``error``."""
        raise NotImplementedError

    @staticmethod
    def described(error: domain.LicenseError, names: domain.Names) -> dict[str, Any]:
        """The fields every error has: its code and its sentence, naming things by ``names``."""
        return {"code": error.code, "message": sentence(error.describe(names))}


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


async def _the_product(root: ProductLicenseError, info: Info) -> Product:
    return await _product(info, root.product_pk)


def product_field(description: str) -> Any:
    """The ``product`` field of an error about one product, described for that error."""
    return strawberry.field(resolver=_the_product, description=description)


@strawberry.type(description="An error about one product (never in the schema itself).")
class ProductLicenseError(LicenseError):
    product_pk: strawberry.Private[int]


@strawberry.type(description="Not enough free licenses of a product were left for this user.")
class InsufficientLicensesError(ProductLicenseError, reason=domain.InsufficientLicenses):
    product: Product = product_field("The product that ran out.")
    requested: int = strawberry.field(
        description="New seats this save needed for the product (over all its users)."
    )
    available: int = strawberry.field(description="Free seats of the product before the save.")

    @classmethod
    def from_domain(cls, error: domain.InsufficientLicenses, names: domain.Names) -> Self:
        return cls(
            **cls.described(error, names),
            product_pk=error.product_id,
            requested=error.requested,
            available=error.available,
        )


@strawberry.type(description="The user has no usage location, so no license can be given.")
class UsageLocationRequiredError(LicenseError, reason=domain.UsageLocationRequired):
    user_id: strawberry.ID = strawberry.field(
        description="The user to fix with `setUsageLocation`."
    )

    @classmethod
    def from_domain(cls, error: domain.UsageLocationRequired, names: domain.Names) -> Self:
        return cls(
            **cls.described(error, names),
            user_id=strawberry.ID(to_global_id("User", error.user_id)),
        )


@strawberry.type(description="The product can't be assigned in the user's usage location.")
class ProductUnavailableInLocationError(
    ProductLicenseError, reason=domain.ProductUnavailableInLocation
):
    product: Product = product_field("The product that is unavailable there.")
    usage_location: str = strawberry.field(description="The user's usage location.")

    @classmethod
    def from_domain(cls, error: domain.ProductUnavailableInLocation, names: domain.Names) -> Self:
        return cls(
            **cls.described(error, names),
            product_pk=error.product_id,
            usage_location=error.usage_location,
        )


@strawberry.type(description="The product needs one of some other products the user lacks.")
class MissingDependencyError(ProductLicenseError, reason=domain.MissingDependency):
    product: Product = product_field("The product that was asked for.")
    required_pks: strawberry.Private[tuple[int, ...]]

    @classmethod
    def from_domain(cls, error: domain.MissingDependency, names: domain.Names) -> Self:
        return cls(
            **cls.described(error, names),
            product_pk=error.product_id,
            required_pks=error.required_product_ids,
        )

    @strawberry.field(description="Assign (or hold) at least one of these first.")
    async def required_products(self, info: Info) -> list[Product]:
        return await _products(info, self.required_pks)


@strawberry.type(description="A product can't be revoked while licenses that need it remain.")
class DependentLicenseError(ProductLicenseError, reason=domain.DependentLicense):
    product: Product = product_field("The product whose revoke was refused.")
    dependent_pks: strawberry.Private[tuple[int, ...]]

    @classmethod
    def from_domain(cls, error: domain.DependentLicense, names: domain.Names) -> Self:
        return cls(
            **cls.described(error, names),
            product_pk=error.product_id,
            dependent_pks=error.dependent_product_ids,
        )

    @strawberry.field(description="Products the user keeps that need it; revoke them too.")
    async def dependent_products(self, info: Info) -> list[Product]:
        return await _products(info, self.dependent_pks)


@strawberry.type(description="The product can't be held together with another of the user's.")
class MutuallyExclusiveLicensesError(ProductLicenseError, reason=domain.MutuallyExclusiveLicenses):
    product: Product = product_field("The product that was asked for.")
    conflicting_pks: strawberry.Private[tuple[int, ...]]

    @classmethod
    def from_domain(cls, error: domain.MutuallyExclusiveLicenses, names: domain.Names) -> Self:
        return cls(
            **cls.described(error, names),
            product_pk=error.product_id,
            conflicting_pks=error.conflicting_product_ids,
        )

    @strawberry.field(description="Products held or requested that exclude it.")
    async def conflicting_products(self, info: Info) -> list[Product]:
        return await _products(info, self.conflicting_pks)


@strawberry.type(description="Some disabled service plans are not plans of the product.")
class InvalidServicePlanError(ProductLicenseError, reason=domain.InvalidServicePlan):
    product: Product = product_field("The product the plans were meant for.")
    service_plan_ids: list[strawberry.ID] = strawberry.field(
        description="The ServicePlan ids that do not belong to the product."
    )

    @classmethod
    def from_domain(cls, error: domain.InvalidServicePlan, names: domain.Names) -> Self:
        return cls(
            **cls.described(error, names),
            product_pk=error.product_id,
            service_plan_ids=[
                strawberry.ID(to_global_id("ServicePlan", pk)) for pk in error.service_plan_ids
            ],
        )


@strawberry.type(description="An enabled service plan needs plans that were disabled.")
class ServicePlanDependencyError(ProductLicenseError, reason=domain.ServicePlanDependency):
    product: Product = product_field("The product.")
    plan_pk: strawberry.Private[int]
    required_pks: strawberry.Private[tuple[int, ...]]

    @classmethod
    def from_domain(cls, error: domain.ServicePlanDependency, names: domain.Names) -> Self:
        return cls(
            **cls.described(error, names),
            product_pk=error.product_id,
            plan_pk=error.service_plan_id,
            required_pks=error.required_service_plan_ids,
        )

    @strawberry.field(description="The enabled plan whose requirement is broken.")
    async def service_plan(self, info: Info) -> ServicePlan:
        plans = await _plans(info, (self.plan_pk,))
        return plans[0]

    @strawberry.field(description="Plans it needs enabled; enable them or disable it too.")
    async def required_service_plans(self, info: Info) -> list[ServicePlan]:
        return await _plans(info, self.required_pks)


@strawberry.type(description="No such user in this customer (ids of other customers included).")
class UserNotFoundError(LicenseError, reason=domain.UserNotFound):
    user_id: strawberry.ID = strawberry.field(description="The id as requested.")

    @classmethod
    def from_domain(cls, error: domain.UserNotFound, names: domain.Names) -> Self:
        return cls(
            **cls.described(error, names),
            user_id=strawberry.ID(to_global_id("User", error.user_id)),
        )


@strawberry.type(description="No such product in this customer.")
class ProductNotFoundError(LicenseError, reason=domain.ProductNotFound):
    product_id: strawberry.ID = strawberry.field(description="The id as requested.")

    @classmethod
    def from_domain(cls, error: domain.ProductNotFound, names: domain.Names) -> Self:
        return cls(
            **cls.described(error, names),
            product_id=strawberry.ID(to_global_id("Product", error.product_id)),
        )


async def _groups(root: InheritedLicenseError, info: Info) -> list[Any]:
    from licgraph.graphql.types.groups import Group  # noqa: PLC0415 - groups import errors

    found = await info.context.loaders.group_by_id.load_many(list(root.group_pks))
    groups = sorted(
        (group for group in found if group is not None), key=lambda g: g.name.casefold()
    )
    return [Group.from_domain(group) for group in groups]


@strawberry.type(
    description="A direct revoke of a product the user holds only through groups; the "
    "license stays."
)
class InheritedLicenseError(ProductLicenseError, reason=domain.InheritedLicense):
    product: Product = product_field("The product the user holds through groups.")
    group_pks: strawberry.Private[tuple[int, ...]]
    groups: list[Annotated[Group, strawberry.lazy("licgraph.graphql.types.groups")]] = (
        strawberry.field(
            resolver=_groups,
            description="The groups granting the product to the user, by name.",
        )
    )

    @classmethod
    def from_domain(cls, error: domain.InheritedLicense, names: domain.Names) -> Self:
        return cls(
            **cls.described(error, names), product_pk=error.product_id, group_pks=error.group_ids
        )


LICENSE_ERROR_TYPES: tuple[type[LicenseError], ...] = tuple(
    _TYPES[reason] for reason in domain.REASONS.values()
)
"""One type per domain reason, in the order of the codes (what the schema lists)."""


def license_errors(
    errors: Sequence[domain.LicenseError], names: domain.Names
) -> list[LicenseError]:
    """The GraphQL types for domain errors, their messages naming things with ``names``."""
    return [_TYPES[type(error)].from_domain(error, names) for error in errors]


async def shown(info: Info, errors: Sequence[domain.LicenseError]) -> list[LicenseError]:
    """The GraphQL types for domain errors, their messages naming products and plans."""
    return license_errors(errors, await error_names(info, errors))


class _Mentioned:
    """Names that remember which products and plans a message asked for."""

    def __init__(self) -> None:
        self.products: set[int] = set()
        self.plans: set[int] = set()

    def product(self, product_id: int) -> str:
        self.products.add(product_id)
        return ""

    def service_plan(self, service_plan_id: int) -> str:
        self.plans.add(service_plan_id)
        return ""


class _LoadedNames:
    """Product and plan names for messages, falling back to ids for anything not loaded."""

    def __init__(self, products: dict[int, str], plans: dict[int, str]) -> None:
        self._products = products
        self._plans = plans

    def product(self, product_id: int) -> str:
        return self._products.get(product_id) or domain.IDS.product(product_id)

    def service_plan(self, service_plan_id: int) -> str:
        return self._plans.get(service_plan_id) or domain.IDS.service_plan(service_plan_id)


async def error_names(info: Info, errors: Sequence[domain.LicenseError]) -> domain.Names:
    """The names of every product and plan the messages of ``errors`` use (one batch each)."""
    mentioned = _Mentioned()
    for error in errors:
        error.describe(mentioned)
    loaders = info.context.loaders
    products = await loaders.product_by_id.load_many(sorted(mentioned.products))
    plans = await loaders.service_plan_by_id.load_many(sorted(mentioned.plans))
    return _LoadedNames(
        {product.id: product.name for product in products if product is not None},
        {plan.id: plan.name for plan in plans if plan is not None},
    )
