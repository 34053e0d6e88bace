"""Opening our SQLite files safely: header checks before SQLite sees them, durable writes,
and SQLite's errors turned into sentences a biller can act on."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from workstation.casefile import encryption
from workstation.casefile.encryption import SQLiteError
from workstation.core.errors import (
    CaseInUse,
    DamagedCaseFile,
    DiskFull,
    NewerCaseFile,
    NotACaseFile,
    ReadOnly,
)

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class Header:
    """The parts of a SQLite file header we check before opening it."""

    page_size: int
    page_count: int
    user_version: int
    application_id: int


def read_header(path: Path, *, what: str) -> Header:
    """Parse the 100-byte header; refuse files that are not SQLite or are cut short."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(100)
        size = path.stat().st_size
    except FileNotFoundError:
        raise NotACaseFile(f"{path.name} does not exist; check the path.") from None
    except IsADirectoryError:
        raise NotACaseFile(f"{path.name} is a folder, not {what}; check the path.") from None
    except PermissionError:
        raise ReadOnly(f"{path.name} cannot be read: you have no permission to open it.") from None
    if len(raw) >= 100 and not raw.startswith(SQLITE_MAGIC) and encryption.existing_file_key(path) is not None:
        return _encrypted_header(path, size)
    if len(raw) < 100 or not raw.startswith(SQLITE_MAGIC):
        raise NotACaseFile(f"{path.name} is not {what}: it is empty or another kind of file.")
    page_size = int.from_bytes(raw[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    header = Header(
        page_size=page_size,
        page_count=int.from_bytes(raw[28:32], "big"),
        user_version=int.from_bytes(raw[60:64], "big"),
        application_id=int.from_bytes(raw[68:72], "big"),
    )
    if header.page_count and size < header.page_size * header.page_count:
        raise DamagedCaseFile(
            f"{path.name} is cut short (truncated, perhaps by an interrupted copy); "
            "restore it from a backup or copy it again from where it came from."
        )
    return header


_CUT_SHORT = ("{name} is cut short (truncated, perhaps by an interrupted copy); "
              "restore it from a backup or copy it again from where it came from.")


def _encrypted_header(path: Path, size: int) -> Header:
    """An encrypted file's header is inside its first page: read it with the key (asked for
    when this session does not hold it; a wrong passphrase is refused here, before any write)."""
    conn, header = connect_encrypted(path, read_only=True, size=size)
    conn.close()
    return header


def connect_encrypted(path: Path, *, read_only: bool, size: int | None = None) -> tuple[sqlite3.Connection, Header]:
    """An encrypted file's connection and its header, read through it (one connection, not two:
    SQLCipher's setup is the dearer part of an opening)."""
    size = path.stat().st_size if size is None else size
    if size % encryption.PAGE_SIZE:
        raise DamagedCaseFile(_CUT_SHORT.format(name=path.name))
    conn = connect(path, read_only=read_only)
    try:
        values = [int(value) for value in conn.execute(
            "SELECT * FROM pragma_page_count(), pragma_user_version(), pragma_application_id()").fetchone()]
    except SQLiteError as error:
        conn.close()
        raise translate(error, path) from None
    if size < values[0] * encryption.PAGE_SIZE:
        conn.close()
        raise DamagedCaseFile(_CUT_SHORT.format(name=path.name))
    return conn, Header(page_size=encryption.PAGE_SIZE, page_count=values[0], user_version=values[1],
                        application_id=values[2])


def is_encrypted_file(path: Path) -> bool:
    """Whether a file of ours is encrypted (no readable SQLite header, the shape of SQLCipher's)."""
    return encryption.is_encrypted_file(path)


def check_header(path: Path, header: Header, *, application_id: int, version: int, what: str) -> None:
    """Refuse another program's file or a newer version's, before anything touches it."""
    if header.application_id != application_id:
        raise NotACaseFile(f"{path.name} is a database of another program, not {what}.")
    if header.user_version > version:
        raise NewerCaseFile(
            f"{path.name} was written by a newer version of the Appeal Workstation; "
            "update the program to open it (the file was left untouched)."
        )


def is_writable(path: Path) -> bool:
    """Whether we should write to this file or folder (honours read-only bits even for root)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    has_write_bit = bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return has_write_bit and os.access(path, os.W_OK)


def recover_interrupted(path: Path) -> bool:
    """Roll back a change a crash left half-done (a hot journal beside the file): only a writer
    may, and until then a reader sees nothing. Returns whether a change was undone; a case file
    then says so in its activity log. In a read-only folder it cannot be done: say so."""
    real = path.resolve()  # SQLite keeps the journal beside the real file, not beside a link to it
    if not _has_header(Path(f"{real}-journal")):
        return False
    probe = _reader(path)  # SQLite's own test: a live writer's journal is not hot
    if probe is not None:
        probe.close()
        return False
    if not (is_writable(real) and is_writable(real.parent)):
        raise ReadOnly(_INTERRUPTED_READ_ONLY.format(name=path.name))
    conn = _writer(path)
    try:
        conn.execute("BEGIN IMMEDIATE")  # the rollback happens here, under SQLite's exclusive lock
        _note_interrupted(conn, path)
    except SQLiteError as error:
        raise translate(error, path) from None
    finally:
        conn.close()
    return True


_INTERRUPTED_READ_ONLY = ("{name} was interrupted while being changed (its journal file is beside it) and its "
                          "folder is read-only, so it cannot be repaired here; open it where you can write.")
#: The activity entry a case file gets when a change a crash interrupted is rolled back.
INTERRUPTED_KIND = "interrupted"
INTERRUPTED_MESSAGE = ("The last change to this case was interrupted (the program stopped before it finished) "
                       "and has been undone; check the case and make that change again.")
_SQLITE_READONLY_ROLLBACK = 776  # a reader met a hot journal it may not roll back


def _has_header(journal: Path) -> bool:
    """A journal SQLite might roll back: present, its header not zeroed (the cheap test first)."""
    try:
        with journal.open("rb") as handle:
            return handle.read(1) not in (b"", b"\x00")
    except OSError:
        return False


def _note_interrupted(conn: sqlite3.Connection, path: Path) -> None:
    """Inside the transaction that rolled it back: in a case file, record that its last change was
    undone, once (a second crash before any new change says the same), and bump the revision so
    open windows re-read. The rollback is what matters: a file too damaged to take the entry is
    left to the checks."""
    from workstation.casefile.schema import CASE_APPLICATION_ID  # schema imports nothing of this module

    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] == CASE_APPLICATION_ID:
            last = conn.execute("SELECT kind FROM activity ORDER BY id DESC LIMIT 1").fetchone()
            if last is None or last[0] != INTERRUPTED_KIND:
                conn.execute("INSERT INTO activity (at, actor, kind, message) VALUES (?, ?, ?, ?)",
                             (datetime.now().replace(microsecond=0).isoformat(), "workstation", INTERRUPTED_KIND,
                              INTERRUPTED_MESSAGE))
                conn.execute("UPDATE case_info SET revision = revision + 1")
        conn.execute("COMMIT")
    except SQLiteError as error:
        _rollback(conn)
        log.warning("%s: an interrupted change was undone, but it could not be noted (%s)", path.name, error)


def _writer(path: Path) -> sqlite3.Connection:
    """A read-write connection; setting the journal mode reads the file, so damage shows here."""
    conn, key = _open(path, read_only=False)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=FULL")
    except SQLiteError as error:
        conn.close()
        raise _refused(error, path, key) from None
    if key is not None:
        encryption.proved(key)
    return conn


def _open(path: Path, *, read_only: bool) -> tuple[sqlite3.Connection, encryption.Key | None]:
    """A connection, and the key it was opened with (an encrypted file: SQLCipher; else sqlite3)."""
    key = encryption.existing_file_key(path)
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rw'}"
    try:
        if key is not None:
            return encryption.keyed_connect(uri, key, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S,
                                            check_same_thread=False), key
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S,
                               check_same_thread=False)
    except SQLiteError as error:
        raise translate(error, path) from None
    conn.row_factory = sqlite3.Row
    return conn, None


def _refused(error: Exception, path: Path, key: encryption.Key | None) -> Exception:
    """The first read of a file failed: with a key never proved right and a file SQLCipher cannot
    decrypt, the passphrase is wrong (one sentence); anything else is what `translate` says."""
    code = getattr(error, "sqlite_errorcode", None)
    if key is not None and isinstance(code, int) and code & 0xFF == _NOTADB:
        wrong = encryption.refused(key, path)
        if wrong is not None:
            return wrong
    return translate(error, path) if isinstance(error, SQLiteError) else error


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """A connection in autocommit mode (we BEGIN ourselves), rollback journal, FULL sync. A reader
    that meets a change a crash left half-done has it rolled back first (by a writer, where the
    folder allows it), so it never blames the folder for a journal."""
    if not read_only:
        return _writer(path)
    conn = _reader(path)
    if conn is None:  # a hot journal this reader may not roll back (reached through a link, say)
        recover_interrupted(path)  # says so truthfully where the folder is read-only
        conn = _reader(path)
    if conn is None:
        raise ReadOnly(_INTERRUPTED_READ_ONLY.format(name=path.name))
    return conn


def _reader(path: Path) -> sqlite3.Connection | None:
    """A read-only connection, or None when a hot journal stands in its way."""
    conn, key = _open(path, read_only=True)
    try:
        conn.execute("PRAGMA schema_version").fetchone()  # takes a read lock: meets a hot journal now
    except SQLiteError as error:
        conn.close()
        code = getattr(error, "sqlite_errorcode", None)
        # SQLCipher's module gives the primary code only: on a read-only connection's first read,
        # SQLITE_READONLY can only be the rollback of a hot journal it may not do
        if code == _SQLITE_READONLY_ROLLBACK or (key is not None and code == _READONLY):
            return None
        raise _refused(error, path, key) from None
    if key is not None:
        encryption.proved(key)
    return conn


# SQLite's primary result codes (an extended code's low byte): https://sqlite.org/rescode.html
_ERROR, _PERM, _BUSY, _LOCKED, _READONLY = 1, 3, 5, 6, 8
_IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 10, 11, 13, 14, 26


def translate(error: Exception, path: Path) -> Exception:
    """SQLite's error, told by its result code, as one sentence that says what happened and
    what to do. An error no file can cause (a misuse, a constraint our code broke) is returned
    as it is: it is a bug, and goes to the bug-report path instead of blaming the file."""
    name = path.name
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (_BUSY, _LOCKED):
        return CaseInUse(f"{name} is in use by another window or program; close it there or try again in a moment.")
    if primary in (_READONLY, _PERM):
        return ReadOnly(f"{name} is in a folder you cannot write to; copy it somewhere writable to make changes.")
    if primary == _FULL:
        return DiskFull(f"The disk is full, so {name} was not changed; free some space and try again.")
    if primary == _IOERR:  # ENOSPC surfaces as SQLITE_FULL, EFBIG/EIO as an I/O error
        return DiskFull(f"{name} could not be written (the disk is full or failing), so nothing was changed; "
                        "free some space or check the drive, then try again.")
    if primary == _CANTOPEN:
        return ReadOnly(f"{name} cannot be opened; check that the folder exists and you may read it.")
    if primary in (_CORRUPT, _NOTADB) or (primary == _ERROR and _missing_part(error)):
        return DamagedCaseFile(f"{name} is damaged ({error}); restore it from a backup.")
    return error


def _missing_part(error: Exception) -> bool:
    """A table or column our schema has is missing from the file: the file is damaged, not our SQL
    (SQLite gives both the same code, SQLITE_ERROR, so only the message tells them apart)."""
    return str(error).startswith(("no such table", "no such column", "malformed database schema"))


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """One user action = one IMMEDIATE transaction; all of it lands or none of it."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except SQLiteError as error:
        raise translate(error, path) from None
    try:
        yield conn
        conn.execute("COMMIT")
    except SQLiteError as error:
        _rollback(conn)
        raise translate(error, path) from None
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def fsync_path(path: Path) -> None:
    """Flush a file or directory to disk (directories: so a rename survives a crash)."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if path.is_dir() else os.O_RDONLY
    try:
        fd = os.open(path, flags)
    except OSError:
        return  # Windows cannot open directories; its rename is durable enough
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_blob(conn: sqlite3.Connection, table: str, column: str, row: int, *, readonly: bool = False) -> Any:
    """A BLOB opened for streaming, through either library (sqlite3's blobopen, SQLCipher's open_blob)."""
    if hasattr(conn, "blobopen"):
        return conn.blobopen(table, column, row, readonly=readonly)
    return conn.open_blob(table, column, row, readonly)


def new_copy_of(source: Path, target: Path) -> sqlite3.Connection:
    """A connection to the new file `target` for the backup API: encrypted with `source`'s key
    when `source` is encrypted (SQLCipher copies only between files of one key), else plain."""
    key = encryption.existing_file_key(source)
    if key is None:
        return sqlite3.connect(target, isolation_level=None)
    return encryption.keyed_connect(target, key, isolation_level=None)
