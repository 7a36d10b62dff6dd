"""Settings of operating licgraph: workers, metrics, tracing."""

from __future__ import annotations

import os
import subprocess

import pytest
from pydantic import ValidationError

from licgraph.config import Settings, usable_cores
from tests.e2e.servers import LICGRAPH


def test_workers_default_to_the_cores_this_process_may_use() -> None:
    assert Settings().workers == usable_cores() == len(os.sched_getaffinity(0))


def test_observability_defaults_are_metrics_on_seats_and_tracing_off() -> None:
    settings = Settings()

    assert (settings.metrics, settings.metrics_seats, settings.otel) == (True, False, False)


@pytest.mark.parametrize("workers", [0, -1])
def test_fewer_than_one_worker_is_refused(workers: int) -> None:
    with pytest.raises(ValidationError):
        Settings(workers=workers)


def test_serve_refuses_zero_workers_before_touching_anything() -> None:
    done = subprocess.run(  # noqa: S603 - our own console script
        [LICGRAPH, "serve", "--workers", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 2
    assert "--workers" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_bad_workers_variable_is_one_line_naming_it() -> None:
    env = {**os.environ, "LICGRAPH_WORKERS": "many"}

    done = subprocess.run(  # noqa: S603 - our own console script
        [LICGRAPH, "serve"], env=env, capture_output=True, text=True, timeout=60, check=False
    )

    assert done.returncode == 2
    assert done.stderr.startswith("licgraph: error: invalid setting: LICGRAPH_WORKERS")
