"""`schema.graphql` is generated from the code; this fails when the two drift apart."""

from __future__ import annotations

from pathlib import Path

from licgraph.graphql.schema import export_schema

SCHEMA_FILE = Path(__file__).parent.parent / "schema.graphql"


def test_schema_file_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text() == export_schema(), (
        "schema.graphql is stale: run `make schema` (licgraph export-schema > schema.graphql)"
    )
