"""Seed data sets: the hand-written demo and large generated ones for scale."""

from __future__ import annotations

from licgraph.services.seeding.dataset import SeedSummary
from licgraph.services.seeding.demo import DatabaseNotEmptyError, seed_demo, seed_demo_if_empty
from licgraph.services.seeding.synthetic import seed_synthetic

__all__ = [
    "DatabaseNotEmptyError",
    "SeedSummary",
    "seed_demo",
    "seed_demo_if_empty",
    "seed_synthetic",
]
