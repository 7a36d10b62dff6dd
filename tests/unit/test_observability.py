"""The parts of observability that decide something: labels, outcomes, statuses, log format."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from prometheus_client.parser import text_string_to_metric_families

from licgraph.domain.license_update import LicenseUpdateResult, UserLicenseResult
from licgraph.domain.outcomes import OutcomeStatus
from licgraph.observability.metrics import (
    ANONYMOUS_OPERATION,
    NO_OPERATION,
    OTHER_OPERATION,
    OperationLabels,
    Seats,
    render,
)
from licgraph.observability.record import (
    RequestRecord,
    current_record,
    note_customer,
    note_outcome,
    recording,
    request_id_from,
)


def record(**facts: object) -> RequestRecord:
    made = RequestRecord(request_id="r", method="POST", path="/graphql")
    for name, value in facts.items():
        setattr(made, name, value)
    return made


def test_operation_labels_are_names_until_the_limit_then_other() -> None:
    labels = OperationLabels(limit=2)

    assert labels.of(record(operation_name="A")) == "A"
    assert labels.of(record(operation_name="B")) == "B"
    assert labels.of(record(operation_name="C")) == OTHER_OPERATION
    assert labels.of(record(operation_name="A")) == "A"


def test_requests_without_a_named_operation_get_fixed_labels() -> None:
    labels = OperationLabels()

    assert labels.of(record()) == NO_OPERATION
    assert labels.of(record(operation_type="query")) == ANONYMOUS_OPERATION


def test_the_outcome_is_ok_a_client_code_or_internal() -> None:
    assert record().outcome == "ok"
    client = record()
    client.note_outcome(["BAD_USER_INPUT", "NOT_FOUND"])
    assert client.outcome == "BAD_USER_INPUT"
    bug = record()
    bug.note_outcome(["NOT_FOUND", "INTERNAL_SERVER_ERROR"])
    assert bug.outcome == "internal"


def test_notes_reach_the_current_record_only_inside_a_request() -> None:
    note_customer(7)  # outside a request: nothing to note on, and no error
    with recording(record()) as current:
        note_customer(3)
        note_customer(3)
        note_outcome("FORBIDDEN")
        assert current_record() is current
    assert (current.customer_ids, current.outcome) == ([3], "FORBIDDEN")
    assert current_record() is None


def test_a_request_id_is_the_callers_if_sane_else_fresh() -> None:
    assert request_id_from("abc-123.X_y") == "abc-123.X_y"
    for hostile in (None, "", "a" * 65, "x\ny", "<script>", "id with space"):
        fresh = request_id_from(hostile)
        assert fresh != hostile
        assert len(fresh) == 32


def result(
    statuses: list[OutcomeStatus], *, dry_run: bool = False, applied: bool
) -> LicenseUpdateResult:
    users = tuple(UserLicenseResult(n, status, (), ()) for n, status in enumerate(statuses))
    return LicenseUpdateResult(results=users, products=(), dry_run=dry_run, applied=applied)


def test_a_saves_status_says_how_it_went_as_a_whole() -> None:
    ok, failed, same = OutcomeStatus.SUCCEEDED, OutcomeStatus.FAILED, OutcomeStatus.UNCHANGED

    assert result([ok], dry_run=True, applied=False).save_status == "dry_run"
    assert result([ok, failed], applied=True).save_status == "applied"
    assert result([ok, failed], applied=False).save_status == "failed"  # atomic, refused
    assert result([same], applied=False).save_status == "unchanged"


def test_seat_gauges_are_added_when_asked() -> None:
    text = render([Seats("Q3VzdG9tZXI6MQ==", "SPE_E3", total=150, assigned=97)]).decode()

    samples = {
        (sample.name, sample.labels.get("product")): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    assert samples[("licgraph_product_seats", "SPE_E3")] == 150
    assert samples[("licgraph_product_seats_assigned", "SPE_E3")] == 97
    assert "licgraph_product_seats" not in render().decode()


LOGGING_PROGRAM = textwrap.dedent(
    """
    import logging
    import structlog
    from licgraph.logging import configure_logging, log_server_events

    configure_logging()
    log_server_events()
    with structlog.contextvars.bound_contextvars(request_id="req-42"):
        logging.getLogger("uvicorn.error").info("from %s", "uvicorn")
        logging.getLogger("sqlalchemy.engine").warning("from sqlalchemy")
        structlog.get_logger("licgraph").info("from licgraph", n=1)
    logging.getLogger("uvicorn.error").info("outside")
    logging.getLogger("alembic").info("library chatter stays out")
    """
)


def test_library_and_own_logs_are_json_lines_with_the_request_id() -> None:
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", LOGGING_PROGRAM], capture_output=True, text=True, check=True
    )

    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert [(line["event"], line.get("request_id")) for line in lines] == [
        ("from uvicorn", "req-42"),
        ("from sqlalchemy", "req-42"),
        ("from licgraph", "req-42"),
        ("outside", None),
    ]
    assert lines[0]["logger"] == "uvicorn.error"
    assert lines[1]["level"] == "warning"
