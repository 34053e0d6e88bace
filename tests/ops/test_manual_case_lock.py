"""A case typed by hand is written under the import lock (issue 12.5): `check` and the next open
remove unfinished files only when nobody holds it, so a case being written is never removed."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.casefile.workspace import Workspace
from workstation.core.errors import WorkspaceBusy
from workstation.core.vocabulary import PayerKind
from workstation.ops.cases import ManualCase, new_manual_case

ENTRY = ManualCase(patient_last="Ñandú", patient_first="Ana", payer_name="Paper Payer",
                   payer_kind=PayerKind.COMMERCIAL, procedure_code="99213", service_date=date(2026, 3, 1),
                   billed=Decimal("120.00"), denied=Decimal("120.00"), carc="CO-50")


def test_a_case_by_hand_waits_for_an_import_then_says_so_and_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    Workspace.create(root).close()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom filelock import FileLock\n"
        f"lock = FileLock({str(root / '.import.lock')!r}); lock.acquire()\nprint('held', flush=True)\n"
        "time.sleep(30)")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with Workspace.open(root) as workspace, pytest.raises(WorkspaceBusy, match="import"):
            new_manual_case(workspace, ENTRY, actor="dana")
        assert list((root / "cases").iterdir()) == []
    finally:
        holder.kill()
        holder.wait()
    with Workspace.open(root) as workspace:  # the import ended: the case is written
        assert new_manual_case(workspace, ENTRY, actor="dana").exists()
