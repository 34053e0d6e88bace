"""CaseFile: the one object through which a case's SQLite file is created, read and changed."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import sys
import tempfile
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from workstation.casefile import undo_journal
from workstation.casefile.case_parts import CallLog, Checklist, EvidenceStore
from workstation.casefile.case_rows import (
    append_activity,
    insert_decision,
    insert_submission,
    read_case,
    write_adjustments,
    write_case,
    write_remittances,
)
from workstation.casefile.encryption import Key, SQLiteError, SQLiteIntegrityError, keyed_connect, new_file_key
from workstation.casefile.letter_store import LetterStore
from workstation.casefile.schema import CASE_APPLICATION_ID, CASE_SCHEMA_VERSION, migrate
from workstation.casefile.schema_check import case_problems
from workstation.casefile.sqlite_file import (
    Header,
    check_header,
    connect,
    connect_encrypted,
    fsync_path,
    is_encrypted_file,
    is_writable,
    read_header,
    recover_interrupted,
    translate,
    write_transaction,
)
from workstation.casefile.undo_journal import UndoJournal, UndoStep
from workstation.core.case_from_remittance import LaterRemittance
from workstation.core.changes import Changes
from workstation.core.errors import DamagedCaseFile, DiskFull, ReadOnly, StaleEdit, UserError
from workstation.core.fields import editable_field
from workstation.core.model import Activity, Case, DecisionRecord, Submission
from workstation.core.money import dollars, money_text
from workstation.core.vocabulary import Route, Status

CASE_SUFFIX = ".appeal"
BUILD_THREADS = 2
WHAT = "an appeal case file"

# Where each editable field lives: table, column and the row it is in.
_FIELD_COLUMNS: dict[str, tuple[str, str, str]] = {
    "patient.last_name": ("people", "last_name", "role = 'patient'"),
    "patient.first_name": ("people", "first_name", "role = 'patient'"),
    "patient.middle_name": ("people", "middle_name", "role = 'patient'"),
    "patient.date_of_birth": ("people", "date_of_birth", "role = 'patient'"),
    "patient.member_id": ("people", "member_id", "role = 'patient'"),
    "patient.group_number": ("people", "group_number", "role = 'patient'"),
    "claim.payer_claim_number": ("claim", "payer_claim_number", "id = 1"),
    "claim.account_number": ("claim", "account_number", "id = 1"),
    "claim.diagnosis_codes": ("claim", "diagnosis_codes", "id = 1"),
    "provider.ptan": ("provider", "ptan", "id = 1"),
    "case.status": ("case_info", "status", "id = 1"),
    "case.assignee": ("case_info", "assignee", "id = 1"),
    "case.route": ("case_info", "route", "id = 1"),
    "case.notice_date_override": ("case_info", "notice_date_override", "id = 1"),
}


def _stored(value: Any) -> Any:
    """A typed value as it is stored (ISO dates, enum values)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value)
    return value


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


# Tables whose rows the worklist shows (status, route, assignee, names, money, deadlines, review progress).
_WORKLIST_TABLES = frozenset({"case_info", "claim", "people", "payer", "evidence", "checklist", "submissions",
                              "decisions", "adjustments", "service_lines"})
_UNDO_STALE = ("This case was changed in another window or by an import since your last change, so Undo cannot "
               "take it back safely; it has been reloaded.")
_UNDO_ELSEWHERE = ("The last change to this case was made in another window, so Undo here cannot take it back; "
                   "it has been reloaded.")


