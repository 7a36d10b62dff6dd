"""Every type, field, argument, input field and enum value of the API is described (clients
read them; graphql-schema-linter checks the same in tools/)."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_schema,
)

from licgraph.graphql.schema import export_schema


def undescribed() -> list[str]:
    schema = build_schema(export_schema())
    missing: list[str] = []
    for name, graphql_type in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Boolean", "ID", "Float"}:
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing.extend(
                    f"{name}.{field_name}({arg})"
                    for arg, argument in field.args.items()
                    if not argument.description
                )
        if isinstance(graphql_type, GraphQLEnumType):
            missing.extend(
                f"{name}.{value_name}"
                for value_name, value in graphql_type.values.items()
                if not value.description
            )
        if isinstance(graphql_type, GraphQLInputObjectType):
            missing.extend(
                f"{name}.{field_name}"
                for field_name, field in graphql_type.fields.items()
                if not field.description
            )
    return missing


def test_every_part_of_the_schema_has_a_description() -> None:
    assert undescribed() == []


def test_enum_types_are_described() -> None:
    schema = build_schema(export_schema())
    enums = [t for n, t in schema.type_map.items() if isinstance(t, GraphQLEnumType)]
    assert all(enum.description for enum in enums if not enum.name.startswith("__"))
