"""The example operations shipped in the package (``examples/`` at the repository root).

Each ``NAME.graphql`` holds one operation named NAME; ``NAME.variables.json`` beside it, if
any, holds variables that work against the demo data of a fresh ``licgraph serve --demo``.
GraphiQL opens them as tabs, in the order a frontend walks the seed's flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

# The seed's flow; examples not named here follow, alphabetically.
FLOW_ORDER = (
    "Viewer",
    "CustomersPage",
    "UsersPage",
    "ManageLicenses",
    "DryRunSave",
    "SaveLicenses",
    "PurchaseLicenses",
    "SetUsageLocation",
    "ChangeLogPage",
)
DOCUMENT_SUFFIX = ".graphql"
VARIABLES_SUFFIX = ".variables.json"


@dataclass(frozen=True, slots=True)
class ExampleOperation:
    """One example: its operation name, document text and variables (JSON text, or None)."""

    name: str
    document: str
    variables: str | None


def examples_folder() -> Traversable:
    """Where the examples live inside the installed package."""
    return files("licgraph") / "examples"


@cache
def example_operations() -> tuple[ExampleOperation, ...]:
    """Every example, in the flow's order."""
    folder = examples_folder()
    documents = {
        entry.name.removesuffix(DOCUMENT_SUFFIX): entry
        for entry in folder.iterdir()
        if entry.name.endswith(DOCUMENT_SUFFIX)
    }
    ordered = sorted(documents, key=lambda name: (_position(name), name))
    return tuple(_read(folder, name, documents[name]) for name in ordered)


def _position(name: str) -> int:
    return FLOW_ORDER.index(name) if name in FLOW_ORDER else len(FLOW_ORDER)


def _read(folder: Traversable, name: str, document: Traversable) -> ExampleOperation:
    variables = folder / f"{name}{VARIABLES_SUFFIX}"
    return ExampleOperation(
        name=name,
        document=document.read_text(encoding="utf-8"),
        variables=variables.read_text(encoding="utf-8") if variables.is_file() else None,
    )
