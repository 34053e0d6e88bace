"""A workspace.sqlite written by schema version 1 is brought up to the current version on open."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

from workstation.casefile.schema import run_script
from workstation.casefile.workspace import WORKSPACE_APPLICATION_ID, Workspace
from workstation.casefile.workspace_schema import STEPS, WORKSPACE_VERSION


def _version_1_workspace(root: Path) -> None:
    _old_workspace(root, 1, "INSERT INTO users VALUES ('dana', 'Dana Ñ')")


def _old_workspace(root: Path, version: int, *statements: str) -> None:
    """A workspace.sqlite made by the steps up to `version`, with rows of that time."""
    (root / "cases").mkdir(parents=True)
    conn = sqlite3.connect(root / "workspace.sqlite", isolation_level=None)
    conn.execute("BEGIN")
    for step, script in STEPS:
        if step <= version:
            run_script(conn, script)
    for statement in statements:
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id={WORKSPACE_APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version={version}")
    conn.execute("COMMIT")
    conn.close()


# A claim as version 8 kept it: its adjustments as JSON in the row (amounts as decimal text, `line`
# counting the claim's lines from 1; null for the whole claim).
_V8_LINES = json.dumps([{"code": "99213", "modifiers": [], "billed": "100.00", "paid": "100.00"},
                        {"code": "97110", "modifiers": ["GP", "59"], "billed": "50.00", "paid": "0.00"}])
_V8_ADJUSTMENTS = json.dumps([{"group": "CO", "carc": "97", "amount": "50.00", "line": 2},
                              {"group": "CO", "carc": "253", "amount": "0.05", "line": None},
                              {"group": "OA", "carc": "23", "amount": "-12.34", "line": 7}])
_V8_CLAIM = ("INSERT INTO claims_ledger (source_key, payer, claim_key, billed, paid, patient_responsibility, "
             "remittance_date, lines, adjustments, read_at) VALUES ('t:0', 'DEMO PLAN', 'k1', '150.00', "
             f"'100.00', '0.00', '2026-03-02', '{_V8_LINES}', '{_V8_ADJUSTMENTS}', '2026-03-03T10:00:00')")


def test_version_8_ledger_adjustments_become_rows_in_cents_with_their_line_s_procedure(tmp_path: Path) -> None:
    root = tmp_path / "v8"
    _old_workspace(root, 8, _V8_CLAIM)
    with Workspace.open(root) as workspace:
        (claim,) = workspace.ledger()
        assert [(a.code, a.amount, a.line_number) for a in claim.adjustments] == [
            ("CO-97", Decimal("50.00"), 2), ("CO-253", Decimal("0.05"), None), ("OA-23", Decimal("-12.34"), 7)]
    with sqlite3.connect(root / "workspace.sqlite") as conn:
        rows = conn.execute("SELECT seq, group_code, carc, cents, line, procedure, modifiers FROM ledger_adjustments "
                            "ORDER BY seq").fetchall()
        assert rows == [(0, "CO", "97", 5000, 2, "97110", "GP-59"), (1, "CO", "253", 5, None, "", ""),
                        (2, "OA", "23", -1234, 7, "", "")]  # line 7 is not on the claim: the whole claim's
        assert conn.execute("SELECT adjustments FROM claims_ledger").fetchone()[0] == "[]"  # one place for each fact


def test_version_1_workspace_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    root = tmp_path / "old"
    _version_1_workspace(root)
    with Workspace.open(root) as workspace:
        assert [u.login for u in workspace.users()] == ["dana"]
        assert workspace.imported_file("0" * 64) is None
        workspace.record_file("0" * 64, "a.835", claims=3, created=1)
        assert workspace.imported_file("0" * 64) is not None
    with sqlite3.connect(root / "workspace.sqlite") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == WORKSPACE_VERSION == 9
        assert conn.execute("SELECT count(*) FROM claims_ledger").fetchone()[0] == 0  # version 7: the ledger


def test_transactions_are_remembered_by_their_content_and_traces_by_payer(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "ws") as workspace:
        assert not workspace.transaction_read("f1" * 32)
        workspace.record_ledger([], transaction_read=("f1" * 32, "99901", "EFT1", "ab" * 32))
        workspace.record_ledger([], transaction_read=("f1" * 32, "99901", "EFT1", "ab" * 32))  # twice is harmless
        assert workspace.transaction_read("f1" * 32)
        assert not workspace.transaction_read("f2" * 32)  # another transaction with the same trace
        assert workspace.trace_seen("99901", "EFT1")
        assert not workspace.trace_seen("99902", "EFT1")
