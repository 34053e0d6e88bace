"""Backup figures (issue 12.3): `backup` of a 1,000-case workspace (each file through SQLite's
backup API, checked, hashed and fsync'd, then the manifest), and `restore` of it (every SHA-256
verified first, then copied and the worklist rebuilt). Printed, never asserted.

Run alone: `python tests/benchmarks/bench_backup.py [CASES]` (default 1000, BENCH_BACKUP_CASES)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from workstation.casefile.workspace import Workspace
from workstation.intake.synthetic_835 import generate_835
from workstation.ops.backups import back_up, restore
from workstation.ops.import_remittance import import_remittances
from workstation.ops.workspaces import check_path

CASES = int(os.environ.get("BENCH_BACKUP_CASES", "1000"))


def _timed(label: str, action):
    start = time.perf_counter()
    result = action()
    print(f"{label:<58} {time.perf_counter() - start:8.3f} s", flush=True)
    return result


def main(cases: int = CASES) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        era = tmp / "denials.835"
        era.write_text(generate_835(5, cases, denied=cases), encoding="utf-8")
        with Workspace.create(tmp / "ws") as workspace:
            import_remittances(workspace, [era], actor="bench")
        made = _timed(f"backup of a {cases:,}-case workspace", lambda: back_up(tmp / "ws", tmp / "backup"))
        print(f"  ({len(made.manifest.files):,} files, {made.manifest.size / 1e6:.1f} MB)")
        _timed("restore of it (verify, copy, rebuild the worklist)", lambda: restore(tmp / "backup", tmp / "back"))
        _timed(f"check of the {cases:,}-case workspace (SQLite's and ours)", lambda: check_path(tmp / "ws"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else CASES)
