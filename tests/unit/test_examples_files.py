"""The example files keep their promises: one operation each, named as the file, valid
against the schema, with variables for every required one, and one copy only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from graphql import (
    NonNullTypeNode,
    OperationDefinitionNode,
    build_schema,
    parse,
    validate,
)

from licgraph.graphql.examples import FLOW_ORDER, ExampleOperation, example_operations
from licgraph.graphql.schema import export_schema

ROOT = Path(__file__).parents[2]
EXAMPLES = example_operations()


def operations_of(example: ExampleOperation) -> list[OperationDefinitionNode]:
    document = parse(example.document)
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def test_the_examples_folder_is_the_package_s_own() -> None:
    # One source of truth: the root folder is a link to what the package ships.
    assert (ROOT / "examples").is_symlink()
    assert (ROOT / "examples").resolve() == ROOT / "src" / "licgraph" / "examples"


def test_the_flow_names_every_example_once() -> None:
    assert sorted(FLOW_ORDER) == sorted(example.name for example in EXAMPLES)
    assert [example.name for example in EXAMPLES] == list(FLOW_ORDER)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_one_operation_named_as_its_file(example: ExampleOperation) -> None:
    [operation] = operations_of(example)

    assert operation.name is not None
    assert operation.name.value == example.name


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_valid_against_the_schema(example: ExampleOperation) -> None:
    assert validate(build_schema(export_schema()), parse(example.document)) == []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_variables_cover_what_the_operation_requires(example: ExampleOperation) -> None:
    [operation] = operations_of(example)
    declared = {d.variable.name.value: d for d in operation.variable_definitions or ()}
    required = {
        name
        for name, definition in declared.items()
        if isinstance(definition.type, NonNullTypeNode) and definition.default_value is None
    }

    given = json.loads(example.variables) if example.variables is not None else {}

    assert isinstance(given, dict)
    assert required <= set(given), f"{example.name}.variables.json lacks {required - set(given)}"
    assert set(given) <= set(declared), f"{example.name}.variables.json has unknown variables"