class CaseFile:
    """An open case file. Use `CaseFile.open(path)` as a context manager; `create` makes one."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, read_only: bool) -> None:
        self.path = path
        self.read_only = read_only
        self._conn: sqlite3.Connection | None = conn
        self._open_change: _Change | None = None
        self._journal: UndoJournal | None = None
        self._member = 0
        self._journal_ready = False  # this connection's temp triggers exist
        self._leave_journal: weakref.finalize | None = None
        if not read_only:
            self._journal, self._member = undo_journal.join(path)
            # leave on close, or when dropped unclosed, so a dead object's steps pass to the living
            self._leave_journal = weakref.finalize(self, undo_journal.leave, self._journal, self._member)

    # -- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, case: Case) -> Path:
        """Write a whole new case file aside, then rename it into place (all or nothing)."""
        create_case_files([(path, case)])
        return path

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> CaseFile:
        """Open after checking the header; refuse foreign or newer files untouched."""
        path = Path(path)
        recover_interrupted(path)  # before the header is trusted: a crash may have left it half-written
        if is_encrypted_file(path):  # its header is read through the one connection the case keeps
            read_only = read_only or not (is_writable(path) and is_writable(path.parent))
            conn, header = connect_encrypted(path, read_only=read_only)
            _checked(conn, path, header)
        else:
            header = read_header(path, what=WHAT)
            check_header(path, header, application_id=CASE_APPLICATION_ID,
                         version=CASE_SCHEMA_VERSION, what=WHAT)
            read_only = read_only or not (is_writable(path) and is_writable(path.parent))
            conn = connect(path, read_only=read_only)
        if header.user_version < CASE_SCHEMA_VERSION and read_only:
            conn = _migrated_copy(conn, path)
        case_file = cls(path, conn, read_only=read_only)
        try:
            if header.user_version < CASE_SCHEMA_VERSION and not read_only:
                migrate(conn)
            conn.execute("SELECT case_id FROM case_info").fetchone()
        except SQLiteError as error:
            case_file.close()
            raise translate(error, path) from None
        return case_file

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._leave_journal is not None:
            self._leave_journal()  # runs once
            self._journal = None

    def __enter__(self) -> CaseFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("case file is closed")
        return self._conn

    @property
    def evidence(self) -> EvidenceStore:
        return EvidenceStore(self)

    @property
    def letters(self) -> LetterStore:
        return LetterStore(self)

    @property
    def calls(self) -> CallLog:
        return CallLog(self)

    @property
    def checklist(self) -> Checklist:
        return Checklist(self)

    # -- reading -----------------------------------------------------------------------------

    def load(self) -> Case:
        """The whole case; a damaged file raises DamagedCaseFile."""
        try:
            return read_case(self.conn)
        except (*SQLiteError, TypeError, ValueError, KeyError) as error:
            raise DamagedCaseFile(f"{self.path.name} is damaged and could not be read ({error}); "
                                  "restore it from a backup.") from None

    def revision(self) -> int:
        """A counter bumped by every change, so a view knows when to re-read."""
        return int(self.conn.execute("SELECT revision FROM case_info").fetchone()[0])

    def integrity_problems(self) -> list[str]:
        """What `workstation check` finds wrong with the file, in its words: SQLite's integrity and
        foreign key checks, our schema check (every table and column of its version, values of the
        right kinds), then the case read back; empty when the file is sound. The schema check adds
        about half a millisecond to SQLite's own check, whatever the file's size."""
        problems = case_problems(self.conn)
        if not problems:
            try:
                read_case(self.conn)
            except (*SQLiteError, TypeError, ValueError, KeyError) as error:
                problems = [str(error)]
        return problems

    # -- changing ----------------------------------------------------------------------------

    def change(self, actor: str, kind: str, message: str, *, undoable: bool = True) -> _Change:
        """One user action: a transaction, its activity entry and a revision bump; one undo step
        named by its message. A change that cannot be undone (an import, a removal) is a barrier:
        nothing before it can be undone either. A change inside a change joins it (a savepoint)."""
        return _Change(self, actor, kind, message, undoable=undoable)

    def set_field(self, key: str, value: Any, *, actor: str, expected: Any = ...) -> Changes:
        """Commit one field edit at once; `expected` guards against an edit made elsewhere."""
        field = editable_field(key)
        new = field.entered(value)
        table, column, where = _FIELD_COLUMNS[key]
        try:
            with self.change(actor, "edit", f"{field.label} changed") as change:
                row = self.conn.execute(f"SELECT {column} FROM {table} WHERE {where}").fetchone()
                old = field.parse(row[0])
                if expected is not ... and _stored(field.parse(expected)) != _stored(old):
                    raise StaleEdit("This case was changed in another window since you opened it; "
                                    "it has been reloaded, so check the value and edit again.")
                if _stored(old) == _stored(new):
                    raise _Unchanged
                self.conn.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (_stored(new),))
                if field.kind in ("status", "route") or key == "case.assignee":
                    change.message = f"{field.label}: {_shown(old)} -> {_shown(new)}"
        except _Unchanged:
            return Changes(case_path=self.path)
        return Changes(case_path=self.path, fields=frozenset({key}), worklist=True, activity=True)

    def fill_fields(self, values: dict[str, Any], *, actor: str, source: str) -> Changes:
        """Fill several fields in one transaction, only where the case has no value yet
        (data from the practice's own system never overwrites what a biller typed)."""
        filled: list[str] = []
        try:
            with self.change(actor, "edit", "", undoable=False) as change:  # an import, not the biller's step
                for key, value in values.items():
                    field = editable_field(key)
                    table, column, where = _FIELD_COLUMNS[key]
                    current = self.conn.execute(f"SELECT {column} FROM {table} WHERE {where}").fetchone()[0]
                    new = _stored(field.parse(value))
                    if current in (None, "", "[]") and new not in (None, "", "[]"):
                        self.conn.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (new,))
                        filled.append(field.label.lower())
                if not filled:
                    raise _Unchanged
                change.message = f"Filled from {source}: {', '.join(filled)}"
        except _Unchanged:
            return Changes(case_path=self.path)
        return Changes(case_path=self.path, fields=frozenset(values), worklist=True, activity=True)

    def choose_route(self, route: Route | None, reason: str, *, actor: str) -> Changes:
        """Set the route with the biller's reason; both go into the activity log."""
        label = route.label if route else "(not decided)"
        with self.change(actor, "route", f"Route chosen: {label}" + (f" (reason: {reason})" if reason else "")):
            self.conn.execute("UPDATE case_info SET route = ?, route_reason = ?",
                              (route.value if route else None, reason))
        return Changes(case_path=self.path, fields=frozenset({"case.route"}), worklist=True, activity=True)

    def record_submission(self, submission: Submission, *, actor: str, status: Status) -> Changes:
        """What was sent at which level; the case moves to `status` (submitted or resubmitted)."""
        tracking = f", {submission.tracking}" if submission.tracking else ""
        message = f"Sent at level {submission.level} by {submission.method} on {submission.date.isoformat()}{tracking}"
        with self.change(actor, "submission", message):
            insert_submission(self.conn, submission)
            self.conn.execute("UPDATE case_info SET status = ?", (status.value,))
        return Changes(case_path=self.path, fields=frozenset({"case.status"}), worklist=True, activity=True)

    def record_decision(self, decision: DecisionRecord, *, actor: str, status: Status) -> Changes:
        """The payer's decision; money recovered adds to the case's recovered amount."""
        message = (f"Decision at level {decision.level} on {decision.date.isoformat()}: "
                   f"{decision.outcome.replace('_', ' ')}, {dollars(decision.amount_recovered)} recovered")
        with self.change(actor, "decision", message):
            insert_decision(self.conn, decision)
            recovered = self.conn.execute("SELECT recovered FROM case_info").fetchone()[0]
            total = money_text(Decimal(recovered) + decision.amount_recovered)
            self.conn.execute("UPDATE case_info SET status = ?, recovered = ?", (status.value, total))
        return Changes(case_path=self.path, fields=frozenset({"case.status"}), worklist=True, activity=True)

    def add_note(self, text: str, *, actor: str) -> Changes:
        text = text.strip()
        if not text:
            return Changes(case_path=self.path)
        with self.change(actor, "note", "Note added"):
            self.conn.execute("INSERT INTO notes (created_at, author, text) VALUES (?,?,?)",
                              (now().isoformat(), actor, text))
        return Changes(case_path=self.path, notes=True, activity=True)

    def record_remittance(self, update: LaterRemittance, *, actor: str) -> Changes:
        """A later remittance for this claim: history row, latest claim number, status, money."""
        with self.change(actor, "remittance", update.message, undoable=False):  # an import: a barrier
            write_remittances(self.conn, [update.seen])
            current = update.current
            if current is not None:  # the case now states the latest remittance's denial
                self.conn.execute("UPDATE adjustments SET opens_case = 0")
                self.conn.execute("UPDATE case_info SET notice_date = ?, opened_amount = ?, route = ?, "
                                  "route_reason = ?", (_stored(current.notice_date), money_text(current.opened_amount),
                                   _stored(current.route), current.route_reason))
            write_adjustments(self.conn, list(update.adjustments))
            self.conn.executemany("UPDATE service_lines SET paid = ? WHERE line_number = ?",
                                  [(money_text(paid), number) for number, paid in update.lines_paid])
            if update.warnings:
                known = json.loads(self.conn.execute("SELECT warnings FROM case_info").fetchone()[0])
                self.conn.execute("UPDATE case_info SET warnings = ?", (json.dumps(known + list(update.warnings)),))
            self.conn.execute("UPDATE claim SET payer_claim_number = ?, status_code = ?, paid = ?",
                              (update.seen.payer_claim_number, update.seen.status_code, money_text(update.seen.paid)))
            self.conn.execute("UPDATE case_info SET recovered = ?", (money_text(update.recovered),))
            if update.status is not None:
                self.conn.execute("UPDATE case_info SET status = ?", (update.status.value,))
            if update.decision is not None:  # its money is in `recovered` above already
                insert_decision(self.conn, replace(update.decision, by=actor))
        return Changes(case_path=self.path, worklist=True, activity=True,
                       fields=frozenset({"case.status", "case.route"}))

    # -- undo ---------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return self._journal is not None and self._journal.top() is not None

    def undo_description(self) -> str:
        """What Ctrl+Z would take back ("Undo: Call logged with Novitas"), or "" when nothing."""
        step = self._journal.top() if self._journal is not None else None
        return f"Undo: {step.message}" if step is not None else ""

    def undo(self, *, actor: str) -> Changes:
        """Take back the last action done in this case by this program, whichever connection did
        it; refused when the file was changed elsewhere since. The undo is logged, not journalled."""
        journal = self._journal
        if journal is None or journal.top() is None:
            return Changes(case_path=self.path)
        # a document taken back is overwritten like a removed one: it may be the wrong patient's
        self.conn.execute("PRAGMA secure_delete=ON")
        try:
            with _Change(self, actor, "undo", "", taking_back=True) as change:
                change.undoing = self._take_back(journal)
                change.message = f"Undone: {change.undoing.message}"
        except _Unchanged:
            return Changes(case_path=self.path)
        return self._undo_changes(change.undoing)

    def _take_back(self, journal: UndoJournal) -> UndoStep:
        """Inside the undo's transaction (so no other writer moves the file meanwhile)."""
        with journal.lock:
            step = journal.top()
            if step is None:
                raise _Unchanged
            if self.revision() != journal.revision:
                journal.clear()
                raise StaleEdit(_UNDO_STALE)
            if step.maker not in (None, self._member):
                raise StaleEdit(_UNDO_ELSEWHERE)
            try:
                undo_journal.take_back(self.conn, step)
            except SQLiteError as error:
                journal.clear()
                raise UserError(f"\"{step.message}\" could not be undone ({error}); nothing was changed.") from None
            return step

    def _undo_changes(self, step: UndoStep) -> Changes:
        fields = frozenset(key for key, (table, column, _where) in _FIELD_COLUMNS.items()
                           if (table, column) in step.columns)
        return Changes(case_path=self.path, fields=fields, worklist=bool(step.tables & _WORKLIST_TABLES),
                       activity=True, notes="notes" in step.tables)

    def _prepare_journal(self) -> None:
        """This connection's temp triggers, made before its first change (outside a transaction)."""
        if not self._journal_ready:
            try:
                undo_journal.install(self.conn)
            except SQLiteError as error:
                raise translate(error, self.path) from None
            self._journal_ready = True


