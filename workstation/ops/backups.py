"""`workstation backup WS DEST` and `workstation restore BACKUP DEST`: a whole workspace copied
into a folder of its own (each file consistent, a manifest of SHA-256s), and brought back into an
empty folder only after every file has been verified."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workstation.casefile.backup import MANIFEST, Manifest, back_up_workspace, restore_files, verify_backup
from workstation.casefile.workspace import Workspace
from workstation.core.audit import AuditAction
from workstation.core.errors import UserError
from workstation.ops.about import version
from workstation.ops.audit import record

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BackupResult:
    """What a backup or a restore did: the folder written and the manifest it follows."""

    folder: Path
    manifest: Manifest
    restored_from: Path | None = None  # the backup, when this was a restore

    @property
    def restored(self) -> bool:
        return self.restored_from is not None

    def lines(self) -> list[str]:
        m = self.manifest
        done = "Restored" if self.restored else "Backed up"
        templates = sum(1 for f in m.files if f.kind == "template")
        return [f"{done} {len(m.files)} files ({m.cases} cases, workspace.sqlite, {templates} templates; "
                f"{_megabytes(m.size)}) {'into' if self.restored else 'to'} {self.folder}"]

    def problem_lines(self) -> list[str]:
        """One sentence per file that failed its checks when it was backed up."""
        verb = "restored as it was backed up" if self.restored else "copied as it is and marked damaged in the manifest"
        return [f"{f.path} was damaged when backed up ({'; '.join(f.problems[:3])}); it was {verb}. "
                "Restore it from an earlier backup if you have one." for f in self.manifest.damaged]

    def to_json(self) -> dict[str, object]:
        """`backup --json`: `backup`, `manifest`; `restore --json`: `workspace`, `backup`; both the rest."""
        m = self.manifest
        where: dict[str, object] = (
            {"workspace": str(self.folder.resolve()), "backup": str(self.restored_from.resolve())}
            if self.restored_from is not None else
            {"backup": str(self.folder.resolve()), "manifest": str((self.folder / MANIFEST).resolve())})
        return {**where, "program_version": m.program_version, "created_at": m.created_at, "files": len(m.files),
                "cases": m.cases, "templates": sum(1 for f in m.files if f.kind == "template"), "bytes": m.size,
                "damaged": [{"path": f.path, "problems": list(f.problems)} for f in m.damaged]}


def back_up(root: Path, dest: Path, *, progress: Progress | None = None,
            waiting: Callable[[str], None] | None = None) -> BackupResult:
    """Back up the workspace `root` into the new or empty folder `dest` (outside the workspace).
    No import runs meanwhile (it would add cases half-way); windows may go on editing."""
    root, dest = Path(root).expanduser(), Path(dest).expanduser()
    with Workspace.open(root, backup=False) as workspace:
        _check_destination(dest, "back up", inside=workspace.root, inside_words="the workspace it would back up")
        lock = contextlib.nullcontext() if workspace.read_only else workspace.import_lock(waiting=waiting)
        with lock:
            manifest = back_up_workspace(workspace, dest, program_version=version(), progress=progress)
        record(workspace, AuditAction.BACKUP, detail=f"{_files_words(manifest)} copied to a backup folder")
    return BackupResult(dest, manifest)


def restore(backup: Path, dest: Path) -> BackupResult:
    """Verify every file of `backup` against its manifest, then restore it into the new or empty
    folder `dest` and open it there (its worklist is rebuilt from the case files)."""
    backup, dest = Path(backup).expanduser(), Path(dest).expanduser()
    if not backup.is_dir():
        raise UserError(f"{backup} is not a folder; give the folder `workstation backup` wrote.")
    _check_destination(dest, "restore into", inside=backup, inside_words="the backup it would restore")
    manifest = verify_backup(backup)
    dest.mkdir(parents=True, exist_ok=True)
    restore_files(backup, manifest, dest)
    with Workspace.open(dest) as workspace:
        workspace.index.rescan()
        record(workspace, AuditAction.RESTORE,
               detail=f"{_files_words(manifest)} restored from a backup made {manifest.created_at}")
    return BackupResult(dest, manifest, restored_from=backup)


def _files_words(manifest: Manifest) -> str:
    return f"{len(manifest.files)} files ({manifest.cases} cases)"


def _check_destination(dest: Path, verb: str, *, inside: Path, inside_words: str) -> None:
    """A backup goes to a new or empty folder outside what it copies, or nowhere (one sentence)."""
    target, source = dest.resolve(), inside.resolve()
    if target == source or source in target.parents:
        raise UserError(f"{dest} is inside {inside_words}; choose a folder outside it (another disk is best).")
    if target.exists() and not target.is_dir():
        raise UserError(f"{dest} is a file; choose a new or empty folder to {verb}.")
    if target.is_dir() and any(target.iterdir()):
        raise UserError(f"{dest} is not empty; choose a new or empty folder to {verb} (nothing was written).")


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"
