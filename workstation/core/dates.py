"""Dates are datetime.date; parsing of what users and files write lives here only."""

from __future__ import annotations

from datetime import date, datetime

from workstation.core.errors import InvalidValue

_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y%m%d")


def parse_date(value: str | date | None) -> date | None:
    """A date from ISO, US (MM/DD/YYYY) or X12 (CCYYMMDD) text; None for empty."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidValue(f"'{value}' is not a date; type it like 2026-03-31 or 03/31/2026.")


def iso(value: date | None) -> str | None:
    """ISO text for storage and JSON, None stays None."""
    return value.isoformat() if value else None
