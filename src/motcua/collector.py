"""Pausing Python's cyclic garbage collector over work that allocates heavily and makes no cycles.

An import builds millions of short-lived rows; a scorecard evaluation some 10⁵ partial sums and
result rows, which it keeps. The cyclic collector runs every few hundred allocations and, as
long-lived objects pile up, traverses them again and again on the way to finding nothing: a third
of the scorecard workload's time (docs/performance.md). None of these objects is in a reference
cycle, so reference counting frees them as before; a cycle made meanwhile anywhere in the process
waits for the next collection after the last pause ends.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_pauses = 0
_was_enabled = True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block. Reentrant and safe across threads: the collector
    resumes when the last block open in the process ends, and only if it was on before the first."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
