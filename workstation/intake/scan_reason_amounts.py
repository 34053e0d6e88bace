"""Each reason code's amount, where the page prints it with the code (paper intake).

A notice citing several reason codes says what each took: on the code's table row ("CO-50  120.00",
an Adj. Amount column, an adjustments table) or beside it on its line ("Reason: CO-50 ... Amount
$120.00"). An amount is proposed only when the row leaves no doubt which number it is: the billed,
allowed and paid columns never are, and readings of a row that disagree, or the code's amount on
two rows, propose none (the biller types it; a wrong amount is worse than none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from workstation.intake.scan_fields import Candidate, code_starts
from workstation.intake.scan_text import Found, Line, amounts_in

ANYCASE = re.IGNORECASE
_NOT = (r"\bbilled\b|\bcharges?\b|\bcharged\b|\ballowed\b|\bpaid\b|\bpayment\b|\bPROV\s+PD\b|deductible|\bDED\b"
        r"|co-?insurance|\bCOINS\b|co-?pay|patient\s+resp\w*|\bPT\s+RESP\b|\bbalance\b|\bowed?\b|\btotals?\b"
        r"|\binterest\b")
#: Column headers of amounts that are not what a code took (billed, allowed, paid...).
NOT_ADJUSTMENT = re.compile(_NOT, ANYCASE)
#: Their labels, right before the amount ("billed at $250.00", "Amount paid: $0.00", "BILLED 1655.00").
NOT_ADJUSTMENT_LABEL = re.compile(rf"(?:{_NOT})(?:\s+(?:amount|amt|was|were|of|is|at))?\s*[:=]?\s*$", ANYCASE)
#: Column headers of what a code took.
ADJUSTMENT_HEADER = re.compile(r"\badj(?:ustment|usted)?\.?\s*(?:amount|amt)\b|\bdenied\b|not\s+covered|\bamount\b"
                               r"|\bAMT\b|\badjusted\b|\bdisallowed\b", ANYCASE)
#: The label right before a code's amount on its line ("amount $120.00", "Adjusted amount: 120.00").
ADJUSTMENT_LABEL = re.compile(r"(?:\badj(?:ustment|usted)?\.?\s*(?:amount|amt)|\bamount(?:\s+(?:denied|adjusted|not\s+"
                              r"covered))?|\bAMT|\bdenied|not\s+covered)\s*[:=]?\s*$", ANYCASE)
#: Words of a table's header row.
COLUMN_NAMES = re.compile(r"\b(?:code|reason|group|description|amount|amt|billed|allowed|paid|remark|RARC|PROC"
                          r"|procedure|service|date|FROM|DOS|adj|denied|charges?|GRP)\b", ANYCASE)
TOTALS = re.compile(r"\btotals?\b", ANYCASE)
#: A table's rows are read upward to their header over at most this many lines.
TABLE_ROWS = 15
#: A code and its amount in one cell ("CO-45 120.00") are at most this many text heights apart.
SAME_CELL = 1.5
#: An amount in a cell of its own stands at least this many text heights from the word before it.
OWN_CELL = 2.0

Reading = tuple[Decimal, Found, float]  # the amount, where it is, how sure the rule is


@dataclass(frozen=True)
class CodeAmount:
    """What a reason code took, as the page prints it beside the code."""

    code: str
    amount: Decimal
    where: Found
    score: float

    @property
    def confidence(self) -> float:
        return self.score * self.where.confidence


def code_amounts(lines: list[Line], reasons: list[Candidate]) -> dict[str, CodeAmount]:
    """Each code's amount, for the codes whose amount one row of the page states beyond doubt."""
    rows: dict[str, dict[int, CodeAmount | None]] = {}
    for reason in reasons:
        code = reason.where[0]
        read = _amount_on_row(lines, code)
        rows.setdefault(reason.value, {})[id(code.line)] = CodeAmount(reason.value, *read) if read else None
    out = {}
    for code, by_row in rows.items():
        stated = [amount for amount in by_row.values() if amount is not None]
        if len(stated) == 1:  # stated on two rows, the code's amount could be either or their sum
            out[code] = stated[0]
    return out


def _amount_on_row(lines: list[Line], code: Found) -> Reading | None:
    """The code's amount on its row, when every rule that finds one finds the same."""
    line = code.line
    if TOTALS.search(line.text):
        return None
    header = _header_of(lines, line)
    amounts = [(value, where) for value, where in amounts_in(line) if not _excluded(where, header)]
    starts = code_starts(line)
    readings = [*_in_same_cell(code, amounts), *_labelled(code, starts, amounts)]
    if len(starts) == 1:  # with several codes on the row, a column or a lone amount could be any one's
        readings.extend(_in_adjustment_column(amounts, header))
        readings.extend(_alone_after(code, amounts))
    if len({value for value, _where, _score in readings}) != 1:
        return None
    return max(readings, key=lambda reading: reading[2])


