"""`make bench`: figures for the workspace, the index, the worklist and start-up (printed, never asserted).

Issue 11's targets are ratios of two figures measured in the same run, so the machine's speed
cancels; they are printed last, each with its target."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.intake.synthetic_835 import generate_835
from workstation.ops.deadlines import calendar_bytes, rows_with_deadlines, with_deadlines
from workstation.ops.demo import create_demo_workspace
from workstation.ops.import_remittance import import_remittances

CASES = int(os.environ.get("BENCH_CASES", "10000"))
HERE = Path(__file__).parent
SESSION_LIMIT_S = 900


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    print(f"{label:<58} {time.perf_counter() - start:8.3f} s", flush=True)
    return result


def timed_seconds(label: str, action) -> float:
    start = time.perf_counter()
    timed(label, action)
    return time.perf_counter() - start


#: CPU time of the best run of each figure measured in this process (single-threaded work)
CPU: dict[str, float] = {}


def best_of(runs: int, label: str, action: Callable[[], Any], key: str = "") -> tuple[float, Any]:
    """The shortest of `runs` timings (the others are noise from a shared machine), printed with all
    and with its CPU time; the CPU time is kept in CPU[key]."""
    times, result = [], None
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = action()
        times.append((time.perf_counter() - start, time.process_time() - cpu_start))
    wall, cpu = min(times)
    if key:
        CPU[key] = cpu
    print(f"{label:<58} {wall:8.3f} s (best of {runs}; {', '.join(f'{t:.2f}' for t, _c in times)}; "
          f"CPU {cpu:.2f} s)", flush=True)
    return wall, result


def build_workspace(root: Path, count: int) -> None:
    """`count` denied claims imported from one generated remittance: one case file each."""
    era = root.parent / "denials.835"
    era.write_text(generate_835(7, count, denied=count), encoding="utf-8")
    with Workspace.open(root) if root.exists() else Workspace.create(root) as workspace:
        summary = import_remittances(workspace, [era], actor="bench")
    assert summary.created == count, summary.lines()


def rescan_plus_read(cases_dir: Path) -> int:
    """The work no rebuild of the index can avoid: list cases/ with each file's size and time, and
    open each file once to read one row of it (its case_info row)."""
    count = 0
    with os.scandir(cases_dir) as entries:
        for entry in entries:
            if entry.name.endswith(".appeal"):
                entry.stat()
                conn = sqlite3.connect(f"{Path(entry.path).as_uri()}?mode=ro", uri=True)
                conn.execute("SELECT * FROM case_info").fetchone()
                conn.close()
                count += 1
    return count


def window_seconds(workspace: Path, env: dict[str, str], until: str) -> tuple[float, float]:
    """Wall time from starting the process until the window says `shown` or `loaded N`, and the
    CPU time the process used in all (to its exit: a figure a busy machine disturbs less)."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "workstation.cli", "gui", "-w", str(workspace),
                                f"--quit-after-{until}"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               env=env, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(until):
            elapsed = time.perf_counter() - start
            process.stdout.close()
            _pid, _status, usage = os.wait4(process.pid, 0)
            process.returncode = 0  # reaped above
            return elapsed, usage.ru_utime + usage.ru_stime
    raise RuntimeError(f"the window never reported being {until}")


def start_up(label: str, workspace: Path, env: dict[str, str], until: str, runs: int) -> tuple[float, float]:
    """Best wall time and best CPU time of `runs` starts, printed with every wall time."""
    figures = [window_seconds(workspace, env, until) for _ in range(runs)]
    walls = [wall for wall, _cpu in figures]
    print(f"{label:<58} {min(walls):8.3f} s (best of {runs}; {', '.join(f'{w:.2f}' for w in walls)}; "
          f"CPU {min(cpu for _wall, cpu in figures):.2f} s)", flush=True)
    return min(walls), min(cpu for _wall, cpu in figures)


def new_appeals(cases_dir: Path) -> list[Path]:
    """The demo's new appeal cases, by account number (the demo's file names vary per build)."""
    found = []
    for path in cases_dir.glob("*.appeal"):
        with CaseFile.open(path, read_only=True) as case_file:
            case = case_file.load()
        if case.route is not None and case.route.value == "appeal" and case.status.value == "new":
            found.append((case.claim.account_number, path))
    return [path for _account, path in sorted(found)]


def session_figures(root: Path, cases: list[Path], env: dict[str, str]) -> dict[str, Any] | None:
    """bench_session.py in a process of its own (offscreen): its lines printed, its figures returned
    (None, with the reason printed, when the session could not run to its end)."""
    print(f"Scripted session in the window, {root.name} workspace (longest GUI-thread stall of each action)",
          flush=True)
    try:
        process = subprocess.run([sys.executable, str(HERE / "bench_session.py"), str(root), *map(str, cases[:2])],
                                 env=env | {"QT_QPA_PLATFORM": "offscreen"}, capture_output=True, text=True,
                                 timeout=SESSION_LIMIT_S)
    except subprocess.TimeoutExpired:
        print(f"  the session did not end within {SESSION_LIMIT_S} s (a dialog waiting for an answer?)")
        return None
    lines = process.stdout.rstrip().splitlines()
    for line in lines[:-1]:
        print(line)
    if process.returncode != 0 or not lines or not lines[-1].startswith("{"):
        errors = [line for line in process.stderr.splitlines() if "propagateSizeHints" not in line]
        print("  the session stopped: " + " / ".join(errors[-3:] or lines[-1:]))
        return None
    return json.loads(lines[-1])


