"""Settings, read once from the environment (``LICGRAPH_*``) and passed down explicitly."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Annotated, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./licgraph.db"


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least one."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


# What a browser sends in `Origin`: scheme, host and optional port, no path.
_ORIGIN = re.compile(r"^https?://[^/\s]+$")


class Settings(BaseSettings):
    """Every knob of the service; each field maps to ``LICGRAPH_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="LICGRAPH_", frozen=True, extra="ignore")

    database_url: str = Field(DEFAULT_DATABASE_URL, description="SQLAlchemy async URL.")
    host: str = Field("127.0.0.1", description="Address `licgraph serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `licgraph serve` listens on.")
    workers: int = Field(
        default_factory=usable_cores,
        ge=1,
        description="Server processes `licgraph serve` runs on its one port (default: cores).",
    )
    db_pool_size: int = Field(10, ge=1, description="PostgreSQL connection pool size.")
    db_pool_timeout: float = Field(
        10.0, gt=0, description="Seconds to wait for a pooled connection."
    )
    sqlite_busy_timeout_ms: int = Field(
        30_000, ge=0, description="How long a SQLite writer waits for the lock."
    )
    startup_timeout: float = Field(
        30.0, ge=0, description="Seconds `serve` keeps retrying an unreachable database."
    )
    max_page_size: int = Field(100, ge=1, description="Largest `first`/`last` a list accepts.")
    max_users_per_mutation: int = Field(
        10_000, ge=1, description="Most distinct users one license update may name."
    )
    max_ids_per_request: int = Field(
        10_000, ge=1, description="Most ids a list argument (`ids`, `userIds`) may carry."
    )
    max_query_depth: int = Field(12, ge=2, description="Deepest selection a query may nest.")
    max_aliases: int = Field(30, ge=1, description="Most aliases one operation may use.")
    max_tokens: int = Field(5_000, ge=10, description="Most lexical tokens one document may hold.")
    max_query_cost: int = Field(
        150_000, ge=1, description="Highest estimated cost (objects an answer may hold) allowed."
    )
    max_body_bytes: int = Field(
        4 * 1024 * 1024, ge=1024, description="Largest request body in bytes; 413 beyond."
    )
    max_batch_size: int = Field(
        0, ge=0, description="Most operations in a batched (JSON array) request; 0: no batching."
    )
    rate_limit_per_second: float = Field(
        20.0, ge=0, description="Requests a token regains per second; 0: no rate limit."
    )
    rate_limit_burst: int = Field(
        100, ge=0, description="Requests a token may make at once; 0: no rate limit."
    )
    job_runner: bool = Field(
        True, description="Whether `serve` also works license jobs in the background."
    )
    job_chunk_size: int = Field(
        500, ge=1, le=10_000, description="Users a license job processes per transaction."
    )
    job_lease_seconds: float = Field(
        30.0, gt=0, description="Seconds after which a silent runner's job is taken over."
    )
    job_poll_seconds: float = Field(
        1.0, gt=0, description="How often an idle runner looks for license jobs."
    )
    subscription_poll_seconds: float = Field(
        0.25,
        gt=0,
        description="How often a subscription looks for news without a notification "
        "(SQLite's only way; on PostgreSQL a safety net under LISTEN/NOTIFY).",
    )
    max_subscriptions_per_token: int = Field(
        20, ge=1, description="Live subscriptions one token may hold in one server process."
    )
    websocket_idle_timeout_seconds: float = Field(
        300.0, gt=0, description="A WebSocket without a subscription for this long is closed."
    )
    websocket_auth_check_seconds: float = Field(
        5.0, gt=0, description="How often a WebSocket's token is checked again (revocation)."
    )
    graphiql: bool = Field(True, description="Serve GraphiQL to browsers on /graphql.")
    introspection: bool = Field(
        True, description="Answer `__schema`/`__type` queries (GraphiQL needs them)."
    )
    cors_allowed_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        (),
        description="Browser origins allowed to call the API cross-site (comma-separated or "
        "a JSON list; `*` for any); none by default.",
    )

    persisted_operations: Path | None = Field(
        None,
        description="A manifest of trusted documents, {sha256 hex: document} "
        "(`licgraph persisted-operations build examples/` writes one).",
    )
    only_persisted: bool = Field(
        False, description="Run only the manifest's documents; refuse every other one."
    )

    metrics: bool = Field(True, description="Serve Prometheus metrics on /metrics.")
    metrics_seats: bool = Field(
        False,
        description="Add per-product seat gauges to /metrics (one series per customer and "
        "product: off by default for label cardinality).",
    )
    otel: bool = Field(
        False,
        description="Export OpenTelemetry traces over OTLP/HTTP, configured by OTEL_* variables.",
    )

    @model_validator(mode="after")
    def _only_persisted_needs_a_manifest(self) -> Self:
        # Persisted-only without a manifest would refuse every request: a mistake, not a mode.
        if self.only_persisted and self.persisted_operations is None:
            raise ValueError(
                "LICGRAPH_ONLY_PERSISTED=true needs LICGRAPH_PERSISTED_OPERATIONS (a manifest)"
            )
        return self

    @field_validator("cors_allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        # pydantic-settings reads list fields as JSON only; a comma list is friendlier.
        if not isinstance(value, str):
            return value
        if value.lstrip().startswith("["):
            return json.loads(value)
        return tuple(part.strip() for part in value.split(",") if part.strip())

    @field_validator("cors_allowed_origins")
    @classmethod
    def _check_origins(cls, origins: tuple[str, ...]) -> tuple[str, ...]:
        # A trailing slash or a path never equals a browser's `Origin`: refuse, don't ignore.
        for origin in origins:
            if origin != "*" and not _ORIGIN.match(origin):
                raise ValueError(f"{origin!r} is not an origin like https://app.example.com")
        return origins
