"""Persistence: tables, engines, repositories and migrations."""
