"""The parts of a case file a biller adds to: evidence documents, the call log, the checklist.

Each hangs off an open CaseFile (`case_file.evidence`, `.calls`, `.checklist`); every change is
one transaction with its activity entry and one undo step, like every other edit (a removal of
evidence excepted: it cannot be undone).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.casefile.case_rows import EVIDENCE_COLUMNS, evidence_from, insert_call, upsert_step
from workstation.casefile.encryption import SQLiteError
from workstation.casefile.sqlite_file import fsync_path, open_blob, translate
from workstation.core.changes import Changes
from workstation.core.errors import UserError
from workstation.core.model import CallRecord, EvidenceDoc, StepNote
from workstation.core.vocabulary import EvidenceKind

if TYPE_CHECKING:
    from workstation.casefile.case_file import CaseFile

CHUNK = 1 << 20


def file_digest(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with Path(path).open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class EvidenceStore:
    """Documents kept as BLOBs inside the case file, in packet order."""

    def __init__(self, case_file: CaseFile) -> None:
        self.case_file = case_file

    @property
    def conn(self) -> sqlite3.Connection:
        return self.case_file.conn

    def list(self) -> list[EvidenceDoc]:
        rows = self.conn.execute(f"SELECT {EVIDENCE_COLUMNS} FROM evidence ORDER BY position, id")
        return [evidence_from(row) for row in rows]

    def find_sha(self, sha256: str) -> EvidenceDoc | None:
        row = self.conn.execute(f"SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE sha256 = ?", (sha256,)).fetchone()
        return evidence_from(row) if row else None

    def add(self, source: Path, *, title: str, kind: EvidenceKind, media_type: str, sha256: str, size: int,
            actor: str, document_date: date | None = None) -> Changes:
        """Stream the file into the case (never whole in memory); last in packet order."""
        message = f"Document added: {title} ({kind.value.replace('_', ' ')})"
        with self.case_file.change(actor, "evidence", message):
            existing = self.find_sha(sha256)  # again inside the transaction: another window may have added it
            if existing is not None:
                raise UserError(f"{source.name} is already in this case as \"{existing.title}\"; "
                                "it was not added again.")
            position = self.conn.execute("SELECT coalesce(max(position), 0) + 1 FROM evidence").fetchone()[0]
            cursor = self.conn.execute(
                "INSERT INTO evidence (title, kind, file_name, media_type, size, sha256, included, position,"
                " document_date, added_at, added_by, data) VALUES (?,?,?,?,?,?,1,?,?,?,?,zeroblob(?))",
                (title, kind.value, source.name, media_type, size, sha256, position,
                 document_date.isoformat() if document_date else None,
                 datetime.now().isoformat(timespec="seconds"), actor, size))
            self._write_blob(int(cursor.lastrowid or 0), source, sha256)
        return Changes(case_path=self.case_file.path, activity=True, worklist=True)

    def _write_blob(self, row_id: int, source: Path, sha256: str) -> None:
        digest = hashlib.sha256()
        with open_blob(self.conn, "evidence", "data", row_id) as blob, source.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                blob.write(chunk)
                digest.update(chunk)
        if digest.hexdigest() != sha256:
            raise UserError(f"{source.name} changed while it was being attached; attach it again.")

    def read(self, doc_id: int) -> bytes:
        """The document's bytes (for the preview and the packet)."""
        row = self.conn.execute("SELECT data FROM evidence WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise UserError("That document is no longer in the case; it was removed in another window.")
        return bytes(row[0])

    def export(self, doc_id: int, target: Path) -> Path:
        """Write a document back to disk (aside, then renamed into place)."""
        temp = target.with_name(f".{target.name}.partial")
        try:
            with open_blob(self.conn, "evidence", "data", doc_id, readonly=True) as blob, temp.open("wb") as out:
                while chunk := blob.read(CHUNK):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
            fsync_path(target.parent)
        except SQLiteError as error:
            temp.unlink(missing_ok=True)
            raise translate(error, self.case_file.path) from None
        except OSError as error:
            temp.unlink(missing_ok=True)
            raise UserError(f"{target.name} could not be written ({error.strerror}); choose another folder.") from None
        return target

    def set_included(self, doc_id: int, included: bool, *, actor: str) -> Changes:
        title = self._title(doc_id)
        verb = "included in" if included else "left out of"
        with self.case_file.change(actor, "evidence", f"Document {verb} the packet: {title}"):
            self.conn.execute("UPDATE evidence SET included = ? WHERE id = ?", (int(included), doc_id))
        return Changes(case_path=self.case_file.path, activity=True)

    def describe(self, doc_id: int, *, title: str, kind: EvidenceKind, document_date: date | None,
                 actor: str) -> Changes:
        self._title(doc_id)  # removed in another window: say so rather than log a change to nothing
        with self.case_file.change(actor, "evidence", f"Document details changed: {title}"):
            self.conn.execute("UPDATE evidence SET title = ?, kind = ?, document_date = ? WHERE id = ?",
                              (title, kind.value, document_date.isoformat() if document_date else None, doc_id))
        return Changes(case_path=self.case_file.path, activity=True)

    def reorder(self, doc_ids: list[int], *, actor: str) -> Changes:
        """Put documents in this packet order (ids not named keep their place after them)."""
        rest = [d.id for d in self.list() if d.id not in doc_ids]
        with self.case_file.change(actor, "evidence", "Documents reordered"):
            self.conn.executemany("UPDATE evidence SET position = ? WHERE id = ?",
                                  [(position, doc_id) for position, doc_id in enumerate(doc_ids + rest, start=1)])
        return Changes(case_path=self.case_file.path, activity=True)

    def remove(self, doc_id: int, *, actor: str) -> Changes:
        """Erase a document: it cannot be undone (its bytes are overwritten, and never copied into the
        undo journal), so it is a barrier: the changes before it cannot be undone either."""
        title = self._title(doc_id)
        # Overwrite the freed pages: a removed document (often the wrong patient's) must not stay
        # readable inside the file. Some SQLite builds do this by default; Windows and macOS do not.
        self.conn.execute("PRAGMA secure_delete=ON")
        with self.case_file.change(actor, "evidence", f"Document removed: {title}", undoable=False):
            self.conn.execute("DELETE FROM evidence WHERE id = ?", (doc_id,))
        return Changes(case_path=self.case_file.path, activity=True, worklist=True)

    def _title(self, doc_id: int) -> str:
        row = self.conn.execute("SELECT title FROM evidence WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise UserError("That document is no longer in the case; it was removed in another window.")
        return str(row[0])


class CallLog:
    def __init__(self, case_file: CaseFile) -> None:
        self.case_file = case_file

    def add(self, call: CallRecord, *, actor: str) -> Changes:
        who = " / ".join(p for p in (call.party, call.department, call.person) if p)
        reference = f", reference {call.reference}" if call.reference else ""
        with self.case_file.change(actor, "call", f"Call logged with {who}{reference}"):
            insert_call(self.case_file.conn, call)
        return Changes(case_path=self.case_file.path, activity=True)


class Checklist:
    def __init__(self, case_file: CaseFile) -> None:
        self.case_file = case_file

    def record(self, step: StepNote, *, text: str, actor: str) -> Changes:
        label = {"open": "reopened", "done": "done", "na": "not applicable"}[step.state]
        with self.case_file.change(actor, "review", f"Step {label}: {text}"):
            upsert_step(self.case_file.conn, step)
        return Changes(case_path=self.case_file.path, activity=True, worklist=True)
