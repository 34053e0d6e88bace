"""The case file schema, version by version, applied with sqlite-utils Migrations."""

from __future__ import annotations

import sqlite3
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

#: "APWC" - marks a SQLite file as an Appeal Workstation case file.
CASE_APPLICATION_ID = 0x41505743
CASE_SCHEMA_VERSION = 7


_V1 = """
CREATE TABLE case_info (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    case_id TEXT NOT NULL, created_at TEXT NOT NULL, status TEXT NOT NULL,
    route TEXT, route_reason TEXT NOT NULL DEFAULT '', assignee TEXT NOT NULL DEFAULT '',
    notice_date TEXT, notice_date_override TEXT, recovered TEXT NOT NULL DEFAULT '0.00',
    revision INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE claim (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    account_number TEXT NOT NULL DEFAULT '', payer_claim_number TEXT NOT NULL DEFAULT '',
    status_code TEXT NOT NULL DEFAULT '', filing_indicator TEXT NOT NULL DEFAULT '',
    facility_code TEXT NOT NULL DEFAULT '', frequency_code TEXT NOT NULL DEFAULT '',
    service_from TEXT, service_to TEXT, billed TEXT NOT NULL, allowed TEXT, paid TEXT NOT NULL,
    patient_responsibility TEXT NOT NULL, diagnosis_codes TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE people (
    role TEXT PRIMARY KEY CHECK (role IN ('patient', 'insured')),
    last_name TEXT NOT NULL DEFAULT '', first_name TEXT NOT NULL DEFAULT '',
    middle_name TEXT NOT NULL DEFAULT '', date_of_birth TEXT,
    member_id TEXT NOT NULL DEFAULT '', group_number TEXT NOT NULL DEFAULT '',
    relationship TEXT NOT NULL DEFAULT ''
);
CREATE TABLE payer (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL DEFAULT '', payer_id TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL,
    kind_needs_check INTEGER NOT NULL DEFAULT 0, line1 TEXT NOT NULL DEFAULT '',
    line2 TEXT NOT NULL DEFAULT '', city TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT '',
    zip TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT ''
);
CREATE TABLE provider (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL DEFAULT '', npi TEXT NOT NULL DEFAULT '', tin TEXT NOT NULL DEFAULT '',
    ptan TEXT NOT NULL DEFAULT '', line1 TEXT NOT NULL DEFAULT '', line2 TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT '', zip TEXT NOT NULL DEFAULT ''
);
CREATE TABLE service_lines (
    line_number INTEGER PRIMARY KEY, procedure_code TEXT NOT NULL,
    modifiers TEXT NOT NULL DEFAULT '[]', units TEXT NOT NULL, service_from TEXT, service_to TEXT,
    billed TEXT NOT NULL, allowed TEXT, paid TEXT NOT NULL
);
CREATE TABLE adjustments (
    id INTEGER PRIMARY KEY, line_number INTEGER REFERENCES service_lines(line_number),
    group_code TEXT NOT NULL, carc TEXT NOT NULL, amount TEXT NOT NULL, quantity TEXT,
    route TEXT, opens_case INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE remarks (
    id INTEGER PRIMARY KEY, line_number INTEGER REFERENCES service_lines(line_number),
    code TEXT NOT NULL
);
CREATE TABLE remittances (
    id INTEGER PRIMARY KEY, file_sha256 TEXT NOT NULL, file_name TEXT NOT NULL,
    notice_date TEXT, payer_claim_number TEXT NOT NULL DEFAULT '', status_code TEXT NOT NULL,
    paid TEXT NOT NULL, check_number TEXT NOT NULL DEFAULT '',
    transaction_id TEXT NOT NULL DEFAULT '', imported_at TEXT
);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL
);
CREATE TABLE activity (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE TRIGGER activity_is_append_only_update BEFORE UPDATE ON activity
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
CREATE TRIGGER activity_is_append_only_delete BEFORE DELETE ON activity
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
"""


def v1_initial(db: Database) -> None:
    """Version 1: claim, people, payer, provider, lines, adjustments, remarks, history, notes."""
    run_script(db.conn, _V1)


_V2 = """
CREATE TABLE checklist (
    step_key TEXT PRIMARY KEY, state TEXT NOT NULL CHECK (state IN ('open', 'done', 'na')),
    by TEXT NOT NULL DEFAULT '', at TEXT, note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL, file_name TEXT NOT NULL,
    media_type TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL UNIQUE,
    included INTEGER NOT NULL DEFAULT 1, position INTEGER NOT NULL, document_date TEXT,
    added_at TEXT NOT NULL, added_by TEXT NOT NULL DEFAULT '', data BLOB NOT NULL
);
CREATE TABLE calls (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, party TEXT NOT NULL, department TEXT NOT NULL DEFAULT '',
    person TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '', reference TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '', follow_up TEXT, by TEXT NOT NULL DEFAULT ''
);
"""


def v2_review_evidence_calls(db: Database) -> None:
    """Version 2: the review checklist, evidence documents (as BLOBs) and the call log."""
    run_script(db.conn, _V2)


_V3 = """
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY, date TEXT NOT NULL, level INTEGER NOT NULL, method TEXT NOT NULL,
    tracking TEXT NOT NULL DEFAULT '', packet_doc_id INTEGER, by TEXT NOT NULL DEFAULT '', at TEXT NOT NULL
);
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY, date TEXT NOT NULL, level INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('won', 'partially_won', 'lost', 'dismissed')),
    amount_recovered TEXT NOT NULL DEFAULT '0.00', reference TEXT NOT NULL DEFAULT '', letter_doc_id INTEGER,
    by TEXT NOT NULL DEFAULT '', at TEXT NOT NULL
);
"""


def v3_submissions_decisions(db: Database) -> None:
    """Version 3: what was sent to the payer and what the payer decided, level by level."""
    run_script(db.conn, _V3)


_V4 = """
CREATE TABLE letters (
    id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, by TEXT NOT NULL DEFAULT '',
    template_id TEXT NOT NULL, template_version INTEGER NOT NULL, template_title TEXT NOT NULL DEFAULT '',
    fields TEXT NOT NULL DEFAULT '{}', text TEXT NOT NULL, context TEXT NOT NULL, pdf BLOB NOT NULL
);
CREATE TABLE packets (
    id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, by TEXT NOT NULL DEFAULT '',
    letter_id INTEGER NOT NULL REFERENCES letters(id), manifest TEXT NOT NULL, page_count INTEGER NOT NULL,
    pdf_sha256 TEXT NOT NULL
);
"""


def v4_letters_packets(db: Database) -> None:
    """Version 4: saved letter versions (with the context snapshot they used) and packet manifests."""
    run_script(db.conn, _V4)


_V5 = """
ALTER TABLE case_info ADD COLUMN opened_amount TEXT;
ALTER TABLE case_info ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
"""


def v5_opened_amount_warnings(db: Database) -> None:
    """Version 5: what was at stake when the case opened (netted and capped, issue 9) and what
    the biller should know about its remittance (it does not balance, a date was unreadable)."""
    run_script(db.conn, _V5)


_V6 = """
CREATE TABLE letter_draft (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    template_id TEXT NOT NULL, template_version INTEGER NOT NULL DEFAULT 0, level INTEGER NOT NULL DEFAULT 1,
    fields TEXT NOT NULL DEFAULT '{}', text TEXT, saved_at TEXT NOT NULL, by TEXT NOT NULL DEFAULT ''
);
CREATE TABLE packet_options (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    remittance_advice INTEGER CHECK (remittance_advice IN (0, 1))
);
"""


def v6_letter_draft_packet_options(db: Database) -> None:
    """Version 6: the letter draft kept as the biller types (one per case; `text` NULL when the
    body was not edited), and whether the packet encloses the remittance advice made from the
    case's 835 (NULL: as the review says)."""
    run_script(db.conn, _V6)


_V7 = """
ALTER TABLE case_info ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
"""


def v7_created_by(db: Database) -> None:
    """Version 7: which program made the case file ("Appeal Workstation 0.1.0"); empty for
    files made before it was recorded."""
    run_script(db.conn, _V7)


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run SQL statements one by one inside the current transaction (executescript commits)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            conn.execute(pending)
            pending = ""


@cache
def case_migrations() -> Migrations:
    """The steps above as sqlite-utils Migrations, built at first use: sqlite-utils takes 0.05 s to
    import, and a command that opens no case file (a report, the worklist) need not pay it."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations("appeal_case")
    for step in (v1_initial, v2_review_evidence_calls, v3_submissions_decisions, v4_letters_packets,
                 v5_opened_amount_warnings, v6_letter_draft_packet_options, v7_created_by):
        migrations()(step)
    return migrations


def migrate(conn: sqlite3.Connection) -> None:
    """Bring a case file of ours up to the current schema and stamp its version."""
    from sqlite_utils import Database

    case_migrations().apply(Database(conn, execute_plugins=False, recursive_triggers=False))
    conn.execute(f"PRAGMA application_id={CASE_APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version={CASE_SCHEMA_VERSION}")
