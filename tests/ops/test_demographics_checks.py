"""A demographics CSV is checked whole before any case is changed (issue 12, points 7 and 10): a
short or long row, a date that is not one, codes that cannot be read, a value too long for its
field each refuse the file with one sentence naming the file, the row and the column, and every
case is left as it was."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError
from workstation.core.vocabulary import PayerKind
from workstation.ops.cases import ManualCase, new_manual_case
from workstation.ops.demographics import MAX_VALUE_CHARS, fill_demographics

HEADER = "account_number,date_of_birth,member_id,diagnosis_codes\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A workspace with two cases (accounts A100 and A200) that lack a date of birth."""
    root = tmp_path / "ws"
    with Workspace.create(root) as workspace:
        for account in ("A100", "A200"):
            new_manual_case(workspace, ManualCase(
                patient_last="Example", patient_first="Ana", payer_name="Paper Payer",
                payer_kind=PayerKind.COMMERCIAL, procedure_code="99213", service_date=date(2026, 3, 1),
                billed=Decimal("120.00"), denied=Decimal("120.00"), carc="CO-50", account_number=account),
                actor="dana")
    return root


def case_digests(root: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted((root / "cases").iterdir())}


def refusal(root: Path, csv_text: str, name: str = "from-ehr.csv") -> str:
    """The sentence refusing the file; no case file changed by a byte."""
    csv = root.parent / name
    csv.write_text(csv_text, encoding="utf-8")
    before = case_digests(root)
    with Workspace.open(root) as workspace, pytest.raises(UserError) as refused:
        fill_demographics(workspace, csv, actor="dana")
    assert case_digests(root) == before
    return str(refused.value)


def test_a_bad_date_of_birth_late_in_the_file_changes_no_case(root: Path) -> None:
    sentence = refusal(root, HEADER + "A100,1950-03-04,M1,I10\nA200,13/45/1990,M2,I10\n")
    assert sentence == ("from-ehr.csv, row 3, column date_of_birth: '13/45/1990' is not a date; type it like "
                        "2026-03-31 or 03/31/2026. Nothing was changed.")


@pytest.mark.parametrize(("row", "cells"), [("A100,1950-03-04", 2), ("A100,1950-03-04,M1,I10,extra", 5)])
def test_a_row_of_the_wrong_length_is_refused_with_its_row(root: Path, row: str, cells: int) -> None:
    sentence = refusal(root, HEADER + "A200,1960-01-01,M2,I10\n" + row + "\n")
    assert sentence.startswith(f"from-ehr.csv, row 3: it has {cells} cells where the header has 4 columns")
    assert sentence.endswith("Nothing was changed.")


def test_codes_that_cannot_be_read_are_refused_with_their_column(root: Path) -> None:
    sentence = refusal(root, HEADER + 'A100,1950-03-04,M1,"[I10"\n')
    assert sentence == "from-ehr.csv, row 2, column diagnosis_codes: '[I10' cannot be read. Nothing was changed."


def test_a_value_too_long_for_its_field_is_refused(root: Path) -> None:
    sentence = refusal(root, HEADER + f"A100,1950-03-04,{'M' * 5000},I10\n")
    assert sentence == (f"from-ehr.csv, row 2, column member_id: the value has 5,000 characters, more than the "
                        f"{MAX_VALUE_CHARS} this field may have. Nothing was changed.")


def test_a_good_file_with_blank_lines_and_padded_headers_fills_both_cases(root: Path) -> None:
    csv = root.parent / "from-ehr.csv"
    csv.write_text(" account_number , date_of_birth\n\nA100,1950-03-04\n,\nA200,03/05/1960\n", encoding="utf-8")
    with Workspace.open(root) as workspace:
        result = fill_demographics(workspace, csv, actor="dana")
    assert (result.filled, result.unmatched) == (2, 0)
