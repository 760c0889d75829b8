"""Importing an exchange bundle (../../../docs/exchange.md): the one door through which a bundle
changes the database.

`import_bundle` checks the whole bundle first and lists every error (nothing is written when there
is one), then writes units, procedures, dossiers with their related rows and fact rows, the
reported values and the data's `as_of` in one transaction, with one audit event.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from motcua.accounts.choices import Role
from motcua.accounts.scoping import has_role
from motcua.audit.services import record_event
from motcua.collector import collector_paused
from motcua.dossiers.facts import refresh_facts
from motcua.dossiers.models import Dossier, DossierDocument, DossierFact, Supplement
from motcua.errors import Forbidden, LoadError
from motcua.exchange.bulk import DeferredMaintenance
from motcua.exchange.bundle import DOSSIERS, REPORTED, Bundle
from motcua.exchange.facts import FactMaker
from motcua.exchange.importer import (
    BATCH_SIZE,
    Counts,
    DossierCounts,
    DossierWriter,
    dossier_batches,
    procedure_index,
    rate,
    unit_index,
    write_procedures,
    write_units,
)
from motcua.exchange.pipeline import applies as pipeline_applies
from motcua.exchange.pipeline import run_pipeline
from motcua.exchange.validation import CheckedBundle, ErrorList, check_bundle, check_dossiers
from motcua.feedback.models import Complaint, DossierRating
from motcua.payments.models import Payment
from motcua.scorecard.models import DataSnapshot
from motcua.scorecard.services import import_reported_csv, set_data_as_of

logger = logging.getLogger(__name__)

AUDIT_ACTION = "exchange.import"
# From this many dossiers, into tables holding fewer than half as many, indexes (and foreign keys
# on PostgreSQL) are built after the load instead of row by row (see DeferredMaintenance).
DEFER_INDEXES_FROM = 50_000
DOSSIER_TABLES = (Dossier, Supplement, DossierDocument, DossierFact, Payment, DossierRating, Complaint)
# SQLite page cache during an import (KiB, negative per SQLite's convention): big enough that a
# batch's index pages stay in memory instead of spilling to the write-ahead log.
SQLITE_IMPORT_CACHE_KIB = 262_144


@dataclass
class ImportSummary:
    """What an import did; also the `after` of its audit event."""

    bundle: str
    as_of: str
    units: Counts = field(default_factory=Counts)
    procedures: Counts = field(default_factory=Counts)
    dossiers: DossierCounts = field(default_factory=DossierCounts)
    reported: int | None = None  # reported values stored (new or changed); None without reported.csv
    as_of_stored: bool = False
    seconds: float = 0.0

    @property
    def dossier_total(self) -> int:
        d = self.dossiers
        return d.created + d.updated + d.unchanged

    @property
    def rate(self) -> float:
        """Dossiers per second over the whole run (checking included)."""
        return rate(self.dossier_total, self.seconds)

    @property
    def changed(self) -> bool:
        return (
            self.units.changed
            or self.procedures.changed
            or self.dossiers.changed
            or bool(self.reported)
            or self.as_of_stored
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "bundle": self.bundle,
            "as_of": self.as_of,
            "units": self.units.as_dict(),
            "procedures": self.procedures.as_dict(),
            "dossiers": self.dossiers.as_dict(),
            "reported": self.reported,
            "as_of_stored": self.as_of_stored,
            "seconds": round(self.seconds, 3),
            "dossiers_per_second": round(self.rate, 1) if self.seconds > 0 else None,
        }


class _Progress:
    """A tqdm bar on the terminal, or nothing."""

    def __init__(self, enabled: bool, total: int, desc: str, unit: str, unit_scale: bool = False) -> None:
        self.bar: Any = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit=unit, unit_scale=unit_scale, leave=False)

    def update(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@contextlib.contextmanager
def _sqlite_tuned(bulk: bool = False) -> Iterator[None]:
    """A larger page cache and temporary storage in files while an import runs on SQLite; for a
    bulk load, the rollback journal instead of the write-ahead log if the import has the database
    to itself (`sqlite_journal_for_bulk_load`).

    Index builds at the end of a large import sort every row of the table: with temporary storage
    in memory those sorts grew the process with the bundle (1.2 GB at 10M dossiers, against 0.66 GB
    at 1M); in files, which the operating system caches anyway, memory stays flat and the import
    was no slower (816 s at 10M instead of 859 s).
    """
    if connection.vendor != "sqlite":
        yield
        return
    # temp_store (where index builds sort) and the journal mode cannot change inside a
    # transaction, e.g. under a test's; FILE rather than the default, which a build may have set
    # to MEMORY.
    outside = not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache_size = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
        if outside:
            cursor.execute("PRAGMA temp_store = FILE")
    try:
        with sqlite_journal_for_bulk_load(connection) if bulk and outside else contextlib.nullcontext():
            yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
            if outside:
                cursor.execute("PRAGMA temp_store = DEFAULT")


@contextlib.contextmanager
def sqlite_journal_for_bulk_load(conn: Any) -> Iterator[bool]:
    """The rollback journal instead of the write-ahead log for a bulk load into a (nearly) empty
    SQLite database, when no other connection has it open; yields whether it switched.

    In WAL mode every page a large transaction writes goes to the log first and is copied into the
    database by the checkpoint at commit, and each page read meanwhile is looked up in the log's
    index; with a rollback journal, pages added beyond the file's old end are written once and need
    no journal. 1M dossiers on SQLite, `motcua import`, two runs each, alternating: 71.9 and 72.0 s
    in WAL, 63.9 and 66.3 s so (the commit alone took 5–7 s in WAL, 0.6 s so). Atomicity is the same (a crash leaves a hot journal, rolled back on the next open);
    synchronous is FULL meanwhile, as the rollback journal needs. Leaving WAL needs the database
    to itself: with another connection open the switch fails at once (no busy wait) and the load
    runs in WAL as any import. While the load runs in the rollback journal, other connections wait
    for it (up to their busy timeout), readers included: on SQLite, run a large first import with
    the server stopped. WAL comes back at the end (every connection also asks for it on opening).
    """
    with conn.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        timeout = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA synchronous")
        synchronous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            cursor.execute("PRAGMA journal_mode = DELETE")
            switched = cursor.fetchone()[0] == "delete"
        except OperationalError:  # "database is locked": another connection has it open
            switched = False
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {timeout}")
        if switched:
            cursor.execute("PRAGMA synchronous = FULL")
    try:
        yield switched
    finally:
        if switched:
            with conn.cursor() as cursor:
                cursor.execute(f"PRAGMA synchronous = {synchronous}")
                try:
                    cursor.execute("PRAGMA journal_mode = WAL")
                except OperationalError:  # a reader still holds it: its next connection sets WAL
                    logger.warning("SQLite stays in rollback-journal mode until the next connection")


def _streamed_lines(bundle: Bundle) -> int | None:
    """The lines of dossiers.jsonl when the write pass checks them itself (a file large enough for
    the pipeline, into an empty dossier table), else None."""
    if not bundle.has(DOSSIERS) or Dossier.objects.exists():
        return None
    lines = bundle.count_lines(DOSSIERS)
    return lines if pipeline_applies(lines) else None


def _check(bundle: Bundle, errors: ErrorList, progress: bool, *, dossiers: bool) -> CheckedBundle | None:
    """Check the bundle (dossiers.jsonl too when `dossiers`), reported.csv included."""
    size = bundle.size(DOSSIERS) if dossiers and bundle.has(DOSSIERS) else 0
    checking = _Progress(progress and size > 0, size, _("Kiểm tra"), "B", True)
    try:
        checked = check_bundle(bundle, errors, checking.update, dossiers=dossiers)
    finally:
        checking.close()
    if checked is not None and checked.has_reported:
        _check_reported(bundle, checked, errors)
    return checked


def _check_reported(bundle: Bundle, checked: CheckedBundle, errors: ErrorList) -> None:
    """Try reported.csv against the bundle's units, then roll back, so its errors join the others."""
    with transaction.atomic():
        write_units(checked.units, checked.manifest.province)
        with bundle.local_path(REPORTED) as path:
            try:
                import_reported_csv(path)
            except LoadError as exc:
                for file, line, name, message in exc.errors:
                    errors.add(REPORTED if file in {str(path), path.name} else file, line, name, message)
        transaction.set_rollback(True)


