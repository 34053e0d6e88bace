"""`make bench`: figures for the workspace, the index, the worklist and start-up (printed, never asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from workstation.casefile.workspace import Workspace
from workstation.intake.synthetic_835 import generate_835
from workstation.ops.deadlines import calendar_bytes, with_deadlines
from workstation.ops.demo import create_demo_workspace
from workstation.ops.import_remittance import import_remittances

CASES = int(os.environ.get("BENCH_CASES", "10000"))


def timed(label: str, action):
    start = time.perf_counter()
    result = action()
    print(f"{label:<58} {time.perf_counter() - start:8.3f} s", flush=True)
    return result


def timed_seconds(label: str, action) -> float:
    start = time.perf_counter()
    timed(label, action)
    return time.perf_counter() - start


def build_workspace(root: Path, count: int) -> None:
    """`count` denied claims imported from one generated remittance: one case file each."""
    era = root.parent / "denials.835"
    era.write_text(generate_835(7, count, denied=count), encoding="utf-8")
    with Workspace.create(root) as workspace:
        summary = import_remittances(workspace, [era], actor="bench")
    assert summary.created == count, summary.lines()


def window_seconds(workspace: Path, env: dict[str, str], until: str) -> float:
    """Wall time from starting the process until the window says `shown` or `loaded N`."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "workstation.cli", "gui", "-w", str(workspace),
                                f"--quit-after-{until}"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               env=env, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(until):
            elapsed = time.perf_counter() - start
            process.wait(timeout=60)
            return elapsed
    raise RuntimeError("the window never reported being shown")


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from workstation.gui.worklist_model import WorklistFilter, WorklistModel

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {"WORKSTATION_CONFIG_DIR": f"{tmp}/config", "WORKSTATION_DATA_DIR": f"{tmp}/data",
                            "WORKSTATION_LOG_DIR": f"{tmp}/log"}
        os.environ.update(env)
        root = Path(tmp) / "big"
        print(f"Workspace of {CASES:,} synthetic cases ({os.cpu_count()} cores)")
        seconds = timed_seconds(f"create {CASES:,} cases by importing a generated 835",
                        lambda: build_workspace(root, CASES))
        print(f"{'  per case file':<58} {seconds_per(seconds, CASES):>10}")
        workspace = Workspace.open(root)
        workspace.close()
        (root / "index.sqlite").unlink()
        workspace = Workspace.open(root)
        timed(f"rebuild a lost index.sqlite from {CASES:,} case files", workspace.index.rescan)
        result = timed(f"rescan {CASES:,} unchanged files", workspace.index.rescan)
        assert result.unchanged == CASES
        rows = workspace.index.rows()
        dated = timed(f"compute deadlines for {CASES:,} cases", lambda: with_deadlines(workspace, rows))
        ics = timed(f"export the calendar for {CASES:,} cases", lambda: calendar_bytes(dated))
        print(f"{'  calendar size':<58} {len(ics) / 1e6:8.1f} MB")
        model = WorklistModel()
        timed(f"load the worklist model with {CASES:,} rows from index.sqlite",
              lambda: model.set_rows(workspace.index.rows()))
        proxy = WorklistFilter()
        proxy.setSourceModel(model)
        timed(f"sort {CASES:,} rows by amount at stake", lambda: model.sort(4))
        workspace.close()
        demo = Path(tmp) / "demo"
        create_demo_workspace(demo).close()
        for label, target in (("demo workspace (48 cases)", demo), (f"{CASES:,}-case workspace", root)):
            for until in ("shown", "loaded"):
                runs = [window_seconds(target, env, until) for _ in range(3)]
                print(f"{f'process start to window {until}, ' + label:<58} {min(runs):8.3f} s (best of 3; "
                      f"{', '.join(f'{r:.2f}' for r in runs)})")
    del app


def seconds_per(seconds: float, count: int) -> str:
    return f"{seconds / count * 1000:.2f} ms"


if __name__ == "__main__":
    main()
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_csv
    import bench_evidence
    import bench_import
    import bench_letters

    bench_import.main()
    bench_csv.main()
    bench_evidence.main()
    bench_letters.main()
