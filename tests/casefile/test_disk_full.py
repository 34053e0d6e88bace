"""A disk that fills up mid-write: a clear sentence, and no case damaged or half-written.

The file-size limit (RLIMIT_FSIZE) makes every write past N bytes fail the way a full disk
does, without needing a real full disk or root-only mounts.
"""

from __future__ import annotations

import contextlib
import hashlib
import resource
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.core.errors import DiskFull

pytestmark = pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs POSIX file-size limits")


@contextlib.contextmanager
def disk_fills_after(limit: int) -> Iterator[None]:
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # make writes fail with EFBIG, not kill us
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_new_case_on_a_full_disk_leaves_no_file(tmp_path: Path, make_case) -> None:
    target = tmp_path / "2026-03-abcdef01.appeal"
    with disk_fills_after(8192), pytest.raises(DiskFull) as refused:
        CaseFile.create(target, make_case())
    assert "disk is full" in str(refused.value) and ".partial" not in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_edit_on_a_full_disk_leaves_the_case_as_it_was(tmp_path: Path, make_case) -> None:
    path = CaseFile.create(tmp_path / "2026-03-abcdef02.appeal", make_case())
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with CaseFile.open(path) as case_file:
        with disk_fills_after(512), pytest.raises(DiskFull):
            case_file.set_field("patient.last_name", "Changed", actor="dana")
        assert case_file.load().patient.last_name == make_case().patient.last_name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not Path(f"{path}-journal").exists()