def _is_bulk_load(incoming: int) -> bool:
    """A large load into (nearly) empty dossier tables: indexes are built after it."""
    return incoming >= DEFER_INDEXES_FROM and Dossier.objects.count() * 2 <= incoming


def _defer_indexes(bulk: bool) -> DeferredMaintenance | None:
    """Drop the dossier tables' secondary indexes and foreign keys for a bulk load; the caller
    restores them before committing."""
    if not bulk:
        return None
    deferred = DeferredMaintenance(connection, DOSSIER_TABLES)
    deferred.drop()
    return deferred


def _refresh_dependent_facts(unit_ids: set[int], procedure_ids: set[int], facts: FactMaker) -> int:
    """Refresh the fact rows of stored dossiers whose unit level or procedure time limit changed."""
    if not (unit_ids or procedure_ids):
        return 0
    ids = list(
        Dossier.objects.filter(unit_id__in=unit_ids)
        .values_list("pk", flat=True)
        .union(Dossier.objects.filter(procedure_id__in=procedure_ids).values_list("pk", flat=True))
    )
    for start in range(0, len(ids), BATCH_SIZE):
        refresh_facts(ids[start : start + BATCH_SIZE], calendar=facts.calendar)
    return len(ids)


def import_bundle(
    path: str | Path, *, actor: Any = None, progress: bool = False, ip: str | None = None
) -> ImportSummary:
    """Import the bundle at `path` (a directory or a .zip); see docs/exchange.md.

    Raises `LoadError` listing every problem (file, line, field, message) and changes nothing
    when the bundle has any. Importing the same bundle again changes nothing and records no
    audit event; otherwise one `exchange.import` event carries the summary. `actor` None is the
    system (the `motcua import` command); a user must be a superuser or a province administrator.
    """
    if actor is not None and not (
        getattr(actor, "is_superuser", False) or has_role(actor, Role.PROVINCE_ADMIN)
    ):
        raise Forbidden(_("Chỉ quản trị hệ thống cấp tỉnh được nhập gói dữ liệu."))
    started = time.perf_counter()
    with Bundle(path) as bundle:
        errors = ErrorList()
        # A large file into an empty dossier table is checked by the write pass as it goes (the
        # pipeline's workers); anything else first, as a whole.
        streamed = _streamed_lines(bundle)
        checked = _check(bundle, errors, progress, dossiers=streamed is None)
        if streamed is not None and (errors or checked is None):
            # Something is wrong already: list the dossiers' errors too, as a whole check does.
            errors = ErrorList()
            checked = _check(bundle, errors, progress, dossiers=True)
            streamed = None
        errors.raise_if_any()
        assert checked is not None
        summary = ImportSummary(bundle=bundle.name, as_of=checked.manifest.as_of.isoformat())
        incoming = checked.dossier_count if streamed is None else streamed
        writing = _Progress(progress, incoming, _("Nhập hồ sơ"), _("hồ sơ"))
        bulk = _is_bulk_load(incoming)
        bulk_loaded = False  # a bulk load done: ANALYZE after
        try:
            with _sqlite_tuned(bulk), transaction.atomic():
                summary.units, level_changed = write_units(checked.units, checked.manifest.province)
                summary.procedures, limit_changed = write_procedures(checked.procedures)
                facts = FactMaker()
                writer = DossierWriter(unit_index(), procedure_index(), facts)
                deferred = _defer_indexes(bulk)
                with collector_paused():
                    piped = streamed is not None and run_pipeline(
                        writer, bundle, streamed, writing.update, errors
                    )
                    if streamed is not None and not piped:  # the pipeline did not apply after all
                        check_dossiers(bundle, set(writer.units), set(writer.procedures), errors)
                    errors.raise_if_any()  # rolls back whatever the pipeline inserted
                    if not piped:
                        for batch in dossier_batches(bundle):
                            writer.write(batch)
                            writing.update(len(batch))
                if deferred is not None:
                    deferred.restore()
                    bulk_loaded = True
                summary.dossiers = writer.counts
                summary.dossiers.facts_written += _refresh_dependent_facts(
                    level_changed, limit_changed, facts
                )
                if checked.has_reported:
                    summary.reported = _import_reported(bundle, actor)
                summary.as_of_stored = _store_as_of(checked.manifest.as_of, summary)
                summary.seconds = time.perf_counter() - started
                if summary.changed:
                    record_event(
                        actor=actor,
                        action=AUDIT_ACTION,
                        object_type="exchange.bundle",
                        object_id=bundle.name[:128],
                        after=summary.as_dict(),
                        ip=ip,
                    )
        finally:
            writing.close()
        if bulk_loaded:
            _analyze(DOSSIER_TABLES)
    summary.seconds = time.perf_counter() - started
    return summary


def _analyze(models_: tuple[type[Any], ...]) -> None:
    """Fresh planner statistics for tables a large import filled (PostgreSQL): until autovacuum
    gets to them, the planner guesses, e.g. thousands of payments per dossier, and walks an index
    of a whole table for a lookup by dossier. SQLite keeps no statistics unless asked (ANALYZE
    would change plans the application was tuned with), so nothing is done there."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _import_reported(bundle: Bundle, actor: Any) -> int:
    with bundle.local_path(REPORTED) as path:
        return import_reported_csv(path, actor=actor)


def _store_as_of(as_of: dt.datetime, summary: ImportSummary) -> bool:
    """Record the manifest's as_of for the scorecards, unless it is already the stored one and the
    import changed nothing (storing it marks every stored scorecard stale)."""
    snapshot = DataSnapshot.objects.filter(pk=1).first()
    if (
        not summary.changed
        and snapshot is not None
        and snapshot.as_of == as_of
        and snapshot.live_since is None
    ):
        return False
    set_data_as_of(as_of)
    return True
