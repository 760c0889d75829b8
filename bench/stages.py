"""The benchmark's measurements, each run in a fresh process by bench/run.py.

`python bench/stages.py STAGE [ARGS]` with DATABASE_URL and MOTCUA_DATA_DIR naming the benchmark's
database. Each stage prints one JSON object on its last line of output; run.py collects them.

Stages:
- setup: migrate, Hà Tĩnh's units, the catalog, the plans and the demo users (no dossiers).
- generate PATH N SEED: a bundle of N dossiers drawn from the loaded units and catalog.
- scorecard: the full scorecard of both plans for 2023 and each of its months, all scopes, from
  the month cells (warm and after a rebuild), from the fact table (set-based GROUP BYs), and the
  straightforward baseline: one aggregate query per measure per scope, timed on a random sample
  and extrapolated to the whole workload; the sampled baseline counts are checked against the cells.
- fresh: a dossier action through the services, then the time until the background refresher has
  stored fresh results of the current periods; and the time to recompute a 2023 period after it.
- pages: the dashboard and queue pages through Django's test client, at the server (no network),
  with their query counts.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PLANS = ("hatinh-2023", "qd766")
YEAR = 2023
PERIODS = (str(YEAR), *(f"{YEAR}-{m:02d}" for m in range(1, 13)))


def _emit(result: dict[str, Any]) -> None:
    print(json.dumps(result, ensure_ascii=False), flush=True)


def setup() -> dict[str, Any]:
    from django.core.management import call_command

    from motcua.catalog.services import load_catalog
    from motcua.operations.demo_users import ensure_demo_users
    from motcua.orgs.services import load_units
    from motcua.scorecard.services import load_plans

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    load_units("42")
    load_catalog()
    load_plans()
    ensure_demo_users()
    return {"seconds": round(time.perf_counter() - started, 1)}


def generate(path: str, n: str, seed: str) -> dict[str, Any]:
    from motcua.exchange.generator import generate_bundle

    started = time.perf_counter()
    result = generate_bundle(path, dossiers=int(n), seed=int(seed), year=YEAR)
    return {"seconds": round(time.perf_counter() - started, 1), "dossiers": result.dossiers}


# --- the scorecard ---------------------------------------------------------------------------------


def _evaluations(cells: bool) -> list[Any]:
    from motcua.scorecard import engine
    from motcua.scorecard.periods import Period

    as_of = engine.effective_as_of()
    out = []
    for code in PLANS:
        definition, plan = engine.resolve_plan(code)
        for period in PERIODS:
            out.append(engine.Evaluation(definition, plan, Period.parse(period), as_of, cells=cells))
    return out


def _workload(cells: bool) -> tuple[float, list[list[Any]], bool]:
    """Seconds for the whole workload (2 plans × 13 periods, all scopes), its rows, cells used."""
    started = time.perf_counter()
    evaluations = _evaluations(cells)
    rows = [e.rows() for e in evaluations]
    seconds = time.perf_counter() - started
    return seconds, rows, all(e.used_cells for e in evaluations) if cells else False


def _comparable(rows: list[list[Any]]) -> list[list[tuple[Any, ...]]]:
    return [
        [(r.indicator, r.scope, r.key, r.numerator, r.denominator, r.value, r.met) for r in rs] for rs in rows
    ]


def _baseline_queries() -> tuple[list[tuple[Any, ...]], Any]:
    """Every (evaluation, measure, scope, key) the baseline asks: one aggregate query each."""
    from motcua.orgs.models import Unit
    from motcua.scorecard.aggregates import GRAIN_PROCEDURE

    units = list(Unit.objects.values_list("id", "code", "level"))
    levels = sorted({level for _id, _code, level in units})
    queries = []
    evaluations = _evaluations(cells=False)
    for index, evaluation in enumerate(evaluations):
        for indicator in evaluation.definition.indicators:
            evaluation._prepare(indicator)
        for measure in evaluation.cell_measures():
            if measure.grain == GRAIN_PROCEDURE:
                queries.append((index, measure, "province", ""))
                continue
            queries.append((index, measure, "province", ""))
            queries += [(index, measure, "level", level) for level in levels]
            queries += [(index, measure, "unit", code) for _id, code, _level in units]
    return queries, (evaluations, units)


def _baseline_count(evaluation: Any, measure: Any, scope: str, key: str) -> int:
    from motcua.scorecard import engine
    from motcua.scorecard.aggregates import GRAIN_UNIT, _model, _path

    q = engine.measure_q(measure, evaluation.ctx) & engine.scope_q(measure.kind, scope, key)
    rows = _model(measure.kind).objects.filter(q)
    if measure.grain == GRAIN_UNIT:
        return rows.count()
    return rows.values(_path(measure.kind) + "procedure").distinct().count()


def _cell_count(counts: Any, measure: Any, scope: str, key: str, unit_ids: dict[str, int]) -> int:
    from motcua.scorecard.aggregates import GRAIN_UNIT

    totals = counts.totals(measure)
    if scope == "unit":
        chosen = {k: n for k, n in totals.items() if k[0] == unit_ids[key]}
    elif scope == "level":
        chosen = {k: n for k, n in totals.items() if k[1] == key}
    else:
        chosen = totals
    if measure.grain == GRAIN_UNIT:
        return sum(chosen.values())
    return len({k[2] for k, n in chosen.items() if n})


def scorecard(baseline_seconds: str, direct: str) -> dict[str, Any]:
    from motcua.dossiers.models import DossierFact
    from motcua.scorecard import aggregates, engine

    facts = DossierFact.objects.count()
    out: dict[str, Any] = {"facts": facts, "evaluations": len(PLANS) * len(PERIODS)}

    aggregates.invalidate()
    out["cells_rebuild_s"] = round(aggregates.rebuild(calendar=engine.default_calendar()), 3)
    cold, cold_rows, used = _workload(cells=True)  # first read after the rebuild: caches cold
    warm = [_workload(cells=True)[0] for _ in range(5)]
    out.update(
        cells_first_s=round(cold, 3),
        cells_s=round(statistics.median(warm), 3),
        cells_best_s=round(min(warm), 3),
        used_cells=used,
        rows=sum(len(r) for r in cold_rows),
    )
    if direct == "yes":
        seconds, direct_rows, _used = _workload(cells=False)
        out["direct_s"] = round(seconds, 3)
        out["cells_equal_direct"] = _comparable(direct_rows) == _comparable(cold_rows)

    queries, (evaluations, units) = _baseline_queries()
    unit_ids = {code: pk for pk, code, _level in units}
    rng = random.Random(7)
    sample = list(queries)
    rng.shuffle(sample)
    budget = float(baseline_seconds)
    cells_for = {}
    spent, done, mismatches = 0.0, 0, 0
    for index, measure, scope, key in sample:
        evaluation = evaluations[index]
        started = time.perf_counter()
        n = _baseline_count(evaluation, measure, scope, key)
        spent += time.perf_counter() - started
        done += 1
        if index not in cells_for:
            cells_for[index] = aggregates.counts_for(
                evaluation.window, evaluation.cell_measures(), evaluation.ctx.calendar, build=False
            )
        if cells_for[index] is not None and n != _cell_count(cells_for[index], measure, scope, key, unit_ids):
            mismatches += 1
        if spent >= budget:
            break
    estimate = spent / done * len(queries)
    out.update(
        baseline_queries=len(queries),
        baseline_sampled=done,
        baseline_sample_s=round(spent, 1),
        baseline_s=round(estimate, 1),
        baseline_extrapolated=done < len(queries),
        baseline_mismatches=mismatches,
        speedup=round(estimate / out["cells_s"], 0) if out["cells_s"] else None,
    )
    return out


# --- freshness -------------------------------------------------------------------------------------


def fresh(repeats: str) -> dict[str, Any]:
    from django.conf import settings

    from motcua.accounts.choices import Role
    from motcua.accounts.models import Membership
    from motcua.dossiers import services as dossiers
    from motcua.dossiers.models import Dossier
    from motcua.scorecard import services
    from motcua.scorecard.freshness import refresher

    settings.MOTCUA_SCORECARD_REFRESH = "thread"
    memberships = Membership.objects.filter(role=Role.COUNTER_OFFICER).select_related("user", "unit")
    officers = {m.unit_id: m.user for m in memberships}
    candidates = list(
        Dossier.objects.filter(unit_id__in=officers, finished_at__isnull=True, outcome__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[: int(repeats)]
    )
    # The data goes live once (the first action makes every default result move to "now"): that
    # first refresh is measured apart, as it is paid once after an import, not per action.
    services.mark_stale(dossier_ids=[])
    runs = refresher.runs
    started = time.monotonic()
    refresher.wait_for_runs(runs + 1, timeout=600)
    first = time.monotonic() - started
    latencies = []
    for pk in candidates:
        dossier = Dossier.objects.get(pk=pk)
        runs = refresher.runs
        started = time.monotonic()
        dossiers.withdraw(officers[dossier.unit_id], dossier, "Người nộp đề nghị rút hồ sơ (đo hiệu năng).")
        committed = time.monotonic()
        assert refresher.wait_for_runs(runs + 1, timeout=60), "the refresher did not run"
        latencies.append((committed - started, time.monotonic() - committed))
    started = time.perf_counter()
    services.compute_and_store("hatinh-2023", str(YEAR))
    recompute_year = time.perf_counter() - started
    return {
        "actions": len(latencies),
        "first_refresh_after_import_s": round(first, 3),
        "action_s": round(statistics.median(a for a, _ in latencies), 3) if latencies else None,
        "to_fresh_median_s": round(statistics.median(b for _, b in latencies), 3) if latencies else None,
        "to_fresh_max_s": round(max(b for _, b in latencies), 3) if latencies else None,
        "recompute_2023_year_s": round(recompute_year, 3),
        "refresher_failures": refresher.failures,
    }


# --- pages -----------------------------------------------------------------------------------------


def pages(repeats: str) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    from motcua.accounts.models import User
    from motcua.scorecard import engine

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    indicator = engine.resolve_plan("hatinh-2023")[0].indicators[0].code
    checks = [
        ("cchc", f"/dashboard/?plan=hatinh-2023&period={YEAR}"),
        ("cchc", f"/dashboard/?plan=qd766&period={YEAR}"),
        ("cchc", f"/dashboard/trends/?plan=hatinh-2023&period={YEAR}"),
        ("cchc", f"/dashboard/units/?plan=hatinh-2023&period={YEAR}"),
        ("cchc", f"/dashboard/indicators/{indicator}/?plan=hatinh-2023&period={YEAR}"),
        ("lanhdao.tphatinh", f"/dashboard/?plan=hatinh-2023&period={YEAR}"),
        ("motcua.stp", "/office/"),
        ("xuly.stp", "/office/"),
        ("lanhdao.stp", "/office/"),
        ("lanhdao.stp", "/office/overview/"),
    ]
    out = []
    for username, url in checks:
        client = Client()
        client.force_login(User.objects.get(username=username))
        first = time.perf_counter()
        response = client.get(url)
        first = time.perf_counter() - first
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(int(repeats)):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        out.append(
            {
                "user": username,
                "url": url,
                "first_ms": round(first * 1000),
                "median_ms": round(statistics.median(times) * 1000),
                "max_ms": round(max(times) * 1000),
                "queries": len(queries),
            }
        )
    return {"pages": out}


STAGES = {"setup": setup, "generate": generate, "scorecard": scorecard, "fresh": fresh, "pages": pages}

if __name__ == "__main__":
    name, *args = sys.argv[1:]
    _emit(STAGES[name](*args))
