"""Denials from a spreadsheet: recognised columns, a mapping file, clear refusals."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError
from workstation.intake.csv_denials import read_csv_denials, read_mapping
from workstation.intake.x12_segments import file_sha256
from workstation.ops.import_remittance import import_remittances

COMMON = """\
Claim #,Patient Name,DOB,Member ID,Insurance,DOS,CPT,Modifier,Charges,Paid,Denial Code,Remark,EOB Date,Account
ICN-1,"O'MOCK & <CO>, ZOË",1950-05-17,M1,Bluebird (demo),03/01/2026,99214,25,185.00,0,CO-50,N115,03/20/2026,A100
ICN-1,"O'MOCK & <CO>, ZOË",1950-05-17,M1,Bluebird (demo),03/01/2026,93000,,62.00,0,CO-50,,03/20/2026,A100
ICN-2,"SAMPLE, ANA",1960-01-01,M2,Other Payer,03/02/2026,99213,,128.00,100.00,CO-45,,03/20/2026,A101
"""

ODD_LAYOUT = """Ref,Who,Born,Carrier,Seen,Code,Amt,Why
R1,"TESTER, AL",1970-02-02,Odd Payer,2026-02-10,97110,88.00,197
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_common_column_names_are_recognised_and_lines_grouped_into_claims(tmp_path: Path) -> None:
    transactions, problems = read_csv_denials(_write(tmp_path, "denials.csv", COMMON))
    assert problems == []
    claims = {c.account_number: c for t in transactions for c in t.claims}
    first = claims["A100"]
    assert [ln.procedure_code for ln in first.lines] == ["99214", "93000"]
    assert first.lines[0].modifiers == ["25"] and first.lines[0].remarks == ["N115"]
    assert (first.billed, first.paid, first.status_code) == (Decimal("247.00"), Decimal("0"), "4")
    assert first.patient.last_name == "O'MOCK & <CO>" and first.patient.first_name == "ZOË"
    assert [a.code for a in first.all_adjustments()] == ["CO-50", "CO-50"]
    assert claims["A101"].lines[0].adjustments[0].amount == Decimal("28.00")  # billed - paid


def test_import_of_csv_denials_opens_cases_only_for_actionable_rows(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "ws") as workspace:
        summary = import_remittances(workspace, [_write(tmp_path, "denials.csv", COMMON)], actor="dana")
        assert (summary.claims, summary.created, summary.errors) == (2, 1, [])
        with CaseFile.open(summary.created_paths[0], read_only=True) as case_file:
            case = case_file.load()
        assert case.reasons == ["CO-50"] and case.amount_at_stake == Decimal("247.00")
        assert case.patient.date_of_birth is not None and case.notice_date.isoformat() == "2026-03-20"
        again = import_remittances(workspace, [tmp_path / "denials.csv"], actor="dana")
        assert again.already_imported == ["denials.csv"] and again.created == 0


def test_unknown_layout_lists_the_columns_it_needs(tmp_path: Path) -> None:
    with pytest.raises(UserError) as refused:
        read_csv_denials(_write(tmp_path, "odd.csv", ODD_LAYOUT))
    message = str(refused.value)
    assert "odd.csv has no column for" in message and "date of service" in message and "--map" in message
    assert "Ref, Who, Born" in message


def test_a_mapping_file_reads_any_layout(tmp_path: Path) -> None:
    mapping = _write(tmp_path, "map.toml", '[columns]\nclaim_number = "Ref"\npatient = "Who"\n'
                     'date_of_birth = "Born"\npayer = "Carrier"\nservice_date = "Seen"\nprocedure = "Code"\n'
                     'billed = "Amt"\ncarc = "Why"\n')
    transactions, problems = read_csv_denials(_write(tmp_path, "odd.csv", ODD_LAYOUT), read_mapping(mapping))
    claim = transactions[0].claims[0]
    assert problems == [] and claim.payer_claim_number == "R1"
    assert claim.lines[0].adjustments[0].code == "CO-197"  # no group column: contractual by default


