"""Seats of every product, for the operator's gauges (not a caller's read: no scope)."""

from __future__ import annotations

from licgraph.db.engine import Database
from licgraph.db.repositories.products import ProductRepository
from licgraph.domain.catalog import Product


async def every_products_seats(*, database: Database) -> list[Product]:
    """Every customer's products with their total and assigned seats, in one statement."""
    async with database.connect() as connection:
        return await ProductRepository(connection).every_product()
