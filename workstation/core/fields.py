"""The case fields a user may edit by hand, with their labels and value types."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from workstation.core.dates import parse_date
from workstation.core.errors import InvalidValue
from workstation.core.vocabulary import Route, Status

#: The longest name, number or code a case keeps from typing (a field edit, a case opened by hand):
#: X12's longest element in an 835 is 256 characters, a name 60; a value past this is a file pasted
#: whole, and would run through the worklist, every letter and the ledger.
MAX_TEXT_CHARS = 1_000


@dataclass(frozen=True)
class EditableField:
    key: str  # "patient.last_name"
    label: str
    kind: str  # "text", "date", "status", "route", "codes"

    def parse(self, value: Any) -> Any:
        """The typed value from what the user entered; raises InvalidValue with a sentence."""
        if self.kind == "date":
            return parse_date(value) if not isinstance(value, date) else value
        if self.kind == "status":
            return _enum_value(Status, value, self.label)
        if self.kind == "route":
            return None if value in (None, "") else _enum_value(Route, value, self.label)
        if self.kind == "codes":
            return _codes(value)
        return "" if value is None else str(value).strip()

    def entered(self, value: Any) -> Any:
        """The typed value of what the user enters now: as `parse`, and refused past MAX_TEXT_CHARS
        with a sentence saying its length and the limit (a stored value longer than that is still
        read, so it can be shortened)."""
        text = value if isinstance(value, str) else json.dumps(value) if isinstance(value, list) else ""
        if len(text) > MAX_TEXT_CHARS:
            raise InvalidValue(f"The {self.label[:1].lower()}{self.label[1:]} has {len(text):,} characters, where at "
                               f"most {MAX_TEXT_CHARS:,} are kept; shorten it. Nothing was changed.")
        return self.parse(value)


def _enum_value(enum: type, value: Any, label: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise InvalidValue(f"'{value}' is not a valid {label.lower()}; choose one of {choices}.") from None


def _codes(value: Any) -> list[str]:
    """Codes typed as "M54.50, I10" (or stored as a JSON list) -> ["M54.50", "I10"]."""
    if isinstance(value, list):
        return [str(code).strip().upper() for code in value if str(code).strip()]
    text = "" if value is None else str(value)
    if text.startswith("["):
        return _codes(json.loads(text))
    return [code.upper() for code in text.replace(",", " ").replace(";", " ").split()]


_FIELDS = [
    EditableField("patient.last_name", "Patient last name", "text"),
    EditableField("patient.first_name", "Patient first name", "text"),
    EditableField("patient.middle_name", "Patient middle name", "text"),
    EditableField("patient.date_of_birth", "Date of birth", "date"),
    EditableField("patient.member_id", "Member ID", "text"),
    EditableField("patient.group_number", "Group number", "text"),
    EditableField("claim.payer_claim_number", "Payer claim number", "text"),
    EditableField("claim.account_number", "Patient account number", "text"),
    EditableField("claim.diagnosis_codes", "Diagnosis codes", "codes"),
    EditableField("provider.ptan", "Provider PTAN (Medicare)", "text"),
    EditableField("case.status", "Status", "status"),
    EditableField("case.assignee", "Assignee", "text"),
    EditableField("case.route", "Route", "route"),
    EditableField("case.notice_date_override", "Date on the paper notice", "date"),
]

EDITABLE_FIELDS: dict[str, EditableField] = {f.key: f for f in _FIELDS}


def editable_field(key: str) -> EditableField:
    """The field for a key; an unknown key is a programming error."""
    return EDITABLE_FIELDS[key]
