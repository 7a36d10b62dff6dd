"""Settings, read once from the environment (``LICGRAPH_*``) and passed down explicitly."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./licgraph.db"


class Settings(BaseSettings):
    """Every knob of the service; each field maps to ``LICGRAPH_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="LICGRAPH_", frozen=True, extra="ignore")

    database_url: str = Field(DEFAULT_DATABASE_URL, description="SQLAlchemy async URL.")
    host: str = Field("127.0.0.1", description="Address `licgraph serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `licgraph serve` listens on.")
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
    graphiql: bool = Field(True, description="Serve GraphiQL to browsers on /graphql.")
