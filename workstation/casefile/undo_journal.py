"""Undo for a case file: every user action (one `CaseFile.change`) is one step, kept as the SQL
that takes it back.

How: while a change's transaction runs, temporary triggers on this connection write the inverse
of each INSERT, UPDATE and DELETE into a temp table (the technique of sqlite.org's "Automatic
Undo/Redo Using SQLite"); when the change commits, those statements become its step. The code is
our own: no maintained library does this for Python's sqlite3, and our rules are particular:
- the append-only activity log is never journalled (an undo appends "Undone: ..." instead), and
  the revision counter is never restored (it only grows);
- a document's bytes are never copied: taking back an added row is a DELETE by rowid, an UPDATE's
  inverse names only the changed columns that are not BLOBs, and a change that would need the bytes
  back (deleting a row with a BLOB, rewriting a BLOB) is a barrier: nothing before it can be undone;
- writes outside a change (an import's, a letter-draft autosave's) are not recorded: the triggers
  fire only while a change has switched recording on.

The steps of one case file are shared by every CaseFile this program has open on it (the case
view's, and the workers' that attach documents or save letters off the GUI thread, each with its own
connection), so undo follows the order the biller acted whichever connection did the work. A step
made by another CaseFile still open (a second window) is that one's to undo; once its maker closes
(a worker that finished), it belongs to whoever is still open.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

#: Tables never journalled: the activity log is append-only (its triggers refuse UPDATE and DELETE).
NOT_JOURNALLED = frozenset({"activity"})
#: Columns never put back: the revision counter only grows, so other windows know to re-read.
NOT_RESTORED = {"case_info": frozenset({"revision"})}
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_RECORDING = "(SELECT recording FROM temp.undo_state)"


@dataclass(frozen=True)
class Entry:
    """One row written by a trigger: which table, the columns an UPDATE changed (empty when a row
    was added or removed) and the SQL that takes it back (None when it cannot be taken back)."""

    table: str
    columns: tuple[str, ...]
    inverse: str | None


@dataclass
class UndoStep:
    """One user action that can be taken back: its activity message and the inverse SQL in the
    order the writes were done. `maker` is the open CaseFile that made it (None once it closed)."""

    message: str
    inverse: tuple[str, ...]
    tables: frozenset[str]
    columns: frozenset[tuple[str, str]]
    maker: int | None

    @staticmethod
    def of(message: str, entries: list[Entry], maker: int) -> UndoStep:
        columns = frozenset((e.table, c) for e in entries for c in e.columns)
        return UndoStep(message, tuple(e.inverse or "" for e in entries), frozenset(e.table for e in entries),
                        columns, maker)


class UndoJournal:
    """The undo steps of one case file in this program, newest last, and the file's revision after
    the last change this program committed through a change (to tell a change made elsewhere)."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.lock = threading.RLock()
        self.revision: int | None = None
        self._steps: list[UndoStep] = []
        self._members: set[int] = set()

    def top(self) -> UndoStep | None:
        with self.lock:
            return self._steps[-1] if self._steps else None

    def recorded(self, step: UndoStep | None, *, barrier: bool, before: int, after: int) -> None:
        """A change committed, from revision `before` to `after`. A barrier (or a change made
        elsewhere in between, which left the revision somewhere else) ends what can be undone."""
        with self.lock:
            if barrier or (self.revision is not None and before != self.revision):
                self._steps.clear()
            if step is not None and not barrier:
                self._steps.append(step)
            self.revision = after

    def undone(self, step: UndoStep, *, after: int) -> None:
        with self.lock:
            if step in self._steps:
                self._steps.remove(step)
            self.revision = after

    def clear(self) -> None:
        with self.lock:
            self._steps.clear()

    def size_bytes(self) -> int:
        """What the steps hold, in bytes of SQL text (a document's bytes are never among them)."""
        with self.lock:
            return sum(len(step.message.encode()) + sum(len(sql.encode()) for sql in step.inverse)
                       for step in self._steps)

    def __len__(self) -> int:
        with self.lock:
            return len(self._steps)


_journals: dict[str, UndoJournal] = {}
_members = iter(range(1, 1 << 62))
_registry = threading.Lock()


def _key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def join(path: Path) -> tuple[UndoJournal, int]:
    """The journal of this case file (made when the first writable CaseFile opens it) and a
    member number for the CaseFile joining it."""
    with _registry:
        key = _key(path)
        journal = _journals.setdefault(key, UndoJournal(key))
        member = next(_members)
        journal._members.add(member)
        return journal, member


def leave(journal: UndoJournal, member: int) -> None:
    """A CaseFile closed: its steps stay for the others (a worker's, for the case view) or, when
    none is left open, the journal goes."""
    with _registry, journal.lock:
        journal._members.discard(member)
        for step in journal._steps:
            if step.maker == member:
                step.maker = None
        if not journal._members and _journals.get(journal.key) is journal:
            del _journals[journal.key]


