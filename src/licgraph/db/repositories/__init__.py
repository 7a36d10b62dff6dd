"""Async repositories: SQL in, domain values out."""
