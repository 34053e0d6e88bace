"""Lengths are bounded where values enter (issue 12.8): an 835 element of 100,000 characters (a
patient's name, an account number, a payer's name) refuses its claim, or outside any claim its
transaction, with one short sentence naming segment and element, as a bad amount does; a CSV
cell of that length refuses its row (and claim) naming its column; the longest element an 835
may carry (256 characters: PER04, a communication number) is read as before."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from tests.intake.test_bad_amounts import claim, remittance
from workstation.casefile.workspace import Workspace
from workstation.intake.csv_denials import read_csv_denials
from workstation.intake.era835 import read_remittance
from workstation.ops.import_remittance import import_remittances

LONG = "N" * 100_000


def test_a_patient_name_of_100000_characters_refuses_its_claim_alone(tmp_path: Path) -> None:
    long_name = claim("A-1")
    long_name[1] = f"NM1*QC*1*{LONG}*ALPHA****MI*M-A-1"
    read = read_remittance(remittance(tmp_path, long_name, claim("B-2")))
    (problem,) = read.problems
    assert problem.segment == 12
    assert problem.message.startswith("NM1: NM103 is 100,000 characters long, where no element of an 835 has "
                                      "more than 256")
    assert "claim A-1 (segment 11) was not imported" in problem.message
    assert len(problem.message) < 300
    assert [c.account_number for t in read.transactions for c in t.claims] == ["B-2"]


def test_an_account_number_of_100000_characters_refuses_that_claim_and_is_not_quoted(tmp_path: Path) -> None:
    read = read_remittance(remittance(tmp_path, claim("B-2"), claim(LONG)))
    (problem,) = read.problems
    assert problem.message.startswith("CLP: CLP01 is 100,0")  # 100,000 and some
    assert len(problem.message) < 300
    assert [c.account_number for t in read.transactions for c in t.claims] == ["B-2"]


def test_a_payer_name_of_100000_characters_refuses_its_transaction(tmp_path: Path) -> None:
    path = remittance(tmp_path, claim("A-1"))
    path.write_text(path.read_text().replace("N1*PR*DEMO MEDICARE CONTRACTOR", f"N1*PR*{LONG}"))
    read = read_remittance(path)
    (problem,) = read.problems
    assert "N1: N102 is 100,000 characters long" in problem.message and len(problem.message) < 400
    assert not [c for t in read.transactions for c in t.claims]


def test_the_longest_element_an_835_may_carry_is_read(tmp_path: Path) -> None:
    path = remittance(tmp_path, claim("A-1"))
    path.write_text(path.read_text().replace("REF*2U*99901~", f"REF*2U*99901~\nPER*CX*CLAIMS*TE*{'5' * 256}~"))
    read = read_remittance(path)
    assert read.problems == []
    assert [c.account_number for t in read.transactions for c in t.claims] == ["A-1"]


def test_a_long_name_imports_nothing_of_its_claim(ws: Workspace, tmp_path: Path) -> None:
    long_name = claim("A-1")
    long_name[1] = f"NM1*QC*1*{LONG}*ALPHA****MI*M-A-1"
    summary = import_remittances(ws, [remittance(tmp_path, long_name, claim("B-2"))], actor="tester")
    assert summary.created == 1
    (line,) = summary.error_lines()
    assert "NM103 is 100,000 characters long" in line and len(line) < 400
    (row,) = ws.index.rows()
    assert row.account_number == "B-2"
    with contextlib.closing(sqlite3.connect(ws.root / "workspace.sqlite")) as conn:
        assert not conn.execute("SELECT count(*) FROM claims_ledger WHERE length(account_number) > 100").fetchone()[0]


CSV_HEADER = "Patient,Payer,DOS,CPT,Billed,Paid,Reason,Claim #\n"


@pytest.mark.parametrize("column", ["Patient", "Payer", "Claim #", "CPT"])
def test_a_csv_cell_of_100000_characters_refuses_its_row_naming_the_column(tmp_path: Path, column: str) -> None:
    cells = {"Patient": "Doe, Jane", "Payer": "Acme Health", "DOS": "03/02/2026", "CPT": "99213",
             "Billed": "120.00", "Paid": "0", "Reason": "CO-50", "Claim #": "C-1"}
    cells[column] = LONG
    good = "\"Roe, Rick\",Acme Health,03/03/2026,99214,150.00,0,CO-50,C-2\n"
    path = tmp_path / "denials.csv"
    path.write_text(CSV_HEADER + ",".join(f'"{v}"' for v in cells.values()) + "\n" + good, encoding="utf-8")
    transactions, problems = read_csv_denials(path)
    (problem,) = problems
    assert problem.message.startswith(f"row 2, column '{column}': the value is 100,000 characters long, where "
                                      "a denials file's cell has at most 1,000")
    assert len(problem.message) < 300
    assert [c.payer_claim_number for t in transactions for c in t.claims] == ["C-2"]
