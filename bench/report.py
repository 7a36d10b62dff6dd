"""Figures on the terminal: the machine, Markdown tables, medians and ratios."""

from __future__ import annotations

import math
import os
import platform
import shlex
import statistics
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from servers import REPO


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ratio(ours: float, theirs: float) -> str:
    """``ours / theirs`` as ``0.06x`` (or — when there is nothing to divide by)."""
    if not theirs or math.isnan(ours) or math.isnan(theirs):
        return "—"
    value = ours / theirs
    return f"{value:.2f}x" if value < 10 else f"{value:.1f}x"


def number(value: float | None, digits: int = 1) -> str:
    if value is None or math.isnan(value):
        return "—"
    return f"{value:,.{digits}f}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table, columns padded so it also reads well on a terminal."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def _cpu_model() -> str:
    lscpu = subprocess.run(["/usr/bin/lscpu"], capture_output=True, text=True, check=False)
    for line in lscpu.stdout.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _commit() -> str:
    done = subprocess.run(  # noqa: S603 - fixed arguments
        ["/usr/bin/git", "-C", str(REPO), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def machine() -> str:
    """When, where and how: date, cores, CPU model, load, Python, commit, command line."""
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    cores = len(os.sched_getaffinity(0))
    return "\n".join(
        [
            f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"machine: {cores} cores (nproc), {_cpu_model()}; load average {load}",
            f"python {platform.python_version()}; licgraph at {_commit()}",
            f"command: {shlex.join([os.path.relpath(sys.argv[0], REPO), *sys.argv[1:]])}",
        ]
    )
