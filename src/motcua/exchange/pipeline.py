"""A fresh import on several cores: worker processes check and prepare rows while the importing one writes them.

Parsing a line, checking it, computing its fact row and building the tuples for every table costs
more than writing them (at 1M dossiers on SQLite: some 58 s of CPU for 32 s of inserting).
For a fresh import (no stored dossier, so every record is a new dossier with an id known in
advance) forked worker processes read dossiers.jsonl and share its batches — worker k takes
batches k, k + n, k + 2n, … , counting the other batches' lines without parsing them — while the
importing process inserts the prepared batches in order, in its transaction.

The workers also do the check of dossiers.jsonl that a plain import makes in a first pass
(`validation.checked_batches`): each line is checked as that pass checks it. Each batch carries
the hashes of its codes, which the importing process keeps (8 bytes a dossier, held once). A
batch with a problem sends its errors instead of rows; from then on nothing more is inserted, but
every batch is still checked, so the caller gets every error, in line order, and rolls the
transaction back. Once every batch is in, codes repeated across the whole file are named by a
second pass. The workers never touch the database; each inherits the writer (indexes of units and
procedures, the calendar) and the process's string-hash key from the fork, and leaves with
`os._exit`, so the connection it inherited is neither used nor closed.
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
from motcua.exchange.importer import BATCH_SIZE, DossierWriter
from motcua.exchange.validation import CodeHashes, ErrorList, checked_batches, report_repeats

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


def applies(lines: int) -> bool:
    """Whether an import of a file of `lines` lines into an empty dossier table runs as a pipeline."""
    return lines >= PIPELINE_FROM and "fork" in multiprocessing.get_all_start_methods()


def _prepare(writer: DossierWriter, path: str, first_id: int, part: int, parts: int, out: Any) -> None:
    """Worker process `part` of `parts`: for each of its batches, (lines, prepared rows or None,
    errors, hashes of the codes) into `out`; then None (or a traceback text on failure).
    The dossier on the i-th non-blank line (from 0) gets the id first_id + i."""
    gc.disable()
    try:
        failed = False  # a batch had errors: the import will be rolled back, only check the rest
        with Bundle(path) as bundle:
            for batch in checked_batches(bundle, writer.units, writer.procedures, BATCH_SIZE, part, parts):
                failed = failed or bool(batch.problems)
                rows = None
                if not failed:
                    start = first_id + batch.first
                    pairs = list(zip(range(start, start + batch.lines), batch.records, strict=True))
                    rows = writer.rows_for_new(pairs)
                out.put((batch.lines, rows, batch.problems, batch.hashes))
        out.put(None)
    except BaseException:
        out.put(traceback.format_exc())


def run_pipeline(
    writer: DossierWriter, bundle: Bundle, lines: int, advance: Callable[[int], object], errors: ErrorList
) -> bool:
    """Check and import the bundle's dossiers.jsonl (at most `lines` non-blank lines) through worker
    processes; the file's errors go to `errors`, and when there is one nothing is left inserted
    that the caller's transaction would keep — the caller raises them and rolls back.

    Returns False, having done nothing, when it does not apply: an import that updates stored
    dossiers, a small one, a platform without fork, or no block of consecutive ids to hand out.
    """
    if not writer.fresh or not applies(lines):
        return False
    first_id = writer.consecutive_ids(lines)
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
    seen = CodeHashes()
    failed = False
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
                size, rows, problems, hashes = item
                seen.add_hashes(hashes)
                for problem in problems:
                    errors.add(*problem)
                failed = failed or bool(problems)
                if rows is not None and not failed:
                    writer.insert_rows(rows, size)
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
    report_repeats(bundle, seen, errors)
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
