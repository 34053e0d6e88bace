"""The workspace folder: cases/, workspace.sqlite (the shared truth), index.sqlite (a cache),
templates/ (the practice's own letters) and backups/ (rolling copies of workspace.sqlite)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.casefile import encryption
from workstation.casefile.audit_store import insert_entries, read_entries
from workstation.casefile.case_file import CASE_SUFFIX
from workstation.casefile.case_rows import Stored, UnreadableValue
from workstation.casefile.encryption import SQLiteDatabaseError, SQLiteError, keyed_connect
from workstation.casefile.index import CaseIndex
from workstation.casefile.ledger_store import LedgerQueries, LedgerRow, adopt, adoptions, insert_claims, read_claims
from workstation.casefile.schema_check import missing_workspace_parts, workspace_problems
from workstation.casefile.sqlite_file import (
    check_header,
    connect,
    fsync_path,
    is_writable,
    new_copy_of,
    read_header,
    write_transaction,
)
from workstation.casefile.workspace_schema import WORKSPACE_VERSION, migrate_workspace
from workstation.core.audit import AuditEntry
from workstation.core.errors import (
    DamagedCaseFile,
    DamagedWorkspace,
    NotACaseFile,
    NotAWorkspace,
    ReadOnly,
    UserError,
    WorkspaceBusy,
)
from workstation.core.ledger import LedgerClaim
from workstation.core.model import Address
from workstation.core.patterns import Adoption
from workstation.core.payer_kinds import Ladder, ladder_from_dict, ladder_to_dict
from workstation.core.settings import WorkspaceSettings
from workstation.core.vocabulary import PayerKind
from workstation.core.workspace_model import PayerEntry, PracticeProfile, User

if TYPE_CHECKING:
    from filelock import FileLock

log = logging.getLogger(__name__)

WORKSPACE_APPLICATION_ID = 0x41505753  # "APWS"
WORKSPACE_DB = "workspace.sqlite"
BACKUPS_KEPT = 7
IMPORT_LOCK = ".import.lock"
IMPORT_WAIT_SECONDS = 300.0
STALE_BACKUP_SECONDS = 600.0  # a daily copy takes well under a second: older partial files are dead
WHAT = "an Appeal Workstation workspace database"


_PRACTICE_COLUMNS = ("name", "line1", "line2", "city", "state", "zip", "phone", "fax", "npi",
                     "tin", "contact_name", "signer_name", "signer_title")


def is_workspace(root: Path) -> bool:
    return (root / WORKSPACE_DB).is_file() and (root / "cases").is_dir()


def _store_image(conn: sqlite3.Connection, name: str, data: bytes | None) -> None:
    conn.execute("DELETE FROM practice_images WHERE name = ?", (name,))
    if data:
        conn.execute("INSERT INTO practice_images (name, data) VALUES (?, ?)", (name, data))


def record_audit_at(root: Path, entries: list[AuditEntry]) -> None:
    """Append to the audit trail of the workspace at `root` without opening it whole (no cleanup,
    backup or checks): the header checked, one INSERT in one transaction, an older file migrated."""
    path = Path(root) / WORKSPACE_DB
    check_header(path, read_header(path, what=WHAT), application_id=WORKSPACE_APPLICATION_ID,
                 version=WORKSPACE_VERSION, what=WHAT)
    with contextlib.closing(connect(path, read_only=False)) as conn, write_transaction(conn, path):
        current = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if current < WORKSPACE_VERSION:
            migrate_workspace(conn, current)
        insert_entries(conn, entries)


def workspace_of_case(case_path: Path) -> Path | None:
    """The workspace holding a case file: the folder above its cases/ folder, if it is one."""
    folder = case_path.resolve().parent
    if folder.name == "cases" and is_workspace(folder.parent):
        return folder.parent
    return None


class Workspace:
    """An open workspace. `Workspace.create(root)` makes one; `Workspace.open(root)` opens it."""

    def __init__(self, root: Path, conn: sqlite3.Connection, *, read_only: bool) -> None:
        self.root = root
        self.read_only = read_only
        self.conn = conn
        self.index = CaseIndex(self.cases_dir, None if read_only else root / "index.sqlite")
        #: what opening removed: unfinished files an interrupted import or backup left behind
        self.cleaned: list[str] = []

    @property
    def cases_dir(self) -> Path:
        return self.root / "cases"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def db_path(self) -> Path:
        return self.root / WORKSPACE_DB

    # -- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def create(cls, root: Path, *, passphrase: str | None = None) -> Workspace:
        """Make an empty workspace in a new or empty folder; with a passphrase, an encrypted one
        (encryption.py: the marker first, then every file written with its key)."""
        root = Path(root)
        if is_workspace(root):
            raise NotAWorkspace(f"{root} is already a workspace; open it instead.")
        if root.exists() and not root.is_dir():
            raise NotAWorkspace(f"{root} is a file; choose a new or empty folder for a workspace.")
        if root.exists() and any(p for p in root.iterdir() if not p.name.startswith(".")):
            raise NotAWorkspace(f"{root} is not empty; choose a new or empty folder for a workspace.")
        try:
            for sub in ("cases", "templates", "backups"):
                (root / sub).mkdir(parents=True, exist_ok=True)
            key = encryption.write_marker(root, passphrase) if passphrase is not None else None
            try:
                _create_db(root / WORKSPACE_DB, key)
            except BaseException:
                (root / encryption.MARKER).unlink(missing_ok=True)
                raise
        except OSError as error:
            raise ReadOnly(f"The workspace could not be created in {root} ({error.strerror}); "
                           "choose a folder you can write to.") from None
        return cls.open(root)

    @classmethod
    def open(cls, root: Path, *, backup: bool = True, check_later: bool = False) -> Workspace:
        """Open a workspace; a damaged workspace.sqlite raises DamagedWorkspace with a backup.
        `check_later` leaves SQLite's check of every page (0.14 s over 100,000 ledger claims) to
        the caller's `quick_check(workspace.db_path)`, to run beside its own reading; a caller
        that takes it must call it before it writes or shows anything it read."""
        if check_later and backup:
            raise ValueError("a workspace is backed up only once checked")  # a bug of the caller's
        root = Path(root).expanduser()
        if root.is_file():
            raise NotAWorkspace(f"{root} is a file, not a workspace; give the workspace folder "
                                "(the one holding cases/ and workspace.sqlite).")
        if not is_workspace(root):
            raise NotAWorkspace(f"{root} is not a workspace; create one with `workstation init {root}`.")
        db_path = root / WORKSPACE_DB
        read_only = not (is_writable(root) and is_writable(db_path) and is_writable(root / "cases"))
        conn = _open_db(db_path, read_only=read_only, check=not check_later)
        workspace = cls(root, conn, read_only=read_only)
        if not read_only:
            workspace.cleaned = remove_unfinished(root)
            if backup:
                workspace._backup_daily()
        return workspace

    def close(self) -> None:
        self.index.close()
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- cases -------------------------------------------------------------------------------

    def new_case_path(self, created: date) -> Path:
        """`<year-month>-<short id>.appeal`: no patient data in the name."""
        while True:
            path = self.cases_dir / f"{created:%Y-%m}-{uuid.uuid4().hex[:8]}{CASE_SUFFIX}"
            if not path.exists():
                return path

    def require_writable(self) -> None:
        if self.read_only:
            raise ReadOnly(f"The workspace {self.root} is read-only; you can browse it, "
                           "but copy it somewhere writable to make changes.")

    # -- settings, users, practice, payers ----------------------------------------------------

    def setting(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))

    def settings(self) -> WorkspaceSettings:
        """The typed settings: the one place the settings table's text is read."""
        return WorkspaceSettings.from_stored(dict(self.conn.execute("SELECT key, value FROM settings")))

    def save_settings(self, settings: WorkspaceSettings) -> None:
        """Write every typed setting in one transaction."""
        with self._write() as conn:
            conn.executemany("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                             list(settings.stored().items()))

    def users(self) -> list[User]:
        return [User(r[0], r[1]) for r in self.conn.execute("SELECT login, display_name FROM users ORDER BY login")]

    def set_users(self, users: list[User]) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM users")
            conn.executemany("INSERT INTO users (login, display_name) VALUES (?, ?)",
                             [(u.login, u.display_name) for u in users])

    def practice(self) -> PracticeProfile:
        row = self.conn.execute(f"SELECT {', '.join(_PRACTICE_COLUMNS)} FROM practice").fetchone()
        v = dict(zip(_PRACTICE_COLUMNS, row, strict=True))
        address = Address(v.pop("line1"), v.pop("line2"), v.pop("city"), v.pop("state"), v.pop("zip"))
        return PracticeProfile(address=address, **v)

    def set_practice(self, profile: PracticeProfile, images: dict[str, bytes | None] | None = None) -> None:
        """The letterhead, and (when given) its 'logo' and 'signature' images, in one transaction."""
        a = profile.address
        values = (profile.name, a.line1, a.line2, a.city, a.state, a.zip, profile.phone,
                  profile.fax, profile.npi, profile.tin, profile.contact_name,
                  profile.signer_name, profile.signer_title)
        assignments = ", ".join(f"{c} = ?" for c in _PRACTICE_COLUMNS)
        with self._write() as conn:
            conn.execute(f"UPDATE practice SET {assignments} WHERE id = 1", values)
            for name, data in (images or {}).items():
                _store_image(conn, name, data)

    def practice_image(self, name: str) -> bytes | None:
        """The practice's 'logo' or 'signature' image, if one was chosen."""
        row = self.conn.execute("SELECT data FROM practice_images WHERE name = ?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    def set_practice_image(self, name: str, data: bytes | None) -> None:
        with self._write() as conn:
            _store_image(conn, name, data)

    def payers(self) -> list[PayerEntry]:
        """The payer directory. An entry the program cannot read (a kind it does not know, broken
        JSON: written behind its back) is left out, as an unreadable case is left out of the
        worklist: the log names its row once, never its values; `check` names it too, and
        `left_out_payer_rows` lets the command line say so."""
        entries = []
        for row in self.conn.execute("SELECT * FROM payers ORDER BY name"):
            try:
                entries.append(_payer_from(row))
            except UnreadableValue as error:
                _leave_out(self.root, row, error)
        return entries

    def payer_left_out(self, payer_id: str, name: str) -> bool:
        """Whether a directory entry left out as unreadable names this payer (by an ID it lists or its
        name): a remittance of that payer then adds no second entry beside the one to be mended."""
        wanted_id, wanted_name = payer_id.strip().upper(), name.strip().upper()
        for names, ids in self.conn.execute("SELECT name, payer_ids FROM payers WHERE id IN "
                                            "(SELECT value FROM json_each(?))",
                                            (json.dumps(sorted(_left_out.get(self.root.resolve(), ()))),)):
            try:
                listed = {str(i).strip().upper() for i in json.loads(ids)}
            except (ValueError, TypeError, RecursionError):
                listed = set()
            if (wanted_id and wanted_id in listed) or (wanted_name and str(names).strip().upper() == wanted_name):
                return True
        return False

    def add_payer(self, payer: PayerEntry) -> PayerEntry:
        with self._write() as conn:
            cursor = conn.execute(
                f"INSERT INTO payers ({', '.join(_PAYER_COLUMNS)}) VALUES ({', '.join('?' for _ in _PAYER_COLUMNS)})",
                _payer_values(payer))
        payer.id = cursor.lastrowid
        return payer

    def update_payer(self, payer: PayerEntry) -> None:
        """Save an edited directory entry (its ladder changes every open case's dates)."""
        assignments = ", ".join(f"{column} = ?" for column in _PAYER_COLUMNS)
        with self._write() as conn:
            conn.execute(f"UPDATE payers SET {assignments} WHERE id = ?", (*_payer_values(payer), payer.id))

    def remove_payer(self, payer_id: int) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM payers WHERE id = ?", (payer_id,))

    def find_payer(self, payer_id: str, name: str) -> PayerEntry | None:
        """The directory entry a remittance's payer matches, by ID first, then by name."""
        wanted_id, wanted_name = payer_id.strip().upper(), name.strip().upper()
        payers = self.payers()
        by_id = next((p for p in payers if wanted_id and wanted_id in (i.upper() for i in p.payer_ids)), None)
        return by_id or next((p for p in payers if wanted_name and p.name.strip().upper() == wanted_name), None)

    # -- remittances already imported ----------------------------------------------------------

    def imported_file(self, sha256: str) -> str | None:
        """When a file with these bytes was imported (ISO time), or None."""
        row = self.conn.execute("SELECT imported_at FROM imported_files WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def transaction_read(self, fingerprint: str) -> bool:
        """Whether a transaction with this content was imported whole before."""
        row = self.conn.execute("SELECT 1 FROM transactions_read WHERE fingerprint = ?", (fingerprint,)).fetchone()
        return row is not None

    def trace_seen(self, payer_key: str, trace_number: str) -> bool:
        """Whether an imported transaction of this payer carried this TRN02 (before or after v5)."""
        for table in ("transactions_read", "imported_transactions"):
            row = self.conn.execute(f"SELECT 1 FROM {table} WHERE payer_key = ? AND trace_number = ?",
                                    (payer_key, trace_number)).fetchone()
            if row is not None:
                return True
        return False

    @contextlib.contextmanager
    def import_lock(self, *, timeout: float = IMPORT_WAIT_SECONDS, waiting: Callable[[str], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> Iterator[None]:
        """One import at a time in a workspace, across windows and processes: identity checks
        and case creation happen under it. The second import waits (saying so), then is refused."""
        self.require_writable()
        lock = import_lock_file(self.root)
        if not lock_acquired(lock, 0):
            if waiting is not None:
                waiting("Another import into this workspace is running; waiting for it to finish.")
            deadline = time.monotonic() + timeout
            while not lock_acquired(lock, min(0.25, max(deadline - time.monotonic(), 0))):
                if cancelled is not None and cancelled():
                    raise WorkspaceBusy("The import was cancelled while another import into this workspace was "
                                        "running; nothing was imported.")
                if time.monotonic() >= deadline:
                    raise WorkspaceBusy("Another import into this workspace is still running; try again when "
                                        "it has finished (nothing was changed).")
        try:
            yield
        finally:
            lock.release()

    def record_ledger(self, claims: list[LedgerRow], *,
                      transaction_read: tuple[str, str, str, str] | None = None) -> int:
        """Add claims to the claims ledger (a claim already there is ignored) and, given, mark their
        transaction read (fingerprint, payer key, trace number, file SHA-256) in the same write:
        one commit's disk syncs per remittance transaction, not two. Returns the claims added."""
        if not claims and transaction_read is None:
            return 0
        with self._write() as conn:
            added = insert_claims(conn, claims) if claims else 0
            if transaction_read is not None:
                _mark_read(conn, *transaction_read)
            return added

    def ledger(self) -> list[LedgerClaim]:
        """Every claim in the ledger, oldest remittance first."""
        return read_claims(self.conn)

    def ledger_codes(self) -> list[tuple[str, str]]:
        """The (group, reason) pairs of the ledger's adjustments."""
        return LedgerQueries.adjustment_codes(self.conn)

    def ledger_payers(self) -> list[str]:
        return LedgerQueries.payer_names(self.conn)

    def ledger_queries(self, denying: list[str], payers: list[str] | None = None) -> LedgerQueries:
        """The report's questions to the ledger, with `denying` the codes that are denials and
        `payers` (when given) the payer names to keep."""
        return LedgerQueries(self.conn, denying, payers)

    @contextlib.contextmanager
    def ledger_reader(self, denying: list[str], payers: list[str] | None = None) -> Iterator[LedgerQueries]:
        """The same questions on a read-only connection of their own, for another thread: SQLite
        works without holding Python's lock, so the report's queries run side by side."""
        conn = connect(self.db_path, read_only=True)
        try:
            yield LedgerQueries(conn, denying, payers)
        finally:
            conn.close()

    def adopt_pattern(self, adoption: Adoption, *, by: str) -> None:
        with self._write() as conn:
            adopt(conn, adoption, by)

    def adopted_patterns(self) -> list[Adoption]:
        return adoptions(self.conn)

    def record_file(self, sha256: str, file_name: str, *, claims: int, created: int) -> None:
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO imported_files VALUES (?, ?, ?, ?, ?)",
                         (sha256, file_name, datetime.now().isoformat(timespec="seconds"), claims, created))

    # -- the audit trail ----------------------------------------------------------------------

    def record_audit(self, entries: list[AuditEntry]) -> None:
        """Append to the audit trail in one short transaction of its own."""
        with self._write() as conn:
            insert_entries(conn, entries)

    def audit_entries(self, *, case_id: str | None = None, since: date | None = None, action: str | None = None,
                      newest: int | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first, filtered by case id (or its start), day and action."""
        return read_entries(self.conn, case_id=case_id, since=since, action=action, newest=newest)

    def _write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        self.require_writable()
        return write_transaction(self.conn, self.db_path)

    # -- backups -----------------------------------------------------------------------------

    def _backup_daily(self) -> None:
        """Copy workspace.sqlite when it changed since today's copy, and only when it passes every
        check (SQLite's and ours): one copy per day, the last BACKUPS_KEPT good days kept."""
        folder = self.root / "backups"
        target = folder / f"workspace-{date.today():%Y-%m-%d}.sqlite"
        with contextlib.suppress(OSError):
            if target.stat().st_mtime_ns > self.db_path.stat().st_mtime_ns:
                return  # nothing changed since today's copy
        problems = workspace_problems(self.conn)
        if problems:  # a damaged file never replaces a good copy
            log.warning("workspace.sqlite fails its checks, so no backup was taken (%s)", "; ".join(problems[:3]))
            return
        partial = folder / f".{target.stem}.{uuid.uuid4().hex[:8]}.partial"  # two opens at once never collide
        try:
            folder.mkdir(exist_ok=True)
            with contextlib.closing(new_copy_of(self.db_path, partial)) as copy:
                self.conn.backup(copy)
            fsync_path(partial)
            os.replace(partial, target)
            fsync_path(folder)
            _rotate(folder)
        except (OSError, *SQLiteError) as error:
            partial.unlink(missing_ok=True)
            log.warning("could not back up workspace.sqlite: %s", error)


def import_lock_file(root: Path) -> FileLock:
    """The lock one import at a time holds (filelock is imported here, when a lock is wanted: 0.03 s
    of every command's start otherwise)."""
    from filelock import FileLock

    return FileLock(root / IMPORT_LOCK)


def lock_acquired(lock: FileLock, seconds: float) -> bool:
    from filelock import Timeout

    try:
        lock.acquire(timeout=seconds)
    except Timeout:
        return False
    return True


def _backups(folder: Path) -> list[Path]:
    """The daily copies, newest first."""
    return sorted(folder.glob("workspace-*.sqlite"), reverse=True)


def backup_problems(path: Path) -> list[str]:
    """Why a daily copy cannot be restored (SQLite's checks and ours); empty when it can."""
    try:
        header = read_header(path, what=WHAT)
        check_header(path, header, application_id=WORKSPACE_APPLICATION_ID, version=WORKSPACE_VERSION, what=WHAT)
        with contextlib.closing(connect(path, read_only=True)) as conn:
            return workspace_problems(conn)
    except UserError as error:
        return [str(error)]


def _rotate(folder: Path) -> None:
    """Keep every copy newer than the BACKUPS_KEPT-th good one: a bad copy never pushes a good one out."""
    backups = _backups(folder)
    if len(backups) <= BACKUPS_KEPT:
        return
    good = 0
    for number, backup in enumerate(backups):
        good += not backup_problems(backup)
        if good == BACKUPS_KEPT:
            for old in backups[number + 1:]:
                old.unlink()
            return


def latest_backup(root: Path) -> Path | None:
    """The newest daily copy that passes every check (older copies are tried when newer ones fail)."""
    return next((backup for backup in _backups(root / "backups") if not backup_problems(backup)), None)


def restore_backup(root: Path) -> Path:
    """Put the newest good backup in place of a damaged workspace.sqlite (kept aside, not deleted)."""
    backup = latest_backup(root)
    if backup is None:
        raise DamagedWorkspace(f"There is no backup of {WORKSPACE_DB} in {root / 'backups'} that passes its checks.")
    damaged = root / WORKSPACE_DB
    aside = root / f"workspace.damaged-{datetime.now():%Y%m%d-%H%M%S}.sqlite"
    # A leftover journal belongs to the damaged file: left behind, SQLite would roll it into
    # the restored backup and corrupt it (see sqlite.org/howtocorrupt.html).
    for suffix in ("-journal", "-wal", "-shm"):
        companion = Path(f"{damaged}{suffix}")
        if companion.exists():
            companion.rename(Path(f"{aside}{suffix}"))
    if damaged.exists():
        damaged.rename(aside)
    shutil.copy2(backup, damaged)
    return backup


_PAYER_COLUMNS = ("name", "kind", "payer_ids", "line1", "line2", "city", "state", "zip", "phone", "fax", "portal",
                  "needs_check", "medicaid_state", "ladder", "contracted")


def _payer_values(payer: PayerEntry) -> tuple:
    a = payer.address
    ladder = json.dumps(ladder_to_dict(payer.ladder)) if payer.ladder else None
    return (payer.name, payer.kind.value, json.dumps(payer.payer_ids), a.line1, a.line2, a.city, a.state, a.zip,
            payer.phone, payer.fax, payer.portal, int(payer.needs_check), payer.medicaid_state, ladder,
            payer.contracted if payer.contracted in ("yes", "no") else "")


def _payer_from(row: sqlite3.Row) -> PayerEntry:
    """A directory entry, read column by column as a case file's rows are (case_rows.Stored): a
    value the program never writes is UnreadableValue, naming the column, never the value."""
    r = Stored("payers", row)
    kind = r.choice("kind", PayerKind)
    return PayerEntry(
        id=r["id"], name=r["name"], kind=kind, payer_ids=r.texts("payer_ids"),
        address=Address(r["line1"], r["line2"], r["city"], r["state"], r["zip"]),
        phone=r["phone"], fax=r["fax"], portal=r["portal"], needs_check=bool(r["needs_check"]),
        medicaid_state=r["medicaid_state"], ladder=_ladder_from(r, kind), contracted=r["contracted"],
    )


def _ladder_from(row: Stored, kind: PayerKind) -> Ladder | None:
    if not row["ladder"]:
        return None
    try:
        return ladder_from_dict(kind, json.loads(row["ladder"]))
    except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError, RecursionError):
        raise UnreadableValue("the column ladder of the table payers does not hold an appeal ladder") from None


#: The directory entries left out as unreadable in this process, by workspace folder: the command
#: line says once that there were some (a process is one command), the log names each row once.
_left_out: dict[Path, set[int]] = {}


def _leave_out(root: Path, row: sqlite3.Row, error: UnreadableValue) -> None:
    rows = _left_out.setdefault(root.resolve(), set())
    if row["id"] not in rows:
        rows.add(row["id"])
        log.warning("payers, row %s: %s; the entry is left out of the payer directory (`workstation check` "
                    "names it)", row["id"], error)


def left_out_payer_rows() -> dict[Path, list[int]]:
    """The row ids of the directory entries left out as unreadable in this process, by workspace."""
    return {root: sorted(rows) for root, rows in _left_out.items() if rows}


def forget_left_out_payers() -> None:
    """A new command (or test) starts with none left out."""
    _left_out.clear()


def _create_db(path: Path, key: encryption.Key | None) -> None:
    conn = keyed_connect(path, key, isolation_level=None) if key else sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        migrate_workspace(conn, 0)
        conn.execute(f"PRAGMA application_id={WORKSPACE_APPLICATION_ID}")
        conn.execute("COMMIT")
    finally:
        conn.close()


def _mark_read(conn: sqlite3.Connection, fingerprint: str, payer_key: str, trace_number: str,
               file_sha256: str) -> None:
    """A remittance transaction recorded as applied (known by its content's fingerprint)."""
    conn.execute("INSERT OR IGNORE INTO transactions_read VALUES (?, ?, ?, ?, ?)",
                 (fingerprint, payer_key, trace_number, file_sha256, datetime.now().isoformat(timespec="seconds")))


def _open_db(path: Path, *, read_only: bool, check: bool = True) -> sqlite3.Connection:
    """Open workspace.sqlite, turning every kind of damage (a missing table or column too) into
    DamagedWorkspace, which names the newest good backup. Without `check`, the quick check of
    every page is left to `quick_check` (a file to migrate is checked here all the same)."""
    try:
        header = read_header(path, what=WHAT)
        check_header(path, header, application_id=WORKSPACE_APPLICATION_ID,
                     version=WORKSPACE_VERSION, what=WHAT)
        conn = connect(path, read_only=read_only)
        migrating = header.user_version < WORKSPACE_VERSION and not read_only
        problem = conn.execute("PRAGMA quick_check").fetchone()[0] if check or migrating else "ok"
        if problem == "ok" and migrating:
            with write_transaction(conn, path):
                migrate_workspace(conn, header.user_version)
        if problem == "ok":
            problem = "; ".join(missing_workspace_parts(conn)) or problem
        conn.execute("SELECT count(*) FROM practice JOIN settings").fetchone()
    except (NotACaseFile, DamagedCaseFile, *SQLiteDatabaseError) as error:
        raise _damaged(path, f" ({str(error).rstrip('.')})") from None
    if problem != "ok":
        conn.close()
        raise _damaged(path, f" ({problem})" if problem.startswith("the ") else "")
    return conn


def quick_check(path: Path) -> None:
    """SQLite's check of every page of workspace.sqlite, on a connection of its own (so another
    thread may run it while this one reads): DamagedWorkspace when it finds damage."""
    try:
        conn = connect(path, read_only=True)
        try:
            problem = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except SQLiteDatabaseError as error:
        raise _damaged(path, f" ({str(error).rstrip('.')})") from None
    if problem != "ok":
        raise _damaged(path, "")


def _damaged(path: Path, why: str) -> DamagedWorkspace:
    backup = latest_backup(path.parent)
    offer = (f" A backup from {backup.stem.removeprefix('workspace-')} is in {backup.parent}: "
             "open the workspace in the window to restore it."
             if backup else " There is no backup to restore; restore the folder from your own backup.")
    return DamagedWorkspace(f"{WORKSPACE_DB} in {path.parent} is damaged{why}.{offer}",
                            backup=str(backup) if backup else None)


def remove_unfinished(root: Path) -> list[str]:
    """Remove the hidden `.NAME.partial` files an interrupted import (whole cases, names and member
    IDs in them) or daily backup left behind; returns their names. Only while no import runs (a
    running import's partial files are its own), and a backup's only once it is clearly dead."""
    try:
        if not _unfinished(root):
            return []  # the usual case: no lock taken, no lock file made
        lock = import_lock_file(root)
        if not lock_acquired(lock, 0):
            return []
        try:
            removed = [leftover.name for leftover in _unfinished(root) if _removed(leftover)]
        finally:
            lock.release()
    except OSError as error:
        log.warning("could not remove unfinished files: %s", error)
        return []
    if removed:
        log.warning("removed %d unfinished files left by an interrupted import or backup", len(removed))
    return sorted(removed)


def _unfinished(root: Path) -> list[Path]:
    """Hidden partial files (`.NAME.partial`, and a journal an older program left beside one)."""
    stale = time.time() - STALE_BACKUP_SECONDS
    return [*_partials(root / "cases", None), *_partials(root / "backups", stale)]


def _partials(folder: Path, older_than: float | None) -> list[Path]:
    if not folder.is_dir():
        return []
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") and ".partial" in entry.name:
                with contextlib.suppress(FileNotFoundError):
                    if older_than is None or entry.stat().st_mtime < older_than:
                        found.append(Path(entry.path))
    return found


def _removed(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
