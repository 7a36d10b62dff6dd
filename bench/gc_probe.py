"""Times Python's cyclic garbage collector inside a server, without touching the server's code.

Run the server through it, as a module:

    python bench/gc_probe.py OUT.json -m licgraph serve --port 8000

It installs ``gc.callbacks`` that time every collection, then runs the module as
``__main__``. At start, on SIGUSR1 and at a normal exit it writes cumulative totals to
OUT.json (atomically, with a sequence number that grows on every write); a benchmark
signals before and after a load and subtracts. Collections are timed in CPU time of the
collecting thread (``time.thread_time``), so a server preempted on a busy core is not
charged for the wait; the callbacks cost two clock reads per collection.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import runpy
import signal
import sys
import time
from pathlib import Path
from typing import Any


class _Totals:
    """Seconds and counts per generation, and the longest pause, since start."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.seconds = [0.0, 0.0, 0.0]
        self.collections = [0, 0, 0]
        self.longest = 0.0
        self.sequence = 0
        self._started = 0.0

    def on_gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.thread_time()
            return
        elapsed = time.thread_time() - self._started
        generation = info["generation"]
        self.seconds[generation] += elapsed
        self.collections[generation] += 1
        self.longest = max(self.longest, elapsed)

    def write(self, *_: object) -> None:
        self.sequence += 1
        figures = {
            "sequence": self.sequence,
            "gc_seconds": sum(self.seconds),
            "gc_seconds_by_generation": self.seconds,
            "collections_by_generation": self.collections,
            "longest_pause_seconds": self.longest,
            "process_cpu_seconds": time.process_time(),
            # Objects the collector tracks right now (one O(n) walk per snapshot, not per GC).
            "tracked_objects": len(gc.get_objects()),
        }
        partial = self.out.with_suffix(".tmp")
        partial.write_text(json.dumps(figures))
        os.replace(partial, self.out)


def install(out: Path) -> None:
    """Start timing collections; totals go to ``out`` on SIGUSR1 and at exit.

    With LICGRAPH_BENCH_GC_DISABLED=1 the collector is switched off instead (for profiles
    of everything else; memory then grows by whatever cycles the server makes).
    """
    if os.environ.get("LICGRAPH_BENCH_GC_DISABLED") == "1":
        gc.disable()
    totals = _Totals(out)
    gc.callbacks.append(totals.on_gc)
    signal.signal(signal.SIGUSR1, totals.write)
    atexit.register(totals.write)
    totals.write()


def main() -> None:
    """``gc_probe.py OUT -m MODULE ARGS...``: probe installed, MODULE run as __main__."""
    if len(sys.argv) < 4 or sys.argv[2] != "-m":
        raise SystemExit(__doc__)
    out, module, arguments = Path(sys.argv[1]), sys.argv[3], sys.argv[4:]
    install(out)
    sys.argv = [module, *arguments]
    # The bench folder is on sys.path because this script lives there: modules such as
    # bare_app import from it; licgraph and uvicorn come from the virtualenv as usual.
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
