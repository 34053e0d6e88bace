"""Fields proposed from a scanned EOB or payer letter: each with a confidence and its place.

Nothing is assumed: a field is proposed only when a label, a column header or a sentence on
the page says what the value is, and its confidence (how sure the pattern is, times Tesseract's
confidence in the words) reaches THRESHOLD; below it the field is left empty for the biller, since
a wrong value is worse than none. Reason and remark codes must be codes of our code book.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from workstation.core.codebook import codebook
from workstation.core.scan import Word
from workstation.intake.scan_text import Found, Line, amounts_in, column_words, days_in, found

#: A field whose confidence is below this is left empty (bench_scan.py prints how many).
THRESHOLD = 0.6
ANYCASE = re.IGNORECASE


@dataclass(frozen=True)
class Candidate:
    name: str
    value: str
    score: float  # how sure the rule is that this text is this field, before OCR confidence
    where: tuple[Found, ...]
    read_as: str = ""
    checked: bool = False  # the value is a code of the code book: an OCR slip rarely makes another one

    @property
    def confidence(self) -> float:
        ocr = min(f.confidence for f in self.where)
        return self.score * (0.5 + 0.5 * ocr if self.checked else ocr)


# -- labels followed by their value on the same row ----------------------------------------------

IDENTIFIER_LABELS: dict[str, tuple[str, ...]] = {
    "claim_number": (r"(?:payer\s+)?claim\s*(?:number|no\b\.?|#|id\b)", r"\bICN\b", r"claim\s+control\s+(?:number|no)",
                     r"\bDCN\b"),
    "member_id": (r"member\s*(?:id\b|#|number|no\b\.?)", r"subscriber\s*(?:id\b|#|number)", r"\bMBI\b",
                  r"medicare\s+(?:number|id\b)", r"\bHICN?\b", r"identification\s+(?:number|no\b)"),
    "account_number": (r"(?:patient\s+)?account\s*(?:number|no\b\.?|#)?", r"\bACNT\b", r"\bacct\b\.?\s*#?",
                       r"patient\s+control\s+(?:number|no\b)"),
}
IDENTIFIER_SHAPES = {"claim_number": (6, 25, 5), "member_id": (6, 20, 3), "account_number": (4, 20, 3)}
NAME_LABELS = (r"patient(?:\s+name)?(?!\s*(?:account|acct|control|responsib))", r"beneficiary(?:\s+name)?",
               r"\bNAME\b", r"member\s+name", r"insured(?:\s+name)?")
#: A value may stand this many text heights to the right of its label (two columns of a form).
FAR = 20
SEPARATOR = re.compile(r"[\s:#.\-]*")


def _after_label(lines: list[Line], labels: Iterable[str]) -> list[tuple[Line, int, Found]]:
    """(line, where the value may start, the label) for every label found."""
    out = []
    for line in lines:
        for pattern in labels:
            for match in re.finditer(pattern, line.text, ANYCASE):
                start = SEPARATOR.match(line.text, match.end()).end()
                out.append((line, start, found(line, match.start(), match.end())))
    return out


def _next_word(line: Line, start: int, label: Found) -> Found | None:
    """The value at `start`, if it is close enough to its label to belong to it; a value Tesseract
    split in two ("ZMF 164035524") is joined when the parts nearly touch. A bar read within the
    value (a "1" misread, or a rule) leaves it empty, but for a word re-read with the first stroke
    of the next one ("759-6473 |" then "144-34"): there the bar is that "1"'s edge."""
    pairs = list(zip(line.words, line.starts, strict=True))
    for index, (word, offset) in enumerate(pairs):
        if offset + len(word.text) > start:
            if word.box.left - label.box.right > FAR * max(label.box.height, word.box.height, 1):
                return None
            text, words = word.text[max(0, start - offset):].strip(".,;:()"), [word]
            following = [after for after, _offset in pairs[index + 1:index + 4]]
            if following and _edge_of_next(text, word, following[0]):
                text = text.removesuffix("|").rstrip()
            text = text.replace(" ", "")
            for after in following:
                gap = after.box.left - words[-1].box.right
                if gap > 1.2 * max(word.box.height, 1):
                    break
                part = after.text.strip(".,;:")
                if part == "|" and after is not following[-1] and _value_part(following[following.index(after) + 1],
                                                                               words[-1]):
                    return None  # "759-6473 | 44-34": one value with a misread "1", or two cells
                if not _value_part(after, words[-1]):
                    break
                text, words = text + part, [*words, after]
            return Found(text, line, tuple(words)) if text and "|" not in text else None
    return None


def _value_part(word: Word, before: Word) -> bool:
    """Whether the word may be the rest of a value split by Tesseract: digits, nearly touching."""
    gap = word.box.left - before.box.right
    return gap <= 1.2 * max(before.box.height, 1) and bool(
        re.fullmatch(r"[A-Za-z0-9-]*\d[A-Za-z0-9-]*\d[\w-]*", word.text.strip(".,;:")))


