"""A generator of realistic exchange bundles, for benchmarks and tests.

`generate_bundle(path, dossiers=N, seed=S)` writes a valid bundle (docs/exchange.md): the units and
procedures already loaded in the database (the shipped Hà Tĩnh units and catalog) when there are
any, else a synthetic province; and N dossiers spread over one year with plausible channels,
outcomes, delays, supplements, documents, payments, ratings and complaints. The same seed gives
the same bundle. Dossiers are streamed to disk, so N is bounded by the disk, not by memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings

from motcua.catalog.models import Procedure
from motcua.exchange.bundle import DOSSIERS, MANIFEST, PROCEDURES, UNITS
from motcua.exchange.export import write_procedures as export_procedures
from motcua.exchange.export import write_units as export_units
from motcua.exchange.formats import VIETNAM, format_csv_bool
from motcua.exchange.records import PROCEDURE_COLUMNS, UNIT_COLUMNS
from motcua.exchange.validation import FORMAT, VERSION
from motcua.orgs.models import Unit

_WRITE_EVERY = 10_000
_FIELDS = (
    "Hộ tịch",
    "Chứng thực",
    "Đất đai",
    "Hoạt động xây dựng",
    "Thành lập và hoạt động của hộ kinh doanh",
    "Bảo trợ xã hội",
    "Lý lịch tư pháp",
    "Giáo dục và Đào tạo",
    "Y tế",
    "Giao thông vận tải",
)
_COMPONENTS = (
    "Tờ khai",
    "Đơn đề nghị",
    "Căn cước công dân",
    "Giấy chứng nhận quyền sử dụng đất",
    "Giấy chứng sinh",
    "Bản vẽ thiết kế",
    "Giấy ủy quyền",
    "Văn bản",
)
_DISTRICTS = (
    "thành phố Hà Tĩnh",
    "thị xã Hồng Lĩnh",
    "thị xã Kỳ Anh",
    "huyện Nghi Xuân",
    "huyện Đức Thọ",
    "huyện Hương Sơn",
    "huyện Hương Khê",
    "huyện Vũ Quang",
    "huyện Can Lộc",
    "huyện Thạch Hà",
    "huyện Lộc Hà",
    "huyện Cẩm Xuyên",
    "huyện Kỳ Anh",
)
_DEPARTMENTS = (
    "Sở Tư pháp",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài nguyên và Môi trường",
    "Sở Xây dựng",
    "Sở Giao thông vận tải",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Thông tin và Truyền thông",
    "Sở Khoa học và Công nghệ",
)


@dataclass
class GeneratedBundle:
    path: str
    units: int
    procedures: int
    dossiers: int


@dataclass
class _Proc:
    code: str
    duration: int
    fee: int
    online: bool
    levels: tuple[str, ...]


def _synthetic_units(rng: random.Random) -> list[tuple[str, str, str, str, str]]:
    """(code, name, kind, level, parent) of a province, 15 departments, 13 districts and their communes."""
    root = "000.00.00.H29"
    units = [(root, "Ủy ban nhân dân tỉnh Hà Tĩnh", "people_committee", "province", "")]
    for i, name in enumerate(_DEPARTMENTS, start=1):
        units.append((f"000.00.{i:02d}.H29", f"{name} tỉnh Hà Tĩnh", "department", "province", root))
    for d, name in enumerate(_DISTRICTS, start=21):
        district = f"000.00.{d}.H29"
        units.append((district, f"Ủy ban nhân dân {name}", "people_committee", "district", root))
        for c in range(1, rng.randint(8, 20) + 1):
            units.append(
                (
                    f"000.{c:02d}.{d}.H29",
                    f"Ủy ban nhân dân xã số {c}, {name}",
                    "people_committee",
                    "commune",
                    district,
                )
            )
    return units


def _synthetic_procedures(rng: random.Random, year: int) -> list[dict[str, Any]]:
    rows = []
    for n in range(1, 401):
        level = rng.choice(("province", "province", "district", "commune"))
        online_level = rng.choices(("full", "partial", "none"), weights=(40, 35, 25))[0]
        announced = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(330))
        rows.append(
            {
                "code": f"{rng.choice((1, 2))}.{n:06d}",
                "name": f"Thủ tục thử nghiệm số {n} ({level})",
                "field": rng.choice(_FIELDS),
                "duration_days": rng.choice((0, 1, 3, 5, 5, 7, 10, 10, 15, 20, 30)),
                "day_kind": "calendar" if rng.random() < 0.08 else "working",
                "fee": rng.choice((0, 0, 0, 0, 10_000, 20_000, 50_000, 100_000, 200_000)),
                "online_level": online_level,
                "full_online_eligible": online_level == "full" or rng.random() < 0.3,
                "online_payment": rng.random() < 0.5,
                "public_national": rng.random() < 0.85,
                "paper_result": rng.random() < 0.8,
                "internal": n > 390,
                "published": rng.random() < 0.9,
                "announced_on": announced.isoformat(),
                "effective_on": (announced + dt.timedelta(days=rng.randrange(3, 30))).isoformat(),
                "public_on": (announced + dt.timedelta(days=rng.randrange(1, 12))).isoformat()
                if rng.random() < 0.8
                else "",
                "_level": level,
            }
        )
    return rows


def _working_days(year: int) -> list[dt.date]:
    day, end, days = dt.date(year, 1, 1), dt.date(year + 1, 1, 1), []
    while day < end:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


class _DossierMaker:
    """Draws one dossier at a time (a dict ready for orjson)."""

    def __init__(
        self,
        rng: random.Random,
        seed: int,
        year: int,
        as_of: dt.datetime,
        units: dict[str, list[str]],
        procs: list[_Proc],
    ):
        self.rng, self.seed, self.year, self.as_of = rng, seed, year, as_of
        self.days = _working_days(year)
        self.units = units
        self.by_level = {
            level: [p for p in procs if level in p.levels] or procs
            for level in ("province", "district", "commune")
        }
        self.levels = [level for level in ("commune", "district", "province") if units.get(level)]
        self.level_weights = [{"commune": 50, "district": 30, "province": 20}[level] for level in self.levels]

    def make(self, n: int) -> dict[str, Any]:
        rng = self.rng
        r = rng.random
        level = rng.choices(self.levels, self.level_weights)[0]
        unit = rng.choice(self.units[level])
        proc = rng.choice(self.by_level[level])
        online = proc.online and r() < 0.7
        channel = "online" if online else ("postal" if r() < 0.06 else "counter")
        day = rng.choice(self.days)
        if online and r() < 0.15:  # online filings arrive at any hour, some on weekends
            received = dt.datetime(
                day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), tzinfo=VIETNAM
            )
            received += dt.timedelta(days=rng.choice((0, 0, 0, 1, 2)))
        else:
            received = dt.datetime(
                day.year, day.month, day.day, rng.randrange(7, 17), rng.randrange(60), tzinfo=VIETNAM
            )
        span = dt.timedelta(days=max(proc.duration, 1) * 1.4)
        due = dt.datetime.combine((received + span).date(), dt.time(17), tzinfo=VIETNAM)
        due_at = due.isoformat() if r() < 0.7 else None
        # Outcome: most dossiers are decided; recent ones are more often still open.
        recent = (self.as_of - received).days < 20
        u = r()
        if u < (0.4 if recent else 0.04):
            outcome = None
        elif u < 0.93:
            outcome = "approved"
        elif u < 0.96:
            outcome = "rejected"
        elif u < 0.98:
            outcome = "stopped"
        else:
            outcome = "withdrawn"
        finished = returned = None
        if outcome in ("approved", "rejected", "stopped"):
            finished = received + span * (0.2 + r() * (1.0 if r() < 0.85 else 2.5))
            if finished > self.as_of:
                outcome, finished = None, None
            elif outcome == "approved" and r() < 0.85:
                returned = min(finished + dt.timedelta(hours=rng.randrange(1, 72)), self.as_of)
        supplements = []
        if r() < 0.1:
            asked = received + dt.timedelta(hours=rng.randrange(2, 48))
            for _ in range(1 if r() < 0.8 else 2):
                answered = asked + dt.timedelta(hours=rng.randrange(4, 120))
                limit = finished or self.as_of
                if answered > limit or asked > limit:
                    if finished is None and asked <= limit:
                        supplements.append({"requested_at": asked.isoformat(), "received_at": None})
                    break
                supplements.append({"requested_at": asked.isoformat(), "received_at": answered.isoformat()})
                asked = answered + dt.timedelta(hours=rng.randrange(2, 48))
        documents = []
        for component in rng.sample(_COMPONENTS, rng.randint(0, 3)):
            source = rng.choices(
                ("upload", "paper", "store", "national_db"),
                weights=(40 if online else 5, 5 if online else 60, 15, 15),
            )[0]
            documents.append(
                {"component": component, "source": source, "available": r() < 0.3, "digitized": r() < 0.75}
            )
        result = None
        if outcome in ("approved", "rejected"):
            result = {"electronic": r() < 0.6, "digitized": r() < 0.65, "to_store": r() < 0.3}
        payments = []
        if proc.fee and outcome != "withdrawn" and r() < 0.95:
            paid_at = received + dt.timedelta(minutes=rng.randrange(1, 120))
            payments.append(
                {"amount": proc.fee, "online": online and r() < 0.5, "paid_at": paid_at.isoformat()}
            )
        person = r() < 0.85
        return {
            "code": f"G{self.seed}-{self.year}-{n:08d}",
            "procedure": proc.code,
            "unit": unit,
            "channel": channel,
            "applicant": {
                "kind": "person" if person else "organization",
                "id": f"042{rng.randrange(10**9):09d}" if person else f"30{rng.randrange(10**8):08d}",
                "vneid": person and r() < 0.6,
            },
            "received_at": received.isoformat(),
            "due_at": due_at,
            "finished_at": finished.isoformat() if finished else None,
            "returned_at": returned.isoformat() if returned else None,
            "outcome": outcome,
            "supplements": supplements,
            "documents": documents,
            "result": result,
            "payments": payments,
            "rating": rng.choices(
                ("very_satisfied", "satisfied", "neutral", "dissatisfied"), weights=(45, 40, 10, 5)
            )[0]
            if finished is not None and r() < 0.3
            else None,
            "complaint": r() < 0.02,
            "synced": r() < 0.95,
        }


def generate_bundle(path: str | Path, *, dossiers: int, seed: int = 1, year: int = 2023) -> GeneratedBundle:
    """Write a bundle of `dossiers` dossiers received in `year` to the directory `path`."""
    rng = random.Random(seed)
    target = Path(path)
    target.mkdir(parents=True, exist_ok=True)
    as_of = dt.datetime(year + 1, 1, 15, 10, 0, tzinfo=VIETNAM)

    units_by_level: dict[str, list[str]] = {"province": [], "district": [], "commune": []}
    with open(target / UNITS, "w", encoding="utf-8", newline="") as out:
        if Unit.objects.exists():
            unit_count = export_units(out)
            rows = list(
                Unit.objects.filter(kind__in=("people_committee", "department")).values_list("code", "level")
            )
        else:
            synthetic = _synthetic_units(rng)
            writer = csv.writer(out)
            writer.writerow(UNIT_COLUMNS)
            writer.writerows(synthetic)
            unit_count = len(synthetic)
            rows = [(u[0], u[3]) for u in synthetic]
        for code, level in rows:
            units_by_level.setdefault(level, []).append(code)

    procs: list[_Proc] = []
    with open(target / PROCEDURES, "w", encoding="utf-8", newline="") as out:
        if Procedure.objects.filter(internal=False).exists():
            procedure_count = export_procedures(out)
            for code, days, fee, level, at_p, at_d, at_c in Procedure.objects.filter(
                internal=False
            ).values_list(
                "code", "duration_days", "fee", "online_level", "at_province", "at_district", "at_commune"
            ):
                levels = tuple(
                    lv for lv, on in (("province", at_p), ("district", at_d), ("commune", at_c)) if on
                )
                procs.append(
                    _Proc(
                        code,
                        days,
                        fee,
                        level in ("full", "partial"),
                        levels or ("province", "district", "commune"),
                    )
                )
        else:
            synthetic_procs = _synthetic_procedures(rng, year)
            writer = csv.writer(out)
            writer.writerow(PROCEDURE_COLUMNS)
            for p in synthetic_procs:
                writer.writerow(
                    [format_csv_bool(p[c]) if isinstance(p[c], bool) else p[c] for c in PROCEDURE_COLUMNS]
                )
                if not p["internal"]:
                    procs.append(
                        _Proc(
                            p["code"],
                            p["duration_days"],
                            p["fee"],
                            p["online_level"] != "none",
                            (p["_level"],),
                        )
                    )
            procedure_count = len(synthetic_procs)

    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "as_of": as_of.isoformat(),
        "province": settings.MOTCUA_PROVINCE,
    }
    (target / MANIFEST).write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n")

    maker = _DossierMaker(rng, seed, year, as_of, units_by_level, procs)
    dumps = orjson.dumps
    with open(target / DOSSIERS, "wb") as out:
        chunk: list[bytes] = []
        for n in range(1, dossiers + 1):
            chunk.append(dumps(maker.make(n)))
            if len(chunk) >= _WRITE_EVERY:
                out.write(b"\n".join(chunk) + b"\n")
                chunk = []
        if chunk:
            out.write(b"\n".join(chunk) + b"\n")
    return GeneratedBundle(str(target), unit_count, procedure_count, dossiers)
