"""Issue 13, point 2: each measure against figures worked out by hand from small remittances
written for this test (two payers, two months, a partial denial, a CO-253-only claim, a claim
denied then won on appeal and paid, a reversal)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from remit_text import claim, interchange, line, transaction
from remit_text import import_text as run

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.deadlines import Outcome
from workstation.core.payer_kinds import default_ladders
from workstation.core.vocabulary import PayerKind
from workstation.ops.report import ReportRequest, build_report
from workstation.ops.tracking import record_decision, record_submission

SECOND = ("SECOND PLAN", "77777")

# February, payer DEMO MEDICARE CONTRACTOR (notice 2026-02-02):
#   B-1 billed 100, paid 98, CO-253 2.00 only (sequestration): not a denial
#   B-2 billed 200, paid 0, CO-50 200 on 99214: denied in full (opens a case)
#   B-3 billed 300, paid 150: line 99213 paid 150, line 97110 CO-97 150: denied in part
FEBRUARY = interchange(transaction(
    claim("B-1", "1", "100", "98", *line("99213", "100", "98", "20260115", "CAS*CO*253*2"), icn="I-B1",
          member="M-B1"),
    claim("B-2", "4", "200", "0", *line("99214", "200", "0", "20260116", "CAS*CO*50*200"), icn="I-B2",
          member="M-B2"),
    claim("B-3", "1", "300", "150", *line("99213", "150", "150", "20260117"),
          *line("97110", "150", "0", "20260117", "CAS*CO*97*150"), icn="I-B3", member="M-B3"),
    total="248", trace="FEB-1", notice="20260202", payment_date="20260203"))

# March, payer SECOND PLAN (notice 2026-03-05):
#   C-1 billed 120, paid 100, CO-45 20 (contractual): not a denial
#   C-2 billed 80, paid 0, CO-16 80 on 99212: denied in full
MARCH = interchange(transaction(
    claim("C-1", "1", "120", "100", *line("99213", "120", "100", "20260220", "CAS*CO*45*20"), icn="I-C1",
          member="M-C1", filing="CI"),
    claim("C-2", "4", "80", "0", *line("99212", "80", "0", "20260221", "CAS*CO*16*80"), icn="I-C2",
          member="M-C2", filing="CI"),
    total="100", trace="MAR-1", payer=SECOND, notice="20260305", payment_date="20260306"), control="000000002")

# Late March, first payer (notice 2026-03-20): B-2 paid in full after the appeal, and B-1 reversed
# (its sequestration given back: CO-253 -2.00). Neither is a first remittance.
LATE_MARCH = interchange(transaction(
    claim("B-2", "1", "200", "200", *line("99214", "200", "200", "20260116"), icn="I-B2-2", member="M-B2"),
    claim("B-1", "22", "-100", "-98", *line("99213", "-100", "-98", "20260115", "CAS*CO*253*-2"),
          icn="I-B1", member="M-B1"),
    total="102", trace="MAR-2", notice="20260320", payment_date="20260321"), control="000000003")


def _workspace(ws: Workspace, tmp_path: Path) -> Workspace:
    run(ws, tmp_path, "feb.835", FEBRUARY)
    run(ws, tmp_path, "mar.835", MARCH)
    appealed = next(r.path for r in ws.index.rows() if r.account_number == "B-2")
    with CaseFile.open(appealed) as case_file:  # appealed on 02-20, won on 03-18 with 200.00 back
        record_submission(case_file, sent=date(2026, 2, 20), method="mail", actor="dana", today=date(2026, 3, 31))
        record_decision(case_file, default_ladders()[PayerKind.MEDICARE], decided=date(2026, 3, 18),
                        outcome=Outcome.WON, recovered=Decimal("200"), actor="dana", today=date(2026, 3, 31))
    run(ws, tmp_path, "late-mar.835", LATE_MARCH)
    return ws


def _report(ws: Workspace, start: date, end: date, payer: str = "") -> dict:
    return build_report(ws, ReportRequest(start, end, payer, today=date(2026, 3, 31)))


def test_the_initial_denial_rate_counts_first_remittances_by_number_and_dollars(ws: Workspace, tmp_path: Path):
    report = _report(_workspace(ws, tmp_path), date(2026, 2, 1), date(2026, 3, 31))
    # first remittances: B-1, B-2, B-3, C-1, C-2 = 5; denied: B-2, B-3, C-2 = 3 -> 0.6000
    # billed 100 + 200 + 300 + 120 + 80 = 800; denied 200 + 300 + 80 = 580 -> 0.7250
    assert (report["claims"], report["denied_claims"]) == (5, 3)
    assert report["initial_denial_rate"] == "0.6000"
    assert report["initial_denial_rate_dollars"] == "0.7250"
    february = _report(ws, date(2026, 2, 1), date(2026, 2, 28))
    # February alone: 2 of 3, 500 of 600
    assert (february["initial_denial_rate"], february["initial_denial_rate_dollars"]) == ("0.6667", "0.8333")


def test_denials_are_grouped_by_reason_payer_procedure_and_month(ws: Workspace, tmp_path: Path):
    report = _report(_workspace(ws, tmp_path), date(2026, 2, 1), date(2026, 3, 31))
    reasons = {r["code"]: (r["claims"], r["denied"], r["category"]) for r in report["by_reason"]}
    assert reasons == {"CO-50": (1, "200.00", "medical_necessity"), "CO-97": (1, "150.00", "coding"),
                       "CO-16": (1, "80.00", "information_requested")}
    assert {r["key"]: r["denied"] for r in report["by_payer"]} == {"DEMO MEDICARE CONTRACTOR": "350.00",
                                                                   "SECOND PLAN": "80.00"}
    assert {r["key"]: r["denied"] for r in report["by_procedure"]} == {"99214": "200.00", "97110": "150.00",
                                                                       "99212": "80.00"}
    assert {r["key"]: r["denied"] for r in report["by_month"]} == {"2026-02": "350.00", "2026-03": "80.00"}
    # still at stake: B-2 was won (closed), B-3 (150.00) and C-2 (80.00) are open
    assert {r["code"]: r["at_stake"] for r in report["by_reason"]} == {"CO-50": "0.00", "CO-97": "150.00",
                                                                       "CO-16": "80.00"}


def test_appeal_outcomes_and_days(ws: Workspace, tmp_path: Path):
    appeals = _report(_workspace(ws, tmp_path), date(2026, 2, 1), date(2026, 3, 31))["appeals"]
    assert (appeals["sent"], appeals["decided"], appeals["won"], appeals["lost"]) == (1, 1, 1, 0)
    assert appeals["overturn_rate"] == "1.0000" and appeals["recovered"] == "200.00"
    assert appeals["days_to_appeal_median"] == "18"  # 02-02 -> 02-20
    assert appeals["days_to_resolution_median"] == "44"  # 02-02 -> 03-18


def test_sequestration_is_netted_by_month_and_a_payer_filter_keeps_to_its_claims(ws: Workspace, tmp_path: Path):
    report = _report(_workspace(ws, tmp_path), date(2026, 2, 1), date(2026, 3, 31))
    assert report["sequestration_by_month"] == {"2026-02": "2.00", "2026-03": "-2.00"}  # taken, then reversed
    assert report["sequestration_total"] == "0.00"
    second = _report(ws, date(2026, 2, 1), date(2026, 3, 31), payer="second plan")
    assert (second["claims"], second["denied_claims"], second["initial_denial_rate"]) == (2, 1, "0.5000")
    assert [r["code"] for r in second["by_reason"]] == ["CO-16"]


def test_the_open_backlog_by_age(ws: Workspace, tmp_path: Path):
    report = _report(_workspace(ws, tmp_path), date(2026, 2, 1), date(2026, 3, 31))
    # on 03-31: B-3 noticed 02-02 (57 days: 31-60), C-2 noticed 03-05 (26 days: 0-30); B-2 is won
    ages = {k: v["cases"] for k, v in report["backlog_by_age"].items()}
    assert ages == {"0-30": 1, "31-60": 1, "61-90": 0, "91-120": 0, "over 120": 0}


def test_appeal_outcomes_by_payer_and_reason_and_what_the_report_is_of(ws: Workspace, tmp_path: Path):
    report = _report(_workspace(ws, tmp_path), date(2026, 2, 1), date(2026, 3, 31))
    assert report["appeals_by_payer"] == [{"key": "DEMO MEDICARE CONTRACTOR", "sent": 1, "decided": 1, "won": 1,
                                           "partially_won": 0, "lost": 0, "overturn_rate": "1.0000"}]
    assert [(r["key"], r["won"]) for r in report["appeals_by_reason"]] == [("CO-50", 1)]
    assert (report["as_of"], report["payer"]) == ("2026-03-31", None)
    assert report["sequestration_inquiries"] == 0  # B-1's 2.00 is the 2% of 100: no inquiry opened


def test_denials_by_provider_name_the_rendering_provider_as_the_remittance_does(ws: Workspace, tmp_path: Path):
    # NM1*82 (rendering provider): first name NM104, last NM103, NPI NM109 when NM108 is XX
    text = interchange(transaction(
        claim("R-1", "4", "90", "0", "NM1*82*1*EXAMPLE*JANE****XX*1234567893",
              *line("99213", "90", "0", "20260105", "CAS*CO*50*90"), icn="I-R1", member="M-R1"),
        claim("R-2", "4", "60", "0", *line("99212", "60", "0", "20260106", "CAS*CO*16*60"), icn="I-R2",
              member="M-R2"),
        total="0", trace="PROV-1", notice="20260202", payment_date="20260203"))
    run(ws, tmp_path, "providers.835", text)
    report = _report(ws, date(2026, 2, 1), date(2026, 2, 28))
    assert {(g["key"], g["denied"]) for g in report["by_provider"]} == {
        ("JANE EXAMPLE (NPI 1234567893)", "90.00"), ("(not on the remittance)", "60.00")}


def test_the_worklist_rows_the_window_holds_give_the_report_its_files_give(demo_workspace: Path) -> None:
    """The window hands the report the rows it shows (with every case's deadline), sparing a second
    read of cases/; the figures are those of the rows read from the files, with or without a payer."""
    from workstation.ops.deadlines import rows_with_deadlines

    today = date(2026, 11, 30)
    with Workspace.open(demo_workspace, backup=False) as workspace:
        held = rows_with_deadlines(workspace, today=today)
        payer = next(r.payer for r in held if r.payer)
        for request in (ReportRequest(today=today, audited=False), ReportRequest(payer=payer, today=today,
                                                                                  audited=False)):
            assert build_report(workspace, request, rows=held) == build_report(workspace, request)
        assert build_report(workspace, ReportRequest(today=today, audited=False), rows=held)["appeals"]["sent"] > 0