def _edge_of_next(text: str, word: Word, after: Word) -> bool:
    """A bar read apart at the end of a word ("759-6473 |") that the next word, beginning with a
    stroke (1, l, I), nearly touches: the re-read of the word took in that stroke's edge."""
    close = after.box.left - word.box.right <= 0.5 * max(word.box.height, 1)
    return bool(re.search(r"\s\|$", text)) and close and after.text[:1] in "1lI"


def identifier_candidates(lines: list[Line]) -> list[Candidate]:
    out = []
    for name, labels in IDENTIFIER_LABELS.items():
        shortest, longest, digits = IDENTIFIER_SHAPES[name]
        for line, start, label in _after_label(lines, labels):
            value = _next_word(line, start, label)
            if value is None:
                continue
            text = value.text.upper()
            if (re.fullmatch(r"[A-Z0-9][A-Z0-9-]*[A-Z0-9]", text) and shortest <= len(text) <= longest
                    and sum(c.isdigit() for c in text) >= digits):
                text, score = _as_mbi(text, label.text) if name == "member_id" else (text, 0.97)
                out.append(Candidate(name, text, score if len(value.words) == 1 else score * 0.92, (value,),
                                     value.text if text != value.text.upper() else ""))
    return out


MBI = re.compile(r"[1-9][A-Z][A-Z0-9][0-9][A-Z][A-Z0-9][0-9][A-Z]{2}[0-9]{2}")


def _as_mbi(text: str, label: str) -> tuple[str, float]:
    """A Medicare number has no letter O (nor S, L, I, B, Z): an O read in one is the digit 0. Under
    an MBI label, a value without the MBI's shape is a misreading (left to the biller)."""
    if len(text) == 11 and "O" in text and MBI.fullmatch(text.replace("O", "0")):
        return text.replace("O", "0"), 0.85
    if re.search(r"MBI|medicare", label, ANYCASE) and not MBI.fullmatch(text):
        return text, 0.5
    return text, 0.97


def name_candidates(lines: list[Line]) -> list[Candidate]:
    out = []
    for line, start, label in _after_label(lines, NAME_LABELS):
        words, previous = [], label
        for word, offset in zip(line.words, line.starts, strict=True):
            if offset < start:
                continue
            if (not re.fullmatch(r"[A-Za-z][A-Za-z'.\-]*,?", word.text) or len(words) == 4
                    or word.box.left - previous.box.right > (FAR if not words else 2.5) * max(
                        word.box.height, previous.box.height)):
                break
            words.append(Found(word.text, line, (word,)))
            previous = words[-1]
        value = patient_name(" ".join(w.text for w in words))
        if value:
            out.append(Candidate("patient_name", value, 0.93, tuple(words)))
    return out


def patient_name(text: str) -> str:
    """"LAST, FIRST" from "Avery Exemplo" or "EXEMPLO, AVERY"; empty when it is no name."""
    text = re.sub(r"\s+", " ", text).strip(" ,.")
    if "," in text:
        last, _, first = text.partition(",")
        last, first = last.strip(), first.strip()
    else:
        parts = text.split(" ")
        last, first = (parts[-1], " ".join(parts[:-1])) if len(parts) >= 2 else ("", "")
    if len(last) < 2 or not first:
        return ""
    return f"{last.upper()}, {first.upper()}"


# -- dates ---------------------------------------------------------------------------------------

NOTICE_LABELS = (r"notice\s+date", r"date\s+of\s+(?:this\s+)?notice", r"letter\s+date", r"date\s+issued",
                 r"remittance\s+date", r"\bdate\b(?=\s*:)", r"\bdated\b")
SERVICE_LABELS = (r"date(?:s|\(s\))?\s+of\s+service", r"service\s+dates?", r"\bDOS\b")
SERVICE_HEADERS = (r"date(?:s|\(s\))?\s+of\s+service", r"service\s+dates?", r"\bDOS\b", r"(?-i:\bFROM\b)")


def notice_candidates(lines: list[Line]) -> list[Candidate]:
    out = []
    for line, start, _label in _after_label(lines, NOTICE_LABELS):
        days = days_in(line, start)
        if days and _near(line, start, days[0][1]):
            out.append(Candidate("notice_date", days[0][0].isoformat(), 0.95, (days[0][1],)))
    first = [line for line in lines if line.page == lines[0].page][:8] if lines else []
    for line in first:  # a letter's date on a line of its own at the top
        days = days_in(line)
        if len(days) == 1 and len(days[0][1].text) >= len(line.text) - 2:
            out.append(Candidate("notice_date", days[0][0].isoformat(), 0.85, (days[0][1],)))
    return out


