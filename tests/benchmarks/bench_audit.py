"""The audit trail's cost (issue 12, point 2): one entry is one INSERT in its own small transaction on
workspace.sqlite, so opening a case must not feel slower. Prints, never asserts:

    python tests/benchmarks/bench_audit.py

the cost of one entry through the window's open workspace and through a case file's path (a
connection of its own, as a worker thread or a command records), opening a case for the window
with and without its entry, and reading the trail back with and without a case filter."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace, record_audit_at
from workstation.core.audit import AuditAction, AuditEntry, audit_now
from workstation.intake.synthetic_835 import generate_835
from workstation.ops.audit import audit_entries, case_id
from workstation.ops.import_remittance import import_remittances
from workstation.ops.session import CaseSession

RECORDS = int(os.environ.get("BENCH_AUDIT_RECORDS", "200"))
TRAIL = int(os.environ.get("BENCH_AUDIT_TRAIL", "100000"))


def per_call(label: str, action: Callable[[], object], runs: int = RECORDS) -> float:
    """The median milliseconds of one call (a shared machine's noise in the tails), printed."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    median = statistics.median(times) * 1000
    print(f"{label:<66} {median:7.2f} ms  (p90 {sorted(times)[int(runs * 0.9)] * 1000:.2f} ms)", flush=True)
    return median


def _entry(case_id: str) -> list[AuditEntry]:
    return [AuditEntry(audit_now(), "bench", AuditAction.OPEN_CASE, case_id, "opened in the window")]


def _open_plain(path: Path) -> None:
    with CaseFile.open(path) as case_file:
        case_file.load()


def _open_for_window(path: Path, workspace: Workspace) -> None:
    session = CaseSession(path, workspace, "bench")
    try:
        session.load()
    finally:
        session.close()


def _fill(workspace: Workspace, count: int) -> None:
    """A long trail: `count` entries over 1,000 cases, written in batches."""
    at = audit_now()
    for start in range(0, count, 10_000):
        workspace.record_audit([AuditEntry(at, "bench", AuditAction.VIEW_DOCUMENT, f"case-{n % 1000:04d}",
                                           f"document {n}") for n in range(start, min(start + 10_000, count))])


def _a_real_case(workspace: Workspace, folder: Path) -> Path:
    """A case as an import makes it (lines, adjustments, remarks), in the workspace."""
    era = folder / "bench.835"
    era.write_text(generate_835(5, 10, denied=10), encoding="utf-8")
    import_remittances(workspace, [era], actor="bench")
    return sorted(workspace.cases_dir.glob("*.appeal"))[0]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        with Workspace.create(root) as workspace:
            path = _a_real_case(workspace, Path(folder))
            with CaseFile.open(path) as case_file:
                the_id = case_id(case_file) or ""
            print(f"audit trail: {RECORDS} calls each (median)")
            one = per_call("one entry, through the window's open workspace", lambda: workspace.record_audit(
                _entry(the_id)))
            per_call("one entry, through the case file's path (a connection of its own)",
                     lambda: record_audit_at(root, _entry(the_id)))
            plain = per_call("open and load a case file (no entry)", lambda: _open_plain(path))
            window = per_call("open and load a case for the window (CaseSession: with its entry)",
                              lambda: _open_for_window(path, workspace))
            print(f"{'the entry as a share of opening a case for the window':<66} {one / window * 100:6.0f} %"
                  f"  ({window - plain:+.2f} ms against a plain open)")
            _fill(workspace, TRAIL)
            start = time.perf_counter()
            everything = audit_entries(workspace)
            middle = time.perf_counter()
            one_case = audit_entries(workspace, case_id="case-0007")
            end = time.perf_counter()
            print(f"{f'read the whole trail ({len(everything):,} entries)':<66} {(middle - start) * 1000:7.1f} ms")
            print(f"{f'read one case of it ({len(one_case):,} entries, --case)':<66} {(end - middle) * 1000:7.1f} ms")
            print(f"{'workspace.sqlite with that trail':<66} {workspace.db_path.stat().st_size / 1e6:7.1f} MB")


if __name__ == "__main__":
    main()
