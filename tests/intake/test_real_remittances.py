"""Every public sample remittance in tests/data/era/, read and imported.

The expectations below were written by reading each file segment by segment (the arithmetic is in
the comments), not copied from the program's output. The samples come from three public projects
(see tests/data/era/README.md); several are slightly malformed, which is part of the point.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import pyx12.x12file

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.codebook import codebook
from workstation.core.model import Case
from workstation.core.remittance import AdjustmentRead, ClaimPayment, LinePayment, Transaction
from workstation.core.triage import triage_claim
from workstation.core.vocabulary import PayerKind, Route
from workstation.intake.era835 import read_remittance
from workstation.intake.validate import validate_x12
from workstation.ops.explain import explain_code
from workstation.ops.import_remittance import import_remittances
from workstation.ops.import_summary import ImportSummary

ERA = Path(__file__).resolve().parents[1] / "data" / "era"
SAMPLES = sorted(p.name for p in ERA.glob("*.835"))
D = Decimal


def test_the_samples_are_all_here() -> None:
    assert SAMPLES == [
        "kei-bcnc.835", "kei-emedny.835", "kei-uhc.835", "lfh-cob-contractural-adjustment.835", "lfh-demo.835",
        "lfh-managed-care.835", "lfh-medicare-part-a.835", "lfh-secondary-payment.835",
        "lfh-tertiary-payment.835", "pyx12-835_mult_loops.835"]
    assert (ERA / "README.md").read_text(encoding="utf-8").startswith("Copied unchanged")


# ----------------------------------------------------------------------------------------------
# Helpers


def one_transaction(name: str) -> Transaction:
    read = read_remittance(ERA / name)
    assert read.problems == [] and not read.refused, read.problems
    assert len(read.transactions) == 1
    return read.transactions[0]


def triplets(adjustments: list[AdjustmentRead]) -> list[tuple[str, str, Decimal, int | None]]:
    return [(a.group, a.carc, a.amount, a.line_number) for a in adjustments]


def header(c: ClaimPayment) -> tuple:
    """CLP01..CLP09 as read."""
    return (c.account_number, c.status_code, c.billed, c.paid, c.patient_responsibility, c.filing_indicator,
            c.payer_claim_number, c.facility_code, c.frequency_code)


def service(ln: LinePayment) -> tuple:
    return (ln.procedure_code, ln.modifiers, ln.billed, ln.paid, ln.units, ln.service_from, ln.service_to)


def skipped(c: ClaimPayment) -> str:
    verdict = triage_claim(c, codebook())
    assert not verdict.opens_case
    return verdict.skipped_because


# ----------------------------------------------------------------------------------------------
# Reading, file by file


def test_lfh_demo() -> None:
    t = one_transaction("lfh-demo.835")
    assert (t.control_number, t.version, t.total_paid, t.payment_method) == ("1234", "005010X221A1", D("150000.00"),
                                                                           "ACH")
    assert (t.payment_date, t.production_date, t.group_date) == (date(2002, 9, 13), date(2002, 9, 16),
                                                                 date(2013, 10, 31))
    assert t.notice_date == date(2002, 9, 16)  # DTM*405 wins over BPR16 and GS04
    assert t.check_number == "12345"
    assert (t.payer.name, t.payer.id_qualifier, t.payer.identifier) == ("INSURANCE COMPANY OF TIMBUCKTU", "2U", "999")
    assert (t.payer.address.line1, t.payer.address.city, t.payer.address.state, t.payer.address.zip) == (
        "1 MAIN STREET", "TIMBUCKTU", "AK", "89111")
    assert (t.payee.name, t.payee.id_qualifier, t.payee.identifier) == ("REGIONAL HOPE HOSPITAL", "XX", "6543210903")
    c1, c2 = t.claims
    # 211366.97 billed - 138018.40 paid = 73348.57 = CO-45 (an institutional claim: no service lines).
    assert header(c1) == ("666123", "1", D("211366.97"), D("138018.40"), D("0"), "MA", "1999999444444", "11", "1")
    assert (c1.patient.last_name, c1.patient.first_name, c1.patient.middle_name, c1.patient.member_id) == (
        "JONES", "SAM", "O", "666666666A")
    assert (c1.statement_from, c1.statement_to) == (date(2002, 8, 16), date(2002, 8, 24))
    assert triplets(c1.adjustments) == [("CO", "45", D("73348.57"), None)]
    assert (c1.lines, c1.remarks) == ([], [])  # MIA*0***138018.40 carries no remark code
    assert t.claim_key(c1) == "999|666123|2002-08-16"
    # 15000.00 - 11980.33 = 3019.67 = CO-45; remark MA02 in MOA03.
    assert header(c2) == ("777777", "1", D("15000.00"), D("11980.33"), D("0"), "MB", "1999999444445", "13", "1")
    assert c2.patient.member_id == "996669999B"
    assert (c2.statement_from, c2.statement_to) == (date(2002, 5, 12), None)
    assert triplets(c2.adjustments) == [("CO", "45", D("3019.67"), None)]
    assert c2.remarks == ["MA02"]
    assert [(p.reason, p.reference, p.amount) for p in t.provider_adjustments] == [("CV", "CP", D("-1.27"))]
    assert skipped(c1) == skipped(c2) == "contractual"


def test_lfh_medicare_part_a_is_the_demo_file_byte_for_byte() -> None:
    assert (ERA / "lfh-medicare-part-a.835").read_bytes() == (ERA / "lfh-demo.835").read_bytes()


def test_lfh_managed_care_reads_despite_an_impossible_payment_date() -> None:
    t = one_transaction("lfh-managed-care.835")
    assert t.payment_date is None  # BPR16 is 20002316: month 23
    assert len(t.warnings) == 1
    assert "segment 4" in t.warnings[0] and "20002316" in t.warnings[0] and "ignored" in t.warnings[0]
    assert t.notice_date == date(2002, 3, 14)  # DTM*405
    assert (t.total_paid, t.check_number) == (D("945.00"), "7170066655")  # 450.00 + 495.00
    assert (t.payer.name, t.payer.identifier) == ("RUSHMORE LIFE", "")  # no payer ID anywhere
    assert (t.payee.name, t.payee.identifier, t.payee.tax_id) == ("ACME MEDICAL CENTER", "5544667733", "777667755")
    c1, c2 = t.claims
    # 800.00 - 450.00 = 350.00 = CO-A2 50.00 (claim) + PR-1 300.00 (line)
    assert header(c1) == ("5554555444", "1", D("800.00"), D("450.00"), D("300.00"), "12", "94060555410000", "", "")
    assert (c1.patient.last_name, c1.patient.member_id) == ("BUDD", "33344555510")
    assert triplets(c1.adjustments) == [("CO", "A2", D("50.00"), None)]
    (l1,) = c1.lines
    assert service(l1) == ("99211", [], D("800.00"), D("500.00"), D("1"), date(2002, 3, 1), date(2002, 3, 4))
    assert triplets(l1.adjustments) == [("PR", "1", D("300.00"), 1)]
    # 1200.00 - 495.00 = 705.00 = CO-A2 55.00 + PR-1 600.00 + CO-45 50.00
    assert header(c2) == ("8765432112", "1", D("1200.00"), D("495.00"), D("600.00"), "12", "94077799230000", "",
                          "")
    (l2,) = c2.lines
    assert service(l2) == ("93555", [], D("1200.00"), D("550.00"), D("1"), date(2002, 3, 10), date(2002, 3, 12))
    assert triplets(c2.all_adjustments()) == [("CO", "A2", D("55.00"), None), ("PR", "1", D("600.00"), 1),
                                              ("CO", "45", D("50.00"), 1)]
    assert t.provider_adjustments == []
    assert skipped(c1) == skipped(c2) == "contractual"
    assert codebook().reason("A2").retired == "2008-01-01"


def test_lfh_secondary_payment_with_gt_as_component_separator() -> None:
    t = one_transaction("lfh-secondary-payment.835")
    # The ISA declares ':' (ISA16) yet SVC01 is written HC>12345>26: read the code and modifier anyway.
    # BPR has one '*' too few, so the date sits in BPR15 and BPR16 is empty.
    assert (t.payment_date, t.notice_date, t.total_paid) == (None, date(2005, 4, 12), D("1222.00"))  # 912 + 310
    assert (t.payer.name, t.payer.identifier) == ("YOUR TAX DOLLARS AT WORK", "")
    assert (t.payee.name, t.payee.id_qualifier, t.payee.identifier) == ("ACME MEDICAL CENTER", "FI", "599944521")
    c1, c2 = t.claims
    # Secondary payer (CLP02=2): 10323.64 - 912.00 = 9411.64 = OA-23 (the primary payer's part).
    assert header(c1) == ("L0004828311", "2", D("10323.64"), D("912.00"), D("0"), "12", "05090256390", "11", "1")
    assert (c1.patient.last_name, c1.patient.member_id) == ("TOWNSEND", "XXX123456789")
    assert (c1.rendering_name, c1.rendering_npi) == ("ACME MEDICAL CENTER", "")  # NM108 is BD, not XX
    assert triplets(c1.adjustments) == [("OA", "23", D("9411.64"), None)]
    assert (c1.statement_from, c1.statement_to) == (date(2005, 3, 3), date(2005, 3, 4))
    assert header(c2) == ("0001000053", "2", D("751.50"), D("310.00"), D("220.00"), "12", "05630626430", "", "")
    l1, l2 = c2.lines
    dos = date(2005, 1, 6)
    assert service(l1) == ("12345", ["26"], D("166.50"), D("30.00"), D("1.00"), dos, dos)
    assert service(l2) == ("66543", ["26"], D("585.00"), D("280.00"), D("1.00"), dos, dos)
    assert (l1.qualifier, l1.allowed, l2.allowed) == ("HC", D("150.00"), D("500.00"))
    # 166.50 - 30.00 = 136.50 = OA-23; 585.00 - 280.00 = 305.00 = PR-1 150.00 + PR-2 70.00 + CO-42 85.00,
    # the first two in one CAS segment (two triplets).
    assert triplets(l1.adjustments) == [("OA", "23", D("136.50"), 1)]
    assert triplets(l2.adjustments) == [("PR", "1", D("150.00"), 2), ("PR", "2", D("70.00"), 2),
                                        ("CO", "42", D("85.00"), 2)]
    assert skipped(c1) == skipped(c2) == "contractual"
    assert codebook().reason("42").retired == "2007-06-01"


def test_lfh_tertiary_payment() -> None:
    t = one_transaction("lfh-tertiary-payment.835")
    assert (t.control_number, t.total_paid, t.check_number, t.notice_date) == ("0001", D("187.50"), "0012524879",
                                                                               date(2005, 4, 12))
    assert (t.payer.name, t.payer.identifier) == ("YOUR TAX DOLLARS AT WORK", "")
    assert (t.payee.name, t.payee.id_qualifier, t.payee.identifier) == ("ACME MEDICAL CENTER", "FI", "599944521")
    (c,) = t.claims
    # Tertiary payer (CLP02=3): 1766.50 - 187.50 = 1579.00 = OA-23 on the line.
    assert header(c) == ("0001000054", "3", D("1766.50"), D("187.50"), D("0"), "12", "50580155533", "", "")
    assert (c.patient.last_name, c.patient.first_name, c.patient.member_id) == ("ISLAND", "ELLIS", "789123456")
    (ln,) = c.lines
    # The sample writes SVC*HC*24599.00*1766.50*187.50**1 where the guide has SVC*HC:24599*1766.50*187.50:
    # every element is one place to the right (pyx12 also says SVC01-02 is missing), so the line's
    # amounts are read shifted. Only the date and the adjustment are trustworthy.
    assert (ln.qualifier, ln.billed, ln.paid) == ("HC", D("24599.00"), D("1766.50"))
    assert (ln.service_from, ln.allowed) == (date(2005, 1, 20), D("1700.00"))
    assert triplets(ln.adjustments) == [("OA", "23", D("1579.00"), 1)]
    assert skipped(c) == "contractual"


def test_lfh_cob_contractual_adjustment_with_a_negative_amount() -> None:
    t = one_transaction("lfh-cob-contractural-adjustment.835")
    assert (t.total_paid, t.check_number, t.notice_date) == (D("34.00"), "0063158ABC", date(2005, 3, 18))
    assert (t.payer.name, t.payer.identifier) == ("YOUR TAX DOLLARS AT WORK", "")
    assert (t.payee.name, t.payee.id_qualifier, t.payee.identifier) == ("ATONEWITHHEALTH", "FI", "3UR334563")
    (c,) = t.claims
    assert header(c) == ("0001000055", "2", D("541.00"), D("34.00"), D("0"), "12", "50650619501", "", "")
    (ln,) = c.lines
    day = date(2005, 2, 2)
    assert service(ln) == ("55669", [], D("541.00"), D("34.00"), D("1.00"), day, day)
    # 541.00 - 34.00 = 507.00 = OA-23 516.00 + OA-94 -9.00
    assert triplets(ln.adjustments) == [("OA", "23", D("516.00"), 1), ("OA", "94", D("-9.00"), 1)]
    assert skipped(c) == "contractual"


def test_pyx12_mult_loops_denied_claim() -> None:
    t = one_transaction("pyx12-835_mult_loops.835")
    assert (t.total_paid, t.payment_method, t.check_number) == (D("0"), "NON", "000000000")
    assert (t.production_date, t.payment_date, t.group_date) == (date(2013, 9, 1), date(2004, 10, 28),
                                                                 date(2014, 10, 28))
    assert t.notice_date == date(2013, 9, 1)
    assert (t.payer.name, t.payer.identifier, t.payer.phone) == ("PAYER", "", "9995551212")
    assert (t.payer.address.line1, t.payer.address.city, t.payer.address.state) == ("P.O. BOX 30479", "LANSING",
                                                                                     "MI")
    assert (t.payee.name, t.payee.id_qualifier, t.payee.identifier) == ("UNKNOWN", "FI", "444313000")
    (c,) = t.claims
    assert header(c) == ("2005555A", "4", D("915.39"), D("0"), D("0"), "MC", "4276512332", "", "")
    assert (c.patient.last_name, c.patient.first_name, c.patient.member_id) == ("BACH", "JOHANN", "00001612")
    assert (c.rendering_name, c.rendering_npi) == ("PAYEE", "")
    assert [service(ln) for ln in c.lines] == [
        ("T1005", [], D("500.04"), D("0"), D("68"), date(2003, 11, 29), date(2003, 11, 29)),
        ("T1005", [], D("127.8"), D("0"), D("16"), date(2003, 10, 30), date(2003, 10, 30)),
        ("T1005", [], D("287.55"), D("0"), D("36"), date(2003, 10, 31), date(2003, 10, 31))]
    assert triplets(c.all_adjustments()) == [("CO", "16", D("500.04"), 1), ("OA", "A7", D("127.8"), 2),
                                             ("OA", "A7", D("287.55"), 3)]
    assert [ln.remarks for ln in c.lines] == [["N14"], ["N14"], ["N14"]]
    # 500.04 + 127.80 + 287.55 = 915.39, all denied; CO-16 (resubmit) beats OA-A7 (inquiry).
    verdict = triage_claim(c, codebook())
    assert (verdict.opens_case, verdict.route) == (True, Route.RESUBMIT)
    assert sum((d.adjustment.amount for d in verdict.opening), D(0)) == D("915.39")


def test_n14_is_a_retired_remark_and_the_code_book_says_so() -> None:
    assert codebook().remark("N14").retired == "2007-10-01"
    assert "retired" in explain_code("N14")
    assert codebook().reason("A7").is_retired


def test_kei_emedny_medicaid_timely_filing_and_attachments() -> None:
    t = one_transaction("kei-emedny.835")
    # 34.25 + 0 + 11.50 = 45.75
    assert (t.control_number, t.total_paid, t.payment_date, t.notice_date) == ("1740", D("45.75"),
                                                                               date(2010, 1, 1), date(2010, 1, 1))
    assert (t.payer.name, t.payer.identifier, t.payer.phone) == ("NYSDOH", "", "8003439000")
    assert (t.payer.address.line1, t.payer.address.line2) == ("OFFICE OF HEALTH INSURANCE PROGRAMS",
                                                              "CORNING TOWER, EMPIRE STATE PLAZA")
    assert (t.payee.name, t.payee.id_qualifier, t.payee.identifier) == ("MAJOR MEDICAL PROVIDER", "XX",
                                                                        "9999999995")
    c1, c2, c3 = t.claims
    day = date(2010, 1, 1)
    account = "PATIENT ACCOUNT NUMBER"
    # Claim 1 paid in full: 6 + 2.75 + 5.5 + 20 = 34.25, no adjustment.
    assert header(c1) == (account, "1", D("34.25"), D("34.25"), D("0"), "MC", "1000210000000030", "11", "")
    assert (c1.patient.last_name, c1.patient.member_id) == ("SUBMITTED LAST", "LL99999L")
    assert [service(ln) for ln in c1.lines] == [
        ("V2020", ["RB"], D("6"), D("6"), D("1"), day, day), ("V2700", ["RB"], D("2.75"), D("2.75"), D("1"), day, day),
        ("V2103", ["RB"], D("5.5"), D("5.5"), D("1"), day, day), ("S0580", [], D("20"), D("20"), D("2"), day, day)]
    assert c1.all_adjustments() == []
    assert skipped(c1) == "paid"
    # Claim 2 denied line by line for timely filing: 12 + 22 = 34, nothing paid.
    assert header(c2) == (account, "2", D("34"), D("0"), D("0"), "MC", "1000220000000020", "11", "")
    assert c2.patient.member_id == "LL88888L"
    assert [service(ln) for ln in c2.lines] == [("V2020", [], D("12"), D("0"), D("0"), day, day),
                                                ("V2103", [], D("22"), D("0"), D("0"), day, day)]
    assert triplets(c2.all_adjustments()) == [("CO", "29", D("12"), 1), ("CO", "29", D("22"), 2)]
    # Claim 3: lines 3 and 4 wait for a complete attachment: 2.75 + 20 = 22.75 = 34.25 - 11.50.
    assert header(c3) == (account, "2", D("34.25"), D("11.5"), D("0"), "MC", "1000230000000020", "11", "")
    assert [ln.service_from for ln in c3.lines] == [day, date(2013, 9, 17), day, day]
    assert triplets(c3.all_adjustments()) == [("CO", "251", D("2.75"), 3), ("CO", "251", D("20"), 4)]
    assert [ln.remarks for ln in c3.lines] == [[], [], ["N206"], ["N206"]]
    verdicts = [triage_claim(c, codebook()) for c in (c2, c3)]
    assert [(v.opens_case, v.route) for v in verdicts] == [(True, Route.APPEAL), (True, Route.RESUBMIT)]


def test_kei_uhc_paid_claims_with_several_triplets_in_one_cas() -> None:
    t = one_transaction("kei-uhc.835")
    # ISA16 is '>', so SVC*HC>B4152 is read with it.
    assert (t.control_number, t.total_paid, t.check_number) == ("000000064", D("349.99"), "1234567890")
    assert (t.payment_date, t.production_date, t.notice_date) == (date(2021, 2, 4), date(2021, 2, 1),
                                                                  date(2021, 2, 1))
    assert (t.payer.name, t.payer.id_qualifier, t.payer.identifier, t.payer.phone) == (
        "UNITED HEALTHCARE INSURANCE COMPANY", "XV", "87726", "8778423210")
    assert (t.payee.name, t.payee.identifier, t.payee.tax_id) == ("KLAUS MEDICAL CENTER", "1922164458", "333333333")
    c1, c2 = t.claims
    assert header(c1) == ("001-18573-358", "1", D("341.28"), D("88.92"), D("105.26"), "16", "ATL2819897200", "12",
                          "1")
    assert (c1.patient.last_name, c1.patient.first_name, c1.patient.member_id) == ("MR", "COOL", "123456789")
    assert (c1.statement_from, c1.statement_to, c1.received) == (date(2020, 12, 21), date(2021, 1, 13),
                                                                 date(2021, 1, 14))
    # 156.42 - 88.92 = 67.50 (CO-45); 184.86 - 0 = 105.26 (PR-1) + 79.60 (CO-45)
    assert [service(ln) for ln in c1.lines] == [
        ("B4152", [], D("156.42"), D("88.92"), D("234"), date(2020, 12, 21), date(2020, 12, 21)),
        ("B4152", [], D("184.86"), D("0"), D("277"), date(2021, 1, 1), date(2021, 1, 1))]
    assert triplets(c1.all_adjustments()) == [("CO", "45", D("67.5"), 1), ("PR", "1", D("105.26"), 2),
                                              ("CO", "45", D("79.6"), 2)]
    assert header(c2) == ("001-18604-358", "1", D("816.24"), D("261.07"), D("115.13"), "16", "ATL2819897800", "12",
                          "1")
    # 459.90 - 204.18 = 255.72 (CO-45); 27.84 paid in full; 328.50 - 29.05 = 299.45
    # = PR-2 5.13 + PR-1 110 (one CAS, two triplets) + CO-45 184.32. Patient: 5.13 + 110 = 115.13 = CLP05.
    assert [(ln.procedure_code, ln.billed, ln.paid, ln.allowed) for ln in c2.lines] == [
        ("B4154", D("459.9"), D("204.18"), D("204.18")), ("B4034", D("27.84"), D("27.84"), D("27.84")),
        ("B4154", D("328.5"), D("29.05"), D("144.18"))]
    assert triplets(c2.all_adjustments()) == [("CO", "45", D("255.72"), 1), ("PR", "2", D("5.13"), 3),
                                              ("PR", "1", D("110"), 3), ("CO", "45", D("184.32"), 3)]
    assert [c.remarks for c in t.claims] == [[], []]
    assert [ln.remarks for c in t.claims for ln in c.lines] == [[]] * 5
    assert t.provider_adjustments == []
    assert skipped(c1) == skipped(c2) == "contractual"


def test_kei_bcnc_without_envelope_and_with_a_wrong_se_count_is_read_with_a_note() -> None:
    read = read_remittance(ERA / "kei-bcnc.835")
    # ST is segment 1 (no ISA/GS), SE*33 is segment 32: ST..SE hold 32 segments, not 33. A wrong
    # count changes no amount: the transaction is read and the count is a note (issue 9, point 6).
    assert read.problems == []
    (t,) = read.transactions
    (warning,) = t.warnings
    assert warning.startswith("segment 32, SE:") and "33" in warning and "32" in warning
    # CLP*200200964A52*1*2100*1922.86*142.54: 2100 - 1922.86 = 177.14 = CO-42 34.6 + PR-2 117.54
    # (line 1: 1210 - 1057.86 = 152.14) + PR-3 25 (line 2: 890 - 865); it balances.
    (claim,) = t.claims
    assert (claim.account_number, claim.billed, claim.paid, claim.patient_responsibility) == (
        "200200964A52", D("2100"), D("1922.86"), D("142.54"))
    assert claim.balance_problems() == []
    assert claim.patient.member_id == "YPB123456789001"
    assert any("no ISA/GS envelope" in note for note in read.notes)


# ----------------------------------------------------------------------------------------------
# Notice date: DTM*405, else BPR16, else GS04 (derived copies of lfh-demo.835)


def test_notice_date_falls_back_to_bpr16_then_gs04(tmp_path: Path) -> None:
    text = (ERA / "lfh-demo.835").read_text(encoding="ascii")
    without_405 = text.replace("DTM*405*20020916~\n", "").replace("SE*28*1234", "SE*27*1234")
    assert without_405 != text
    (tmp_path / "no405.835").write_text(without_405, encoding="ascii")
    (t,) = read_remittance(tmp_path / "no405.835").transactions
    assert t.notice_date == date(2002, 9, 13)  # BPR16
    neither = without_405.replace("*DA*98765*20020913~", "*DA*98765~")
    (tmp_path / "neither.835").write_text(neither, encoding="ascii")
    (t,) = read_remittance(tmp_path / "neither.835").transactions
    assert t.notice_date == date(2013, 10, 31)  # GS04


# ----------------------------------------------------------------------------------------------
# pyx12 agrees


def test_pyx12_validator_accepts_the_pyx12_sample() -> None:
    report = validate_x12(ERA / "pyx12-835_mult_loops.835")
    assert report.valid, report.messages
    assert report.messages == []


# kei-bcnc.835 is left out: pyx12's reader refuses any file that does not begin with ISA
# ("First line does not begin with 'ISA'"), and this one starts at ST.
@pytest.mark.parametrize("name", [n for n in SAMPLES if n != "kei-bcnc.835"])
def test_pyx12_reader_and_ours_count_the_same_claims(name: str) -> None:
    with pyx12.x12file.X12Reader(str(ERA / name)) as reader:
        theirs = sum(1 for segment in reader if segment.get_seg_id() == "CLP")
    ours = sum(len(t.claims) for t in read_remittance(ERA / name).transactions)
    assert ours == theirs


# ----------------------------------------------------------------------------------------------
# Importing each file into a fresh workspace

# Cases expected: payer claim number (CLP07) -> (route, amount at stake, codes that opened it).
CASES: dict[str, dict[str, tuple[Route, str, list[str]]]] = {
    # CO-29 12 + 22 = 34.00; CO-251 2.75 + 20 = 22.75
    "kei-emedny.835": {"1000220000000020": (Route.APPEAL, "34.00", ["CO-29"]),
                       "1000230000000020": (Route.RESUBMIT, "22.75", ["CO-251"])},
    # 500.04 + 127.80 + 287.55 = 915.39
    "pyx12-835_mult_loops.835": {"4276512332": (Route.RESUBMIT, "915.39", ["CO-16", "OA-A7"])},
}
# Claims read that open no case: payer claim number -> why ("paid" in full, or only "contractual"
# write-offs and the patient's share).
WITHOUT_CASE: dict[str, dict[str, str]] = {
    # CO-42 34.6 and the patient's 142.54 (PR-2 117.54 + PR-3 25): nothing to act on.
    "kei-bcnc.835": {"94151100100": "contractual"},
    "kei-emedny.835": {"1000210000000030": "paid"},
    "kei-uhc.835": {"ATL2819897200": "contractual", "ATL2819897800": "contractual"},
    "lfh-cob-contractural-adjustment.835": {"50650619501": "contractual"},
    "lfh-demo.835": {"1999999444444": "contractual", "1999999444445": "contractual"},
    "lfh-managed-care.835": {"94060555410000": "contractual", "94077799230000": "contractual"},
    "lfh-medicare-part-a.835": {"1999999444444": "contractual", "1999999444445": "contractual"},
    "lfh-secondary-payment.835": {"05090256390": "contractual", "05630626430": "contractual"},
    "lfh-tertiary-payment.835": {"50580155533": "contractual"},
    "pyx12-835_mult_loops.835": {},
}
PLB_TOTAL = {"lfh-demo.835": "-1.27", "lfh-medicare-part-a.835": "-1.27"}
WHY = {"paid": "Paid in full", "contractual": "Only contractual adjustments"}


def cases_in(ws: Workspace) -> dict[str, Case]:
    found = {}
    for path in ws.cases_dir.iterdir():
        assert path.suffix == ".appeal", path  # nothing half-written
        with CaseFile.open(path, read_only=True) as case_file:
            case = case_file.load()
        found[case.claim.payer_claim_number] = case
    return found


def import_one(ws: Workspace, name: str) -> ImportSummary:
    return import_remittances(ws, [ERA / name], actor="tester")


@pytest.mark.parametrize("name", SAMPLES)
def test_import_opens_exactly_the_expected_cases(ws: Workspace, name: str) -> None:
    summary = import_one(ws, name)
    expected = CASES.get(name, {})
    without = WITHOUT_CASE[name]
    assert summary.claims == len(expected) + len(without)
    assert summary.created == len(expected) == len(summary.created_paths)
    cases = cases_in(ws)
    assert {icn: (c.route, str(c.amount_at_stake), c.reasons) for icn, c in cases.items()} == {
        icn: (route, amount, reasons) for icn, (route, amount, reasons) in expected.items()}
    assert {w.claim.payer_claim_number: w.why for w in summary.without_case}.keys() == without.keys()
    for item in summary.without_case:
        assert item.why.startswith(WHY[without[item.claim.payer_claim_number]]), item.why
    assert summary.paid_in_full == len(without)
    assert summary.plb_total == D(PLB_TOTAL.get(name, "0"))
    assert summary.sequestration_total == 0
    rows = {row.claim_number: row for row in ws.index.rows()}
    assert {icn: (row.route, str(row.amount_at_stake)) for icn, row in rows.items()} == {
        icn: (route.value, amount) for icn, (route, amount, _r) in expected.items()}
    assert summary.errors == [], summary.error_lines()


def test_imported_pyx12_case_carries_the_remittance(ws: Workspace) -> None:
    import_one(ws, "pyx12-835_mult_loops.835")
    (case,) = cases_in(ws).values()
    assert case.notice_date == date(2013, 9, 1)
    assert (case.claim.account_number, case.claim.status_code, case.claim.billed) == ("2005555A", "4", D("915.39"))
    assert (case.patient.last_name, case.patient.member_id) == ("BACH", "00001612")
    assert (case.provider.name, case.provider.npi, case.provider.tin) == ("PAYEE", "", "444313000")
    assert [(a.code, a.amount, a.line_number, a.opens_case) for a in case.adjustments] == [
        ("CO-16", D("500.04"), 1, True), ("OA-A7", D("127.80"), 2, True), ("OA-A7", D("287.55"), 3, True)]
    assert [(r.code, r.line_number) for r in case.remarks] == [("N14", 1), ("N14", 2), ("N14", 3)]
    assert [ln.units for ln in case.lines] == [D("68"), D("16"), D("36")]
    # CLP06 MC: a Medicaid plan, new to the workspace, flagged for the biller to confirm.
    assert case.payer.kind is PayerKind.MEDICAID
    (entry,) = ws.payers()
    assert (entry.name, entry.kind, entry.needs_check) == ("PAYER", PayerKind.MEDICAID, True)


def test_kei_bcnc_imports_with_a_note_about_its_segment_count(ws: Workspace) -> None:
    summary = import_one(ws, "kei-bcnc.835")
    assert (summary.errors, summary.claims, summary.created) == ([], 1, 0)
    assert [n for n in summary.notes if n.startswith("kei-bcnc.835: segment 32, SE:")]


def test_managed_care_imports_with_a_warning_about_the_payment_date(ws: Workspace) -> None:
    summary = import_one(ws, "lfh-managed-care.835")
    assert summary.errors == []
    assert summary.claims == 2
    assert [n for n in summary.notes if "20002316" in n and n.startswith("lfh-managed-care.835:")]


def test_the_identical_second_file_is_already_imported(ws: Workspace) -> None:
    first = import_one(ws, "lfh-demo.835")
    assert (first.claims, first.already_imported) == (2, [])
    second = import_one(ws, "lfh-medicare-part-a.835")
    assert second.already_imported == ["lfh-medicare-part-a.835"]
    assert (second.claims, second.created, second.updated) == (0, 0, 0)


def test_all_samples_in_one_import(ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    shutil.copytree(ERA, folder)
    summary = import_remittances(ws, sorted(folder.glob("*.835")), actor="tester")
    # 3 cases (emedny 2, pyx12 1); 10 files, the part-A copy already imported, bcnc read with a note.
    assert summary.files == 10
    assert summary.created == 3 == len(list(ws.cases_dir.iterdir()))
    assert summary.already_imported == ["lfh-medicare-part-a.835"]
    assert summary.errors == []
    # claims: bcnc 1 + emedny 3 + uhc 2 + cob 1 + demo 2 + managed care 2 + secondary 2 + tertiary 1 + pyx12 1
    assert summary.claims == 15
    assert summary.plb_total == D("-1.27")