# -- recording on one connection ---------------------------------------------------------------

def install(conn: sqlite3.Connection) -> None:
    """Create this connection's temp journal and triggers; run outside a transaction, once."""
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        " AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name")]
    statements = [
        "CREATE TEMP TABLE IF NOT EXISTS undo_log (seq INTEGER PRIMARY KEY, tbl TEXT NOT NULL,"
        " cols TEXT NOT NULL, inverse TEXT)",
        "CREATE TEMP TABLE IF NOT EXISTS undo_state (recording INTEGER NOT NULL)",
        "INSERT INTO temp.undo_state (recording) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM temp.undo_state)",
    ]
    for table in tables:
        if table not in NOT_JOURNALLED and _NAME.match(table):
            statements += _triggers(table, conn.execute(f'PRAGMA main.table_info("{table}")').fetchall())
    conn.execute("PRAGMA recursive_triggers = ON")  # so INSERT OR REPLACE records the row it replaces
    conn.execute("BEGIN")
    try:
        for sql in statements:
            conn.execute(sql)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _triggers(table: str, info: list[sqlite3.Row]) -> list[str]:
    """The INSERT, UPDATE and DELETE triggers that write the inverse of each change to `table`."""
    names = [row[1] for row in info]
    if not all(_NAME.match(name) for name in names):
        raise ValueError(f"table {table} has a column name the undo journal does not quote")
    blobs = [row[1] for row in info if str(row[2]).upper() == "BLOB"]
    keys = [row[1] for row in info if row[5]]
    alias = keys[0] if len(keys) == 1 and str(info[names.index(keys[0])][2]).upper() == "INTEGER" else None
    restored = [n for n in names if n not in blobs and n not in NOT_RESTORED.get(table, ())]
    log = "INSERT INTO undo_log (tbl, cols, inverse) VALUES"  # a temp trigger finds its temp table
    head = f'CREATE TEMP TRIGGER IF NOT EXISTS "undo_{table}_'
    on = f'ON main."{table}" WHEN {_RECORDING}'
    triggers = [f"{head}insert\" AFTER INSERT {on} BEGIN {log} ('{table}', '', "
                f"'DELETE FROM main.\"{table}\" WHERE rowid = ' || NEW.rowid); END"]
    if blobs:  # the row's bytes would be needed to put it back: a barrier
        triggers.append(f"{head}delete\" AFTER DELETE {on} BEGIN {log} ('{table}', '', NULL); END")
        listed = ", ".join(f'"{b}"' for b in blobs)
        triggers.append(f"{head}blob\" AFTER UPDATE OF {listed} {on} BEGIN {log} ('{table}', '', NULL); END")
    else:
        columns = ([] if alias else ["rowid"]) + names
        values = " || ', ' || ".join(["OLD.rowid"] * (alias is None) + [f'quote(OLD."{n}")' for n in names])
        quoted = ", ".join(f'"{n}"' for n in columns)
        triggers.append(f"{head}delete\" AFTER DELETE {on} BEGIN {log} ('{table}', '', "
                        f"'INSERT INTO main.\"{table}\" ({quoted}) VALUES (' || {values} || ')'); END")
    if restored:
        changed = [f'OLD."{n}" IS NOT NEW."{n}"' for n in restored]
        cols = " || ".join(f"CASE WHEN {c} THEN ',{n}' ELSE '' END" for c, n in zip(changed, restored, strict=True))
        sets = " || ".join(f"CASE WHEN {c} THEN ', \"{n}\" = ' || quote(OLD.\"{n}\") ELSE '' END"
                           for c, n in zip(changed, restored, strict=True))
        triggers.append(f"{head}update\" AFTER UPDATE {on} AND ({' OR '.join(changed)})"
                        f" BEGIN {log} ('{table}', substr({cols}, 2), 'UPDATE main.\"{table}\" SET ' || "
                        f"substr({sets}, 3) || ' WHERE rowid = ' || NEW.rowid); END")
    return triggers


def start(conn: sqlite3.Connection) -> None:
    """Record from now on (inside the change's transaction: a rollback switches it off again)."""
    conn.execute("UPDATE temp.undo_state SET recording = 1")


def collect(conn: sqlite3.Connection) -> list[Entry]:
    """Stop recording and take what was recorded, in the order it was done."""
    conn.execute("UPDATE temp.undo_state SET recording = 0")
    rows = conn.execute("SELECT tbl, cols, inverse FROM temp.undo_log ORDER BY seq").fetchall()
    conn.execute("DELETE FROM temp.undo_log")
    return [Entry(row[0], tuple(c for c in row[1].split(",") if c), row[2]) for row in rows]


def is_barrier(entries: list[Entry]) -> bool:
    return any(entry.inverse is None for entry in entries)


def take_back(conn: sqlite3.Connection, step: UndoStep) -> None:
    """Run a step's inverse, last write first (inside the undo's own transaction)."""
    for sql in reversed(step.inverse):
        conn.execute(sql)
