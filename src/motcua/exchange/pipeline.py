"""A fresh import on two cores: one process prepares rows while the other writes them.

Parsing a line, computing its fact row and building the tuples for every table costs about as
much as writing them. For a fresh import (no stored dossier, so every record is a new dossier with
an id known in advance) a forked worker process reads dossiers.jsonl a second time and prepares each
batch with `DossierWriter.rows_for_new`, while the importing process inserts the previous batch in
its transaction. The worker never touches the database; it inherits the writer (indexes of units
and procedures, the calendar) from the fork and leaves with `os._exit`, so the connection it
inherited is neither used nor closed.
"""

from __future__ import annotations

import gc
import multiprocessing
import queue
import traceback
from collections.abc import Callable
from typing import Any

from motcua.exchange.bundle import Bundle
from motcua.exchange.importer import DossierWriter, dossier_batches

# Below this many dossiers a second process costs more than it saves.
PIPELINE_FROM = 10_000
# Prepared batches waiting to be written: enough to keep both processes busy, few enough to keep
# memory flat.
QUEUE_DEPTH = 2
_POLL_SECONDS = 1.0


class PipelineError(RuntimeError):
    """The worker process failed; carries its traceback."""


def _prepare(writer: DossierWriter, path: str, first_id: int, out: Any) -> None:
    """Worker process: prepared batches into `out`, then None (or a traceback text on failure)."""
    gc.disable()
    try:
        next_id = first_id
        with Bundle(path) as bundle:
            for batch in dossier_batches(bundle):
                pairs = list(zip(range(next_id, next_id + len(batch)), batch, strict=True))
                next_id += len(batch)
                out.put((len(batch), writer.rows_for_new(pairs)))
        out.put(None)
    except BaseException:
        out.put(traceback.format_exc())


def run_pipeline(writer: DossierWriter, bundle: Bundle, count: int, advance: Callable[[int], object]) -> bool:
    """Import the bundle's `count` dossiers through a worker process, when that applies.

    Returns False, having done nothing, when it does not: an import that updates stored dossiers,
    a small one, a platform without fork, or no block of consecutive ids to hand out.
    """
    if not writer.fresh or count < PIPELINE_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return False
    first_id = writer.consecutive_ids(count)
    if first_id is None:
        return False
    context = multiprocessing.get_context("fork")
    prepared = context.Queue(maxsize=QUEUE_DEPTH)
    worker = context.Process(
        target=_prepare, args=(writer, str(bundle.path), first_id, prepared), daemon=True
    )
    worker.start()
    try:
        while True:
            try:
                item = prepared.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if not worker.is_alive():
                    raise PipelineError(f"the import worker stopped (exit code {worker.exitcode})") from None
                continue
            if item is None:
                break
            if isinstance(item, str):
                raise PipelineError(item)
            size, tables = item
            writer.insert_rows(tables, size)
            advance(size)
    except BaseException:
        worker.kill()
        raise
    finally:
        worker.join()
        prepared.close()
    return True
