"""Fact rows (dossiers.DossierFact) for imported dossiers, computed from the parsed records.

The rule that turns a dossier into its fact row belongs to `motcua.dossiers.facts`
(`compute_fact(FactInput, calendar) -> dict`, pure). The importer already holds every input in
memory, so it builds the `FactInput` from the record instead of reading the rows back, and writes
the results in bulk.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connection

from motcua.calendar.services import load_calendar
from motcua.dossiers.facts import FactInput, compute_fact
from motcua.dossiers.models import DossierFact
from motcua.exchange.bulk import field_of, time_adapter

if TYPE_CHECKING:
    from motcua.exchange.importer import ProcedureInfo, UnitInfo
    from motcua.exchange.records import DossierRecord

# DossierFact columns the import writes: all but the key (written first) and the update time.
FACT_COLUMNS = tuple(
    f.attname for f in DossierFact._meta.concrete_fields if f.attname not in {"dossier_id", "updated_at"}
)


class FactMaker:
    """Turns (dossier id, record) pairs into DossierFact rows (tuples in FACT_COLUMNS order)."""

    columns = FACT_COLUMNS

    def __init__(self) -> None:
        # One calendar for the whole run: no query per due date.
        self.calendar = load_calendar()
        self.time = time_adapter(connection)
        # Positions (in rows, after the key) of the datetime columns, adapted for raw SQL; dates
        # need nothing (both drivers take a date as it is).
        self._time_positions = tuple(
            i
            for i, name in enumerate(FACT_COLUMNS, start=1)
            if field_of(DossierFact, name).get_internal_type() == "DateTimeField"
        )

    def fact_input(self, record: DossierRecord, unit: UnitInfo, procedure: ProcedureInfo) -> FactInput:
        """The FactInput of one record: the bundle's values plus its unit's level and procedure's limit."""
        return FactInput(
            unit_id=unit.id,
            level=unit.level,
            procedure_id=procedure.id,
            duration_days=procedure.duration_days,
            day_kind=procedure.day_kind,
            channel=record.channel,
            applicant_kind=record.applicant_kind,
            applicant_vneid=record.applicant_vneid,
            received_at=record.received_at,
            due_at=record.due_at,
            finished_at=record.finished_at,
            returned_at=record.returned_at,
            outcome=record.outcome,
            supplement_count=len(record.supplements),
            documents=[
                (source, available, digitized) for _name, source, available, digitized in record.documents
            ],
            result_electronic=record.result_electronic,
            result_digitized=record.result_digitized,
            result_to_store=record.result_to_store,
            payments=[(amount, online) for amount, online, _paid_at in record.payments],
            rating=record.rating,
            complaint=record.complaint,
            synced=record.synced,
        )

    def rows(
        self,
        pairs: Iterable[tuple[int, DossierRecord]],
        units: dict[str, UnitInfo],
        procedures: dict[str, ProcedureInfo],
        *,
        adapt: bool = True,
    ) -> list[tuple[Any, ...]]:
        """(dossier_id, *FACT_COLUMNS values) per pair; adapted for raw SQL unless `adapt` is False."""
        compute, calendar, make_input = compute_fact, self.calendar, self.fact_input
        keys = FACT_COLUMNS
        times = self._time_positions if adapt else ()
        time = self.time
        out = []
        for pk, record in pairs:
            fact = compute(make_input(record, units[record.unit], procedures[record.procedure]), calendar)
            values = [pk, *map(fact.__getitem__, keys)]
            for i in times:
                values[i] = time(values[i])
            out.append(tuple(values))
        return out
