"""The wheel carries the code book, payer ladders and letter templates, and finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
from workstation.core.resources import data_root, letter_templates_dir
from workstation.core.codebook import codebook
from workstation.core.payer_kinds import default_ladders
print(data_root())
print(len(codebook().reasons), len(default_ladders()), letter_templates_dir().is_dir())
"""


@pytest.mark.slow
def test_installed_wheel_finds_its_resources(tmp_path: Path) -> None:
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(tmp_path.glob("appeal_workstation-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    assert "workstation/_data/resources/codes/carc.toml" in names
    assert "workstation/_data/resources/payers/kinds.toml" in names
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(site)}
    # PYTHONPATH comes before the editable install of the checkout, so the wheel's copy wins
    probe = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                           cwd=tmp_path, env=env, timeout=120)
    assert probe.returncode == 0, probe.stderr
    root_line, counts = probe.stdout.splitlines()
    assert Path(root_line) == site / "workstation" / "_data"
    reasons, kinds, templates = counts.split()
    assert int(reasons) > 250 and int(kinds) == 9 and templates == "True"


def test_the_window_icon_is_ours_and_the_desktop_entry_names_the_window(qapp) -> None:
    """The icon the window shows is the one packaging renders, and the id the window gives the
    desktop is the desktop entry's."""
    import sys

    from PySide6.QtGui import QIcon

    from workstation.core.resources import resource_path
    from workstation.gui.app import APP_ID

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "packaging"))
    import package_info

    assert APP_ID == package_info.APP_ID
    icon = QIcon(str(resource_path("icons", "appeal-workstation.svg")))
    assert not icon.pixmap(64, 64).isNull()
