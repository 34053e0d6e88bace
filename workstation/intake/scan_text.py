"""The text of scanned pages as lines, with every match traced back to its words (paper intake).

A `Line` joins a text line's words with single spaces and remembers where each word sits in the
joined text, so a pattern found in the text gives back the words under it: their boxes (where
the value is on the page) and their confidence (how sure Tesseract was).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from workstation.core.scan import Box, ScannedPage, Word


@dataclass(frozen=True)
class Line:
    page: int
    words: tuple[Word, ...]
    text: str
    starts: tuple[int, ...]  # where each word begins in `text`

    @property
    def box(self) -> Box:
        return box_of(self.words)

    def words_in(self, start: int, end: int) -> list[Word]:
        """The words that overlap text[start:end]."""
        return [w for w, s in zip(self.words, self.starts, strict=True) if s < end and s + len(w.text) > start]


@dataclass(frozen=True)
class Found:
    """A piece of text found on a line: the text, the words under it and where it is."""

    text: str
    line: Line
    words: tuple[Word, ...]

    @property
    def confidence(self) -> float:
        """Tesseract's confidence in the least sure word, 0-1 (1 for a text layer)."""
        return min((w.confidence for w in self.words), default=0.0) / 100

    @property
    def box(self) -> Box:
        return box_of(self.words)


def box_of(words: tuple[Word, ...]) -> Box:
    """The box around some words (at least one)."""
    box = words[0].box
    for word in words[1:]:
        box = box.union(word.box)
    return box


def lines_of(page: ScannedPage) -> list[Line]:
    """The page's words as rows read across: Tesseract's line segments side by side (a label and
    its value far to the right, two label-value pairs on one row) are joined into one row."""
    segments: dict[int, list[Word]] = {}
    for word in page.words:
        segments.setdefault(word.line, []).append(word)
    rows: list[list[Word]] = []
    boxes: list[Box] = []
    for words in sorted(segments.values(), key=lambda ws: min(w.box.top for w in ws)):
        box = _box_of(words)
        row = next((i for i, other in enumerate(boxes) if _same_row(box, other)), None)
        if row is None:
            rows.append(list(words))
            boxes.append(box)
        else:
            rows[row].extend(words)
            boxes[row] = boxes[row].union(box)
    ordered = sorted(zip(boxes, rows, strict=True), key=lambda pair: pair[0].top)
    return [_line(page.number, sorted(words, key=lambda w: w.box.left)) for _box, words in ordered]


def _box_of(words: list[Word]) -> Box:
    box = words[0].box
    for word in words[1:]:
        box = box.union(word.box)
    return box


def _same_row(a: Box, b: Box) -> bool:
    """Two segments are one row when they overlap across most of the shorter one's height."""
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap >= 0.6 * min(a.height, b.height) and a.height < 2.2 * b.height and b.height < 2.2 * a.height


def _line(page: int, words: list[Word]) -> Line:
    starts, position = [], 0
    for word in words:
        starts.append(position)
        position += len(word.text) + 1
    return Line(page, tuple(words), " ".join(w.text for w in words), tuple(starts))


def found(line: Line, start: int, end: int) -> Found:
    words = tuple(line.words_in(start, end)) or line.words[:1]
    return Found(line.text[start:end], line, words)


def column_words(lines: list[Line], header: Found, below: int = 12) -> list[Found]:
    """Words under a column header: on the next `below` lines, overlapping the header across."""
    left, right = header.box.left, header.box.right
    slack = max(4, header.box.height)
    start = lines.index(header.line) + 1
    out = []
    for line in lines[start:start + below]:
        for word in line.words:
            if word.box.right >= left - slack and word.box.left <= right + slack * 3:
                out.append(Found(word.text, line, (word,)))
    return out


# -- values -------------------------------------------------------------------------------------

MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")), start=1) for name in names}

DATE_PATTERN = re.compile(
    r"(?<![\d/])(?P<m>\d{1,2})[/.-](?P<d>\d{1,2})[/.-](?P<y>\d{4}|\d{2})(?![\d/])"
    r"|(?<!\d)(?P<iy>20\d{2})-(?P<im>\d{2})-(?P<id>\d{2})(?!\d)"
    r"|(?P<wm>[A-Za-z]{3,9})\.?\s+(?P<wd>\d{1,2}),?\s+(?P<wy>20\d{2})"
    r"|(?<!\d)(?P<cm>[01]\d)(?P<cd>[0-3]\d)(?P<cy>[2-3]\d)(?!\d)")


def parse_day(match: re.Match[str]) -> date | None:
    """A date from any of DATE_PATTERN's forms; None when it is no calendar day."""
    groups = match.groupdict()
    try:
        if groups["m"]:
            year = int(groups["y"])
            return date(year + 2000 if year < 100 else year, int(groups["m"]), int(groups["d"]))
        if groups["iy"]:
            return date(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
        if groups["wm"]:
            month = MONTHS.get(groups["wm"].lower())
            return date(int(groups["wy"]), month, int(groups["wd"])) if month else None
        return date(2000 + int(groups["cy"]), int(groups["cm"]), int(groups["cd"]))
    except ValueError:
        return None


def days_in(line: Line, start: int = 0, *, compact: bool = False) -> list[tuple[date, Found]]:
    """Every date on the line from `start`; MMDDYY (Medicare's six digits) only when `compact`."""
    out = []
    for match in DATE_PATTERN.finditer(line.text, start):
        if match.group("cm") and not compact:
            continue
        day = parse_day(match)
        if day is not None and 1990 <= day.year <= 2099:
            out.append((day, found(line, match.start(), match.end())))
    return out


MONEY_PATTERN = re.compile(r"(?<![\w.,])\$?\s?(\d{1,3}(?:,\d{3})+|\d+)\.(\d{2})(?!\d|,\d)")


def amounts_in(line: Line, start: int = 0) -> list[tuple[Decimal, Found]]:
    out = []
    for match in MONEY_PATTERN.finditer(line.text, start):
        try:
            value = Decimal(f"{match.group(1).replace(',', '')}.{match.group(2)}")
        except InvalidOperation:
            continue
        out.append((value, found(line, match.start(), match.end())))
    return out
