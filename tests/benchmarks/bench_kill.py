"""Kill trials (issue 12.5): real processes killed with SIGKILL at random moments while they commit
notes to a case or import a remittance that makes 200 cases; after each kill `workstation check`
runs on the workspace, the case is read as `show` and `cases` read it, and the result is compared
with a clean run. Prints how many trials left what, before and after recovery (never asserted).

Run alone: `python tests/benchmarks/bench_kill.py [TRIALS]` (default 60, BENCH_KILL_TRIALS)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError
from workstation.core.model import Case
from workstation.intake.synthetic_835 import generate_835
from workstation.ops.cases import list_cases, load_case
from workstation.ops.import_remittance import import_remittances

TRIALS = int(os.environ.get("BENCH_KILL_TRIALS", "60"))
CLAIMS = 200
NOTE = "x" * 20_000

NOTES_FOREVER = """
import sys
from pathlib import Path
from workstation.casefile.case_file import CaseFile
with CaseFile.open(Path(sys.argv[1])) as case_file:
    print("ready", flush=True)
    n = 0
    while True:
        case_file.add_note(f"note {n} " + "x" * 20_000, actor="kill")
        n += 1
"""

IMPORT = """
import sys
from pathlib import Path
from workstation.casefile.workspace import Workspace
from workstation.ops.import_remittance import import_remittances
with Workspace.open(Path(sys.argv[1])) as workspace:
    print("ready", flush=True)
    import_remittances(workspace, [Path(sys.argv[2])], actor="kill")
"""


def kill_at_random(script: str, args: list[Path], seconds: tuple[float, float], rng: random.Random) -> None:
    child = subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdout=subprocess.PIPE)
    assert child.stdout is not None
    child.stdout.readline()
    time.sleep(rng.uniform(*seconds))
    child.send_signal(signal.SIGKILL)
    child.wait()


def leftovers(root: Path, tally: Counter, when: str) -> None:
    """Count hot journals (a header SQLite would roll back), cold ones and partial files."""
    for journal in (root / "cases").glob("*-journal"):
        with journal.open("rb") as handle:
            hot = handle.read(1) not in (b"", b"\x00")
        tally[f"{when}: {'hot' if hot else 'cold (header never synced)'} journal"] += 1
    partials = [p for p in (root / "cases").iterdir() if p.name.startswith(".") and ".partial" in p.name]
    if partials:
        tally[f"{when}: trials with partial files"] += 1
        tally[f"{when}: partial files"] += len(partials)


def check(root: Path, tally: Counter) -> None:
    """`workstation check WS --json` as a script runs it; what it said, counted."""
    done = subprocess.run([sys.executable, "-m", "workstation.cli", "check", str(root), "--json"],
                          capture_output=True, text=True, check=False)
    report = json.loads(done.stdout)
    tally["check: trials with a problem"] += not report["ok"]
    tally["check: changes rolled back and said"] += sum(f["interrupted_change_undone"] for f in report["files"])
    tally["check: partial files removed"] += len(report["removed"])
    tally["check: 'cannot write' sentences"] += done.stderr.count("cannot write")


def note_trial(root: Path, case_path: Path, before: int, rng: random.Random, tally: Counter) -> int:
    kill_at_random(NOTES_FOREVER, [case_path], (0.05, 0.5), rng)
    leftovers(root, tally, "after the kill")
    check(root, tally)
    try:
        texts = [n.text for n in load_case(case_path).notes if n.author == "kill"][before:]
    except UserError as error:
        tally[f"show: refused ({error})"] += 1
        return before
    tally["show: notes not the clean run's"] += texts != [f"note {n} {NOTE}" for n in range(len(texts))]
    with Workspace.open(root) as workspace:
        tally["cases: unreadable rows"] += sum(1 for row in list_cases(workspace) if row.problem)
    return before + len(texts)


def import_trial(root: Path, era: Path, expected: list[str], rng: random.Random, tally: Counter) -> None:
    Workspace.create(root).close()
    kill_at_random(IMPORT, [root, era], (0.1, 1.5), rng)
    leftovers(root, tally, "after the kill")
    check(root, tally)
    leftovers(root, tally, "after check")
    with Workspace.open(root) as workspace:
        import_remittances(workspace, [era], actor="kill")
        tally["import re-run: differs from a clean run"] += sorted(_rows(workspace)) != expected


def _rows(workspace: Workspace) -> list[str]:
    return [json.dumps({k: v for k, v in row.to_json().items() if k not in ("path", "case_id")}, sort_keys=True)
            for row in list_cases(workspace)]


def main(trials: int = TRIALS) -> None:
    rng = random.Random(2026)
    tally: Counter = Counter()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        era = tmp / "denials.835"
        era.write_text(generate_835(11, CLAIMS, denied=CLAIMS), encoding="utf-8")
        with Workspace.create(tmp / "clean") as clean:
            import_remittances(clean, [era], actor="kill")
            expected = sorted(_rows(clean))
        with Workspace.create(tmp / "notes") as workspace:
            case_path = CaseFile.create(workspace.cases_dir / "2026-03-0000c0de.appeal",
                                        Case(case_id="kill-trials", created_at=datetime(2026, 3, 1, 9, 0)))
        note_trials, before = trials // 2, 0
        for _ in range(note_trials):
            before = note_trial(tmp / "notes", case_path, before, rng, tally)
        for number in range(trials - note_trials):
            import_trial(tmp / f"import-{number}", era, expected, rng, tally)
    print(f"kill trials: {note_trials} during note commits, {trials - note_trials} during a {CLAIMS}-case import "
          f"({time.perf_counter() - start:.0f} s)")
    for what in sorted(tally):
        print(f"  {what:<58} {tally[what]:6d}")
    for what in ("check: trials with a problem", "check: 'cannot write' sentences", "show: notes not the clean run's",
                 "cases: unreadable rows", "after check: trials with partial files",
                 "import re-run: differs from a clean run"):
        if what not in tally:
            print(f"  {what:<58} {0:6d}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else TRIALS)
