"""The audit trail's vocabulary: what is recorded of each opening, view, export and print (issue 12,
point 2; HIPAA 164.312(b) asks for a record of activity in systems holding patient data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AuditAction(StrEnum):
    """What someone did with patient data that the trail records."""

    OPEN_CASE = "open_case"
    VIEW_DOCUMENT = "view_document"
    EXPORT_DOCUMENT = "export_document"
    PRINT = "print"
    LETTER = "letter"
    PACKET = "packet"
    CALENDAR = "calendar"
    CSV_EXPORT = "csv_export"
    REPORT = "report"
    BACKUP = "backup"
    RESTORE = "restore"


_LABELS = {
    AuditAction.OPEN_CASE: "Opened a case", AuditAction.VIEW_DOCUMENT: "Viewed a document",
    AuditAction.EXPORT_DOCUMENT: "Exported a document", AuditAction.PRINT: "Printed",
    AuditAction.LETTER: "Made a letter", AuditAction.PACKET: "Made a packet",
    AuditAction.CALENDAR: "Exported a calendar", AuditAction.CSV_EXPORT: "Exported rows or figures",
    AuditAction.REPORT: "Made a report", AuditAction.BACKUP: "Backed up the workspace",
    AuditAction.RESTORE: "Restored the workspace",
}


def action_label(action: str) -> str:
    """An action in words ("Opened a case"); one this version does not know is shown as stored."""
    try:
        return _LABELS[AuditAction(action)]
    except ValueError:
        return action


@dataclass(frozen=True)
class AuditEntry:
    """One line of the trail: who, when, what, which case (by id, never by name), and a detail that
    never holds a patient's name (a document by its id and kind, a file by its kind and digest)."""

    at: datetime
    actor: str
    action: str  # an AuditAction's value
    case_id: str | None = None
    detail: str = ""

    def to_json(self) -> dict[str, str | None]:
        return {"at": self.at.isoformat(), "actor": self.actor, "action": str(self.action),
                "case_id": self.case_id, "detail": self.detail}


def audit_now() -> datetime:
    """Local time to the second, with its UTC offset (a trail is read across clock changes)."""
    return datetime.now().astimezone().replace(microsecond=0)
