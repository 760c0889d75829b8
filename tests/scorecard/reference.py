"""A reference scorecard, written straight from indicators.md, dossier by dossier, in plain Python.

It shares nothing with the engine but the working-day calendar (a separate component): no
predicates, no SQL, no definition files. The tests compare the engine with it on generated
bundles. Input is the exchange bundle's own records (dicts as read from the CSV/JSONL files).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from zoneinfo import ZoneInfo

from motcua.calendar import services as cal

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FINAL = ("approved", "rejected", "stopped")
FIVE_PM = dt.time(17, 0)
LEVELS = ("province", "district", "commune")


def ts(text):
    if not text:
        return None
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=VN)


def vn_date(moment):
    return moment.astimezone(VN).date()


def flag(text):
    return str(text).strip().lower() in ("1", "true")


def date_or_none(text):
    return dt.date.fromisoformat(text) if text else None


def next_working(day):
    while not cal.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def computed_due(received, duration, day_kind):
    """indicators.md "Due date when absent"."""
    local = received.astimezone(VN)
    if day_kind == "calendar":
        day = next_working(local.date() + dt.timedelta(days=duration))
    else:
        day = local.date()
        if local.time() > FIVE_PM:
            day += dt.timedelta(days=1)
        day = next_working(day)
        counted = 0
        while counted < duration:
            day += dt.timedelta(days=1)
            if cal.is_working_day(day):
                counted += 1
    return dt.datetime.combine(day, FIVE_PM, tzinfo=VN)


def working_days_before(day, n):
    for _ in range(n):
        day -= dt.timedelta(days=1)
        while not cal.is_working_day(day):
            day -= dt.timedelta(days=1)
    return day


def working_days_after(day, n):
    for _ in range(n):
        day += dt.timedelta(days=1)
        while not cal.is_working_day(day):
            day += dt.timedelta(days=1)
    return day


def period_bounds(code):
    year = int(code[:4])
    if len(code) == 4:
        start, months = dt.datetime(year, 1, 1, tzinfo=VN), 12
    elif code[5] == "Q":
        quarter = int(code[6])
        start, months = dt.datetime(year, 3 * quarter - 2, 1, tzinfo=VN), 3
    else:
        start, months = dt.datetime(year, int(code[5:]), 1, tzinfo=VN), 1
    month = start.month - 1 + months
    end = dt.datetime(start.year + month // 12, month % 12 + 1, 1, tzinfo=VN)
    return start, end


@dataclass
class Dossier:
    code: str
    unit: str
    level: str
    proc: dict
    channel: str
    person: bool
    vneid: bool
    received: dt.datetime | None
    due: dt.datetime | None
    finished: dt.datetime | None
    outcome: str | None
    supplements: int
    documents: list
    result: dict
    payments: list
    rating: str | None
    complaint: bool
    synced: bool


def build_dossiers(units, procedures, records):
    level_of = {u["code"]: u["level"] for u in units}
    procs = {p["code"]: p for p in procedures}
    dossiers = []
    for r in records:
        proc = procs[r["procedure"]]
        received = ts(r.get("received_at"))
        due = ts(r.get("due_at"))
        if due is None and received is not None:
            due = computed_due(received, int(proc["duration_days"]), proc["day_kind"] or "working")
        applicant = r.get("applicant") or {}
        dossiers.append(
            Dossier(
                code=r["code"],
                unit=r["unit"],
                level=level_of[r["unit"]],
                proc=proc,
                channel=r["channel"],
                person=applicant.get("kind") == "person",
                vneid=bool(applicant.get("vneid")),
                received=received,
                due=due,
                finished=ts(r.get("finished_at")),
                outcome=r.get("outcome"),
                supplements=len(r.get("supplements") or []),
                documents=r.get("documents") or [],
                result=r.get("result") or {},
                payments=[(p["amount"], p["online"], ts(p["paid_at"])) for p in r.get("payments") or []],
                rating=r.get("rating"),
                complaint=bool(r.get("complaint")),
                synced=r.get("synced", True),
            )
        )
    return dossiers


class Window:
    def __init__(self, period, as_of):
        self.start, self.end = period_bounds(period)
        self.cut = min(self.end, as_of)
        self.last_day = vn_date(self.cut - dt.timedelta(microseconds=1))

    def inside(self, moment):
        return moment is not None and self.start <= moment < self.cut

    def received(self, d):
        return d.outcome != "withdrawn" and self.inside(d.received)

    def finished(self, d):
        return d.outcome in FINAL and self.inside(d.finished)

    def resolved(self, d):
        return self.finished(d) and d.outcome == "approved"

    def rated(self, d):
        return self.finished(d) and d.rating is not None

    def handled(self, d):
        if self.finished(d):
            return True
        still_open = d.finished is None or d.finished >= self.cut
        return d.outcome != "withdrawn" and d.received is not None and d.received < self.cut and still_open

    def on_time(self, d):
        if d.due is None:
            return True
        if d.finished is not None and d.finished < self.cut:
            return vn_date(d.finished) <= vn_date(d.due)
        return not vn_date(d.due) < self.last_day

    def payments(self, d):
        if d.outcome == "withdrawn":
            return []
        return [(amount, online) for amount, online, paid in d.payments if amount > 0 and self.inside(paid)]


def rounded(fraction):
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(fraction.numerator) / Decimal(fraction.denominator)
        return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def reused(doc):
    return doc["source"] in ("store", "national_db")


class Reference:
    """The scorecard of one plan, period and as_of, keyed by (indicator, scope, key)."""

    def __init__(self, units, procedures, records, province, period, as_of):
        self.w = Window(period, as_of)
        self.province = province
        self.procedures = procedures
        self.dossiers = build_dossiers(units, procedures, records)
        self.unit_level = {u["code"]: u["level"] for u in units}

    # scopes: (scope, key, dossier filter, level for a per-level target)
    def scopes(self):
        yield "province", self.province, lambda d: True, None
        for level in LEVELS:
            yield "level", level, (lambda d, lv=level: d.level == lv), level
        for unit in sorted({d.unit for d in self.dossiers}):
            yield "unit", unit, (lambda d, u=unit: d.unit == u), self.unit_level[unit]

    def row(self, code, scope, key, num, den, target, points=None, threshold=None):
        return self.ratio_row(code, scope, key, Fraction(100 * num, den), num, den, target, points, threshold)

    def ratio_row(self, code, scope, key, ratio, numerator, denominator, target, points=None, threshold=None):
        out = {
            "indicator": code,
            "scope": scope,
            "key": key,
            "numerator": numerator,
            "denominator": denominator,
            "value": rounded(ratio),
            "target": None if target is None else float(target),
            "met": None if target is None else ratio >= Fraction(str(target)),
        }
        if points is not None:
            if threshold is not None and ratio >= threshold:
                pts = Fraction(points)
            else:
                pts = Fraction(points) * ratio / (threshold if threshold is not None else 100)
            out["points"] = rounded(pts)
            out["max_points"] = float(points)
            out["_points"] = pts
            out["_max"] = Fraction(points)
        return out

    # --- catalog ---------------------------------------------------------------------------------
    def catalog_counts(self):
        w = self.w
        public = [p for p in self.procedures if not flag(p["internal"])]
        internal = [p for p in self.procedures if flag(p["internal"])]

        def announced_in_period(p):
            day = date_or_none(p["announced_on"])
            return day is not None and w.start.date() <= day <= w.last_day

        full = [p for p in public if p["online_level"] == "full"]
        used = {d.proc["code"] for d in self.dossiers if w.received(d) and d.channel == "online"}
        announced = [p for p in public if announced_in_period(p)]
        with_effective = [p for p in announced if p["effective_on"]]
        fee = [p for p in public if int(p["fee"] or 0) > 0]
        eligible = [p for p in public if flag(p["full_online_eligible"])]
        online = [p for p in public if p["online_level"] in ("full", "partial")]
        return {
            "online_full_coverage": (sum(p["online_level"] == "full" for p in eligible), len(eligible)),
            "online_public_national": (sum(flag(p["public_national"]) for p in online), len(online)),
            "online_full_used": (sum(p["code"] in used for p in full), len(full)),
            "internal_published": (sum(flag(p["published"]) for p in internal), len(internal)),
            "announced_on_time": (
                sum(
                    date_or_none(p["announced_on"]) <= working_days_before(date_or_none(p["effective_on"]), 5)
                    for p in with_effective
                ),
                len(with_effective),
            ),
            "public_on_time": (
                sum(
                    bool(p["public_on"])
                    and date_or_none(p["public_on"]) <= working_days_after(date_or_none(p["announced_on"]), 5)
                    for p in announced
                ),
                len(announced),
            ),
            "online_payment_coverage": (sum(flag(p["online_payment"]) for p in fee), len(fee)),
        }

    # --- hatinh-2023 -----------------------------------------------------------------------------------
    def hatinh(self):
        w = self.w
        rows = {}

        def put(row):
            rows[(row["indicator"], row["scope"], row["key"])] = row

        targets = {
            "online_full_coverage": 100,
            "online_public_national": 80,
            "online_full_used": 80,
            "internal_published": 90,
            "announced_on_time": 100,
            "online_payment_coverage": 50,
        }
        for code, (num, den) in self.catalog_counts().items():
            if code in targets and den:
                put(self.row(code, "province", self.province, num, den, targets[code]))
        for scope, key, inside, level in self.scopes():
            ds = [d for d in self.dossiers if inside(d)]
            received = [d for d in ds if w.received(d)]
            full = [d for d in received if d.proc["online_level"] == "full"]
            with_available = [d for d in received if any(doc["available"] for doc in d.documents)]
            resolved = [d for d in ds if w.resolved(d)]
            payments = [p for d in ds for p in w.payments(d)]
            rated = [d for d in ds if w.rated(d)]
            handled = [d for d in ds if w.handled(d)]
            by_level = {"province": 70, "district": 60, "commune": 55}
            counts = {
                "online_dossier_rate": (sum(d.channel == "online" for d in full), len(full), 60),
                "no_resubmission": (
                    sum(all(reused(doc) for doc in d.documents if doc["available"]) for d in with_available),
                    len(with_available),
                    70,
                ),
                "digitized_results": (
                    sum(bool(d.result.get("digitized")) for d in resolved),
                    len(resolved),
                    None if scope == "province" else by_level[level],
                ),
                "online_payment_rate": (sum(online for _a, online in payments), len(payments), 40),
                "satisfaction": (
                    sum(d.rating in ("very_satisfied", "satisfied") for d in rated),
                    len(rated),
                    85,
                ),
                "on_time_rate": (sum(w.on_time(d) for d in handled), len(handled), None),
            }
            for code, (num, den, target) in counts.items():
                if den:
                    put(self.row(code, scope, key, num, den, target))
        return rows

    # --- qd766 ---------------------------------------------------------------------------------------------
    def qd766(self):
        w = self.w
        rows = {}

        def put(row):
            rows[(row["indicator"], row["scope"], row["key"])] = row

        catalog = self.catalog_counts()
        catalog_rows = []
        for code, source, points, threshold in (
            ("ckmb_announced_on_time", "announced_on_time", 6, None),
            ("ckmb_public_on_time", "public_on_time", 4, None),
            ("tttt_fee_integrated", "online_payment_coverage", 2, 80),
        ):
            num, den = catalog[source]
            if den:
                row = self.row(code, "province", self.province, num, den, threshold, points, threshold)
                put(row)
                catalog_rows.append(row)
        scoped_rows = {}
        for scope, key, inside, _level in self.scopes():
            ds = [d for d in self.dossiers if inside(d)]
            received = [d for d in ds if w.received(d)]
            handled = [d for d in ds if w.handled(d)]
            resolved = [d for d in ds if w.resolved(d)]

            def late(d):
                return not w.on_time(d) or d.supplements > 1

            eligible = [d for d in received if flag(d.proc["full_online_eligible"])]
            with_fee = [d for d in received if int(d.proc["fee"] or 0) > 0]
            fee_procs = {d.proc["code"] for d in with_fee}
            paid_online_procs = {d.proc["code"] for d in ds for _amount, online in w.payments(d) if online}
            paying = [d for d in with_fee if any(amount > 0 for amount, _o, _p in d.payments)]
            paper = [d for d in resolved if flag(d.proc["paper_result"])]
            persons = [d for d in received if d.person]
            counts = [
                ("ckmb_synced", sum(d.synced for d in received), len(received), 6, None),
                ("tdgq_on_time", sum(not late(d) for d in handled), len(handled), 20, None),
                (
                    "clgq_online_full",
                    sum(d.channel == "online" and d.proc["online_level"] == "full" for d in eligible),
                    len(eligible),
                    12,
                    None,
                ),
                ("tttt_fee_used", len(fee_procs & paid_online_procs), len(fee_procs), 2, 80),
                (
                    "tttt_paid_online",
                    sum(any(amount > 0 and online for amount, online, _p in d.payments) for d in paying),
                    len(paying),
                    6,
                    None,
                ),
                ("mdsh_e_result", sum(bool(d.result.get("electronic")) for d in paper), len(paper), 6, None),
                (
                    "mdsh_digitized",
                    sum(bool(d.documents) and all(doc["digitized"] for doc in d.documents) for d in received),
                    len(received),
                    4,
                    80,
                ),
                (
                    "mdsh_reused",
                    sum(any(reused(doc) for doc in d.documents) for d in received),
                    len(received),
                    2,
                    80,
                ),
                (
                    "mdsh_store",
                    sum(
                        any(doc["source"] == "store" for doc in d.documents) or bool(d.result.get("to_store"))
                        for d in received
                    ),
                    len(received),
                    4,
                    None,
                ),
                (
                    "mdsh_population_data",
                    sum(d.vneid or any(reused(doc) for doc in d.documents) for d in persons),
                    len(persons),
                    2,
                    None,
                ),
            ]
            mine = []
            for code, num, den, points, threshold in counts:
                if den:
                    row = self.row(code, scope, key, num, den, threshold, points, threshold)
                    put(row)
                    mine.append(row)
            if handled:
                late_pct = Fraction(100 * sum(late(d) for d in handled), len(handled))
                complaint_pct = (
                    Fraction(100 * sum(d.complaint for d in received), len(received))
                    if received
                    else Fraction(0)
                )
                r = max(Fraction(0), 100 - late_pct - complaint_pct)
                row = self.ratio_row("mdhl_satisfaction", scope, key, r, float(r), 100, 90, 6, 90)
                put(row)
                mine.append(row)
            scoped_rows[(scope, key)] = mine
        for (scope, key), mine in scoped_rows.items():
            if scope != "province" and not mine:
                continue
            members = mine + catalog_rows
            maximum = sum(r["_max"] for r in members)
            if not maximum:
                continue
            points = sum(r["_points"] for r in members)
            rows[("total", scope, key)] = {
                "indicator": "total",
                "scope": scope,
                "key": key,
                "points": rounded(points),
                "max_points": rounded(maximum),
                "value": rounded(points * 100 / maximum),
            }
        for row in rows.values():
            row.pop("_points", None)
            row.pop("_max", None)
        return rows


def reference_rows(plan, units, procedures, records, province, period, as_of):
    if as_of <= period_bounds(period)[0]:
        return {}
    ref = Reference(units, procedures, records, province, period, as_of)
    return ref.hatinh() if plan == "hatinh-2023" else ref.qd766()