def _in_same_cell(code: Found, amounts: list[tuple[Decimal, Found]]) -> list[Reading]:
    """"CO-45 120.00": the amount is the word right after the code, a space away (Medicare's GRP/RC-AMT)."""
    words = code.line.words
    after = _index(code.line, code.words[-1]) + 1
    if after >= len(words) or words[after].box.left - code.box.right > SAME_CELL * max(code.box.height, 1):
        return []
    return [(value, where, 0.93) for value, where in amounts if where.words[0] is words[after]]


def _labelled(code: Found, starts: list[int], amounts: list[tuple[Decimal, Found]]) -> list[Reading]:
    """"CO-50 not medically necessary. Amount $120.00": the first amount after the code (before the
    next code on the row) when its label names what the code took (a bar read between the label and
    a "$" is left out: it is no digit of the amount)."""
    line, start = code.line, _end_of(code)
    end = min((s for s in starts if s > _start_of(code)), default=len(line.text))
    after = [_start_of(where) for _value, where in amounts_in(line) if start <= _start_of(where) < end]
    first = [(value, where) for value, where in amounts if after and _start_of(where) == after[0]]
    if not first:
        return []
    label = line.text[start:after[0]]
    if first[0][1].text.startswith("$"):  # "amount denied | $1,568.25": a stray bar, not a "1" of the amount
        label = re.sub(r"\s\|\s*$", " ", label)
    if not ADJUSTMENT_LABEL.search(label):
        return []
    return [(first[0][0], first[0][1], 0.93)]


def _in_adjustment_column(amounts: list[tuple[Decimal, Found]], header: Line | None) -> list[Reading]:
    """The one amount on the row under a header naming what a code took (Adj. Amt, Denied, Amount)."""
    chosen = [(value, where) for value, where in amounts if header and _column(header, where) == "adjustment"]
    return [(value, where, 0.95) for value, where in chosen] if len(chosen) == 1 else []


def _alone_after(code: Found, amounts: list[tuple[Decimal, Found]]) -> list[Reading]:
    """The row's one amount that is no billed or paid one, after the code in a cell of its own."""
    if len(amounts) != 1 or _start_of(amounts[0][1]) < _end_of(code):
        return []
    value, where = amounts[0]
    return [(value, where, 0.9)] if _own_cell(where) else []


def _excluded(where: Found, header: Line | None) -> bool:
    """An amount under the billed, allowed or paid column, or labelled as one of them."""
    labelled = not _own_cell(where) and NOT_ADJUSTMENT_LABEL.search(where.line.text[:_start_of(where)])
    return bool(labelled) or (header is not None and _column(header, where) == "not")


def _own_cell(where: Found) -> bool:
    """Whether the amount stands apart from the word before it, as a table's cells do."""
    index = _index(where.line, where.words[0])
    if index == 0:
        return True
    return where.box.left - where.line.words[index - 1].box.right >= OWN_CELL * max(where.box.height, 1)


def _header_of(lines: list[Line], line: Line) -> Line | None:
    """The header row of the table the row is in, read upward over the rows that carry amounts."""
    index = lines.index(line)
    for above in reversed(lines[max(0, index - TABLE_ROWS):index]):
        if above.page != line.page:
            return None
        if amounts_in(above):
            continue
        named = len(COLUMN_NAMES.findall(above.text))
        looks = len(above.words) <= 14 and named >= 2 and not re.search(r"\d|\.\s*$", above.text)
        return above if looks else None
    return None


def _column(header: Line, where: Found) -> str:
    """What the header over the amount names: "not" (billed, paid...), "adjustment", or ""."""
    kinds = set()
    slack = max(4, header.box.height)
    for pattern, kind in ((NOT_ADJUSTMENT, "not"), (ADJUSTMENT_HEADER, "adjustment")):
        for match in pattern.finditer(header.text):
            words = header.words_in(match.start(), match.end())
            left, right = min(w.box.left for w in words), max(w.box.right for w in words)
            if where.box.right >= left - slack and where.box.left <= right + 3 * slack:
                kinds.add(kind)
    return "not" if "not" in kinds else "adjustment" if kinds else ""


def _index(line: Line, word: object) -> int:
    return next(i for i, other in enumerate(line.words) if other is word)


def _start_of(where: Found) -> int:
    first = where.line.starts[_index(where.line, where.words[0])]
    at = where.line.text.find(where.text, first)
    return at if at >= 0 else first


def _end_of(where: Found) -> int:
    last = _index(where.line, where.words[-1])
    return where.line.starts[last] + len(where.words[-1].text)
