"""Keeping stored scorecards fresh: a debounced refresher in a background thread.

Why a thread in the web process: the dashboard must catch up within a second of a dossier action,
and a laptop demo runs one process (no broker, no second command to remember). After a change
commits, `services.mark_stale` marks the affected stored results and pokes `refresher`; the thread
wakes, waits until at least `INTERVAL` has passed since its previous run (so a burst of actions
costs one recomputation per half second, not one each), and recomputes the current year, quarter
and month of every loaded plan (`services.refresh_current`). Correctness never depends on it:
a stale stored result is recomputed when read. Deployments that keep web workers free of this
work set MOTCUA_SCORECARD_REFRESH=off and run `motcua scorecard-refresh --watch` beside them.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

INTERVAL = 0.5  # seconds: at most one recomputation per interval


def enabled() -> bool:
    """The in-process refresher runs unless MOTCUA_SCORECARD_REFRESH is `off` (setting or environment)."""
    mode = getattr(settings, "MOTCUA_SCORECARD_REFRESH", None) or os.environ.get(
        "MOTCUA_SCORECARD_REFRESH", "thread"
    )
    return str(mode).strip().lower() not in {"off", "0", "false", "no"}


class Refresher:
    """A daemon thread that runs `services.refresh_current` after `notify()`, at most once per interval.

    A failed run (a locked database, say) is retried one interval later. `runs` counts finished
    runs and `wait_for_runs` lets a caller (tests, the benchmark) wait for one without polling
    the database.
    """

    def __init__(self, interval: float = INTERVAL) -> None:
        self.interval = interval
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._done = threading.Condition()
        self._thread: threading.Thread | None = None
        self._last_run = 0.0
        self.runs = 0
        self.failures = 0

    def notify(self) -> None:
        """Ask for a refresh soon (cheap; called on commit after every change)."""
        if not enabled():
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="scorecard-refresher", daemon=True)
                self._thread.start()
        self._wake.set()

    def wait_for_runs(self, count: int, timeout: float) -> bool:
        """Block until `runs` reaches `count` (True) or `timeout` seconds pass (False)."""
        with self._done:
            return self._done.wait_for(lambda: self.runs >= count, timeout)

    def _loop(self) -> None:
        while True:
            self._wake.wait()
            pause = self.interval - (time.monotonic() - self._last_run)
            if pause > 0:
                time.sleep(pause)
            self._wake.clear()
            self._last_run = time.monotonic()
            try:
                ok = self.run_once()
            finally:
                # The thread's own connection: never left open between runs.
                connection.close()
            with self._done:
                self.runs += 1
                self._done.notify_all()
            if not ok:
                self._wake.set()

    def run_once(self) -> bool:
        """One refresh; an error is logged and reported as False, never raised."""
        from motcua.scorecard.services import refresh_current

        try:
            refresh_current()
            return True
        except Exception:  # a failed refresh must not kill the thread; it is retried
            self.failures += 1
            logger.exception("scorecard refresh failed")
            return False


refresher = Refresher()
