"""Fill what a remittance never carries (date of birth, diagnosis codes...) from a CSV the
practice exports from its own system, matched by patient account number."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError

#: CSV column -> case field; the account number column is required.
COLUMNS = {
    "date_of_birth": "patient.date_of_birth", "group_number": "patient.group_number",
    "member_id": "patient.member_id", "diagnosis_codes": "claim.diagnosis_codes", "ptan": "provider.ptan",
}
ACCOUNT = "account_number"


@dataclass(frozen=True)
class DemographicsResult:
    filled: int
    unmatched: int


def read_demographics(path: Path) -> dict[str, dict[str, str]]:
    """Rows by account number; a file without the account column is refused with a sentence."""
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UserError(f"{Path(path).name} cannot be read as a CSV file ({error}).") from None
    if rows and ACCOUNT not in rows[0]:
        raise UserError(f"{Path(path).name} has no '{ACCOUNT}' column; its columns must include "
                        f"{ACCOUNT} and any of {', '.join(COLUMNS)}.")
    return {row[ACCOUNT].strip().upper(): row for row in rows if row.get(ACCOUNT, "").strip()}


def fill_demographics(workspace: Workspace, path: Path, *, actor: str) -> DemographicsResult:
    """Fill empty fields of every case whose account number is in the file (one transaction each)."""
    workspace.require_writable()
    rows = read_demographics(path)
    workspace.index.rescan()  # a case file the index missed (a crash, a copy) is matched too
    filled = 0
    for summary in workspace.index.rows():
        row = rows.get(summary.account_number.strip().upper())
        if summary.problem or row is None:
            continue
        values = {field: row[column] for column, field in COLUMNS.items() if row.get(column, "").strip()}
        with CaseFile.open(summary.path) as case_file:
            changes = case_file.fill_fields(values, actor=actor, source=Path(path).name)
        if not changes.nothing:
            workspace.index.refresh(summary.path)
            filled += 1
    matched = {s.account_number.strip().upper() for s in workspace.index.rows()}
    return DemographicsResult(filled, sum(1 for account in rows if account not in matched))
