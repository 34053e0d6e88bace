"""The official X12 code lists, imported by the user from a file they obtained themselves.

X12 holds the copyright to the official wording, so the program ships only its own words; a
user who has the official CARC/RARC list can load it to see that wording beside ours. It is
kept in the user's data folder (one copy per computer), never in the repository.
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

from workstation.core.errors import UserError
from workstation.ops.user_config import data_dir

_CODE = re.compile(r"^(?:[0-9]{1,3}|[A-DPWY][0-9]{1,2}|M[0-9]{1,3}|MA[0-9]{1,3}|N[0-9]{1,4})$")
_CODE_HEADERS = ("code", "carc", "rarc", "reason code", "remark code")
_TEXT_HEADERS = ("description", "text", "wording", "code description", "definition")


def _store() -> Path:
    return data_dir() / "official-codes.json"


def kind_of(code: str) -> str:
    """"rarc" for remark codes (M.., MA.., N..), else "carc"."""
    return "rarc" if code[0] in "MN" else "carc"


def load_official() -> dict[str, dict[str, str]]:
    """{"carc": {code: wording}, "rarc": {...}}; empty when the user imported none."""
    try:
        return json.loads(_store().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"carc": {}, "rarc": {}}


def official_wording(code: str) -> str:
    code = code.strip().upper()
    return load_official().get(kind_of(code), {}).get(code, "") if code else ""


def import_official_codes(path: Path) -> int:
    """Read a CSV with a code column and a description column; returns how many codes were stored."""
    rows = _read_rows(Path(path))
    found = load_official()
    count = 0
    for code, text in rows:
        code = code.strip().upper()
        if _CODE.match(code) and text.strip():
            found.setdefault(kind_of(code), {})[code] = " ".join(text.split())
            count += 1
    if not count:
        raise UserError(f"{Path(path).name} holds no codes with a description; it needs a column of codes "
                        "(CARC or RARC) and a column of their descriptions.")
    target = _store()
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_suffix(".tmp")
    temp.write_text(json.dumps(found, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, target)
    return count


def _read_rows(path: Path) -> list[tuple[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            table = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UserError(f"{path.name} cannot be read as a CSV file ({error}).") from None
    if not table:
        return []
    header = [cell.strip().lower() for cell in table[0]]
    code_col = next((i for i, h in enumerate(header) if h in _CODE_HEADERS), None)
    text_col = next((i for i, h in enumerate(header) if h in _TEXT_HEADERS), None)
    body = table[1:] if code_col is not None and text_col is not None else table
    code_col, text_col = code_col or 0, text_col if text_col is not None else 1
    return [(row[code_col], row[text_col]) for row in body if len(row) > max(code_col, text_col)]
