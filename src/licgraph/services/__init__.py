"""Use cases: each opens its own connection or transaction and returns domain values."""
