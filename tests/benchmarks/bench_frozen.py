"""`make bench`: the frozen program's figures beside the source's, from the build `make package` left in
packaging/dist (its build time and size as packaging/build.py wrote them in build.json; the start-up
of `--version` and of the window to "loaded" measured here, frozen against source). Without a build
it says so in one line and measures nothing.

    python tests/benchmarks/bench_frozen.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "packaging" / "dist"
FROZEN = DIST / "workstation" / ("workstation.exe" if sys.platform == "win32" else "workstation")
SOURCE = Path(sys.executable).with_name("workstation.exe" if sys.platform == "win32" else "workstation")
RUNS = 3


def environment(home: Path) -> dict[str, str]:
    """A home of its own, offscreen, and no PYTHON* variables (the frozen program needs none)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "WORKSTATION_"))}
    return env | {"QT_QPA_PLATFORM": "offscreen", "HOME": str(home), "WORKSTATION_CONFIG_DIR": str(home / "config"),
                  "WORKSTATION_DATA_DIR": str(home / "data"), "WORKSTATION_LOG_DIR": str(home / "log")}


def best_of(label: str, command: list[str], home: Path) -> float:
    """The shortest of RUNS runs of `command`, printed with all of them."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=environment(home), cwd=home, timeout=300)
        times.append(time.perf_counter() - start)
    print(f"{label:<58} {min(times):8.3f} s (best of {RUNS}; {', '.join(f'{t:.2f}' for t in times)})", flush=True)
    return min(times)


def print_build_figures() -> None:
    figures_file = DIST / "build.json"
    if not figures_file.is_file():
        return
    figures = json.loads(figures_file.read_text(encoding="utf-8"))
    print(f"{'frozen build ' + figures['version'] + ': built in (make package)':<58} {figures['seconds']:8.1f} s")
    print(f"{'frozen build: size unpacked':<58} {figures['bytes'] / 1e6:8.1f} MB ({figures['files']} files)")


def main() -> None:
    if not FROZEN.is_file():
        print(f"frozen build: none in {DIST} (`make package` builds one), so its figures are skipped")
        return
    print_build_figures()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        workspace = home / "demo"
        subprocess.run([str(FROZEN), "demo", str(workspace)], check=True, capture_output=True,
                       env=environment(home), timeout=600)
        ratios = []
        for what, arguments in (("--version", ["--version"]),
                                ("window to 'loaded'", ["gui", "-w", str(workspace), "--quit-after-loaded"])):
            frozen = best_of(f"frozen: {what}", [str(FROZEN), *arguments], home)
            source = best_of(f"source: {what}", [str(SOURCE), *arguments], home)
            ratios.append(f"{what} frozen/source = {frozen / source:.2f}")
        print("frozen build: " + "; ".join(ratios), flush=True)


if __name__ == "__main__":
    main()
