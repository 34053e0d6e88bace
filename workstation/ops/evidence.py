"""Attaching documents to a case: checked before anything is written, stored whole or not at all."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.casefile.case_parts import file_digest
from workstation.casefile.schema_check import in_words
from workstation.core.audit import AuditAction
from workstation.core.changes import Changes
from workstation.core.errors import UserError
from workstation.core.vocabulary import EvidenceKind
from workstation.documents.evidence_files import PageImage, check_document, media_type_of, render_pdf_page
from workstation.ops.audit import DIGEST_CHARS, record, record_view
from workstation.ops.audit import case_id as audit_case_id
from workstation.ops.evidence_kinds import guess_kind
from workstation.ops.settings import WorkspaceSettings, case_settings

DEFAULT_LIMIT_MB = WorkspaceSettings().max_attachment_mb
LIMIT_SETTING = "max_attachment_mb"
#: A document's title fits on a line of the packet's enclosure index ("Plan of care 03/01/2026").
MAX_TITLE_CHARS = 200


@dataclass
class AttachResult:
    added: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one sentence each


def attachment_limit(case_path: Path) -> int:
    """Bytes a single document may have: the workspace setting, or 100 MB."""
    return case_settings(case_path).attachment_limit_bytes


def _size_text(size: int) -> str:
    """"2.1 KB", "1.3 MB": rounded up, so a file over the limit never reads as equal to it."""
    unit, scale = ("KB", 1024) if size < 1048576 else ("MB", 1048576)
    tenths = math.ceil(size * 10 / scale)
    return f"{tenths // 10:,}{'' if tenths % 10 == 0 else f'.{tenths % 10}'} {unit}"


def title_from_file_name(path: Path) -> str:
    """The title a document gets when none is given: its file name without the extension, and
    a machine-style name (no spaces; words joined by "_" or "-") as words: "plan_of_care.pdf"
    is "Plan of care", "MRI-report_2026-03-01.pdf" is "MRI report 2026-03-01". A hyphen inside
    a number or date, or after a single letter ("X-ray"), stays; a name with spaces is kept
    as typed."""
    name = path.stem.strip()
    if any(ch.isspace() for ch in name) or not re.search(r"[_-]", name):
        return name or path.name
    words = [_unhyphenated(chunk) for chunk in name.split("_")]
    title = " ".join(word for word in words if word)
    if not title:
        return name
    return title[0].upper() + title[1:] if title.split(" ")[0].islower() else title


def _unhyphenated(chunk: str) -> str:
    """"MRI-report" is "MRI report"; "2026-03-01" and "X-ray" keep their hyphens."""
    parts = [part for part in chunk.split("-") if part]
    joined = parts[:1]
    for part in parts[1:]:
        before = joined[-1]
        keep = (before[-1].isdigit() and part[0].isdigit()) or (len(before) == 1 and before.isalpha())
        joined[-1:] = [f"{before}-{part}"] if keep else [before, part]
    return " ".join(joined)


def attach_files(case_file: CaseFile, paths: list[Path], *, actor: str, kind: EvidenceKind | None = EvidenceKind.OTHER,
                 title: str | None = None, document_date: date | None = None, limit: int | None = None) -> AttachResult:
    """Attach each file in turn; a refused file says why and the others still go in. Without a
    kind (None), each file's kind is guessed from its name, or its first page when the name says
    nothing (`evidence_kinds.guess_kind`), once the file passed the checks."""
    if title is not None and len(paths) != 1:
        raise UserError("A title can be given only when attaching one file; the others take their file names.")
    check_title(title)
    require_intact(case_file)
    limit = limit if limit is not None else attachment_limit(case_file.path)
    result = AttachResult()
    for path in paths:
        try:
            _attach(case_file, Path(path), actor=actor, kind=kind, title=title, document_date=document_date,
                    limit=limit)
            result.added.append(Path(path).name)
        except UserError as error:
            result.refused.append(str(error))
    return result


def attach_one(case_file: CaseFile, path: Path, *, actor: str, kind: EvidenceKind, title: str | None,
               document_date: date | None, limit: int) -> Changes:
    """Checks (the case file intact; the document exists, its size, type, readable, not a
    duplicate), then one transaction."""
    check_title(title)
    require_intact(case_file)
    return _attach(case_file, path, actor=actor, kind=kind, title=title, document_date=document_date, limit=limit)


def check_title(title: str | None) -> None:
    """A title typed for a document is refused past MAX_TITLE_CHARS (with its length said)."""
    if title is not None and len(title) > MAX_TITLE_CHARS:
        raise UserError(f"A document's title may have at most {MAX_TITLE_CHARS} characters, and this one has "
                        f"{len(title):,}; shorten it. Nothing was attached.")


def require_intact(case_file: CaseFile) -> None:
    """Refuse to write into a case file `check` calls damaged, in check's words: the same checks
    (SQLite's, our schema's, every table read back; 1 ms for a 170 KB case, 23 ms for 100 MB,
    nearly all of it SQLite's integrity check)."""
    if problems := case_file.integrity_problems():
        raise UserError(f"{case_file.path.name} is damaged, so nothing was attached to it ({in_words(problems)}); "
                        "restore it from a backup (`workstation check` says the same).")


def _attach(case_file: CaseFile, path: Path, *, actor: str, kind: EvidenceKind | None, title: str | None,
            document_date: date | None, limit: int) -> Changes:
    size = _size(path)
    if size > limit:
        raise UserError(f"{path.name} is {_size_text(size)}, more than the {_size_text(limit)} a document "
                        "may have; split or compress it (the limit is a workspace setting).")
    if size == 0:
        raise UserError(f"{path.name} is empty; attach the document again from where it came from.")
    checked = check_document(path)  # before its words are read for a kind: a hostile file goes no further
    kind = kind or guess_kind(path)
    sha256, size = file_digest(path)
    existing = case_file.evidence.find_sha(sha256)
    if existing is not None:
        raise UserError(f"{path.name} is already in this case as \"{existing.title}\"; it was not added again.")
    return case_file.evidence.add(path, title=title or title_from_file_name(path)[:MAX_TITLE_CHARS], kind=kind,
                                  media_type=checked.media_type, sha256=sha256, size=size, actor=actor,
                                  document_date=document_date)


def _size(path: Path) -> int:
    try:
        if not path.exists():
            raise UserError(f"{path.name} does not exist; check the file's name and folder.")
        if not path.is_file():
            raise UserError(f"{path.name} is not a file; attach documents, not folders.")
        return path.stat().st_size
    except OSError as error:
        raise UserError(f"{path.name} cannot be read ({error.strerror}).") from None


def preview_page(case_file: CaseFile, doc_id: int, page: int = 0, *, width: int = 800) -> PageImage | bytes:
    """A rendered PDF page, or an image's own bytes (the window decodes images itself); the first
    view of each document in this opening of the case goes into the audit trail."""
    data = case_file.evidence.read(doc_id)
    record_view(case_file, doc_id, lambda: _document_words(case_file, doc_id))
    if media_type_of(data[:16], "") == "application/pdf":  # as at attach time (leading bytes allowed)
        return render_pdf_page(data, page, width=width)
    return data


def render_pdf_pages(pdf: bytes, page: int = 0, *, width: int = 800) -> PageImage:
    """A page of any PDF (a letter, a packet) as a picture, for previews and printing."""
    return render_pdf_page(pdf, page, width=width)


def export_document(case_file: CaseFile, doc_id: int, target: Path, *, actor: str | None = None) -> Path:
    """Write a document back to disk (aside, then renamed), recorded in the audit trail."""
    written = case_file.evidence.export(doc_id, Path(target))
    record(case_file.path, AuditAction.EXPORT_DOCUMENT, case_id=audit_case_id(case_file),
           detail=f"{_document_words(case_file, doc_id)} written to a file", actor=actor)
    return written


def _document_words(case_file: CaseFile, doc_id: int) -> str:
    """"document 3 (medical_records, application/pdf, sha256 ...)": never its title, which may name
    the patient."""
    doc = next((d for d in case_file.evidence.list() if d.id == doc_id), None)
    if doc is None:
        return f"document {doc_id}"
    return f"document {doc_id} ({doc.kind.value}, {doc.media_type}, sha256 {doc.sha256[:DIGEST_CHARS]})"


# -- what the window changes in a case's documents: through ops, checked here -----------------


def describe_document(case_file: CaseFile, doc_id: int, *, title: str, kind: EvidenceKind,
                      document_date: date | None, actor: str) -> Changes:
    """A document's title, kind and date as the biller corrected them."""
    check_title(title)
    return case_file.evidence.describe(doc_id, title=title, kind=kind, document_date=document_date, actor=actor)


def include_document(case_file: CaseFile, doc_id: int, included: bool, *, actor: str) -> Changes:
    """In the packet or left out of it."""
    return case_file.evidence.set_included(doc_id, included, actor=actor)


def reorder_documents(case_file: CaseFile, doc_ids: list[int], *, actor: str) -> Changes:
    """The packet's order of documents."""
    return case_file.evidence.reorder(doc_ids, actor=actor)


def remove_document(case_file: CaseFile, doc_id: int, *, actor: str) -> Changes:
    """Erase a document from the case (its pages overwritten: it cannot be undone)."""
    return case_file.evidence.remove(doc_id, actor=actor)
