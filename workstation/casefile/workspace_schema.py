"""workspace.sqlite's schema, step by step; `migrate_workspace` brings an older file up to date."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from workstation.casefile.ledger_store import move_adjustments_to_table
from workstation.casefile.schema import run_script

_V1 = """
CREATE TABLE practice (
    id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL DEFAULT '',
    line1 TEXT NOT NULL DEFAULT '', line2 TEXT NOT NULL DEFAULT '', city TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT '', zip TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',
    fax TEXT NOT NULL DEFAULT '', npi TEXT NOT NULL DEFAULT '', tin TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '', signer_name TEXT NOT NULL DEFAULT '',
    signer_title TEXT NOT NULL DEFAULT ''
);
INSERT INTO practice (id) VALUES (1);
CREATE TABLE payers (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
    payer_ids TEXT NOT NULL DEFAULT '[]', line1 TEXT NOT NULL DEFAULT '',
    line2 TEXT NOT NULL DEFAULT '', city TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT '',
    zip TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '', fax TEXT NOT NULL DEFAULT '',
    portal TEXT NOT NULL DEFAULT '', needs_check INTEGER NOT NULL DEFAULT 0,
    ladder TEXT
);
CREATE TABLE users (login TEXT PRIMARY KEY, display_name TEXT NOT NULL DEFAULT '');
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_V2 = """
CREATE TABLE imported_files (
    sha256 TEXT PRIMARY KEY, file_name TEXT NOT NULL, imported_at TEXT NOT NULL,
    claims INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE imported_transactions (
    payer_key TEXT NOT NULL, trace_number TEXT NOT NULL, file_sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL, PRIMARY KEY (payer_key, trace_number)
);
"""

_V3 = """
ALTER TABLE payers ADD COLUMN medicaid_state TEXT NOT NULL DEFAULT '';
"""

_V4 = """
CREATE TABLE practice_images (name TEXT PRIMARY KEY CHECK (name IN ('logo', 'signature')), data BLOB NOT NULL);
"""

_V5 = """
CREATE TABLE transactions_read (
    fingerprint TEXT PRIMARY KEY, payer_key TEXT NOT NULL, trace_number TEXT NOT NULL,
    file_sha256 TEXT NOT NULL, imported_at TEXT NOT NULL
);
CREATE INDEX transactions_by_trace ON transactions_read (payer_key, trace_number);
"""

_V6 = """
ALTER TABLE payers ADD COLUMN contracted TEXT NOT NULL DEFAULT '' CHECK (contracted IN ('', 'yes', 'no'));
"""

_V7 = """
CREATE TABLE claims_ledger (
    id INTEGER PRIMARY KEY, source_key TEXT NOT NULL UNIQUE, payer TEXT NOT NULL, claim_key TEXT NOT NULL,
    account_number TEXT NOT NULL DEFAULT '', payer_claim_number TEXT NOT NULL DEFAULT '',
    payer_id TEXT NOT NULL DEFAULT '', payer_kind TEXT NOT NULL DEFAULT '', service_from TEXT, service_to TEXT,
    rendering_npi TEXT NOT NULL DEFAULT '', billed TEXT NOT NULL, paid TEXT NOT NULL,
    patient_responsibility TEXT NOT NULL, status_code TEXT NOT NULL DEFAULT '', remittance_date TEXT,
    lines TEXT NOT NULL DEFAULT '[]', adjustments TEXT NOT NULL DEFAULT '[]',
    opened_case INTEGER NOT NULL DEFAULT 0, case_id TEXT NOT NULL DEFAULT '',
    backfilled INTEGER NOT NULL DEFAULT 0, read_at TEXT NOT NULL
);
CREATE INDEX claims_ledger_by_claim ON claims_ledger (claim_key, remittance_date);
CREATE INDEX claims_ledger_by_date ON claims_ledger (remittance_date);
CREATE TABLE patterns_adopted (
    payer TEXT NOT NULL, code TEXT NOT NULL, procedure TEXT NOT NULL, modifier TEXT NOT NULL DEFAULT '',
    adopted_on TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', by TEXT NOT NULL DEFAULT '', at TEXT NOT NULL,
    PRIMARY KEY (payer, code, procedure, modifier)
);
"""

_V8 = """
CREATE TABLE audit (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    case_id TEXT, detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_case ON audit (case_id, at);
CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""

_V9 = """
ALTER TABLE claims_ledger ADD COLUMN rendering_name TEXT NOT NULL DEFAULT '';
DROP INDEX claims_ledger_by_date;
CREATE TABLE ledger_adjustments (
    claim_row INTEGER NOT NULL REFERENCES claims_ledger (id), seq INTEGER NOT NULL,
    group_code TEXT NOT NULL, carc TEXT NOT NULL, cents INTEGER NOT NULL, line INTEGER,
    procedure TEXT NOT NULL DEFAULT '', modifiers TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (claim_row, seq)
) WITHOUT ROWID;
CREATE INDEX ledger_adjustments_by_code ON ledger_adjustments (carc, group_code);
"""

#: (version, script): 2 remembers which remittances were imported; 3 adds a payer's state;
#: 4 keeps the practice's logo and signature image; 5 knows a transaction by its content
#: (issue 9: payer + TRN02 is shared by distinct transactions in real files); 6 records whether
#: the practice is contracted with each plan (issue 10: who is asking, and the MA waiver); 7 keeps
#: every claim read, paid or not, without patient names (issue 13: rates need a denominator), and
#: the prevention patterns the practice adopted a change against; 8 is the append-only audit trail
#: (issue 12: who opened, viewed, exported or printed which case, and when); 9 keeps the ledger's
#: adjustments as rows, in cents, with the procedure of their line, so the report sums them in SQL
#: (issue 13: reading 100,000 claims' JSON took 6 s), and the rendering provider's name; the
#: index of claims by remittance date goes (no query of the report uses it; every import paid it).
STEPS: tuple[tuple[int, str], ...] = ((1, _V1), (2, _V2), (3, _V3), (4, _V4), (5, _V5), (6, _V6), (7, _V7),
                                      (8, _V8), (9, _V9))
WORKSPACE_VERSION = STEPS[-1][0]
#: what moves a workspace's rows into the shape of a version, after that version's script
DATA_STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {9: move_adjustments_to_table}


def migrate_workspace(conn: sqlite3.Connection, current: int) -> None:
    """Apply every step after `current` inside the caller's transaction and stamp the version."""
    for version, script in STEPS:
        if version > current:
            run_script(conn, script)
            if version in DATA_STEPS and current:  # a new file (current 0) has no rows to move
                DATA_STEPS[version](conn)
    conn.execute(f"PRAGMA user_version={WORKSPACE_VERSION}")
