"""`licgraph persisted-operations build DIR`: the manifest of a folder's operations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer

from licgraph.cli.errors import CommandError
from licgraph.cli.groups import persisted_app
from licgraph.domain.trusted_documents import build_manifest

DOCUMENT_GLOB = "*.graphql"


@persisted_app.command("build")
def build_command(
    folder: Annotated[
        Path,
        typer.Argument(help="A folder of .graphql files, one operation each (e.g. examples/)."),
    ],
) -> None:
    """Print the manifest {sha256 hex of the text: text} of every .graphql file in FOLDER.

    Serve it with LICGRAPH_PERSISTED_OPERATIONS=manifest.json; clients then send only
    {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hash>"}}}.
    """
    if not folder.is_dir():
        raise CommandError(f"{folder} is not a folder")
    files = sorted(folder.glob(DOCUMENT_GLOB))
    if not files:
        raise CommandError(f"{folder} holds no {DOCUMENT_GLOB} file")
    # Hashed exactly as stored (bytes decoded as UTF-8, newlines kept): clients hash the
    # same text they would send.
    documents = [path.read_bytes().decode() for path in files]
    manifest = build_manifest(documents)
    typer.echo(orjson.dumps(manifest, option=orjson.OPT_INDENT_2).decode())
