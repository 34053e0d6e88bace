"""Issue 13, point 1: every claim read from a remittance is in the claims ledger, paid or not,
once, without patient names; older workspaces are filled in from their case files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from remit_text import claim, interchange, line, transaction
from remit_text import import_text as run

from workstation.casefile.ledger_store import claim_rows
from workstation.casefile.workspace import Workspace
from workstation.core.ledger import LedgerAdjustment, LedgerClaim
from workstation.ops.ledger import BACKFILL_SETTING, ensure_backfilled
from workstation.ops.report import ReportRequest, build_report

# One payment, three claims (amounts chosen by hand):
#   A-1 paid in full: billed 100.00, paid 80.00, CO-45 20.00 (contractual): no case;
#   A-2 denied: billed 250.00, paid 0, CO-50 250.00 on its line 99214-25: opens a case;
#   A-3 partly denied: billed 300.00, paid 120.00, line 1 paid, line 2 CO-97 180.00: opens a case.
PAID = claim("A-1", "1", "100", "80", *line("99213", "100", "80", "20260210", "CAS*CO*45*20"),
             icn="ICN-A1", member="M-1")
DENIED = claim("A-2", "4", "250", "0", *line("99214:25", "250", "0", "20260211", "CAS*CO*50*250"),
               icn="ICN-A2", member="M-2")
PARTLY = claim("A-3", "1", "300", "120", *line("99213", "120", "120", "20260212"),
               *line("97110", "180", "0", "20260212", "CAS*CO*97*180"), icn="ICN-A3", member="M-3")


def _file() -> str:
    return interchange(transaction(PAID, DENIED, PARTLY, total="200", trace="LEDGER-1"))


def test_every_claim_is_recorded_with_its_money_and_codes(ws: Workspace, tmp_path: Path) -> None:
    summary = run(ws, tmp_path, "one.835", _file())
    assert summary.created == 2
    rows = {row.account_number: row for row in ws.ledger()}
    assert set(rows) == {"A-1", "A-2", "A-3"}
    paid, denied, partly = rows["A-1"], rows["A-2"], rows["A-3"]
    assert (paid.billed, paid.paid, paid.status_code, paid.opened_case) == (Decimal("100"), Decimal("80"), "1", False)
    assert [a.code for a in paid.adjustments] == ["CO-45"]
    assert denied.opened_case and denied.case_id and denied.paid == 0
    assert [(li.procedure, li.billed) for li in denied.lines] == [("99214-25", Decimal("250"))]
    assert [(a.code, a.amount, a.line_number) for a in denied.adjustments] == [("CO-50", Decimal("250"), 1)]
    assert partly.opened_case and [a.code for a in partly.adjustments] == ["CO-97"]
    assert {r.remittance_date for r in rows.values()} == {date(2026, 3, 2)}  # DTM*405
    assert {r.payer for r in rows.values()} == {"DEMO MEDICARE CONTRACTOR"}
    assert all(r.service_from for r in rows.values())


def test_the_same_remittance_read_twice_adds_nothing(ws: Workspace, tmp_path: Path) -> None:
    run(ws, tmp_path, "one.835", _file())
    run(ws, tmp_path, "again.835", _file().replace("000000001", "000000002"))  # re-wrapped by a clearinghouse
    assert len(ws.ledger()) == 3


def test_the_ledger_holds_no_patient_names(ws: Workspace, tmp_path: Path) -> None:
    run(ws, tmp_path, "one.835", _file())
    stored = (ws.root / "workspace.sqlite").read_bytes()
    assert b"TESTPERSON" not in stored and b"ALPHA" not in stored


def test_a_workspace_made_before_the_ledger_is_filled_from_its_cases(ws: Workspace, tmp_path: Path) -> None:
    run(ws, tmp_path, "one.835", _file())
    case_ids = {r.case_id for r in ws.ledger() if r.opened_case}
    with ws._write() as conn:  # the workspace as it was before issue 13
        conn.execute("DELETE FROM ledger_adjustments")
        conn.execute("DELETE FROM claims_ledger")
        conn.execute("DELETE FROM settings WHERE key = ?", (BACKFILL_SETTING,))
    backfill = ensure_backfilled(ws)
    assert backfill is not None and backfill.cases == 2 and backfill.claims == 2
    assert "paid in full" in backfill.sentence()  # says what it could not learn
    rows = ws.ledger()
    assert {r.case_id for r in rows} == case_ids and all(r.backfilled for r in rows)
    assert {r.account_number: [a.code for a in r.adjustments] for r in rows} == {"A-2": ["CO-50"], "A-3": ["CO-97"]}
    assert ensure_backfilled(ws) is None  # once per workspace


def _row(key: str, claim_key: str, day: date | None, status: str, adjustments: tuple = ()) -> LedgerClaim:
    return LedgerClaim(key, "DEMO PLAN", claim_key, billed=Decimal("100.00"), status_code=status,
                       remittance_date=day, adjustments=adjustments)


def test_a_claim_s_first_remittance_is_its_oldest_then_the_first_read(ws: Workspace) -> None:
    """K1: two rows on the same day, the paid one read first; K2: an older denial read after a newer
    payment (files imported out of order); K3: a row without a date before a dated denial."""
    denied = (LedgerAdjustment("CO", "50", Decimal("100.00"), None),)
    ws.record_ledger(claim_rows([
        _row("a", "K1", date(2026, 2, 2), "1"), _row("b", "K1", date(2026, 2, 2), "4", denied),
        _row("c", "K2", date(2026, 3, 1), "1"), _row("d", "K2", date(2026, 2, 1), "4", denied),
        _row("e", "K3", None, "1"), _row("f", "K3", date(2026, 2, 10), "4", denied),
    ]))
    report = build_report(ws, ReportRequest(date(2026, 2, 1), date(2026, 3, 31), today=date(2026, 3, 31)))
    # firsts: a (K1, paid), d (K2, denied); K3's first has no date, so no period holds it
    assert (report["claims"], report["denied_claims"]) == (2, 1)
    assert (report["billed"], report["denied_billed"]) == ("200.00", "100.00")