def target(label: str, value: float, limit: float, unit: str = "x", note: str = "") -> None:
    verdict = "met" if value <= limit else "NOT met"
    figure = f"{value:8.2f} x" if unit == "x" else f"{value:7.0f} ms"
    print(f"  {label:<66} {figure}  (target {limit:g}{'' if unit == 'x' else ' ms'}: {verdict}){note}")


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from workstation.gui.worklist_model import WorklistFilter, WorklistModel

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {"WORKSTATION_CONFIG_DIR": f"{tmp}/config", "WORKSTATION_DATA_DIR": f"{tmp}/data",
                            "WORKSTATION_LOG_DIR": f"{tmp}/log"}
        os.environ.update(env)
        demo = Path(tmp) / "demo"
        create_demo_workspace(demo).close()
        root = Path(tmp) / "big"
        shutil.copytree(demo, root)
        print(f"Workspace of the demo and {CASES:,} synthetic denials ({os.cpu_count()} cores)")
        seconds = timed_seconds(f"create {CASES:,} cases by importing a generated 835",
                                lambda: build_workspace(root, CASES))
        print(f"{'  per case file':<58} {seconds_per(seconds, CASES):>10}")
        total = sum(1 for _ in (root / "cases").glob("*.appeal"))
        figures: dict[str, float] = {}
        figures["read"], _ = best_of(2, f"rescan-plus-read: list and open {total:,} files, one row each",
                                     lambda: rescan_plus_read(root / "cases"), "read")

        def rebuild() -> None:
            (root / "index.sqlite").unlink()
            with Workspace.open(root, backup=False) as workspace:
                workspace.index.rescan()
        figures["rebuild"], _ = best_of(2, f"rebuild a lost index.sqlite from {total:,} case files", rebuild,
                                        "rebuild")
        workspace = Workspace.open(root)
        result = timed(f"rescan {total:,} unchanged files", workspace.index.rescan)
        assert result.unchanged == total
        rows = workspace.index.rows()
        figures["deadlines"], dated = best_of(3, f"compute deadlines for {total:,} cases",
                                              lambda: with_deadlines(workspace, rows), "deadlines")
        figures["calendar"], ics = best_of(3, f"export the calendar for {total:,} cases",
                                           lambda: calendar_bytes(dated), "calendar")
        print(f"{'  calendar size':<58} {len(ics) / 1e6:8.1f} MB")
        model = WorklistModel()
        best_of(3, f"load the worklist model with {total:,} rows from index.sqlite",
                lambda: model.set_rows(rows_with_deadlines(workspace)))
        proxy = WorklistFilter()
        proxy.setSourceModel(model)
        timed(f"sort {total:,} rows by amount at stake", lambda: model.sort(4))
        workspace.close()
        cpu: dict[str, float] = {}
        for label, where in (("demo workspace", demo), (f"{total:,}-case workspace", root)):
            for until in ("shown", "loaded"):
                key = f"{until} {where.name}"
                figures[key], cpu[key] = start_up(f"process start to window {until}, {label}", where, env, until, 5)
        session = session_figures(root, [root / "cases" / p.name for p in new_appeals(demo / "cases")], env)
    del app
    print("Targets (issue 11): each a ratio of two figures of this run")
    target(f"start-up: worklist loaded with {total:,} cases / window shown on the demo",
           figures["loaded big"] / figures["shown demo"], 1.5,
           note=f" (CPU time: {cpu['loaded big'] / cpu['shown demo']:.2f} x)")
    target(f"rebuild of a lost index / rescan-plus-read of the same {total:,} files",
           figures["rebuild"] / figures["read"], 5, note=f" (CPU time: {CPU['rebuild'] / CPU['read']:.2f} x)")
    target(f"calendar of {total:,} cases / computing the deadlines it writes",
           figures["calendar"] / figures["deadlines"], 2,
           note=f" (CPU time: {CPU['calendar'] / CPU['deadlines']:.2f} x)")
    if session is None:
        print("  longest GUI-thread stall in the scripted session: not measured (the session stopped, see above)")
        return
    target("longest GUI-thread stall of any action in the scripted session", session["longest_ms"], 100, "ms",
           f": {session['longest_action']}")
    print(f"  {'longest op run on the GUI thread through the hub (Operations.longest_ms)':<66} "
          f"{session['hub_longest_ms']:7.0f} ms")
    if session["failed"]:
        print(f"  session steps that could not run: {', '.join(session['failed'])}")


def seconds_per(seconds: float, count: int) -> str:
    return f"{seconds / count * 1000:.2f} ms"


if __name__ == "__main__":
    main()
    sys.path.insert(0, str(HERE))
    import bench_audit
    import bench_backup
    import bench_csv
    import bench_encryption
    import bench_evidence
    import bench_field_edit
    import bench_frozen
    import bench_import
    import bench_kill
    import bench_letters
    import bench_report
    import bench_scan

    bench_import.main()
    bench_csv.main()
    bench_evidence.main()
    bench_letters.main()
    bench_field_edit.main()  # one typed field in the window, against the case file's own commit
    bench_report.main()  # issue 13: the report over 100,000 ledger claims; the ledger's cost in an import
    bench_audit.main()  # issue 12.2: an audit entry's cost
    bench_backup.main()  # issue 12.3: backup, restore and check of 1,000 cases
    bench_kill.main()  # issue 12.5: processes killed at random, then check
    bench_encryption.main()  # issue 12.1: encrypted against plain, opening and importing
    bench_scan.main()  # issue 15: OCR accuracy and seconds a page on the synthetic set
    bench_frozen.main()  # the frozen build's figures, when `make package` left one
