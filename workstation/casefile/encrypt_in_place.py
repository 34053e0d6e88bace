"""`workstation encrypt WS`: a plain workspace encrypted in place, one file at a time.

The marker goes first (so a file already encrypted is known for what it is), then each case file,
each daily copy of workspace.sqlite and workspace.sqlite itself: exported with SQLCipher into a
hidden file beside it, fsync'd, checked, and renamed over the plain file. A crash part-way leaves
every file whole, plain or encrypted, and readable as it is (a plain one without the key, an
encrypted one with it); running `encrypt` again finishes the job. The index is a cache: removed,
rebuilt encrypted at the next opening."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workstation.casefile import encryption
from workstation.casefile.case_file import CASE_SUFFIX
from workstation.casefile.encryption import Key, SQLiteError
from workstation.casefile.sqlite_file import fsync_path, is_writable, recover_interrupted, translate
from workstation.casefile.workspace import WORKSPACE_DB, import_lock_file, is_workspace, lock_acquired
from workstation.core.errors import NotAWorkspace, ReadOnly, UserError, WorkspaceBusy

Progress = Callable[[int, int], None]
_TRIES = 3  # a file changed while it was exported is exported again


@dataclass
class EncryptResult:
    """What `encrypt_workspace` did: files encrypted now, files found encrypted already, and the
    files left as they were, each with its sentence."""

    encrypted: int = 0
    already: int = 0
    left: list[str] = field(default_factory=list)


def encrypt_workspace(root: Path, passphrase: str, *, progress: Progress | None = None) -> EncryptResult:
    """Encrypt every file of the plain (or half-encrypted) workspace at `root` with `passphrase`."""
    root = Path(root)
    if not is_workspace(root):
        raise NotAWorkspace(f"{root} is not a workspace; give the workspace folder to encrypt.")
    if not (is_writable(root) and is_writable(root / "cases")):
        raise ReadOnly(f"The workspace {root} is read-only, so it cannot be encrypted; nothing was changed.")
    # a workspace encrypted part-way: its own passphrase, checked before anything is touched
    key = encryption.unlock_workspace(root, passphrase) if encryption.is_encrypted_workspace(root) else None
    lock = import_lock_file(root)
    if not lock_acquired(lock, 3):
        raise WorkspaceBusy(f"An import is running in {root}; encrypt it when the import has finished "
                            "(nothing was changed).")
    try:
        return _encrypt_all(root, key or encryption.write_marker(root, passphrase), progress)
    finally:
        lock.release()


def _encrypt_all(root: Path, key: Key, progress: Progress | None) -> EncryptResult:
    files = [*sorted((root / "cases").glob(f"*{CASE_SUFFIX}")), *sorted((root / "backups").glob("workspace-*.sqlite")),
             root / WORKSPACE_DB]
    result = EncryptResult()
    for done, path in enumerate(files, start=1):
        if path.name.startswith("."):
            continue
        try:
            if encryption.is_encrypted_file(path):
                result.already += 1
            else:
                encrypt_file(path, key)
                result.encrypted += 1
        except UserError as error:
            result.left.append(str(error))
        if progress:
            progress(done, len(files))
    for suffix in ("", "-journal"):
        Path(f"{root / 'index.sqlite'}{suffix}").unlink(missing_ok=True)  # the cache holds names: rebuilt encrypted
    return result


def encrypt_file(path: Path, key: Key) -> None:
    """One plain SQLite file encrypted: written aside, checked, renamed over the original."""
    recover_interrupted(path)  # a change a crash left half-done is undone first, as any opening does
    aside = path.with_name(f".{path.name}.partial")
    for _try in range(_TRIES):
        before = _signature(path)
        aside.unlink(missing_ok=True)
        try:
            _export(path, aside, key)
            _check(aside, key, path)
        except SQLiteError as error:
            aside.unlink(missing_ok=True)
            raise _left(translate(error, path), path) from None
        except OSError as error:
            aside.unlink(missing_ok=True)
            raise UserError(f"{path.name} could not be encrypted ({error.strerror}); it was left as it was.") from None
        if _signature(path) == before:  # nobody wrote to it meanwhile
            os.replace(aside, path)
            fsync_path(path.parent)
            return
    aside.unlink(missing_ok=True)
    raise UserError(f"{path.name} kept changing while it was being encrypted; close the window and run "
                    "`workstation encrypt` again (it was left as it was).")


def _export(path: Path, aside: Path, key: Key) -> None:
    """SQLCipher's export of the whole file (schema, rows, triggers) into `aside`, under a read
    transaction on the original, with its version and application id, then fsync'd."""
    conn = encryption.plain_cipher_connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(aside), f"x'{key.raw.hex()}{key.salt.hex()}'"))
        conn.execute("PRAGMA encrypted.journal_mode=OFF")  # a half-written aside file is thrown away
        conn.execute("BEGIN")
        conn.execute("SELECT sqlcipher_export('encrypted')").fetchall()
        for pragma in ("user_version", "application_id"):
            value = int(conn.execute(f"PRAGMA main.{pragma}").fetchone()[0])
            conn.execute(f"PRAGMA encrypted.{pragma} = {value}")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
    fsync_path(aside)


def _check(aside: Path, key: Key, path: Path) -> None:
    """The new file opens with the key and passes SQLite's quick check."""
    with contextlib.closing(encryption.keyed_connect(aside, key)) as conn:
        verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
    if verdict != "ok":
        raise UserError(f"{path.name} did not come out whole when encrypted ({verdict}); it was left as it was.")


def _left(error: Exception, path: Path) -> UserError:
    if isinstance(error, UserError):
        return UserError(f"{str(error).rstrip('.')}; {path.name} was left as it was (not encrypted).")
    return UserError(f"{path.name} could not be encrypted ({error}); it was left as it was.")


def _signature(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns
