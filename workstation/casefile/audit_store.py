"""The audit table of workspace.sqlite (schema step 8): rows are added, read and never changed
(triggers refuse UPDATE and DELETE, as the case file's activity log does)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from workstation.casefile.encryption import SQLiteError
from workstation.core.audit import AuditEntry

AUDIT_TABLE = "audit"
_AFTER_EVERY_CHARACTER = "\U0010ffff"  # sorts after any text that starts with a given prefix


def insert_entries(conn: sqlite3.Connection, entries: list[AuditEntry]) -> None:
    """Append entries inside the caller's transaction."""
    conn.executemany("INSERT INTO audit (at, actor, action, case_id, detail) VALUES (?, ?, ?, ?, ?)",
                     [(e.at.isoformat(), e.actor, str(e.action), e.case_id, e.detail) for e in entries])


def read_entries(conn: sqlite3.Connection, *, case_id: str | None = None, since: date | None = None,
                 action: str | None = None, newest: int | None = None) -> list[AuditEntry]:
    """The trail, oldest first; `case_id` matches a whole id or its start, `since` a day onwards;
    `newest` keeps only the last so many."""
    if not has_audit_table(conn):
        return []  # a workspace of an older version opened read-only
    where, values = [], []
    if case_id:  # the id or its start, as a range the index serves
        where.append("case_id >= ? AND case_id < ?")
        values += [case_id, case_id + _AFTER_EVERY_CHARACTER]
    if since is not None:
        where.append("at >= ?")
        values.append(since.isoformat())
    if action is not None:
        where.append("action = ?")
        values.append(str(action))
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    last = f" DESC LIMIT {int(newest)}" if newest is not None else ""
    rows = conn.execute(f"SELECT at, actor, action, case_id, detail FROM audit{clause} ORDER BY id{last}", values)
    entries = [AuditEntry(datetime.fromisoformat(at), actor, action, case_id, detail)
               for at, actor, action, case_id, detail in rows]
    return entries[::-1] if newest is not None else entries


def has_audit_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (AUDIT_TABLE,)).fetchone() is not None


def case_id_of(conn: sqlite3.Connection) -> str | None:
    """A case file's id, read alone (the trail names a case by id without loading the case); None
    when the file cannot say (damaged: the action itself reports that)."""
    try:
        row = conn.execute("SELECT case_id FROM case_info").fetchone()
    except SQLiteError:
        return None
    return row[0] if row else None
