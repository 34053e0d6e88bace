"""A whole workspace backed up into a folder, and restored from one.

`back_up_workspace` copies workspace.sqlite and every case file with SQLite's backup API (each
copy is consistent even while a window edits the case), checks each copy (SQLite's checks and
ours), copies the practice's templates, and writes `manifest.json` last: every file's relative
path, size and SHA-256, the program's version and the time. A folder without a manifest is an
unfinished backup. `restore_files` verifies every file against the manifest before it writes
anything, then copies them into an empty folder, checking each byte stream again as it goes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from workstation.casefile.case_file import CASE_SUFFIX
from workstation.casefile.case_file import WHAT as CASE_WHAT
from workstation.casefile.encryption import MARKER, SQLiteDatabaseError, is_encrypted_workspace
from workstation.casefile.schema import CASE_APPLICATION_ID, CASE_SCHEMA_VERSION
from workstation.casefile.schema_check import case_problems, workspace_problems
from workstation.casefile.sqlite_file import (
    check_header,
    connect,
    fsync_path,
    new_copy_of,
    read_header,
    recover_interrupted,
)
from workstation.casefile.workspace import WORKSPACE_DB, Workspace
from workstation.core.errors import DiskFull, UserError

MANIFEST = "manifest.json"  # named apart from encryption.MARKER: both sit at the top of a backup
FORMAT = "appeal-workstation-backup"
FORMAT_VERSION = 1
CHUNK = 1 << 20
FLUSH_THREADS = 2

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BackedUpFile:
    """One file of a backup: where it goes in a workspace, its size and SHA-256, and what the
    checks found when it was backed up (empty: sound)."""

    path: str  # relative, with forward slashes: "workspace.sqlite", "cases/2026-03-1a2b3c4d.appeal"
    size: int
    sha256: str
    problems: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        top = PurePosixPath(self.path).parts[0]
        return {"cases": "case", "templates": "template"}.get(top, "workspace")

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "kind": self.kind, "size": self.size, "sha256": self.sha256,
                "problems": list(self.problems)}


@dataclass(frozen=True)
class Manifest:
    """What `manifest.json` says."""

    program_version: str
    created_at: str
    files: list[BackedUpFile] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return sum(1 for f in self.files if f.kind == "case")

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def damaged(self) -> list[BackedUpFile]:
        return [f for f in self.files if f.problems]

    def to_json(self) -> dict[str, object]:
        return {"format": FORMAT, "format_version": FORMAT_VERSION, "program_version": self.program_version,
                "created_at": self.created_at, "files": [f.to_json() for f in self.files]}


# -- backing up -------------------------------------------------------------------------------------

def back_up_workspace(workspace: Workspace, dest: Path, *, program_version: str,
                      progress: Progress | None = None) -> Manifest:
    """Copy the workspace into the empty folder `dest` (made if missing); the manifest comes last."""
    cases = sorted(workspace.cases_dir.glob(f"*{CASE_SUFFIX}"))
    total, files = len(cases) + 1, []
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "cases").mkdir(exist_ok=True)
    try:
        if is_encrypted_workspace(workspace.root):  # the marker: the restored workspace is encrypted too
            files.append(_copy_plain(workspace.root / MARKER, dest, MARKER))
        files.append(_copy_workspace_db(workspace, dest / WORKSPACE_DB))
        for done, case in enumerate(cases, start=2):
            files.append(_copy_case(case, dest / "cases" / case.name))
            if progress and (done % 100 == 0 or done == total):
                progress(done, total)
        files += [_copy_plain(source, dest, relative) for source, relative in _templates(workspace.templates_dir)]
        _flush_all([dest / f.path for f in files])
        manifest = Manifest(program_version, datetime.now().isoformat(timespec="seconds"), files)
        _write_manifest(dest, manifest)
    except OSError as error:
        raise _os_error(error, dest) from None
    return manifest


def _copy_workspace_db(workspace: Workspace, target: Path) -> BackedUpFile:
    with contextlib.closing(_new_copy(workspace.db_path, target)) as copy:
        workspace.conn.backup(copy)
        problems = workspace_problems(copy)
    return _entry(target, WORKSPACE_DB, problems)


def _copy_case(source: Path, target: Path) -> BackedUpFile:
    """A consistent copy through the backup API, checked; a file SQLite cannot read is copied byte
    for byte, so whatever can still be saved from it is in the backup, marked damaged. A file of a
    newer version is copied unchecked (this version cannot judge it)."""
    relative = f"cases/{source.name}"
    try:
        recover_interrupted(source)  # before the header is trusted: a crash may have left it half-written
        header = read_header(source, what=CASE_WHAT)
        newer = header.user_version > CASE_SCHEMA_VERSION
        if not newer:
            check_header(source, header, application_id=CASE_APPLICATION_ID, version=CASE_SCHEMA_VERSION,
                         what=CASE_WHAT)
        with (contextlib.closing(connect(source, read_only=True)) as conn,
              contextlib.closing(_new_copy(source, target)) as copy):
            conn.backup(copy)
            problems = [] if newer else case_problems(copy)
    except (UserError, *SQLiteDatabaseError) as error:
        target.unlink(missing_ok=True)
        shutil.copyfile(source, target)
        problems = [str(error)]
    return _entry(target, relative, problems)


def _new_copy(source: Path, target: Path) -> sqlite3.Connection:
    """The connection a copy is written through: a new file with no journal and no syncs of its
    own (until the manifest names it, it is nothing); it is fsync'd once, whole, afterwards. An
    encrypted file's copy is encrypted with the same key."""
    copy = new_copy_of(source, target)
    copy.execute("PRAGMA journal_mode=OFF")
    copy.execute("PRAGMA synchronous=OFF")
    return copy


