"""Fixtures of the import tests: an empty workspace in the test's own folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from workstation.casefile.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.create(tmp_path / "ws")
    try:
        yield workspace
    finally:
        workspace.close()
