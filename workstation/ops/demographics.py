"""Fill what a remittance never carries (date of birth, diagnosis codes...) from a CSV the
practice exports from its own system, matched by patient account number.

The whole file is checked before any case is touched: a row of the wrong length, a date that is
not one, a value too long for its field refuse the file with a sentence naming the file, the row
(as a spreadsheet numbers it, the header being row 1) and the column; nothing is changed."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError
from workstation.core.fields import editable_field

#: CSV column -> case field; the account number column is required.
COLUMNS = {
    "date_of_birth": "patient.date_of_birth", "group_number": "patient.group_number",
    "member_id": "patient.member_id", "diagnosis_codes": "claim.diagnosis_codes", "ptan": "provider.ptan",
}
ACCOUNT = "account_number"
#: The longest value a demographics field takes (member and group IDs, a PTAN, a list of codes).
MAX_VALUE_CHARS = 200


@dataclass(frozen=True)
class DemographicsResult:
    filled: int
    unmatched: int


def read_demographics(path: Path) -> dict[str, dict[str, str]]:
    """Rows by account number, every value checked first; a file without the account column, or
    with any row that cannot be used, is refused whole with a sentence."""
    name = Path(path).name
    try:
        with Path(path).open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [cell.strip() for cell in next(reader, [])]
            rows = [(reader.line_num, cells) for cells in reader if any(cell.strip() for cell in cells)]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UserError(f"{name} cannot be read as a CSV file ({error}).") from None
    if rows and ACCOUNT not in header:
        raise UserError(f"{name} has no '{ACCOUNT}' column; its columns must include "
                        f"{ACCOUNT} and any of {', '.join(COLUMNS)}.")
    found: dict[str, dict[str, str]] = {}
    for line, cells in rows:
        row = _checked_row(name, line, header, cells)
        if row[ACCOUNT].strip():
            found[row[ACCOUNT].strip().upper()] = row
    return found


def _checked_row(name: str, line: int, header: list[str], cells: list[str]) -> dict[str, str]:
    """One row as column -> value, refused (naming file, row and column) unless every value is usable."""
    if len(cells) != len(header):
        raise UserError(f"{name}, row {line}: it has {len(cells)} cells where the header has {len(header)} columns, "
                        "so its values cannot be told apart; fix the row (an empty value still needs its comma). "
                        "Nothing was changed.")
    row = dict(zip(header, cells, strict=True))
    for column, key in COLUMNS.items():
        value = row.get(column, "").strip()
        if len(value) > MAX_VALUE_CHARS:
            raise UserError(f"{name}, row {line}, column {column}: the value has {len(value):,} characters, more than "
                            f"the {MAX_VALUE_CHARS} this field may have. Nothing was changed.")
        try:
            if value:
                editable_field(key).parse(value)
        except (UserError, ValueError) as error:
            problem = str(error) if isinstance(error, UserError) else f"'{value}' cannot be read."
            raise UserError(f"{name}, row {line}, column {column}: {problem} Nothing was changed.") from None
    return row


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