def test_mapping_naming_an_unknown_field_or_missing_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="unknown fields"):
        read_mapping(_write(tmp_path, "bad.toml", '[columns]\nshoe_size = "Ref"\n'))
    mapping = read_mapping(_write(tmp_path, "m.toml", '[columns]\npayer = "Insurer"\n'))
    with pytest.raises(UserError, match="no column 'Insurer'"):
        read_csv_denials(_write(tmp_path, "odd.csv", ODD_LAYOUT), mapping)


def test_a_bad_row_is_reported_by_number_and_the_others_import(tmp_path: Path) -> None:
    bad = COMMON + 'ICN-3,"BAD, ROW",1960-01-01,M3,Other Payer,13/45/2026,99213,,128.00,0,CO-29,,,A102\n'
    transactions, problems = read_csv_denials(_write(tmp_path, "denials.csv", bad))
    assert [p.message for p in problems] == [
        "row 5, column 'DOS': '13/45/2026' is not a date; type it like 2026-03-31 or 03/31/2026 "
        "(nothing from this row was imported)."]
    assert sum(len(t.claims) for t in transactions) == 2


def test_a_spreadsheet_saved_in_another_encoding_is_refused_with_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(COMMON.encode("utf-16"))
    with pytest.raises(UserError, match="not a UTF-8 text file"):
        read_csv_denials(path)


HEADER = COMMON.splitlines()[0] + "\n"
GOOD_ROW = 'ICN-9,"SAMPLE, BO",1961-02-03,M9,Bluebird (demo),03/05/2026,99215,,210.00,0,CO-50,N115,03/20/2026,A109\n'


def _claims(transactions: list) -> dict:
    return {c.account_number: c for t in transactions for c in t.claims}


def test_a_refused_row_writes_nothing_and_the_corrected_file_then_creates_the_case(tmp_path: Path) -> None:
    bad = _write(tmp_path, "denials.csv", HEADER + GOOD_ROW.replace("210.00", "abc"))
    with Workspace.create(tmp_path / "ws") as workspace:
        payers_before = workspace.payers()
        summary = import_remittances(workspace, [bad], actor="dana")
        assert [e.message for e in summary.errors] == [
            "row 2, column 'Charges': 'abc' is not an amount of money; type it like 1250.00 "
            "(nothing from this row was imported)."]
        assert (summary.claims, summary.created, summary.updated, summary.created_paths) == (0, 0, 0, [])
        assert list(workspace.cases_dir.iterdir()) == [] and workspace.index.rows() == []
        assert workspace.payers() == payers_before and workspace.imported_file(file_sha256(bad)) is None
        bad.write_text(HEADER + GOOD_ROW, encoding="utf-8")  # the biller corrects the file
        fixed = import_remittances(workspace, [bad], actor="dana")
        assert (fixed.errors, fixed.created, fixed.updated) == ([], 1, 0)
        with CaseFile.open(fixed.created_paths[0], read_only=True) as case_file:
            case = case_file.load()
        assert case.reasons == ["CO-50"] and case.amount_at_stake == Decimal("210.00")
        assert case.claim.payer_claim_number == "ICN-9" and case.patient.last_name == "SAMPLE"


def test_one_refused_row_refuses_its_whole_claim_and_the_other_claims_import(tmp_path: Path) -> None:
    lines = COMMON.splitlines(keepends=True)
    lines[2] = lines[2].replace(",0,CO-50,,", ",none,CO-50,,")  # row 3: the second line of claim ICN-1
    transactions, problems = read_csv_denials(_write(tmp_path, "denials.csv", "".join(lines)))
    assert [p.message for p in problems] == [
        "row 3, column 'Paid': 'none' is not an amount of money; type it like 1250.00 "
        "(so the whole claim ICN-1, rows 2-3, was not imported)."]
    assert list(_claims(transactions)) == ["A101"]
    assert [t.payer.name for t in transactions] == ["Other Payer"]  # no empty remittance for Bluebird


