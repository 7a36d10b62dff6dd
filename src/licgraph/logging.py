"""Structured logs: one JSON object per line on stderr, request ids included.

structlog's own loggers and the standard library's (uvicorn, SQLAlchemy, Alembic) end in
the same JSON renderer; a line logged while a request runs carries its ``request_id``
(bound by ``observability.requests``).
"""

from __future__ import annotations

import logging
import sys

import structlog
from structlog.typing import Processor

# Tracebacks without local variables: locals would copy request data into logs.
_EXCEPTIONS = structlog.processors.ExceptionRenderer(
    structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
)
_SHARED: list[Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure_logging(level: int = logging.INFO, *, library_level: int = logging.WARNING) -> None:
    """Send structlog and stdlib logs to stderr as JSON lines (no locals, no colours).

    Libraries log at ``library_level`` and above (their INFO lines would drown the CLI's
    output); ``serve`` lowers it for uvicorn.
    """
    structlog.configure(
        processors=[*_SHARED, _EXCEPTIONS, structlog.processors.JSONRenderer()],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*_SHARED, structlog.stdlib.add_logger_name],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                _EXCEPTIONS,
                structlog.processors.JSONRenderer(),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(library_level)


def log_server_events() -> None:
    """uvicorn's start, stop and error lines (INFO), as JSON like the rest."""
    logging.getLogger("uvicorn").setLevel(logging.INFO)
