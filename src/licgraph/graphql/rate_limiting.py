"""The HTTP face of rate limiting: which limiter an endpoint uses, and its 429 answer."""

from __future__ import annotations

import math

from starlette.responses import JSONResponse, Response

from licgraph.config import Settings
from licgraph.db.engine import Database
from licgraph.domain.access import Principal
from licgraph.domain.rate_limit import RatePolicy
from licgraph.observability.metrics import count_rate_limited
from licgraph.observability.record import note_outcome
from licgraph.services.rate_limits import RateLimiter, create_rate_limiter

RATE_LIMITED_CODE = "RATE_LIMITED"


def rate_limiter_for(*, database: Database, settings: Settings) -> RateLimiter:
    """The limiter of one server process, with the policy of ``settings``."""
    policy = RatePolicy(per_second=settings.rate_limit_per_second, burst=settings.rate_limit_burst)
    return create_rate_limiter(database=database, policy=policy)


async def rate_limit_refusal(
    limiter: RateLimiter, principal: Principal, media_type: str
) -> Response | None:
    """A 429 answer if the caller's token is over its rate, else None (the request may run)."""
    decision = await limiter.admit(token_id=principal.token_id)
    if decision.allowed:
        return None
    count_rate_limited()
    return too_many_requests(decision.retry_after, media_type)


def too_many_requests(retry_after: float, media_type: str) -> Response:
    """429 with ``Retry-After`` (whole seconds, as HTTP wants) and the exact wait in the body."""
    seconds = math.ceil(retry_after * 1000) / 1000  # to the millisecond, never early
    body = {
        "errors": [
            {
                "message": f"Too many requests with this token: retry in {seconds} s.",
                "extensions": {"code": RATE_LIMITED_CODE, "retryAfterSeconds": seconds},
            }
        ]
    }
    headers = {"Retry-After": str(max(1, math.ceil(retry_after)))}
    note_outcome(RATE_LIMITED_CODE)
    return JSONResponse(body, status_code=429, headers=headers, media_type=media_type)