def test_the_whole_claim_is_refused_even_when_its_rows_are_apart_or_its_first_row_is_bad(tmp_path: Path) -> None:
    rows = COMMON.splitlines(keepends=True)
    text = rows[0] + rows[1].replace("185.00", "1O5.00") + rows[3] + rows[2]
    transactions, problems = read_csv_denials(_write(tmp_path, "denials.csv", text))
    assert [p.message for p in problems] == [
        "row 2, column 'Charges': '1O5.00' is not an amount of money; type it like 1250.00 "
        "(so the whole claim ICN-1, rows 2 and 4, was not imported)."]
    assert list(_claims(transactions)) == ["A101"]


def test_a_row_whose_date_of_service_is_unreadable_refuses_the_claim_it_names(tmp_path: Path) -> None:
    lines = COMMON.splitlines(keepends=True)
    lines[2] = lines[2].replace("03/01/2026", "03/01/20266", 1)
    transactions, problems = read_csv_denials(_write(tmp_path, "denials.csv", "".join(lines)))
    assert [p.message for p in problems] == [
        "row 3, column 'DOS': '03/01/20266' is not a date; type it like 2026-03-31 or 03/31/2026 "
        "(so the whole claim ICN-1, rows 2-3, was not imported)."]
    assert list(_claims(transactions)) == ["A101"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("210.00", "", "row 2, column 'Charges': the billed amount is empty"),
    (",0,CO-50", ",zero,CO-50", "row 2, column 'Paid': 'zero' is not an amount of money"),
    ("03/05/2026", "", "row 2, column 'DOS': the date of service is empty"),
    ("1961-02-03", "1961-02-30", "row 2, column 'DOB': '1961-02-30' is not a date"),
    ("03/20/2026", "2026/20/03", "row 2, column 'EOB Date': '2026/20/03' is not a date"),
    ("Bluebird (demo)", "", "row 2, column 'Insurance': the payer is empty"),
    ("99215", "", "row 2, column 'CPT': the procedure code is empty"),
    ("CO-50", "", "row 2, column 'Denial Code': the reason code is empty"),
    ("CO-50", "C0-50", "row 2, column 'Denial Code': 'C0-50' is not a reason code; type it like CO-50 or 50"),
    ('"SAMPLE, BO"', "", "row 2, column 'Patient Name': the patient's name is empty"),
])
def test_every_kind_of_bad_value_is_named_by_row_and_column_and_the_row_gives_nothing(
        tmp_path: Path, old: str, new: str, expected: str) -> None:
    transactions, problems = read_csv_denials(_write(tmp_path, "d.csv", HEADER + GOOD_ROW.replace(old, new, 1)))
    assert transactions == []
    assert len(problems) == 1 and problems[0].message.startswith(expected), problems
    assert problems[0].message.endswith("(nothing from this row was imported).") and problems[0].segment is None


def test_a_denied_amount_column_and_a_separate_group_column_are_checked_too(tmp_path: Path) -> None:
    text = ("Patient,Payer,DOS,CPT,Billed,Paid,Denied,Group,CARC\n"
            "\"A, B\",P1,2026-03-01,99213,100.00,0,1OO,CO,50\n"
            "\"C, D\",P1,2026-03-02,99213,100.00,0,100.00,XY,50\n"
            "\"E, F\",P1,2026-03-03,99213,100.00,0,100.00,PR,PR 96\n"
            ",,,,,,,,\n")  # a row of empty cells, as spreadsheets leave at the end, is no row
    transactions, problems = read_csv_denials(_write(tmp_path, "d.csv", text))
    assert [p.message.split(" (")[0] for p in problems] == [
        "row 2, column 'Denied': '1OO' is not an amount of money; type it like 1250.00",
        "row 3, column 'Group': 'XY' is not a group code; type CO, PR, OA, PI or CR"]
    [claim] = [c for t in transactions for c in t.claims]
    assert [a.code for a in claim.all_adjustments()] == ["PR-96"]


