"""index.sqlite: a disposable cache of the worklist rows, rebuilt whenever missing or damaged.

A rescan compares each case file's size and modification time with what the index saw, and
re-reads only the files that changed, so 10,000 unchanged cases rescan in a blink.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from workstation.casefile import encryption
from workstation.casefile.case_file import CASE_SUFFIX, CaseFile
from workstation.casefile.encryption import (
    SQLiteDatabaseError,
    SQLiteError,
    SQLiteOperationalError,
    keyed_connect,
)
from workstation.casefile.schema import run_script
from workstation.casefile.sqlite_file import translate
from workstation.core.codebook import CodeBook, codebook
from workstation.core.dates import iso
from workstation.core.deadlines import Deadline, DeadlineFacts, facts_from_json, facts_to_json
from workstation.core.errors import DiskFull, ReadOnly, UserError
from workstation.core.money import money_text
from workstation.core.summary import CaseSummary, summarize

log = logging.getLogger(__name__)

INDEX_APPLICATION_ID = 0x41505749  # "APWI"
INDEX_VERSION = 6  # 6: the deadline facts carry what the decisions recovered (the reports)
_BATCH = 250
#: What a cached value that is not as we wrote it raises when read (Decimal, JSON, dates, enums).
#: what a cached value changed behind our back raises (RecursionError: JSON nested past Python's limit)
_CACHE_DAMAGE = (ArithmeticError, ValueError, KeyError, TypeError, IndexError, RecursionError)

_SCHEMA = """
CREATE TABLE cases (
    file TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    case_id TEXT, patient TEXT, payer TEXT, claim_number TEXT, account_number TEXT,
    status TEXT, route TEXT, amount_at_stake TEXT, reasons TEXT, reason_text TEXT,
    assignee TEXT, notice_date TEXT, created TEXT, problem TEXT, claim_key TEXT,
    review_done INTEGER, review_total INTEGER, payer_id TEXT, payer_kind TEXT, facts TEXT
);
CREATE INDEX cases_by_claim ON cases (claim_key);
"""
_COLUMNS = ("file", "size", "mtime_ns", "case_id", "patient", "payer", "claim_number",
            "account_number", "status", "route", "amount_at_stake", "reasons", "reason_text",
            "assignee", "notice_date", "created", "problem", "claim_key", "review_done", "review_total",
            "payer_id", "payer_kind", "facts")

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
#: A row's deadline from its facts, payer ID, payer name and payer kind (ops knows the ladders).
DeadlineOf = Callable[[DeadlineFacts, str, str, str], Deadline | None]


@dataclass(frozen=True)
class RescanResult:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    problems: int = 0
    cancelled: bool = False


def summary_of_file(path: Path, book: CodeBook) -> CaseSummary:
    """A worklist row for one file; a file we cannot read becomes a row saying why."""
    try:
        with CaseFile.open(path, read_only=True) as case_file:
            return summarize(path, case_file.load(), book)
    except UserError as error:
        return CaseSummary(path=path, problem=str(error))


class CaseIndex:
    """The worklist cache for one workspace; in memory when the workspace is read-only."""

    def __init__(self, cases_dir: Path, index_path: Path | None) -> None:
        self.cases_dir = cases_dir
        self.conn = _open_index(index_path)

    def close(self) -> None:
        self.conn.close()

    def rows(self, *, deadline: DeadlineOf | None = None) -> list[CaseSummary]:
        """Every case in the index, in file-name order; with `deadline`, each row's deadline is
        computed as the row is read (one object per row, not a copy made afterwards)."""
        found = self.conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM cases ORDER BY file").fetchall()
        shared = _SharedValues()
        try:
            return [self._summary(row, deadline, shared) for row in found]
        except _CACHE_DAMAGE:  # a value changed behind our back: those rows are read again from their files
            return [summary for row in found if (summary := self._row_or_reread(row, deadline)) is not None]

    def _row_or_reread(self, row: tuple, deadline: DeadlineOf | None) -> CaseSummary | None:
        """A cached row; one whose values cannot be read is replaced by its case file's (None: the file is gone)."""
        try:
            return self._summary(row, deadline)
        except _CACHE_DAMAGE:
            path = self.cases_dir / row[0]
            log.warning("the worklist cache's row for %s could not be read; the case file is read again", path.name)
            if not path.exists():
                return None
            summary = self.refresh(path)
            if deadline is None or summary.facts is None:
                return summary
            return replace(summary, deadline=deadline(summary.facts, summary.payer_id, summary.payer,
                                                      summary.payer_kind))

    def _summary(self, row: tuple, deadline: DeadlineOf | None = None,
                 shared: _SharedValues | None = None) -> CaseSummary:
        (file, _size, _mtime, case_id, patient, payer, claim_number, account_number, status, route, amount,
         reasons, reason_text, assignee, notice_date, created, problem, claim_key, review_done, review_total,
         payer_id, payer_kind, facts_text) = row
        shared = shared or _SharedValues()
        facts = shared.facts(facts_text) if facts_text else None
        return CaseSummary(
            path=self.cases_dir / file, case_id=case_id or "", patient=patient or "", payer=payer or "",
            claim_number=claim_number or "", account_number=account_number or "", status=status or "",
            route=route or "", amount_at_stake=Decimal(amount or "0.00"),
            reasons=shared.reasons(reasons) if reasons else (), reason_text=reason_text or "",
            assignee=assignee or "", notice_date=_day(notice_date), created=_day(created), problem=problem or "",
            claim_key=claim_key or "", review_done=review_done or 0, review_total=review_total or 0,
            payer_id=payer_id or "", payer_kind=payer_kind or "", facts=facts,
            deadline=deadline(facts, payer_id or "", payer or "", payer_kind or "") if deadline and facts else None,
        )

    def row(self, path: Path) -> CaseSummary | None:
        """The stored row of one case file, if the index has it."""
        cursor = self.conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM cases WHERE file = ?", (path.name,))
        found = cursor.fetchone()
        return self._row_or_reread(found, None) if found else None

    def paths_by_claim(self) -> dict[str, list[Path]]:
        """Claim identity -> case files, for matching a remittance's claims to existing cases."""
        found: dict[str, list[Path]] = {}
        for key, name in self.conn.execute("SELECT claim_key, file FROM cases WHERE claim_key != '' ORDER BY file"):
            found.setdefault(key, []).append(self.cases_dir / name)
        return found

    def unreadable(self) -> list[tuple[Path, str]]:
        """Case files that could not be read at the last rescan, with the sentence saying why."""
        return [(self.cases_dir / name, problem) for name, problem in
                self.conn.execute("SELECT file, problem FROM cases WHERE problem != '' ORDER BY file")]

    def store(self, items: list[tuple[Path, CaseSummary]]) -> None:
        """Store rows for files just written (no need to read them back)."""
        self._store([(summary, *_signature(path)) for path, summary in items])

    def refresh(self, path: Path, book: CodeBook | None = None) -> CaseSummary:
        """Re-read one case file (after an edit) and store its row."""
        summary = summary_of_file(path, book or codebook())
        stat = path.stat()
        self._store([(summary, stat.st_size, stat.st_mtime_ns)])
        return summary

    def rescan(self, *, progress: Progress | None = None, cancelled: Cancelled | None = None) -> RescanResult:
        """Bring the index in line with the files in cases/ (added, removed, changed)."""
        on_disk = _case_files(self.cases_dir)
        known = {f: (s, m) for f, s, m in self.conn.execute("SELECT file, size, mtime_ns FROM cases")}
        removed = [f for f in known if f not in on_disk]
        stale = [f for f, sig in on_disk.items() if known.get(f) != sig]
        self._write("DELETE FROM cases WHERE file = ?", [(f,) for f in removed])
        book, done, problems = codebook(), 0, 0
        for start in range(0, len(stale), _BATCH):
            if cancelled and cancelled():
                break
            batch = stale[start:start + _BATCH]
            summaries = [(summary_of_file(self.cases_dir / f, book), *on_disk[f]) for f in batch]
            problems += sum(1 for s, _, _ in summaries if s.problem)
            self._store(summaries)
            done += len(batch)
            if progress:
                progress(done, len(stale))
        return RescanResult(added=sum(1 for f in stale[:done] if f not in known),
                            changed=sum(1 for f in stale[:done] if f in known), removed=len(removed),
                            unchanged=len(on_disk) - len(stale), problems=problems,
                            cancelled=done < len(stale))

    def _store(self, items: list[tuple[CaseSummary, int, int]]) -> None:
        rows = [_row(summary, size, mtime) for summary, size, mtime in items]
        placeholders = ", ".join("?" for _ in _COLUMNS)
        self._write(f"INSERT OR REPLACE INTO cases ({', '.join(_COLUMNS)}) VALUES ({placeholders})", rows)

    def _write(self, sql: str, rows: list[tuple]) -> None:
        """One write to the cache. When index.sqlite cannot take it (a full disk, a file made
        read-only), the cache moves to memory for the rest of the session: the worklist still works."""
        try:
            with self.conn:
                self.conn.executemany(sql, rows)
        except SQLiteOperationalError as error:
            if not _cannot_write(error):
                raise
            log.warning("index.sqlite cannot be written (%s); the worklist is kept in memory this time", error)
            self.conn = _memory_copy(self.conn)
            with self.conn:
                self.conn.executemany(sql, rows)


