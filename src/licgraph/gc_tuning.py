"""The cyclic garbage collector, tuned for a server answering requests.

A request leaves mostly acyclic garbage, which reference counting frees at once; what the
collector scans is everything alive. Python's default (a young collection every 700 new
objects) walks the heap of every request in flight over and over, and the long-lived objects
of the application (schema, modules, pools) at every full collection. So, once start-up is
over: freeze what exists (never scanned again) and collect young objects far less often.
"""

from __future__ import annotations

import gc

# New container objects between young collections (default 700), then young and middle
# collections between older ones (defaults 10 and 10).
THRESHOLDS = (50_000, 20, 20)


def tune_for_serving() -> None:
    """Freeze what start-up built and collect less often (call once the app is ready)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
