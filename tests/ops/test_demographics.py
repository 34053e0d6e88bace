"""Filling what a remittance never carries from the practice's own CSV."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError
from workstation.core.vocabulary import PayerKind
from workstation.ops.cases import ManualCase, new_manual_case
from workstation.ops.demographics import fill_demographics


def _workspace_with_case(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "ws"
    with Workspace.create(root) as workspace:
        path = new_manual_case(workspace, ManualCase(
            patient_last="Ñandú", patient_first="Ana", payer_name="Paper Payer", payer_kind=PayerKind.COMMERCIAL,
            procedure_code="99213", service_date=date(2026, 3, 1), billed=Decimal("120.00"),
            denied=Decimal("120.00"), carc="CO-50", account_number="A100", member_id="TYPED-BY-HAND"), actor="dana")
    return root, path


def test_empty_fields_are_filled_and_typed_values_are_kept(tmp_path: Path) -> None:
    root, path = _workspace_with_case(tmp_path)
    csv = tmp_path / "demo.csv"
    csv.write_text("account_number,date_of_birth,member_id,diagnosis_codes,group_number\n"
                   "a100,03/04/1950,FROM-CSV,\"M54.50, I10\",GRP 7\nZ999,1960-01-01,,,\n", encoding="utf-8")
    with Workspace.open(root) as workspace:
        result = fill_demographics(workspace, csv, actor="dana")
        assert (result.filled, result.unmatched) == (1, 1)
        assert fill_demographics(workspace, csv, actor="dana").filled == 0  # nothing left to fill
    with CaseFile.open(path, read_only=True) as case_file:
        case = case_file.load()
    assert case.patient.date_of_birth == date(1950, 3, 4)
    assert case.claim.diagnosis_codes == ["M54.50", "I10"]
    assert case.patient.member_id == "TYPED-BY-HAND"  # the biller's value wins
    assert "diagnosis codes" not in case.missing_fields()
    assert case.activity[-1].message.startswith("Filled from demo.csv: date of birth")


def test_a_file_without_the_account_column_is_refused(tmp_path: Path) -> None:
    root, _path = _workspace_with_case(tmp_path)
    csv = tmp_path / "wrong.csv"
    csv.write_text("patient,dob\nX,1950-01-01\n", encoding="utf-8")
    with Workspace.open(root) as workspace, pytest.raises(UserError, match="no 'account_number' column"):
        fill_demographics(workspace, csv, actor="dana")


def test_demographics_command(tmp_path: Path) -> None:
    root, _path = _workspace_with_case(tmp_path)
    csv = tmp_path / "demo.csv"
    csv.write_text("account_number,date_of_birth\nA100,1950-03-04\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "workstation.cli", "demographics", "-w", str(root), str(csv)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Filled 1 cases; 0 rows matched no case." in done.stdout