def _row(s: CaseSummary, size: int, mtime_ns: int) -> tuple:
    return (s.path.name, size, mtime_ns, s.case_id, s.patient, s.payer, s.claim_number,
            s.account_number, s.status, s.route, money_text(s.amount_at_stake),
            json.dumps(list(s.reasons)), s.reason_text, s.assignee, iso(s.notice_date),
            iso(s.created), s.problem, s.claim_key, s.review_done, s.review_total,
            s.payer_id, s.payer_kind, facts_to_json(s.facts) if s.facts else None)


def _day(text: str | None) -> date | None:
    """A date as the index stores it (ISO, written by `iso`): fromisoformat is many times faster
    than parse_date's strptime, which matters for 10,000 rows at start-up."""
    return date.fromisoformat(text) if text else None


def _facts(text: str) -> DeadlineFacts:
    return facts_from_json(text, _day)


class _SharedValues:
    """Values read once per pass over the rows: the cases of one remittance share their reasons'
    text and often their deadline facts' (read on every start of the window, 10,000 rows)."""

    def __init__(self) -> None:
        self._facts: dict[str, DeadlineFacts] = {}
        self._reasons: dict[str, tuple[str, ...]] = {}

    def facts(self, text: str) -> DeadlineFacts:
        found = self._facts.get(text)
        if found is None:
            found = self._facts[text] = _facts(text)
        return found

    def reasons(self, text: str) -> tuple[str, ...]:
        found = self._reasons.get(text)
        if found is None:
            found = self._reasons[text] = tuple(json.loads(text))
        return found