def _copy_plain(source: Path, dest: Path, relative: str) -> BackedUpFile:
    target = dest / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return _entry(target, relative, [])


def _templates(folder: Path) -> Iterator[tuple[Path, str]]:
    """The practice's own templates: regular files only (a link is not the practice's to copy)."""
    if not folder.is_dir():
        return
    for top, folders, names in os.walk(folder):  # os.walk does not follow links to folders
        folders.sort()
        for name in sorted(names):
            source = Path(top) / name
            if source.is_file() and not source.is_symlink():
                yield source, f"templates/{source.relative_to(folder).as_posix()}"


def _flush_all(paths: list[Path]) -> None:
    """fsync every copy, then their folders, before the manifest may name them. The syncs wait on
    the disk, not the processor, so a few threads let the file system batch them (make bench)."""
    with ThreadPoolExecutor(max_workers=FLUSH_THREADS) as pool:
        list(pool.map(fsync_path, paths))
    for folder in sorted({path.parent for path in paths}):
        fsync_path(folder)


def _entry(target: Path, relative: str, problems: list[str]) -> BackedUpFile:
    size, digest = file_digest(target)
    return BackedUpFile(relative, size, digest, tuple(problems))


def _write_manifest(dest: Path, manifest: Manifest) -> None:
    partial = dest / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    fsync_path(partial)
    os.replace(partial, dest / MANIFEST)
    fsync_path(dest)


