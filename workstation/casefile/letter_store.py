"""Letters and packets kept in the case file: every saved letter is a version (text, fields,
template, the context snapshot it used, the PDF); a packet is kept as its manifest. The draft
the biller is typing is kept too, outside any user action (no activity entry, no undo step,
no revision bump): it is written as they type and cleared when a version is saved."""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from workstation.casefile.encryption import SQLiteError
from workstation.casefile.sqlite_file import translate, write_transaction
from workstation.core.changes import Changes
from workstation.core.errors import ReadOnly, UserError

if TYPE_CHECKING:
    from workstation.casefile.case_file import CaseFile


@dataclass(frozen=True)
class LetterVersion:
    id: int
    created_at: datetime
    by: str
    template_id: str
    template_version: int
    template_title: str
    fields: dict[str, str]
    text: str
    context: dict[str, Any]


@dataclass(frozen=True)
class PacketRecord:
    id: int
    created_at: datetime
    letter_id: int
    manifest: list[dict[str, Any]]
    page_count: int
    pdf_sha256: str


@dataclass(frozen=True)
class LetterDraft:
    """The letter as the biller left it: template, the level it was written for, their fields and,
    when they edited the body, its text (None: the template's text)."""

    template_id: str
    template_version: int
    level: int
    fields: dict[str, str]
    text: str | None = None
    saved_at: datetime | None = None
    by: str = ""


_LETTER_COLUMNS = "id, created_at, by, template_id, template_version, template_title, fields, text, context"


class LetterStore:
    def __init__(self, case_file: CaseFile) -> None:
        self.case_file = case_file

    @property
    def conn(self) -> sqlite3.Connection:
        return self.case_file.conn

    def _rows(self, sql: str, parameters: tuple = ()) -> list[sqlite3.Row]:
        """Read rows; a table the file lacks (a damaged file) is its sentence, not a traceback."""
        try:
            return self.conn.execute(sql, parameters).fetchall()
        except SQLiteError as error:
            raise translate(error, self.case_file.path) from None

    def versions(self) -> list[LetterVersion]:
        return [_letter(row) for row in self._rows(f"SELECT {_LETTER_COLUMNS} FROM letters ORDER BY id")]

    def pdf(self, letter_id: int) -> bytes:
        row = next(iter(self._rows("SELECT pdf FROM letters WHERE id = ?", (letter_id,))), None)
        if row is None:
            raise UserError("That letter version is no longer in the case.")
        return bytes(row[0])

    def save(self, *, template_id: str, template_version: int, template_title: str, fields: dict[str, str],
             text: str, context: dict[str, Any], pdf: bytes, actor: str) -> Changes:
        """A new version; earlier ones stay, so what was sent can always be shown again."""
        with self.case_file.change(actor, "letter", f"Letter saved: {template_title}"):
            self.conn.execute("DELETE FROM letter_draft")  # the saved version is the letter now
            self.conn.execute(
                "INSERT INTO letters (created_at, by, template_id, template_version, template_title, fields, text,"
                " context, pdf) VALUES (?,?,?,?,?,?,?,?,?)",
                (datetime.now().isoformat(timespec="seconds"), actor, template_id, template_version, template_title,
                 json.dumps(fields), text, json.dumps(context), pdf))
        return Changes(case_path=self.case_file.path, activity=True)

    def packets(self) -> list[PacketRecord]:
        rows = self._rows("SELECT * FROM packets ORDER BY id")
        return [PacketRecord(r["id"], datetime.fromisoformat(r["created_at"]), r["letter_id"],
                             json.loads(r["manifest"]), r["page_count"], r["pdf_sha256"]) for r in rows]

    def record_packet(self, *, letter_id: int, manifest: list[dict[str, Any]], page_count: int, pdf_sha256: str,
                      actor: str) -> Changes:
        message = f"Packet built: {page_count} pages, {len(manifest)} enclosures"
        with self.case_file.change(actor, "packet", message):
            self.conn.execute(
                "INSERT INTO packets (created_at, by, letter_id, manifest, page_count, pdf_sha256)"
                " VALUES (?,?,?,?,?,?)",
                (datetime.now().isoformat(timespec="seconds"), actor, letter_id, json.dumps(manifest), page_count,
                 pdf_sha256))
        return Changes(case_path=self.case_file.path, activity=True)


    # -- the draft (not a user action) -----------------------------------------------------------

    def draft(self) -> LetterDraft | None:
        row = next(iter(self._rows("SELECT * FROM letter_draft")), None)
        if row is None:
            return None
        return LetterDraft(row["template_id"], row["template_version"], row["level"], json.loads(row["fields"]),
                           row["text"], datetime.fromisoformat(row["saved_at"]), row["by"])

    def keep_draft(self, draft: LetterDraft, *, actor: str) -> None:
        """Write the draft in its own small transaction, outside `CaseFile.change`."""
        with self._draft_transaction() as conn:
            conn.execute(
                "INSERT INTO letter_draft (id, template_id, template_version, level, fields, text, saved_at, by)"
                " VALUES (1,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET template_id = excluded.template_id,"
                " template_version = excluded.template_version, level = excluded.level, fields = excluded.fields,"
                " text = excluded.text, saved_at = excluded.saved_at, by = excluded.by",
                (draft.template_id, draft.template_version, draft.level, json.dumps(draft.fields), draft.text,
                 datetime.now().isoformat(timespec="seconds"), actor))

    def discard_draft(self) -> None:
        with self._draft_transaction() as conn:
            conn.execute("DELETE FROM letter_draft")

    def _draft_transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        if self.case_file.read_only:
            raise ReadOnly(f"{self.case_file.path.name} is in a read-only folder, so the letter draft is kept "
                           "only while the program runs.")
        return write_transaction(self.conn, self.case_file.path)

    # -- packet options ------------------------------------------------------------------------

    def remittance_advice(self) -> bool | None:
        """Whether the packet encloses the remittance advice made from the 835 (None: as the review says)."""
        row = next(iter(self._rows("SELECT remittance_advice FROM packet_options")), None)
        return None if row is None or row[0] is None else bool(row[0])

    def set_remittance_advice(self, enclosed: bool | None, *, actor: str) -> Changes:
        message = {True: "The packet encloses the remittance advice (from the 835)",
                   False: "The packet leaves out the remittance advice (from the 835)",
                   None: "The packet encloses the remittance advice when the review calls for it"}[enclosed]
        with self.case_file.change(actor, "packet", message):
            self.conn.execute("INSERT INTO packet_options (id, remittance_advice) VALUES (1, ?) ON CONFLICT (id)"
                              " DO UPDATE SET remittance_advice = excluded.remittance_advice",  # an UPDATE undo sees
                              (None if enclosed is None else int(enclosed),))
        return Changes(case_path=self.case_file.path, activity=True)


def _letter(row: sqlite3.Row) -> LetterVersion:
    return LetterVersion(row["id"], datetime.fromisoformat(row["created_at"]), row["by"], row["template_id"],
                         row["template_version"], row["template_title"], json.loads(row["fields"]), row["text"],
                         json.loads(row["context"]))
