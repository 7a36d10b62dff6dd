"""Inputs shared by the license mutations, and their decoding into domain values."""

from __future__ import annotations

import strawberry

from licgraph.config import Settings
from licgraph.domain.license_change import LicenseToAssign as DomainLicenseToAssign
from licgraph.graphql.arguments import check_id_count, id_argument, id_list_argument

DRY_RUN = "Run every check and return what a real run would, writing nothing."
IDEMPOTENCY_KEY = (
    "Retries with the same key and input return the first result and change nothing; "
    "the same key with another input is refused (IDEMPOTENCY_KEY_REUSED). Keys are per caller."
)
ATOMIC = "Write nothing unless every user succeeds (default: users are independent)."
USER_IDS = "The selected users (at most 10,000; duplicates count once)."


@strawberry.input(description="A product to assign, with the service plans to switch off.")
class LicenseToAssign:
    product_id: strawberry.ID = strawberry.field(description="The Product to assign.")
    disabled_service_plan_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="ServicePlans of the product to switch off for these users (default none).",
    )

    def to_domain(self, settings: Settings) -> DomainLicenseToAssign:
        return DomainLicenseToAssign(
            product_id=id_argument(self.product_id, "Product"),
            disabled_service_plan_ids=frozenset(
                id_list_argument(
                    self.disabled_service_plan_ids,
                    "ServicePlan",
                    limit=settings.max_ids_per_request,
                    argument="disabledServicePlanIds",
                )
            ),
        )


def user_ids_argument(user_ids: list[strawberry.ID], settings: Settings) -> tuple[int, ...]:
    """Decoded distinct user ids; the raw list may be as long as the user limit allows."""
    limit = max(settings.max_ids_per_request, settings.max_users_per_mutation)
    return tuple(id_list_argument(user_ids, "User", limit=limit, argument="userIds"))


def product_ids_argument(product_ids: list[strawberry.ID], settings: Settings) -> tuple[int, ...]:
    """Decoded product ids, repeats kept so that validation can refuse them clearly."""
    check_id_count(len(product_ids), limit=settings.max_ids_per_request, argument="productIds")
    return tuple(id_argument(product_id, "Product") for product_id in product_ids)