class _Unchanged(Exception):
    """Raised inside a change that turns out to change nothing: roll back, log nothing."""


def _shown(value: Any) -> str:
    text = getattr(value, "label", None) or _stored(value)
    return str(text) if text not in (None, "") else "(none)"


class _Change:
    """One user action: an IMMEDIATE transaction, an activity entry, a revision bump and one undo
    step (recorded by the undo journal's triggers while it runs). `undoing` is set by an undo,
    which is logged but not itself journalled."""

    def __init__(self, case_file: CaseFile, actor: str, kind: str, message: str, *, undoable: bool = True,
                 taking_back: bool = False) -> None:
        self.case_file, self.actor, self.kind, self.message = case_file, actor, kind, message
        self.undoable = undoable
        self.undoing: UndoStep | None = None
        self._undo_kind = taking_back  # an undo: not recorded; its step leaves the journal
        self._outer: _Change | None = None
        self._before = 0
        self._transaction: contextlib.AbstractContextManager | None = None

    def __enter__(self) -> _Change:
        case_file = self.case_file
        if case_file.read_only:
            raise ReadOnly(f"{case_file.path.name} is in a read-only folder; "
                           "copy the workspace somewhere writable to make changes.")
        if case_file._open_change is not None:  # part of a larger action: one transaction, one undo step
            self._outer = case_file._open_change
            self._outer.undoable = self._outer.undoable and self.undoable
            try:
                case_file.conn.execute("SAVEPOINT inner_change")
            except SQLiteError as error:
                raise translate(error, case_file.path) from None
            case_file._open_change = self
            return self
        if not self._undo_kind:
            case_file._prepare_journal()
        self._transaction = write_transaction(case_file.conn, case_file.path)
        self._transaction.__enter__()
        try:
            self._before = case_file.revision()
            if not self._undo_kind:
                undo_journal.start(case_file.conn)
        except BaseException:
            if not self._transaction.__exit__(*sys.exc_info()):
                raise
        case_file._open_change = self
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: object) -> bool | None:
        case_file, conn = self.case_file, self.case_file.conn
        if self._outer is not None:
            case_file._open_change = self._outer
            try:
                if exc_type is None:
                    append_activity(conn, Activity(now(), self.actor, self.kind, self.message))
                    conn.execute("RELEASE inner_change")
                else:
                    conn.execute("ROLLBACK TO inner_change")
                    conn.execute("RELEASE inner_change")
            except SQLiteError as error:
                raise translate(error, case_file.path) from None
            return None
        case_file._open_change = None
        assert self._transaction is not None
        if exc_type is not None:
            return self._transaction.__exit__(exc_type, exc, tb)
        try:
            entries = [] if self._undo_kind else undo_journal.collect(conn)
            append_activity(conn, Activity(now(), self.actor, self.kind, self.message))
            conn.execute("UPDATE case_info SET revision = revision + 1")
        except BaseException:
            if not self._transaction.__exit__(*sys.exc_info()):
                raise
            return None
        self._commit(entries)
        return None

    def _commit(self, entries: list[undo_journal.Entry]) -> None:
        """Commit, then tell the journal, under its lock so steps keep the order of the commits."""
        journal, after = self.case_file._journal, self._before + 1
        assert journal is not None and self._transaction is not None
        with journal.lock:
            self._transaction.__exit__(None, None, None)
            if self.undoing is not None:
                journal.undone(self.undoing, after=after)
                return
            barrier = not self.undoable or undo_journal.is_barrier(entries)
            step = UndoStep.of(self.message, entries, self.case_file._member) if entries else None
            journal.recorded(step, barrier=barrier, before=self._before, after=after)


