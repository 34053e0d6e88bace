"""A workspace.sqlite written by schema version 1 is brought up to the current version on open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from workstation.casefile.schema import run_script
from workstation.casefile.workspace import WORKSPACE_APPLICATION_ID, Workspace
from workstation.casefile.workspace_schema import STEPS, WORKSPACE_VERSION


def _version_1_workspace(root: Path) -> None:
    (root / "cases").mkdir(parents=True)
    conn = sqlite3.connect(root / "workspace.sqlite", isolation_level=None)
    conn.execute("BEGIN")
    run_script(conn, STEPS[0][1])
    conn.execute("INSERT INTO users VALUES ('dana', 'Dana Ñ')")
    conn.execute(f"PRAGMA application_id={WORKSPACE_APPLICATION_ID}")
    conn.execute("PRAGMA user_version=1")
    conn.execute("COMMIT")
    conn.close()


def test_version_1_workspace_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    root = tmp_path / "old"
    _version_1_workspace(root)
    with Workspace.open(root) as workspace:
        assert [u.login for u in workspace.users()] == ["dana"]
        assert workspace.imported_file("0" * 64) is None
        workspace.record_file("0" * 64, "a.835", claims=3, created=1)
        assert workspace.imported_file("0" * 64) is not None
    with sqlite3.connect(root / "workspace.sqlite") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == WORKSPACE_VERSION == 8
        assert conn.execute("SELECT count(*) FROM claims_ledger").fetchone()[0] == 0  # version 7: the ledger


def test_transactions_are_remembered_by_their_content_and_traces_by_payer(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "ws") as workspace:
        assert not workspace.transaction_read("f1" * 32)
        workspace.record_transaction("f1" * 32, "99901", "EFT1", "ab" * 32)
        workspace.record_transaction("f1" * 32, "99901", "EFT1", "ab" * 32)  # twice is harmless
        assert workspace.transaction_read("f1" * 32)
        assert not workspace.transaction_read("f2" * 32)  # another transaction with the same trace
        assert workspace.trace_seen("99901", "EFT1")
        assert not workspace.trace_seen("99902", "EFT1")
