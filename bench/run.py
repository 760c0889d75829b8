"""`make bench`: motcua's performance figures, with ratios against a straightforward baseline.

For each database (SQLite, and PostgreSQL when reachable), in databases of its own under
var/bench/ (never the demo's):
1. import: a generated bundle of --import-dossiers dossiers (Hà Tĩnh's units and catalog) into a
   database holding only units, catalog, plans and users: dossiers per second, and the peak memory
   of the whole process tree (the importing process and its worker), sampled from /proc.
2. at that size: the scorecard workload (both plans, 2023 and each of its 12 months, every scope),
   the dashboard and queue pages, and the time from a dossier action to fresh stored results.
3. at --scorecard-dossiers: a second database, imported the same way, and the scorecard workload.
The goals (issues 4 and 5) are printed beside each figure; the results go to var/bench/results.json.

    python bench/run.py [--databases sqlite,postgres] [--import-dossiers 1000000]
                        [--scorecard-dossiers 10000000] [--baseline-seconds 60] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
STAGES = str(ROOT / "bench" / "stages.py")
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")

GOAL_IMPORT_RATE = 20_000  # dossiers per second
GOAL_IMPORT_MEMORY_MB = 1024
GOAL_SCORECARD_S = 1.0
GOAL_SPEEDUP = 100
GOAL_PAGE_MS = 300
GOAL_FRESH_S = 1.0


def say(text: str = "") -> None:
    print(text, flush=True)


# --- processes -------------------------------------------------------------------------------------


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (KiB), from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo += [int(c) for c in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run(args: list[str], env: dict[str, str], *, sample_memory: bool = False) -> tuple[str, float, int]:
    """Run a command; (stdout, wall seconds, peak tree RSS in MiB when sampled). Fails loudly."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kib(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    if sample_memory:
        sampler.start()
    out, err = process.communicate()
    done.set()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(args)}\n{err[-4000:]}")
    return out, seconds, peak[0] // 1024


def stage(name: str, env: dict[str, str], *args: Any) -> dict[str, Any]:
    out, _seconds, _peak = run([PYTHON, STAGES, name, *map(str, args)], env)
    return json.loads(out.strip().splitlines()[-1])


# --- databases -------------------------------------------------------------------------------------


def postgres_available() -> bool:
    return shutil.which("psql") is not None and (
        subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0
    )


def fresh_database(kind: str, name: str, work: Path) -> dict[str, str]:
    """The environment of a new, empty benchmark database."""
    data_dir = work / name
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    env = {
        **os.environ,
        "MOTCUA_DATA_DIR": str(data_dir),
        "MOTCUA_SCORECARD_REFRESH": "off",
        "PYTHONPATH": str(ROOT / "src"),  # this checkout's code, whatever the venv points at
    }
    env.pop("DATABASE_URL", None)
    if kind == "postgres":
        db = f"motcua_bench_{name.replace('-', '_')}"
        for sql in (f"DROP DATABASE IF EXISTS {db}", f"CREATE DATABASE {db}"):
            subprocess.run(
                ["psql", f"{POSTGRES}/postgres", "-qc", sql], check=True, capture_output=True, text=True
            )
        env["DATABASE_URL"] = f"{POSTGRES}/{db}"
    return env


def bundle(work: Path, dossiers: int) -> Path:
    """A generated bundle of `dossiers` dossiers on Hà Tĩnh's units and catalog, made once."""
    path = work / "bundles" / f"hatinh-{dossiers}"
    if (path / ".complete").exists():
        return path
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    env = fresh_database("sqlite", "generator", work)
    stage("setup", env)
    made = stage("generate", env, path, dossiers, 1)
    (path / ".complete").write_text(json.dumps(made))
    say(f"  bundle of {dossiers:,} dossiers generated in {made['seconds']} s")
    return path


def import_into(kind: str, name: str, work: Path, source: Path, dossiers: int) -> tuple[dict[str, str], dict]:
    env = fresh_database(kind, name, work)
    stage("setup", env)
    out, seconds, peak = run(
        [PYTHON, "-m", "motcua", "import", str(source), "--json", "--no-progress"], env, sample_memory=True
    )
    summary = json.loads(out)
    rate = dossiers / seconds
    return env, {
        "dossiers": dossiers,
        "wall_s": round(seconds, 1),
        "dossiers_per_s": round(rate),
        "import_reported_s": summary["seconds"],
        "peak_memory_mb": peak,
    }


# --- report ----------------------------------------------------------------------------------------


def mark(ok: bool) -> str:
    return "đạt / met" if ok else "CHƯA ĐẠT / missed"


def show_import(result: dict[str, Any]) -> None:
    say(
        f"  import {result['dossiers']:,} dossiers: {result['wall_s']} s, {result['dossiers_per_s']:,}/s "
        f"(goal ≥ {GOAL_IMPORT_RATE:,}/s: {mark(result['dossiers_per_s'] >= GOAL_IMPORT_RATE)}), "
        f"peak memory {result['peak_memory_mb']} MB "
        f"(goal < {GOAL_IMPORT_MEMORY_MB} MB: {mark(result['peak_memory_mb'] < GOAL_IMPORT_MEMORY_MB)})"
    )