def _checked(conn: sqlite3.Connection, path: Path, header: Header) -> None:
    """Refuse another program's or a newer version's encrypted file (closing its connection)."""
    try:
        check_header(path, header, application_id=CASE_APPLICATION_ID, version=CASE_SCHEMA_VERSION, what=WHAT)
    except UserError:
        conn.close()
        raise


def create_case_files(items: list[tuple[Path, Case]]) -> None:
    """Create several case files as one unit: each is built aside and fsync'd, then all are
    renamed into place and the folder is fsync'd once. If any fails, none appears."""
    for path, _case in items:
        _check_new_path(path)
    keys = {path.parent: new_file_key(path) for path, _case in items}  # asked before anything is written
    built = [(path.with_name(f".{path.name}.partial"), path) for path, _case in items]
    try:
        _build_all([(temp, case, path, keys[path.parent])
                    for (temp, path), (_p, case) in zip(built, items, strict=True)])
        for temp, path in built:
            os.replace(temp, path)
        for folder in {path.parent for _temp, path in built}:
            fsync_path(folder)
    except OSError as error:
        _discard(built)
        raise _os_error(error, built[-1][1] if built else items[0][0]) from None
    except BaseException:
        _discard(built)
        raise


def _build_all(jobs: list[tuple[Path, Case, Path, Key | None]]) -> None:
    """Build the files on a few threads: each waits mostly on the disk (file creation, fsync),
    which releases the GIL, so 1,000 new cases take about half the time (make bench)."""
    if len(jobs) < 2 * BUILD_THREADS:
        for temp, case, final, key in jobs:
            _build(temp, case, final, key)
        return
    with ThreadPoolExecutor(max_workers=BUILD_THREADS) as pool:
        for future in [pool.submit(_build, temp, case, final, key) for temp, case, final, key in jobs]:
            future.result()  # the first failure is raised once every build has stopped


