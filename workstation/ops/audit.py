"""The audit trail (issue 12, point 2): every opening of a case, view of a document, export, print,
letter, packet, calendar, CSV export, report, backup and restore is recorded in the workspace's
append-only `audit` table: who (the current user), when, what, which case (by id, never by name).

One place records: `record` and `record_cases`, called by the op where each thing happens. A
detail never holds a patient's name: a document is named by its id and kind, a file written by its
kind and the start of its SHA-256 (never its path: a folder or file name a biller chose may name a
patient). A case file outside a workspace has no trail; a read-only workspace cannot take one.
Recording never stops the action it records: a trail that cannot be written is logged."""

from __future__ import annotations

import hashlib
import logging
import weakref
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from workstation.casefile.audit_store import case_id_of
from workstation.casefile.case_file import CaseFile
from workstation.casefile.sqlite_file import is_writable
from workstation.casefile.workspace import WORKSPACE_DB, Workspace, is_workspace, record_audit_at, workspace_of_case
from workstation.core.audit import AuditAction, AuditEntry, action_label, audit_now
from workstation.core.errors import UserError
from workstation.core.summary import CaseSummary
from workstation.ops.user_config import load_config

log = logging.getLogger(__name__)

#: Where an entry goes: an open workspace, a workspace folder, a case file's path, or nowhere.
Target = Workspace | Path | None
DIGEST_CHARS = 16  # enough of a SHA-256 to match a file found later to its entry


def current_user() -> str:
    """Who is recorded when the caller does not say: the user chosen on first run or in Preferences."""
    return load_config().user


def record(target: Target, action: AuditAction, *, case_id: str | None = None, detail: str = "",
           actor: str | None = None) -> None:
    """Append one entry to the trail of the workspace `target` belongs to (nothing without one)."""
    _append(target, [AuditEntry(audit_now(), actor or current_user(), action, case_id, detail)])


def record_cases(target: Target, action: AuditAction, case_ids: Iterable[str], *, detail: str = "",
                 actor: str | None = None) -> None:
    """One entry per case (in one transaction) for what covered several: a CSV, a calendar, a print."""
    at, who = audit_now(), actor or current_user()
    entries = [AuditEntry(at, who, action, case_id, detail) for case_id in dict.fromkeys(case_ids) if case_id]
    if entries:
        _append(target, entries)


def record_rows(rows: list[CaseSummary], action: AuditAction, *, detail: str, actor: str | None = None) -> None:
    """Entries for worklist rows (their workspace found from the first case file's path)."""
    readable = [row for row in rows if row.case_id]
    if readable:
        record_cases(readable[0].path, action, (row.case_id for row in readable), detail=detail, actor=actor)


def record_print(target: Target, *, case_ids: Iterable[str], what: str, actor: str | None = None) -> None:
    """The window printed (or saved as a PDF) what names these cases: "packet of 12 pages", "worklist"."""
    record_cases(target, AuditAction.PRINT, case_ids, detail=what, actor=actor)


def case_id(case_file: CaseFile) -> str | None:
    """The id of an open case file, read alone (no case is loaded for it); None when unreadable."""
    return case_id_of(case_file.conn)


#: Documents already recorded as viewed, per open case file: once per document per session.
_viewed: weakref.WeakKeyDictionary[CaseFile, set[int]] = weakref.WeakKeyDictionary()


def record_view(case_file: CaseFile, doc_id: int, detail: Callable[[], str]) -> None:
    """The first view of a document in this opening of its case (later pages are not recorded)."""
    seen = _viewed.setdefault(case_file, set())
    if doc_id in seen:
        return
    seen.add(doc_id)
    record(case_file.path, AuditAction.VIEW_DOCUMENT, case_id=case_id(case_file), detail=detail())


#: (workspace, action, detail) already recorded by this program run.
_recorded_once: set[tuple[str, str, str]] = set()


def record_once(workspace: Workspace, action: AuditAction, *, detail: str, actor: str | None = None) -> None:
    """Record what a view shows again and again (the Reports view rebuilds its figures after every
    change) once per program run: the same report of the same period is one entry."""
    key = (str(workspace.root.resolve()), str(action), detail)
    if key not in _recorded_once:
        _recorded_once.add(key)
        record(workspace, action, detail=detail, actor=actor)


def file_digest(data: bytes) -> str:
    """"sha256 1a2b3c4d5e6f7a8b": the start of a written file's SHA-256, for an entry's detail."""
    return f"sha256 {hashlib.sha256(data).hexdigest()[:DIGEST_CHARS]}"


def _append(target: Target, entries: list[AuditEntry]) -> None:
    try:
        if isinstance(target, Workspace):
            if not target.read_only:
                target.record_audit(entries)
            return
        root = _root_of(target)
        if root is not None:
            record_audit_at(root, entries)
    except UserError as error:  # busy, read-only, full or damaged: the action itself goes on
        log.warning("the audit trail could not be written (%s entries of %s): %s", len(entries),
                    entries[0].action, error)


def _root_of(target: Path | None) -> Path | None:
    """The workspace folder itself, or the one holding a case file; None for a lone case file and
    for a workspace that cannot be written (a CD, a share you may only read)."""
    if target is None:
        return None
    path = Path(target)
    root = path if path.is_dir() and is_workspace(path) else workspace_of_case(path)
    if root is None or not (is_writable(root) and is_writable(root / WORKSPACE_DB)):
        return None
    return root


# -- reading ----------------------------------------------------------------------------------------


def audit_entries(workspace: Workspace, *, case_id: str | None = None, since: date | None = None,
                  action: str | None = None, newest: int | None = None) -> list[AuditEntry]:
    """The trail, oldest first (`case_id` may be the start of an id; `newest` keeps the last so many)."""
    if action is not None and action not in {a.value for a in AuditAction}:
        known = ", ".join(a.value for a in AuditAction)
        raise UserError(f"There is no audit action '{action}'; the actions are: {known}.")
    return workspace.audit_entries(case_id=(case_id or "").strip() or None, since=since, action=action,
                                   newest=newest)


AUDIT_COLUMNS = ("When", "Who", "Action", "Case id", "Detail")


def entry_cells(entry: AuditEntry) -> tuple[str, str, str, str, str]:
    """An entry as the dialog and the CSV show it."""
    return (f"{entry.at:%Y-%m-%d %H:%M:%S}", entry.actor, action_label(entry.action), entry.case_id or "",
            entry.detail)


def export_audit_csv(entries: list[AuditEntry], target: Path) -> Path:
    """The entries as a CSV file a spreadsheet opens safely (the worklist export's writer)."""
    from workstation.ops.worklist_export import safe_rows_csv, write_csv_text

    rows = [(e.at.isoformat(), e.actor, str(e.action), e.case_id or "", e.detail) for e in entries]
    return write_csv_text(safe_rows_csv(("at", "actor", "action", "case_id", "detail"), rows), Path(target))


def export_trail_csv(root: Path, target: Path, *, case_id: str | None = None, since: date | None = None,
                     action: str | None = None) -> int:
    """The trail of the workspace at `root` (as filtered) written to a CSV file, opened here (the
    window exports on a worker thread); returns how many entries it holds."""
    with Workspace.open(Path(root), backup=False) as workspace:
        entries = audit_entries(workspace, case_id=case_id, since=since, action=action)
    export_audit_csv(entries, Path(target))
    return len(entries)
