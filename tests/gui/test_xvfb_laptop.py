"""Issue 11, point 6: "Test at that size with real fonts (Xvfb)". The program's window started in
a subprocess on a real X server of 1366x768 (Xvfb, Qt's xcb platform, the system's fonts), on
the demo; tests/gui/xvfb_probe.py reports what fits and saves a picture of the screen (kept in
the folder WORKSTATION_SCREENSHOTS names, if set; `-s` prints the facts).

Skipped, with the reason, where Xvfb or Qt's xcb libraries are missing; `.ci/run` installs them
and sets WORKSTATION_REQUIRE_XVFB=1, so in CI a missing piece fails instead."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

PROBE = Path(__file__).with_name("xvfb_probe.py")
SCREEN = "1366x768x24"
XCB_PLUGIN = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"


def _missing() -> str | None:
    """Why the test cannot run here, or None."""
    if not sys.platform.startswith("linux"):
        return "Xvfb runs on Linux only"
    for program in ("xvfb-run", "Xvfb", "xauth"):
        if shutil.which(program) is None:
            return f"{program} is not installed (Debian: apt-get install xvfb xauth)"
    if not XCB_PLUGIN.exists():
        return f"this Qt has no xcb platform plugin ({XCB_PLUGIN})"
    if shutil.which("ldd"):
        linked = subprocess.run(["ldd", str(XCB_PLUGIN), str(XCB_PLUGIN.parents[2] / "lib" / "libQt6XcbQpa.so.6")],
                                capture_output=True, text=True, check=False).stdout
        absent = sorted({line.split()[0] for line in linked.splitlines() if "not found" in line})
        if absent:
            return f"Qt's xcb platform needs libraries not installed: {', '.join(absent)} (see .ci/run)"
    if shutil.which("fc-list") and not subprocess.run(["fc-list"], capture_output=True, text=True).stdout.strip():
        return "no fonts are installed (Debian: apt-get install fonts-dejavu-core)"
    return None


@pytest.fixture
def xvfb() -> None:
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("WORKSTATION_REQUIRE_XVFB", "") not in ("", "0"):
        pytest.fail(f"WORKSTATION_REQUIRE_XVFB is set but {reason}")
    pytest.skip(reason)


@pytest.mark.slow
def test_the_window_fits_a_1366x768_screen_with_real_fonts(xvfb, demo_workspace: Path, tmp_path: Path) -> None:
    picture = tmp_path / "laptop-1366x768.png"
    env = os.environ | {"QT_QPA_PLATFORM": "xcb", "WORKSTATION_NO_WELCOME": "1"}
    env.pop("DISPLAY", None)
    run = subprocess.run(["xvfb-run", "-a", "-s", f"-screen 0 {SCREEN}", sys.executable, str(PROBE),
                          str(demo_workspace), str(picture)], capture_output=True, text=True, env=env, timeout=180)
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    assert run.returncode == 0 and lines, f"the probe failed ({run.returncode}):\n{run.stderr[-3000:]}"
    facts = json.loads(lines[-1])
    print(json.dumps(facts, indent=1, ensure_ascii=False))  # shown with -s: what is cut, for the notes
    print(f"screenshot: {picture}")
    assert facts["platform"] == "xcb" and facts["screen"] == [0, 0, 1366, 768]
    assert facts["fonts_installed"] > 0

    # the window opens inside the screen, the status bar in view
    assert facts["frame_inside"], facts["frame"]
    assert facts["status_bar"] == {"visible": True, "inside": True}
    assert facts["minimum_width"] <= 793  # it still fits an 800-pixel screen

    # every worklist column that matters in view, nothing to scroll sideways, claim numbers whole
    worklist = facts["worklist"]
    assert {title for title, column in worklist["columns"].items() if not column["in_view"]} == set()
    assert not worklist["scroll_bar"] and worklist["scroll_max"] == 0
    assert worklist["claims_elided"] == 0
    # patients are found by their surname: every one is whole (the first name may be cut)
    assert facts["cut"]["Patient"]["surnames_cut"] == []

    # the filter boxes read whole at rest ("Any status", not "Any statu")
    assert {name: box["text"] for name, box in facts["filters"].items() if box["cut"]} == {}

    # every case tab shown, no scroll arrows
    assert facts["tabs"]["count"] == 8 and not facts["tabs"]["scroll_buttons_shown"]
    assert facts["tabs"]["bar_wants"] <= facts["tabs"]["room"] and facts["tabs"]["elided"] == []

    image = picture.read_bytes()
    assert image.startswith(b"\x89PNG") and len(image) > 20_000  # the screen, drawn (not a blank grab)
    if os.environ.get("WORKSTATION_SCREENSHOTS"):  # a folder to keep the picture in, to look at it
        shutil.copy(picture, Path(os.environ["WORKSTATION_SCREENSHOTS"]) / picture.name)
