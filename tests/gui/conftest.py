"""GUI tests: no worker thread outlives its test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from workstation.gui.workers import wait_for_all


@pytest.fixture(autouse=True)
def _threads_end_with_the_test() -> Iterator[None]:
    yield
    wait_for_all()