def test_claims_of_one_payer_on_remittances_of_different_dates_keep_their_own_notice_date(tmp_path: Path) -> None:
    later = GOOD_ROW.replace("03/20/2026", "04/02/2026").replace("A109", "A110")
    transactions, problems = read_csv_denials(_write(tmp_path, "d.csv", HEADER + GOOD_ROW + later))
    assert problems == []
    assert {c.account_number: t.notice_date.isoformat() for t in transactions for c in t.claims} == {
        "A109": "2026-03-20", "A110": "2026-04-02"}


def test_a_row_without_a_claim_number_and_an_unreadable_date_refuses_the_claims_of_its_account(
        tmp_path: Path) -> None:
    text = ("Account,Patient,Payer,DOS,CPT,Billed,Paid,Reason\n"
            "A1,\"A, B\",P1,2026-03-01,99213,100.00,0,50\n"
            "A2,\"C, D\",P1,2026-03-01,99213,100.00,0,50\n"
            "A1,\"A, B\",P1,2026-03-08,99213,100.00,0,50\n"
            "A1,\"A, B\",P1,2026-31-03,93000,60.00,0,50\n")
    transactions, problems = read_csv_denials(_write(tmp_path, "d.csv", text))
    assert [p.message for p in problems] == [
        "row 5, column 'DOS': '2026-31-03' is not a date; type it like 2026-03-31 or 03/31/2026 (nothing from "
        "this row was imported, nor the claims of the same account on rows 2 and 4, which it may belong to)."]
    assert list(_claims(transactions)) == ["A2"]


def test_a_paid_line_may_leave_the_reason_code_empty_and_codes_are_read_as_billers_type_them(
        tmp_path: Path) -> None:
    text = ("Claim #,Account,Patient,Payer,DOS,CPT,Billed,Paid,Reason\n"
            "C1,A1,\"A, B\",P1,2026-03-01,99213,100.00,0,co 050\n"
            "C1,A1,\"A, B\",P1,2026-03-01,36415,20.00,20.00,\n"
            "C2,A2,\"C, D\",P1,2026-03-01,99213,100.00,40.00,\n")
    transactions, problems = read_csv_denials(_write(tmp_path, "d.csv", text))
    assert [p.message for p in problems] == [
        "row 4, column 'Reason': the reason code is empty (nothing from this row was imported)."]
    [claim] = _claims(transactions).values()
    assert [a.code for a in claim.all_adjustments()] == ["CO-50"] and len(claim.lines) == 2
    assert (claim.billed, claim.paid, claim.status_code) == (Decimal("120.00"), Decimal("20.00"), "1")


def _big_csv(rows: int, lines_per_claim: int = 5) -> str:
    """`rows` rows, claims of `lines_per_claim` lines; every tenth claim denied CO-50, the rest CO-45."""
    out = [HEADER]
    for i in range(rows):
        c = i // lines_per_claim
        code, paid = ("CO-50", "0") if c % 10 == 0 else ("CO-45", "100.00")
        out.append(f'ICN-{c},"PATIENT{c}, ANA",1960-01-01,M{c},Payer {c % 7},03/{1 + c % 28:02d}/2026,'
                   f'9921{i % 5},,128.00,{paid},{code},,03/20/2026,A{c}\n')
    return "".join(out)


def test_a_50000_row_file_is_read_whole_and_a_bad_row_refuses_only_its_claim(tmp_path: Path) -> None:
    text = _big_csv(50_000).replace("ICN-777,\"PATIENT777, ANA\",1960-01-01,M777,Payer 0,03/22/2026,99212,,128.00",
                                    "ICN-777,\"PATIENT777, ANA\",1960-01-01,M777,Payer 0,03/22/2026,99212,,12?.00")
    transactions, problems = read_csv_denials(_write(tmp_path, "big.csv", text))
    assert [p.message for p in problems] == [
        "row 3889, column 'Charges': '12?.00' is not an amount of money; type it like 1250.00 "
        "(so the whole claim ICN-777, rows 3887-3891, was not imported)."]
    claims = [c for t in transactions for c in t.claims]
    assert len(claims) == 9_999 and "A777" not in {c.account_number for c in claims}
    assert all(len(c.lines) == 5 for c in claims)
    assert sum(1 for c in claims if c.status_code == "4") == 1_000