def file_digest(path: Path) -> tuple[int, str]:
    """A file's size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _os_error(error: OSError, dest: Path) -> UserError:
    if error.errno in (28, 27, 122):  # ENOSPC, EFBIG, EDQUOT
        return DiskFull(f"The disk holding {dest} is full, so the backup is unfinished (it has no manifest); "
                        "free some space or choose another place, and back up again.")
    return UserError(f"The backup could not be written to {dest} ({error.strerror}); "
                     "choose a folder you can write to. What was written has no manifest, so it is not a backup.")


# -- restoring --------------------------------------------------------------------------------------

def read_manifest(backup: Path) -> Manifest:
    """The manifest of a finished backup; refused with a sentence when missing or unreadable."""
    path = backup / MANIFEST
    if not path.is_file():
        raise UserError(f"{backup} has no {MANIFEST}, so it is not a finished backup (`workstation backup` "
                        "writes it last); nothing was restored.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or not isinstance(data.get("format_version"), int):
            raise ValueError("not our format")
        if data["format_version"] > FORMAT_VERSION:
            raise UserError(f"The backup in {backup} was made by a newer version of the Appeal Workstation; "
                            "update the program to restore it (nothing was restored).")
        files = [_manifest_file(entry) for entry in data["files"]]
        manifest = Manifest(str(data["program_version"]), str(data["created_at"]), files)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        raise UserError(f"{MANIFEST} in {backup} cannot be read, so the backup cannot be trusted; "
                        "nothing was restored.") from None
    if WORKSPACE_DB not in {f.path for f in files}:
        raise UserError(f"The backup in {backup} holds no {WORKSPACE_DB}, so it is incomplete; nothing was restored.")
    return manifest


def _manifest_file(entry: dict) -> BackedUpFile:
    path, size, digest = entry["path"], entry["size"], entry["sha256"]
    if not (isinstance(path, str) and isinstance(size, int) and isinstance(digest, str) and len(digest) == 64):
        raise ValueError("a file entry is malformed")
    if not _belongs_in_workspace(path):
        raise ValueError(f"{path} is not a path inside a workspace")
    return BackedUpFile(path, size, digest.lower(), tuple(str(p) for p in entry.get("problems", [])))


def _belongs_in_workspace(path: str) -> bool:
    """workspace.sqlite, cases/NAME.appeal or templates/...: never absolute, never `..`."""
    parts = PurePosixPath(path).parts
    if path.startswith("/") or "\\" in path or ".." in parts or not parts:
        return False
    if parts in ((WORKSPACE_DB,), (MARKER,)):
        return True
    if parts[0] == "cases":
        return len(parts) == 2 and parts[1].endswith(CASE_SUFFIX) and not parts[1].startswith(".")
    return parts[0] == "templates" and len(parts) >= 2


def verify_backup(backup: Path) -> Manifest:
    """Every file the manifest names is present with its size and SHA-256, or the first that is
    not is named; nothing is written."""
    manifest = read_manifest(backup)
    for entry in manifest.files:
        source = backup / entry.path
        if not source.is_file():
            raise UserError(f"{entry.path} is missing from the backup in {backup}, so the backup is incomplete; "
                            "nothing was restored.")
        if file_digest(source) != (entry.size, entry.sha256):
            raise UserError(_changed(entry, backup))
    return manifest


def _changed(entry: BackedUpFile, backup: Path) -> str:
    return (f"{entry.path} in the backup in {backup} does not match its manifest (its SHA-256 differs: it was "
            "damaged or changed after the backup was made); nothing was restored.")


def restore_files(backup: Path, manifest: Manifest, dest: Path) -> None:
    """Copy a verified backup into the empty folder `dest`, hashing each file again as it is copied;
    on any failure everything written is removed again, leaving `dest` as empty as it was."""
    try:
        for folder in ("cases", "templates", "backups"):
            (dest / folder).mkdir(parents=True, exist_ok=True)
        for entry in manifest.files:
            _copy_verified(backup / entry.path, dest / entry.path, entry, backup)
        _flush_all([dest / entry.path for entry in manifest.files])
    except BaseException as error:
        _empty(dest)
        if isinstance(error, OSError):
            raise UserError(f"The backup could not be restored into {dest} ({error.strerror}); nothing was "
                            "kept there. Choose an empty folder on a disk with room.") from None
        raise


def _copy_verified(source: Path, target: Path, entry: BackedUpFile, backup: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as reading, target.open("xb") as writing:
        while chunk := reading.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            writing.write(chunk)
    if (size, digest.hexdigest()) != (entry.size, entry.sha256):
        raise UserError(_changed(entry, backup))


def _empty(dest: Path) -> None:
    for child in dest.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
