"""A scanned page as words with their places, and the fields proposed from it (paper intake).

The documents layer turns a file into `ScannedPage`s (a PDF's text layer, or Tesseract's words);
the intake layer proposes `ProposedField`s from them. Nothing here is a case: a field is only
proposed until the biller confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Box:
    """A rectangle on a page, in the page image's pixels (left, top, width, height)."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def union(self, other: Box) -> Box:
        left, top = min(self.left, other.left), min(self.top, other.top)
        return Box(left, top, max(self.right, other.right) - left, max(self.bottom, other.bottom) - top)

    def to_json(self) -> list[int]:
        return [self.left, self.top, self.width, self.height]


@dataclass(frozen=True)
class Word:
    """One word read from a page: its text, how sure the reader is (0-100) and where it is."""

    text: str
    confidence: float
    box: Box
    line: int  # words of one text line share this number, in reading order


@dataclass(frozen=True)
class ScannedPage:
    """One page read: its words, the size of the image the boxes refer to, and how it was read."""

    number: int  # 1-based
    width: int
    height: int
    words: tuple[Word, ...]
    method: str  # "text layer" or "ocr"
    image: bytes = b""  # the page as PNG, for showing it with its fields highlighted
    problem: str = ""  # a sentence when the page could not be read (too dark, blank, not English)


@dataclass(frozen=True)
class ProposedField:
    """A value read from the scan, proposed to the biller; never a fact until confirmed."""

    name: str
    value: str
    confidence: float  # 0-1
    page: int = 0  # 1-based; 0 when no place is known
    boxes: tuple[Box, ...] = ()
    read_as: str = ""  # the text as read, when the value was cleaned up from it

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "confidence": round(self.confidence, 2), "page": self.page or None,
                "boxes": [box.to_json() for box in self.boxes], "read_as": self.read_as or None}


#: The fields a scan may propose, in the order a form shows them, with their labels.
FIELD_LABELS: dict[str, str] = {
    "payer_name": "Payer",
    "claim_number": "Payer claim number",
    "patient_name": "Patient (last, first)",
    "member_id": "Member ID",
    "account_number": "Patient account number",
    "service_dates": "Dates of service",
    "procedure_codes": "Procedure codes",
    "billed": "Billed",
    "paid": "Paid",
    "denied": "Denied",
    "reason_codes": "Group and reason codes",
    "remark_codes": "Remark codes",
    "notice_date": "Date of the notice",
    "appeal_deadline": "Appeal deadline stated",
    "decision": "Decision (on a decision letter)",
}

#: Fields that hold several values, written "CO-50, CO-97".
LIST_FIELDS = frozenset({"service_dates", "procedure_codes", "reason_codes", "remark_codes"})


@dataclass
class ScanProposal:
    """What a scan proposes: fields above the threshold, those left empty, and what the scan is."""

    files: list[str]
    pages: list[ScannedPage]
    fields: dict[str, ProposedField]
    left_empty: list[str] = field(default_factory=list)  # fields read below the threshold
    kind: str = "remittance"  # evidence kind: "remittance" or "decision_letter"
    notes: list[str] = field(default_factory=list)  # one sentence each: pages not read and why

    def value(self, name: str) -> str:
        found = self.fields.get(name)
        return found.value if found else ""

    def listed(self, name: str) -> list[str]:
        return [part.strip() for part in self.value(name).split(",") if part.strip()]
