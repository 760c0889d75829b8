"""A fresh import on several cores: worker processes prepare rows while the importing one writes them.

Parsing a line, computing its fact row and building the tuples for every table costs more than
writing them (at 1M dossiers on SQLite: about 42 s of preparing for 25 s of inserting). For a fresh
import (no stored dossier, so every record is a new dossier with an id known in advance) forked
worker processes read dossiers.jsonl again and share its batches — worker k prepares batches k,
k + n, k + 2n, … with `DossierWriter.rows_for_new`, counting the other batches' lines without
parsing them — while the importing process inserts the prepared batches in order, in its
transaction. The workers never touch the database; each inherits the writer (indexes of units and
procedures, the calendar) from the fork and leaves with `os._exit`, so the connection it inherited
is neither used nor closed.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import traceback
from collections.abc import Callable
from typing import Any

from motcua.exchange.bundle import Bundle
from motcua.exchange.importer import BATCH_SIZE, DossierWriter, dossier_batches

# Below this many dossiers a second process costs more than it saves.
PIPELINE_FROM = 10_000
# Worker processes: preparing costs under twice the writing, so two keep the writer busy.
MAX_WORKERS = 2
# Prepared batches waiting to be written, per worker: enough to keep every process busy, few
# enough to keep memory flat.
QUEUE_DEPTH = 2
_POLL_SECONDS = 1.0


class PipelineError(RuntimeError):
    """The worker process failed; carries its traceback."""


def workers() -> int:
    """How many worker processes a pipeline starts: MAX_WORKERS, at most one per core."""
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _prepare(writer: DossierWriter, path: str, first_id: int, part: int, parts: int, out: Any) -> None:
    """Worker process `part` of `parts`: its prepared batches into `out`, then None (or a traceback
    text on failure). Batch i holds the ids from first_id + i × BATCH_SIZE (every batch but the
    last is full)."""
    gc.disable()
    try:
        index = part
        with Bundle(path) as bundle:
            for batch in dossier_batches(bundle, part, parts):
                start = first_id + index * BATCH_SIZE
                pairs = list(zip(range(start, start + len(batch)), batch, strict=True))
                index += parts
                out.put((len(batch), writer.rows_for_new(pairs)))
        out.put(None)
    except BaseException:
        out.put(traceback.format_exc())


def run_pipeline(writer: DossierWriter, bundle: Bundle, count: int, advance: Callable[[int], object]) -> bool:
    """Import the bundle's `count` dossiers through worker processes, when that applies.

    Returns False, having done nothing, when it does not: an import that updates stored dossiers,
    a small one, a platform without fork, or no block of consecutive ids to hand out.
    """
    if not writer.fresh or count < PIPELINE_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return False
    first_id = writer.consecutive_ids(count)
    if first_id is None:
        return False
    context = multiprocessing.get_context("fork")
    parts = workers()
    queues = [context.Queue(maxsize=QUEUE_DEPTH) for _ in range(parts)]
    processes = [
        context.Process(
            target=_prepare, args=(writer, str(bundle.path), first_id, k, parts, queues[k]), daemon=True
        )
        for k in range(parts)
    ]
    for process in processes:
        process.start()
    finished: set[int] = set()
    try:
        index = 0
        while len(finished) < parts:
            k = index % parts
            if k in finished:  # this worker has no more batches: neither has any after it
                index += 1
                continue
            item = _next(queues[k], processes[k])
            if item is None:
                finished.add(k)
            else:
                size, tables = item
                writer.insert_rows(tables, size)
                advance(size)
            index += 1
    except BaseException:
        for process in processes:
            process.kill()
        raise
    finally:
        for process in processes:
            process.join()
        for prepared in queues:
            prepared.close()
    return True


def _next(prepared: Any, worker: Any) -> Any:
    """The worker's next item; a worker that died without a word is an error."""
    while True:
        try:
            item = prepared.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            if not worker.is_alive():
                raise PipelineError(f"the import worker stopped (exit code {worker.exitcode})") from None
            continue
        if isinstance(item, str):
            raise PipelineError(item)
        return item
