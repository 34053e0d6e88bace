"""Amounts are bounded where an 835 is read (issue 12.4): 5,000 digits, 1E999999, NaN, a number
past ten trillion dollars refuse their claim with one sentence naming segment and element, and a
refused claim writes nothing: no payer in the directory, no case, no ledger row, nothing recorded
as imported. A good claim beside a refused one still imports."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from workstation.casefile.workspace import Workspace
from workstation.intake.era835 import read_remittance
from workstation.ops.import_remittance import import_remittances

ISA = "ISA*00*          *00*          *ZZ*BADPAYER       *ZZ*BADPRACTICE    *260302*0800*^*00501*000000001*0*T*:"
GS = "GS*HP*BADPAYER*BADPRACTICE*20260302*0800*1*X*005010X221A1"
#: What the workspace keeps of an import, besides the case files.
TABLES = ("payers", "claims_ledger", "imported_files", "imported_transactions", "transactions_read")


def claim(account: str, *, billed: str = "100.00", paid: str = "0", line_billed: str = "100.00",
          denied: str = "100.00", units: str = "1") -> list[str]:
    """A CO-50 denial: CLP segment 11 when first, SVC 13, CAS 15."""
    return [f"CLP*{account}*4*{billed}*{paid}**MB*ICN-{account}*11*1", f"NM1*QC*1*TESTPERSON*ALPHA****MI*M-{account}",
            f"SVC*HC:99214*{line_billed}*0**{units}", "DTM*472*20260210", f"CAS*CO*50*{denied}"]


def remittance(folder: Path, *claims: list[str]) -> Path:
    body = ["BPR*H*0*C*NON************20260303", "TRN*1*BAD-1*1999999999", "DTM*405*20260302",
            "N1*PR*DEMO MEDICARE CONTRACTOR", "REF*2U*99901", "N1*PE*RIVERBEND CLINIC*XX*1234567893", "LX*1"]
    for segments in claims:
        body += segments
    segments = [ISA, GS, "ST*835*0001", *body, f"SE*{len(body) + 2}*0001", "GE*1*1", "IEA*1*000000001"]
    path = folder / "bad-amount.835"
    path.write_text("".join(f"{s}~\n" for s in segments), encoding="ascii")
    return path


#: (what is wrong, the claim's fields, the segment it is in, what the sentence says)
BAD_AMOUNTS = [
    ("5,000 digits", {"billed": "9" * 5000}, 11,
     "CLP: billed amount (CLP03) is 5,000 characters long, where an X12 number has at most 18"),
    ("an exponent", {"denied": "1E999999"}, 15,
     "CAS: amount of CO-50 '1E999999' (CAS03) is written with an exponent, which an X12 number never is"),
    ("NaN", {"line_billed": "NaN"}, 13, "SVC: line billed amount 'NaN' is not a number"),
    ("ten trillion dollars", {"paid": "10000000000000.00"}, 11,
     "CLP: paid amount '10000000000000.00' (CLP04) has more than 13 digits before the point"),
    ("units in the trillions", {"units": "99999999999999"}, 13,
     "SVC: units '99999999999999' (SVC05) has more than 13 digits before the point"),
    ("digits with underscores", {"billed": "1_000.00"}, 11, "CLP: billed amount '1_000.00' is not a number"),
]
IDS = [what for what, *_rest in BAD_AMOUNTS]


def kept(root: Path) -> dict[str, list[tuple]]:
    """Every row of the tables an import writes, and the case files by name."""
    with contextlib.closing(sqlite3.connect(root / "workspace.sqlite")) as conn:
        rows = {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in TABLES}
    rows["cases"] = sorted(p.name for p in (root / "cases").iterdir())
    return rows


@pytest.mark.parametrize(("what", "fields", "segment", "sentence"), BAD_AMOUNTS, ids=IDS)
def test_the_reader_refuses_the_claim_naming_segment_and_element(tmp_path, what, fields, segment, sentence) -> None:
    read = read_remittance(remittance(tmp_path, claim("A-1", **fields)))
    (problem,) = read.problems
    assert problem.segment == segment
    assert problem.message.startswith(sentence)
    assert "claim A-1 (segment 11) was not imported" in problem.message
    assert len(problem.message) < 300 and "\n" not in problem.message
    assert [len(t.claims) for t in read.transactions] == [0]


@pytest.mark.parametrize(("what", "fields", "segment", "sentence"), BAD_AMOUNTS, ids=IDS)
def test_a_refused_claim_writes_nothing_to_the_workspace(ws: Workspace, tmp_path, what, fields, segment,
                                                         sentence) -> None:
    path = remittance(tmp_path, claim("A-1", **fields))
    before = kept(ws.root)
    summary = import_remittances(ws, [path], actor="tester")
    (line,) = summary.error_lines()
    assert f"segment {segment}, {sentence}" in line and "Traceback" not in line
    assert kept(ws.root) == before
    assert before["payers"] == [] and before["cases"] == []  # the directory had no payer to begin with


def test_a_good_claim_beside_a_refused_one_imports_and_names_its_payer(ws: Workspace, tmp_path) -> None:
    path = remittance(tmp_path, claim("A-1", billed="9" * 5000), claim("B-2"))
    summary = import_remittances(ws, [path], actor="tester")
    assert summary.created == 1
    (line,) = summary.error_lines()
    assert "claim A-1 (segment 11) was not imported" in line
    assert [p.name for p in ws.payers()] == ["DEMO MEDICARE CONTRACTOR"]
    (row,) = ws.index.rows()
    assert row.account_number == "B-2"


def test_the_largest_real_amounts_are_read(tmp_path) -> None:
    read = read_remittance(remittance(tmp_path, claim("A-1", billed="9999999999999.99", paid="-12.50",
                                                      denied=".5")))
    assert read.problems == []
    (payment,) = read.transactions[0].claims
    assert (str(payment.billed), str(payment.paid)) == ("9999999999999.99", "-12.50")
