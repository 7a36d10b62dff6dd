"""Top-level GraphQL errors the API raises on purpose, each with an ``extensions.code``."""

from __future__ import annotations

from graphql import GraphQLError


class ClientError(GraphQLError):
    """Raised when the caller did something the API refuses; carries a machine-readable code."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, **extensions: object) -> None:
        super().__init__(message, extensions={"code": self.code, **extensions})


class BadUserInputError(ClientError):
    """Raised when an argument is malformed or out of range; nothing was changed."""

    code = "BAD_USER_INPUT"


class NotFoundError(ClientError):
    """Raised when an id names nothing the caller may see (absent and hidden look alike)."""

    code = "NOT_FOUND"


class SubscriptionLimitError(ClientError):
    """Raised when a token already holds as many live subscriptions as it may."""

    code = "TOO_MANY_SUBSCRIPTIONS"
