"""A Microsoft 365-like product catalog for the demo: suites, add-ons and their rules."""

from __future__ import annotations

from licgraph.services.seeding.dataset import PlanSpec, ProductSpec

E3 = "SPE_E3"
E5 = "SPE_E5"
E1 = "STANDARDPACK"
EXCHANGE_1 = "EXCHANGESTANDARD"
EXCHANGE_2 = "EXCHANGEENTERPRISE"
VISIO = "VISIOCLIENT"
PROJECT = "PROJECTPROFESSIONAL"
POWER_BI = "POWER_BI_PRO"
TEAMS_PHONE = "MCOEV"
COPILOT = "Microsoft_365_Copilot"

# Plan names as the Microsoft 365 admin center shows them.
TEAMS = "Microsoft Teams"
SWAY = "Sway"
VIVA_ENGAGE = "Viva Engage (Yammer Enterprise)"
PHONE_SYSTEM = "Microsoft 365 Phone System"
EXCHANGE_PLAN_1 = "Exchange Online (Plan 1)"
EXCHANGE_PLAN_2 = "Exchange Online (Plan 2)"
SHAREPOINT_PLAN_1 = "SharePoint Online (Plan 1)"
SHAREPOINT_PLAN_2 = "SharePoint Online (Plan 2)"


def _collaboration(exchange: str, sharepoint: str) -> tuple[PlanSpec, ...]:
    # Teams stores chats in Exchange and files in SharePoint: those stay on while it is on.
    return (
        PlanSpec(exchange),
        PlanSpec(sharepoint),
        PlanSpec(TEAMS, requires=(sharepoint, exchange)),
        PlanSpec(VIVA_ENGAGE),
        PlanSpec(SWAY),
    )


_E3_PLANS = (
    *_collaboration(EXCHANGE_PLAN_2, SHAREPOINT_PLAN_2),
    PlanSpec("Microsoft 365 Apps for enterprise"),
    PlanSpec("Microsoft Forms (Plan E3)"),
    PlanSpec("Microsoft Planner", requires=(EXCHANGE_PLAN_2,)),
    PlanSpec("Microsoft Intune Plan 1"),
)
_E5_PLANS = (
    *_collaboration(EXCHANGE_PLAN_2, SHAREPOINT_PLAN_2),
    PlanSpec("Microsoft 365 Apps for enterprise"),
    PlanSpec("Microsoft Forms (Plan E5)"),
    PlanSpec("Microsoft Defender for Office 365 (Plan 2)"),
    PlanSpec("Power BI Pro"),
    PlanSpec(PHONE_SYSTEM, requires=(TEAMS,)),
)
_E1_PLANS = (
    *_collaboration(EXCHANGE_PLAN_1, SHAREPOINT_PLAN_1),
    PlanSpec("Office for the web"),
    PlanSpec("Microsoft Forms (Plan E1)"),
)

SUITES = (E3, E5, E1)

CATALOG: dict[str, ProductSpec] = {
    product.sku_part_number: product
    for product in (
        ProductSpec(E3, "Microsoft 365 E3", service_plans=_E3_PLANS, conflicts_with=(E5, E1)),
        ProductSpec(E5, "Microsoft 365 E5", service_plans=_E5_PLANS, conflicts_with=(E1,)),
        ProductSpec(E1, "Office 365 E1", service_plans=_E1_PLANS),
        ProductSpec(
            EXCHANGE_1,
            "Exchange Online (Plan 1)",
            service_plans=(PlanSpec(EXCHANGE_PLAN_1),),
            conflicts_with=(EXCHANGE_2,),
        ),
        ProductSpec(
            EXCHANGE_2, "Exchange Online (Plan 2)", service_plans=(PlanSpec(EXCHANGE_PLAN_2),)
        ),
        ProductSpec(
            VISIO,
            "Visio Plan 2",
            service_plans=(PlanSpec("Visio desktop app"), PlanSpec("Visio web app")),
            requires_any_of=SUITES,
        ),
        ProductSpec(
            PROJECT,
            "Project Plan 3",
            service_plans=(
                PlanSpec("Project Online Service"),
                PlanSpec("Project Online Desktop Client", requires=("Project Online Service",)),
            ),
            requires_any_of=SUITES,
        ),
        ProductSpec(POWER_BI, "Power BI Pro", service_plans=(PlanSpec("Power BI Pro"),)),
        ProductSpec(
            TEAMS_PHONE,
            "Microsoft Teams Phone Standard",
            service_plans=(PlanSpec(PHONE_SYSTEM),),
            requires_any_of=SUITES,
            unavailable_in=("CN", "IN"),
        ),
        ProductSpec(
            COPILOT,
            "Microsoft 365 Copilot",
            service_plans=(
                PlanSpec("Microsoft 365 Copilot in productivity apps"),
                PlanSpec("Microsoft 365 Copilot Chat"),
                PlanSpec("Microsoft 365 Copilot in Microsoft Teams"),
                PlanSpec("Graph connectors in Microsoft 365 Copilot"),
            ),
            # The E1 suite has no desktop apps for Copilot to work in.
            requires_any_of=(E3, E5),
            unavailable_in=("CN",),
        ),
    )
}