def _migrated_copy(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """An older file opened read-only: read it through an in-memory copy brought up to date,
    leaving the file itself untouched."""
    if not isinstance(conn, sqlite3.Connection):  # SQLCipher's: it cannot copy into a plain memory database
        conn.close()
        raise ReadOnly(f"{path.name} is encrypted and was written by an older version; open it once where it "
                       "can be written, so it is brought up to date.")
    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    memory.row_factory = sqlite3.Row
    try:
        conn.backup(memory)
        memory.execute("BEGIN")
        migrate(memory)
        memory.execute("COMMIT")
    except SQLiteError as error:
        memory.close()
        raise translate(error, path) from None
    finally:
        conn.close()
    return memory


def _check_new_path(path: Path) -> None:
    if path.exists():
        raise UserError(f"{path.name} already exists; a new case needs a new file name.")
    if not path.parent.is_dir():
        raise UserError(f"The folder {path.parent} does not exist; the case was not created.")
    if not is_writable(path.parent):
        raise ReadOnly(f"The folder {path.parent} is read-only; the case was not created.")


def _discard(built: list[tuple[Path, Path]]) -> None:
    """Take back a failed batch: temp files and any file already renamed into place."""
    for temp, path in built:
        if temp.exists():
            temp.unlink()
        else:  # already renamed into place; _check_new_path proved the name was free
            path.unlink(missing_ok=True)


@cache
def _empty_case_image() -> bytes:
    """The bytes of an empty case file at the current schema, built once per process:
    running the migrations for every new file would cost more than writing the case."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.execute("BEGIN")
        migrate(conn)
        conn.execute("COMMIT")
        return conn.serialize()
    finally:
        conn.close()


def _build(temp: Path, case: Case, final: Path, key: Key | None) -> None:
    """Build the complete file in memory in one transaction, then write it with one write and
    fsync it before the rename makes it visible: no journal, no page-by-page writes."""
    if key is not None:
        _build_encrypted(temp, case, final, key)
        return
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        conn.deserialize(_empty_case_image())
        conn.execute("BEGIN")
        write_case(conn, case)
        conn.execute("COMMIT")
        image = conn.serialize()
    except SQLiteIntegrityError:
        raise  # an inconsistent Case (two lines numbered 1) is a bug, not a damaged file
    except SQLiteError as error:
        raise translate(error, final) from None
    finally:
        conn.close()
    _write_new(temp, image, sync=True)


def _write_new(temp: Path, image: bytes, *, sync: bool) -> None:
    """A new file holding `image`, written with one write (and fsync'd when asked)."""
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(image)
        while view:
            view = view[os.write(descriptor, view):]
        if sync:
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _build_encrypted(temp: Path, case: Case, final: Path, key: Key) -> None:
    """An encrypted case: SQLCipher cannot build in memory, so the workspace's empty encrypted file
    is copied aside and the case written into it in one transaction (with no journal: a failed
    build is thrown away whole), then fsync'd once. Plain text never reaches the disk."""
    _write_new(temp, _empty_encrypted_image(key), sync=False)
    conn = keyed_connect(temp, key, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("BEGIN")
        write_case(conn, case)
        conn.execute("COMMIT")
    except SQLiteIntegrityError:
        raise  # an inconsistent Case is a bug, not a damaged file
    except SQLiteError as error:
        raise translate(error, final) from None
    finally:
        conn.close()
    fsync_path(temp)


_encrypted_images: dict[Key, bytes] = {}
_encrypted_images_lock = threading.Lock()


def _empty_encrypted_image(key: Key) -> bytes:
    """An empty case file at the current schema, encrypted with `key`: built once per key and session."""
    with _encrypted_images_lock:
        if key not in _encrypted_images:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"empty{CASE_SUFFIX}"
                conn = keyed_connect(path, key, isolation_level=None)
                try:
                    conn.execute("BEGIN")
                    migrate(conn)
                    conn.execute("COMMIT")
                finally:
                    conn.close()
                _encrypted_images[key] = path.read_bytes()
        return _encrypted_images[key]


def _os_error(error: OSError, path: Path) -> UserError:
    if error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return DiskFull(f"The disk is full, so {path.name} was not created; free some space and try again.")
    return ReadOnly(f"{path.name} could not be written ({error.strerror}); check the folder's permissions.")
