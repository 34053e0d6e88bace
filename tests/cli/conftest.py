"""Command-line tests: a demo workspace made by `workstation demo DIR` today, built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from run_cli import run


@pytest.fixture(scope="session")
def _todays_demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`workstation demo DIR` as a user runs it (its cases dated from today), with its own user folders."""
    home = tmp_path_factory.mktemp("demo-user")
    root = tmp_path_factory.mktemp("todays-demo") / "demo"
    with pytest.MonkeyPatch.context() as env:
        for name in ("CONFIG", "DATA", "LOG"):
            env.setenv(f"WORKSTATION_{name}_DIR", str(home / name.lower()))
        env.delenv("WORKSTATION_WORKSPACE", raising=False)
        result = run("demo", root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr.startswith("Created a demo workspace with ")
    return root


@pytest.fixture
def todays_demo(_todays_demo_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of today's demo workspace."""
    target = tmp_path / "demo"
    shutil.copytree(_todays_demo_template, target)
    return target