def service_candidates(lines: list[Line]) -> list[Candidate]:
    out = []
    for line, start, _label in _after_label(lines, SERVICE_LABELS):
        out.extend(Candidate("service_dates", day.isoformat(), 0.95, (where,)) for day, where in days_in(line, start))
    for header in _headers(lines, SERVICE_HEADERS):
        if days_in(header.line, header.line.text.find(header.text)) or not _header_row(header.line):
            continue
        for cell in column_words(lines, header):
            for day, where in days_in(_cell_line(cell), compact=True):
                place = Found(where.text, cell.line, cell.words)
                out.append(Candidate("service_dates", day.isoformat(), 0.9, (place,)))
    return out


def _near(line: Line, start: int, where: Found, words: int = 2) -> bool:
    """Whether `where` comes at most `words` words after `start` (a label's value, not a later one)."""
    offset = line.starts[line.words.index(where.words[0])]
    return len(line.text[start:offset].split()) <= words


def _headers(lines: list[Line], patterns: Iterable[str]) -> list[Found]:
    """Column headers: labels on a row with no value after them (a table's top row)."""
    out = []
    for line in lines:
        for pattern in patterns:
            for match in re.finditer(pattern, line.text, ANYCASE):
                out.append(found(line, match.start(), match.end()))
    return out


def _cell_line(cell: Found) -> Line:
    return Line(cell.line.page, cell.words, cell.text, (0,))


# -- procedures, amounts, codes ------------------------------------------------------------------

PROCEDURE = re.compile(r"(?<![\w$.,/])(\d{4}[0-9FTU]|[A-V]\d{4})(?![\w./]|,\d)")
PROCEDURE_LABELS = (r"procedure(?:s|\s+codes?)?", r"\bCPT\b(?:\s+codes?)?", r"\bHCPCS\b", r"\bPROC\b",
                    r"service\s+codes?")


def procedure_candidates(lines: list[Line]) -> list[Candidate]:
    out = []
    for line, start, label in _after_label(lines, PROCEDURE_LABELS):
        after = list(PROCEDURE.finditer(line.text, start))
        out.extend(Candidate("procedure_codes", m.group(1), 0.93, (found(line, m.start(), m.end()),)) for m in after)
        if not after and _header_row(line):
            for cell in column_words(lines, label):
                if match := PROCEDURE.fullmatch(cell.text):
                    out.append(Candidate("procedure_codes", match.group(1), 0.9, (cell,)))
    return out


def _header_row(line: Line) -> bool:
    """A table's header row is short words side by side, not a sentence."""
    return len(line.words) <= 14 and not line.text.rstrip().endswith(".")


AMOUNT_LABELS = {"billed": (r"\bbilled\b", r"total\s+charges?", r"amount\s+charged", r"\bcharges\b"),
                 "paid": (r"\bpaid\b", r"\bpayment\b", r"\bPROV\s+PD\b"),
                 "denied": (r"\bdenied\b", r"not\s+covered", r"amount\s+denied")}
TOTALS = re.compile(r"\btotals?\b", ANYCASE)


def amount_candidates(lines: list[Line]) -> list[Candidate]:
    """An amount after its label ("Amount denied: $90.00", "BILLED 1655.00", "we paid $0.00"); only
    without one, the amount under its column header on the totals row. A label after a reason code on
    its line names what that code took, so it counts only when no other label gives the amount."""
    out = []
    for name, labels in AMOUNT_LABELS.items():
        labelled, coded, headers = [], [], []
        for line, start, label in _after_label(lines, labels):
            amounts = amounts_in(line, start)
            if amounts and _near(line, start, amounts[0][1]):
                after_code = any(at < start for at in code_starts(line))  # "CO-50 ..., amount denied $120.00"
                (coded if after_code else labelled).append(
                    Candidate(name, f"{amounts[0][0]:.2f}", 0.93, (amounts[0][1],)))
            elif not amounts and start >= len(line.text) and (wrapped := _wrapped_amount(lines, line)):
                labelled.append(Candidate(name, f"{wrapped[0]:.2f}", 0.9, (wrapped[1],)))
            elif not amounts:
                headers.append(label)
        out.extend(labelled or coded or [c for header in headers for c in _column_total(lines, name, header)])
    return out


def _wrapped_amount(lines: list[Line], line: Line) -> tuple[Decimal, Found] | None:
    """A sentence's amount carried over to the next line ("... and denied" / "$90.00 for ...")."""
    index = lines.index(line)
    following = lines[index + 1] if index + 1 < len(lines) else None
    if following is None or following.page != line.page or following.box.top - line.box.bottom > 2 * line.box.height:
        return None
    amounts = amounts_in(following)
    return amounts[0] if amounts and _near(following, 0, amounts[0][1], words=0) else None


