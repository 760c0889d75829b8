"""Hà Tĩnh's demo year: 2023 as the one-stop shop would have lived it.

The year is written as an exchange bundle drawn from the shipped units and catalog, then loaded
through `motcua import` — the bulk path whose rows and fact rows are proven identical to those the
dossier services write (tests/exchange, tests/scorecard round trips). The proportions are below,
as constants, and in docs/demo.md; they follow the orders of magnitude Hà Tĩnh and the national
portal published for 2023 (e.g. about half of the dossiers of full-process procedures filed online,
most dossiers on time, satisfaction in the high 80s), not any real dossier.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from motcua.calendar import services as cal
from motcua.catalog.models import Procedure
from motcua.exchange.export import write_procedures, write_units
from motcua.orgs.models import Unit

VIETNAM = dt.timezone(dt.timedelta(hours=7))
YEAR = 2023
DEFAULT_DOSSIERS = 100_000
SEED = 2023
AS_OF = dt.datetime(YEAR + 1, 1, 15, 10, 0, tzinfo=VIETNAM)

# Share of dossiers received at each level.
LEVEL_SHARE = {"commune": 0.55, "district": 0.25, "province": 0.20}
# Relative demand by field (lĩnh vực): certification and civil status dominate a commune's counter.
FIELD_WEIGHT = {"Chứng thực": 30, "Hộ tịch": 25, "Đất đai": 12, "Đăng ký biện pháp bảo đảm": 6}
DEFAULT_FIELD_WEIGHT = 3
# Share filed online, by the procedure's online level and the level of the unit.
ONLINE_SHARE = {
    ("full", "province"): 0.72,
    ("full", "district"): 0.58,
    ("full", "commune"): 0.46,
    ("partial", "province"): 0.35,
    ("partial", "district"): 0.25,
    ("partial", "commune"): 0.15,
}
POSTAL_SHARE = 0.03  # of the dossiers not filed online
SUPPLEMENT_SHARE = 0.08  # dossiers with a request to complete them …
SECOND_SUPPLEMENT_SHARE = 0.12  # … of which this share needs a second one
LATE_SHARE = {"province": 0.05, "district": 0.09, "commune": 0.12}
OUTCOME_WEIGHTS = {"approved": 95.5, "rejected": 2.3, "stopped": 0.6, "withdrawn": 1.6}
DIGITIZED_RESULT = {"province": 0.78, "district": 0.64, "commune": 0.57}
ELECTRONIC_RESULT = 0.74
AVAILABLE_SHARE = 0.38  # a component the applicant already had accepted before
REUSED_WHEN_AVAILABLE = {"online": 0.72, "counter": 0.45, "postal": 0.30}
PAPER_DIGITIZED = 0.62
ONLINE_PAYMENT_WHEN_POSSIBLE = 0.58
RATED_SHARE = 0.36
RATING_WEIGHTS = {"very_satisfied": 52, "satisfied": 36, "neutral": 9, "dissatisfied": 3}
COMPLAINT_SHARE = 0.012
SYNCED_SHARE = 0.975
PERSON_SHARE = 0.86
VNEID_WHEN_ONLINE = 0.64
APPLICANT_POOL = 60_000  # people who file more than once reuse their data store


@dataclass
class _Proc:
    code: str
    field: str
    duration: int
    day_kind: str
    fee: int
    online_level: str
    online_payment: bool
    components: list[tuple[str, bool, bool]]  # (name, from_store, national_db)
    unit_code: str | None


@dataclass
class _Level:
    units: list[str]
    unit_weights: list[float]
    procs: list[_Proc] = field(default_factory=list)
    proc_weights: list[float] = field(default_factory=list)


class YearWriter:
    """Draws the dossiers of one year, one at a time, as exchange-bundle records."""

    def __init__(self, rng: random.Random, year: int = YEAR):
        self.rng = rng
        self.year = year
        self.calendar = cal.load_calendar()
        start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        self.days = [start + dt.timedelta(n) for n in range((end - start).days)]
        self.working = [d for d in self.days if self.calendar.is_working_day(d)]
        self.levels = self._levels()

    def _levels(self) -> dict[str, _Level]:
        day = dt.date(self.year, 12, 31)
        units = Unit.objects.as_of(day).filter(province_code="42")
        levels: dict[str, _Level] = {}
        for level in ("province", "district", "commune"):
            kinds = ["department", "central_agency"] if level == "province" else ["people_committee"]
            codes = list(
                units.filter(level=level, kind__in=kinds).order_by("code").values_list("code", flat=True)
            )
            # Units differ in size: a city ward files many times what a mountain commune does.
            weights = [self.rng.lognormvariate(0, 0.6) for _ in codes]
            levels[level] = _Level(units=codes, unit_weights=weights)
        in_force = set(units.values_list("code", flat=True))
        procedures = Procedure.objects.filter(internal=False, published=True).prefetch_related("components")
        for p in procedures.select_related("province_unit").order_by("code"):
            proc = _Proc(
                code=p.code,
                field=p.field,
                duration=p.duration_days,
                day_kind=p.day_kind,
                fee=p.fee,
                online_level=p.online_level,
                online_payment=p.online_payment,
                components=[(c.name, c.from_store, bool(c.national_db)) for c in p.components.all()],
                unit_code=p.province_unit.code
                if p.province_unit and p.province_unit.code in in_force
                else None,
            )
            weight = FIELD_WEIGHT.get(p.field, DEFAULT_FIELD_WEIGHT)
            for level, performed in (
                ("province", p.at_province),
                ("district", p.at_district),
                ("commune", p.at_commune),
            ):
                if performed and levels[level].units:
                    levels[level].procs.append(proc)
                    levels[level].proc_weights.append(weight)
        return {k: v for k, v in levels.items() if v.procs}

    def _received(self, online: bool) -> dt.datetime:
        rng = self.rng
        if online and rng.random() < 0.22:  # online filings come at any hour, weekends included
            day = rng.choice(self.days)
            return dt.datetime(
                day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), tzinfo=VIETNAM
            )
        day = rng.choice(self.working)
        hour = rng.choice((7, 8, 8, 9, 9, 10, 10, 11, 13, 14, 14, 15, 15, 16))
        return dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60), tzinfo=VIETNAM)

    def _working_offset(self, start: dt.datetime, days: float) -> dt.datetime:
        """The instant `days` working days (8 office hours each, fractions allowed) after `start`."""
        return self.calendar.add_working_time(start, dt.timedelta(hours=8 * days))

    def dossier(self, n: int) -> dict[str, Any]:
        rng, r = self.rng, self.rng.random
        level_name = rng.choices(list(self.levels), [LEVEL_SHARE[k] for k in self.levels])[0]
        level = self.levels[level_name]
        proc = rng.choices(level.procs, level.proc_weights)[0]
        if level_name == "province" and proc.unit_code:
            unit = proc.unit_code
        else:
            unit = rng.choices(level.units, level.unit_weights)[0]
        online = r() < ONLINE_SHARE.get((proc.online_level, level_name), 0.0)
        channel = "online" if online else ("postal" if r() < POSTAL_SHARE else "counter")
        received = self._received(online)
        due = self.calendar.due_date(received, proc.duration, proc.day_kind or "working")

        outcome: str | None = rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]
        late = r() < LATE_SHARE[level_name]
        supplements: list[dict[str, Any]] = []
        pause = dt.timedelta(0)
        if r() < SUPPLEMENT_SHARE:
            asked = self._working_offset(received, max(proc.duration, 1) * 0.3)
            for _ in range(2 if r() < SECOND_SUPPLEMENT_SHARE else 1):
                answered = self._working_offset(asked, rng.uniform(0.5, 6))
                supplements.append({"requested_at": asked.isoformat(), "received_at": answered.isoformat()})
                pause += self.calendar.working_time_between(asked, answered)
                asked = self._working_offset(answered, 0.5)
            # The promise moves later by the working time the applicant took (as a source system sends it).
            due = self.calendar.extend_by_working_time(due, pause)
        span = max(proc.duration, 0.25)
        if late:
            finish = self._working_offset(due, rng.uniform(1, 8))
        else:
            finish = min(
                self.calendar.add_working_time(
                    self._working_offset(received, span * rng.uniform(0.2, 0.95)), pause
                ),
                due,
            )
        finished = returned = None
        if outcome == "withdrawn":
            finished = None
        elif finish > AS_OF:
            outcome = None
        else:
            finished = max(finish, received)
            if outcome == "approved" and r() < 0.93:
                returned = min(finished + dt.timedelta(hours=rng.choice((1, 2, 4, 20, 26, 48))), AS_OF)
        if supplements and finished and dt.datetime.fromisoformat(supplements[-1]["received_at"]) > finished:
            supplements = supplements[:1]

        person = r() < PERSON_SHARE
        documents = []
        for name, from_store, national in proc.components:
            available = (from_store or national) and r() < AVAILABLE_SHARE
            if available and r() < REUSED_WHEN_AVAILABLE[channel]:
                source = "national_db" if national and (not from_store or r() < 0.5) else "store"
            elif online:
                source = "upload"
            else:
                source = "paper"
            digitized = source != "paper" or r() < PAPER_DIGITIZED
            documents.append(
                {"component": name, "source": source, "available": bool(available), "digitized": digitized}
            )

        result = None
        if outcome in ("approved", "rejected") and finished:
            electronic = r() < ELECTRONIC_RESULT
            result = {
                "electronic": electronic,
                "digitized": r() < DIGITIZED_RESULT[level_name],
                "to_store": outcome == "approved" and electronic and r() < 0.55,
            }
        payments = []
        if proc.fee and outcome != "withdrawn":
            paid_online = online and proc.online_payment and r() < ONLINE_PAYMENT_WHEN_POSSIBLE
            paid_at = received + dt.timedelta(minutes=rng.randrange(2, 90))
            payments.append({"amount": proc.fee, "online": paid_online, "paid_at": paid_at.isoformat()})
        rating = None
        if returned and r() < RATED_SHARE:
            rating = rng.choices(list(RATING_WEIGHTS), list(RATING_WEIGHTS.values()))[0]
        applicant_no = rng.randrange(APPLICANT_POOL)
        return {
            "code": f"{unit}-{received:%y%m%d}-{n:06d}",
            "procedure": proc.code,
            "unit": unit,
            "channel": channel,
            "applicant": {
                "kind": "person" if person else "organization",
                "id": f"0420{applicant_no:08d}" if person else f"30{applicant_no:08d}",
                "vneid": person and online and r() < VNEID_WHEN_ONLINE,
            },
            "received_at": received.isoformat(),
            "due_at": due.isoformat(),
            "finished_at": finished.isoformat() if finished else None,
            "returned_at": returned.isoformat() if returned else None,
            "outcome": outcome,
            "supplements": supplements,
            "documents": documents,
            "result": result,
            "payments": payments,
            "rating": rating,
            "complaint": r() < COMPLAINT_SHARE,
            "synced": r() < SYNCED_SHARE,
        }


def write_year_bundle(path: Path, dossiers: int = DEFAULT_DOSSIERS, seed: int = SEED) -> Path:
    """Write the demo year as an exchange bundle in the directory `path`."""
    path.mkdir(parents=True, exist_ok=True)
    writer = YearWriter(random.Random(seed))
    (path / "manifest.json").write_bytes(
        orjson.dumps(
            {"format": "motcua-exchange", "version": 1, "as_of": AS_OF.isoformat(), "province": "42"}
        )
    )
    with open(path / "units.csv", "w", encoding="utf-8", newline="") as out:
        write_units(out)
    with open(path / "procedures.csv", "w", encoding="utf-8", newline="") as out:
        write_procedures(out)
    with open(path / "dossiers.jsonl", "wb") as out:
        for n in range(1, dossiers + 1):
            out.write(orjson.dumps(writer.dossier(n)) + b"\n")
    return path


def _vi(number: int) -> str:
    """1.234.567, as Vietnamese write it."""
    return f"{number:,}".replace(",", ".")


def ensure_year(dossiers: int | None = None) -> str:
    """Generate and import the demo year unless dossiers are already there; return a summary line."""
    from motcua.dossiers.models import Dossier
    from motcua.exchange.services import import_bundle

    existing = Dossier.objects.count()
    if existing:
        return f"đã có {_vi(existing)} hồ sơ, giữ nguyên"
    with tempfile.TemporaryDirectory(prefix="motcua-demo-") as tmp:
        bundle = write_year_bundle(Path(tmp) / "hatinh-2023", dossiers or DEFAULT_DOSSIERS)
        summary = import_bundle(bundle)
    return f"{_vi(summary.dossiers.created)} hồ sơ năm {YEAR} ({_vi(round(summary.rate))} hồ sơ/giây)"