def show_scorecard(result: dict[str, Any]) -> None:
    say(
        f"  scorecard, {result['evaluations']} evaluations (2 plans × year + 12 months, all scopes) "
        f"on {result['facts']:,} fact rows:"
    )
    say(
        f"    month cells: {result['cells_s']} s median of 5 (best {result['cells_best_s']} s, "
        f"first after rebuild {result['cells_first_s']} s; goal ≤ {GOAL_SCORECARD_S} s: "
        f"{mark(result['cells_s'] <= GOAL_SCORECARD_S)}); {result['rows']:,} result rows; "
        f"cells used: {result['used_cells']}"
    )
    say(f"    cells rebuilt from the fact table in {result['cells_rebuild_s']} s (after an import)")
    if "direct_s" in result:
        say(
            f"    set-based GROUP BYs over the fact table: {result['direct_s']} s "
            f"(identical rows: {result['cells_equal_direct']})"
        )
    how = (
        f"extrapolated from {result['baseline_sampled']:,} random queries of {result['baseline_queries']:,} "
        f"({result['baseline_sample_s']} s)"
        if result["baseline_extrapolated"]
        else f"all {result['baseline_queries']:,} queries"
    )
    say(
        f"    baseline, one aggregate query per measure per scope: {result['baseline_s']:,} s, {how}; "
        f"counts differing from the cells: {result['baseline_mismatches']}"
    )
    speedup = result["speedup"]
    say(
        f"    speed-up over the baseline: {speedup:,.0f}× (goal ≥ {GOAL_SPEEDUP}×: {mark(speedup >= GOAL_SPEEDUP)})"
    )


def show_pages(result: dict[str, Any]) -> None:
    worst = max(p["median_ms"] for p in result["pages"])
    say(
        f"  pages at the server (median of repeats; goal ≤ {GOAL_PAGE_MS} ms: {mark(worst <= GOAL_PAGE_MS)}):"
    )
    for p in result["pages"]:
        say(
            f"    {p['median_ms']:>5} ms (max {p['max_ms']}, first {p['first_ms']}), "
            f"{p['queries']:>3} queries  {p['user']:<17} {p['url']}"
        )


def show_fresh(result: dict[str, Any]) -> None:
    if not result["actions"]:
        say("  freshness: no open dossier with a counter officer to act on")
        return
    say(
        f"  dossier action → fresh stored results (the refresher, current periods): median "
        f"{result['to_fresh_median_s']} s, max {result['to_fresh_max_s']} s over {result['actions']} "
        f"withdrawals (goal ≤ {GOAL_FRESH_S} s: {mark(result['to_fresh_max_s'] <= GOAL_FRESH_S)}); "
        f"the action itself {result['action_s']} s; recomputing hatinh-2023 for 2023 after it "
        f"{result['recompute_2023_year_s']} s; first refresh after the import "
        f"{result['first_refresh_after_import_s']} s"
    )


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "python": platform.python_version(),
        "sqlite": __import__("sqlite3").sqlite_version,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--import-dossiers", type=int, default=1_000_000)
    parser.add_argument("--scorecard-dossiers", type=int, default=10_000_000)
    parser.add_argument("--baseline-seconds", type=float, default=60.0)
    parser.add_argument(
        "--direct-up-to",
        type=int,
        default=1_000_000,
        help="time the set-based engine over facts only up to this many dossiers",
    )
    parser.add_argument("--quick", action="store_true", help="20,000 and 100,000 dossiers, a 10 s baseline")
    parser.add_argument("--work", default=str(ROOT / "var" / "bench"))
    args = parser.parse_args()
    if args.quick:
        args.import_dossiers, args.scorecard_dossiers, args.baseline_seconds = 20_000, 100_000, 10.0
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    kinds = [k.strip() for k in args.databases.split(",") if k.strip()]
    if "postgres" in kinds and not postgres_available():
        say("PostgreSQL is not reachable at 127.0.0.1: measuring SQLite only")
        kinds.remove("postgres")

    results: dict[str, Any] = {"machine": machine(), "command": " ".join(sys.argv), "databases": {}}
    say(f"machine: {results['machine']}")
    sizes = sorted({args.import_dossiers, args.scorecard_dossiers})
    bundles = {n: bundle(work, n) for n in sizes}
    for n in sizes:
        for kind in kinds:
            say(f"\n== {kind}, {n:,} dossiers ==")
            mine: dict[str, Any] = results["databases"].setdefault(kind, {})
            env, imported = import_into(kind, f"{kind}-{n}", work, bundles[n], n)
            mine[f"import_{n}"] = imported
            show_import(imported)
            direct = "yes" if n <= args.direct_up_to else "no"
            mine[f"scorecard_{n}"] = card = stage("scorecard", env, args.baseline_seconds, direct)
            show_scorecard(card)
            if n == args.import_dossiers:
                mine[f"pages_{n}"] = shown = stage("pages", env, 5)
                show_pages(shown)
                mine[f"fresh_{n}"] = fresh = stage("fresh", env, 5)
                show_fresh(fresh)
            (work / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
            if n != args.import_dossiers and kind == "postgres":
                subprocess.run(
                    [
                        "psql",
                        f"{POSTGRES}/postgres",
                        "-qc",
                        f"DROP DATABASE IF EXISTS motcua_bench_{kind}_{n}",
                    ],
                    check=False,
                )
    say(f"\nresults: {work / 'results.json'}")


if __name__ == "__main__":
    main()