def _column_total(lines: list[Line], name: str, header: Found) -> list[Candidate]:
    """The amount under a column header on the totals row (or the only row, when one)."""
    if not _header_row(header.line):
        return []
    cells = [(value, Found(where.text, cell.line, cell.words)) for cell in column_words(lines, header)
             for value, where in amounts_in(_cell_line(cell))]
    totals = [(value, where) for value, where in cells if TOTALS.search(where.line.text)]
    rows = {id(where.line) for _v, where in cells}
    chosen = totals[:1] or (cells[:1] if len(rows) == 1 else [])
    return [Candidate(name, f"{value:.2f}", 0.9, (where,)) for value, where in chosen]


GROUPS = ("CO", "PR", "OA", "PI", "CR")
#: What Tesseract may read for a letter of a group code (the digit 0 for O, 1 for I), any case.
_LOOKS = {"O": "[O0]", "I": "[I1]"}


def _group_readings() -> str:
    """A group code as read: its two letters, a space between them ("C O"), or one of them read
    twice ("CoO", "CcO": a glyph Tesseract took for two), which drops to one group code only."""
    looks = [(_LOOKS.get(g[0], g[0]), _LOOKS.get(g[1], g[1])) for g in GROUPS]
    doubled = [f"{a}{a}{b}|{a}{b}{b}" for a, b in looks]
    return rf"(?i:{'|'.join(doubled)}|[CPO]\s?[O0RAI1])"


REASON = re.compile(rf"(?<![A-Za-z0-9.,$])({_group_readings()})\s?[-–]?\s?([A-Z]?[0-9OlI]{{1,3}})(?![A-Za-z0-9])")
REMARK = re.compile(r"(?<![A-Za-z0-9])(MA|N|M)\s?(\d{1,3})(?![A-Za-z0-9])")
REMARK_CONTEXT = re.compile(r"remark|\bRARC\b", ANYCASE)
#: How sure a code is by how it was read: as printed, with its group code put right (case, a digit
#: for a letter, a space or a glyph read twice: each has one reading), or with its number put right.
AS_PRINTED, GROUP_PUT_RIGHT, NUMBER_PUT_RIGHT = 0.97, 0.93, 0.8


def reason_candidates(lines: list[Line]) -> tuple[list[Candidate], list[str]]:
    """Group and reason codes (CO-50, CO 50, CO50), and the codes read that the code book lacks."""
    book, out, unknown = codebook(), [], []
    for line in lines:
        for match in REASON.finditer(line.text):
            group = _group(match.group(1))
            number = match.group(2).upper()
            carc = number.replace("O", "0").replace("L", "1").replace("I", "1")
            carc = carc.lstrip("0") or carc
            if group not in GROUPS:
                continue
            if carc not in book.reasons:
                unknown.append(f"{group}-{carc}")
                continue
            score = NUMBER_PUT_RIGHT if carc != number else GROUP_PUT_RIGHT if match.group(1) != group else AS_PRINTED
            out.append(Candidate("reason_codes", f"{group}-{carc}", score, (found(line, match.start(), match.end()),),
                                 match.group(0) if score != AS_PRINTED else "", checked=True))
    return out, sorted(set(unknown))


def _group(read: str) -> str:
    """The group code as read, put right: a digit read for a letter (C0: CO), a space between its
    letters (C O), a letter read twice (CoO, CcO: CO)."""
    letters = read.upper().replace("0", "O").replace("1", "I").replace(" ", "")
    if len(letters) == 3:
        letters = letters[1:] if letters[0] == letters[1] else letters[:2]
    return letters


def code_starts(line: Line) -> list[int]:
    """Where each group and reason code on the row begins (codes the code book lacks too)."""
    return [match.start() for match in REASON.finditer(line.text) if _group(match.group(1)) in GROUPS]


def remark_candidates(lines: list[Line], reasons: list[Candidate]) -> list[Candidate]:
    """Remark codes of the code book, on a row that names them or carries a reason code, or under a
    Remark column."""
    book, out = codebook(), []
    reason_lines = {id(c.where[0].line) for c in reasons}
    headers = _headers(lines, (r"\bremarks?\b", r"\bRARC\b"))
    under = {id(w) for header in headers for cell in column_words(lines, header) for w in cell.words}
    for line in lines:
        labelled = REMARK_CONTEXT.search(line.text)
        for match in REMARK.finditer(line.text):
            code = f"{match.group(1)}{match.group(2)}"
            where = found(line, match.start(), match.end())
            in_context = (labelled and labelled.start() < match.start()) or id(line) in reason_lines or any(
                id(w) in under for w in where.words)
            if in_context and code in book.remarks:
                out.append(Candidate("remark_codes", code, 0.93, (where,), checked=True))
    return out
