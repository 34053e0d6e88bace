"""Turn case dataclasses into JSON-ready values: money as decimal strings, dates as ISO."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from workstation.core.money import money_text

_PLAIN = frozenset({str, int, float, bool})


def jsonable(value: Any) -> Any:
    """A plain JSON value for dataclasses, Decimal, date, Enum, Path and containers of them."""
    if value is None or type(value) in _PLAIN:  # most values of a report (its lists of case ids)
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return money_text(value) if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value
