"""Exceptions use cases raise; the GraphQL layer maps each to a top-level error code once."""

from __future__ import annotations


class CustomerNotFoundError(LookupError):
    """Raised when a customer does not exist or the caller may not see it (indistinguishable)."""


class LicenseJobNotFoundError(LookupError):
    """Raised when a license job does not exist or the caller may not see it (indistinguishable)."""


class PermissionDeniedError(PermissionError):
    """Raised when the caller's role may not perform the change it asked for."""


class RetriesExhaustedError(RuntimeError):
    """Raised when a transaction kept meeting transient conflicts after every retry."""


class GroupNotFoundError(LookupError):
    """Raised when a group does not exist or the caller may not see it (indistinguishable)."""