def _signature(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _case_files(cases_dir: Path) -> dict[str, tuple[int, int]]:
    """Every *.appeal file in cases/ with its (size, mtime_ns) signature."""
    found: dict[str, tuple[int, int]] = {}
    with os.scandir(cases_dir) as entries:
        for entry in entries:
            if entry.name.endswith(CASE_SUFFIX) and not entry.name.startswith("."):
                stat = entry.stat()
                found[entry.name] = (stat.st_size, stat.st_mtime_ns)
    return found


def _open_index(index_path: Path | None) -> sqlite3.Connection:
    """Open the cache, rebuilding it from nothing when it is missing, foreign or damaged."""
    if index_path is None:
        return _fresh(sqlite3.connect(":memory:", check_same_thread=False))
    if not index_path.exists():
        return _fresh_on_disk(index_path)
    try:
        conn = _connect(index_path)
        ok = conn.execute("PRAGMA application_id").fetchone()[0] == INDEX_APPLICATION_ID
        ok = ok and conn.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION
        ok = ok and conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        if ok:
            return conn
        conn.close()
        log.warning("index.sqlite is out of date or not ours; rebuilding it")
    except SQLiteDatabaseError as error:
        log.warning("index.sqlite is damaged (%s); rebuilding it", error)
    _remove(index_path)
    return _fresh_on_disk(index_path)


def _connect(index_path: Path) -> sqlite3.Connection:
    """The cache on disk: encrypted with the workspace's key when the workspace is (a plain index
    left from before fails to open with the key and is rebuilt)."""
    key = encryption.new_file_key(index_path)
    if key is None:
        return sqlite3.connect(index_path, check_same_thread=False)
    return keyed_connect(index_path, key, check_same_thread=False)


def _remove(index_path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{index_path}{suffix}").unlink(missing_ok=True)


def _fresh_on_disk(index_path: Path) -> sqlite3.Connection:
    """A new index.sqlite; in memory when the disk cannot take one (it is a cache: rebuilt next time)."""
    try:
        return _fresh(_connect(index_path))
    except SQLiteOperationalError as error:
        if not _cannot_write(error):
            raise
        log.warning("index.sqlite cannot be written (%s); the worklist is kept in memory this time", error)
        with contextlib.suppress(OSError):
            _remove(index_path)
        return _fresh(sqlite3.connect(":memory:", check_same_thread=False))


def _cannot_write(error: Exception) -> bool:
    """A full or failing disk, or a file or folder we may not write: the cache's place, not a bug."""
    return isinstance(translate(error, Path("index.sqlite")), DiskFull | ReadOnly)


def _memory_copy(conn: sqlite3.Connection) -> sqlite3.Connection:
    """The cache as it is, copied into memory (empty when even reading it fails: a rescan fills it)."""
    memory = sqlite3.connect(":memory:", check_same_thread=False)
    try:
        conn.backup(memory)
    except SQLiteError:
        memory.close()
        memory = _fresh(sqlite3.connect(":memory:", check_same_thread=False))
    conn.close()
    return memory


def _fresh(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute("PRAGMA synchronous=NORMAL")  # a cache: losing the last write costs a rescan
    with conn:
        run_script(conn, _SCHEMA)
        conn.execute(f"PRAGMA application_id={INDEX_APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version={INDEX_VERSION}")
    return conn
