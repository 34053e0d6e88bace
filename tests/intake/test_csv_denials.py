"""Denials from a spreadsheet: recognised columns, a mapping file, clear refusals."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError
from workstation.intake.csv_denials import read_csv_denials, read_mapping
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
    assert len(problems) == 1 and problems[0].message.startswith("row 5: '13/45/2026' is not a date")
    assert sum(len(t.claims) for t in transactions) == 2


def test_a_spreadsheet_saved_in_another_encoding_is_refused_with_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(COMMON.encode("utf-16"))
    with pytest.raises(UserError, match="not a UTF-8 text file"):
        read_csv_denials(path)
