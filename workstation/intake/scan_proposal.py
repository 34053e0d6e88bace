"""A scan's proposal: the best candidate of every field over all pages, what the scan is, and the
fields left empty because nothing reached the threshold (paper intake, scan_fields.py)."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from workstation.core.scan import LIST_FIELDS, ProposedField, ScannedPage, ScanProposal
from workstation.intake.scan_fields import (
    THRESHOLD,
    Candidate,
    amount_candidates,
    identifier_candidates,
    name_candidates,
    notice_candidates,
    procedure_candidates,
    reason_candidates,
    remark_candidates,
    service_candidates,
)
from workstation.intake.scan_reason_amounts import CodeAmount, code_amounts
from workstation.intake.scan_text import Found, Line, days_in, found, lines_of

ANYCASE = re.IGNORECASE
DEADLINE = re.compile(r"(?:within|have|has|of)\s+(\d{1,3})\s+(?:calendar\s+)?days", ANYCASE)
DEADLINE_DATE = re.compile(r"(?:no\s+later\s+than|received\s+by|on\s+or\s+before|by)\s+", ANYCASE)
APPEAL_WORDS = re.compile(r"appeal|redetermination|reconsideration|review|dispute", ANYCASE)
DECISION_LETTER = re.compile(r"(?:appeal|redetermination|reconsideration)\s+decision|decision\s+(?:on|about)\s+your"
                             r"|completed\s+(?:our|the)\s+review\s+of\s+your\s+(?:request|appeal)", ANYCASE)
OUTCOMES = ((re.compile(r"partially\s+favorable|partially\s+overturned|in\s+part", ANYCASE), "partially_won"),
            (re.compile(r"unfavorable|\bupheld\b|\buphold\b|\baffirmed?\b", ANYCASE), "lost"),
            (re.compile(r"\bfavorable\b|\boverturned?\b|\breversed\b|\bapproved\b", ANYCASE), "won"))
REMITTANCE = re.compile(r"explanation\s+of\s+benefits|remittance|\bEOB\b|provider\s+voucher", ANYCASE)
PAYER_LABEL = (r"\bpayer\b(?:\s+name)?", r"insurance\s+company", r"\binsurer\b")
NOT_A_PAYER = re.compile(r"explanation|notice|remittance|decision|denial|\bre\b|\bdate\b|page\s+\d|\bbox\b|\d{3,}",
                         ANYCASE)


def propose(pages: list[ScannedPage], files: list[str], *, threshold: float = THRESHOLD) -> ScanProposal:
    """Every field's best candidate at or above `threshold`; the rest named as left empty."""
    lines = [line for page in pages if not page.problem for line in lines_of(page)]
    reasons, unknown = reason_candidates(lines)
    candidates = [*identifier_candidates(lines), *name_candidates(lines), *notice_candidates(lines),
                  *service_candidates(lines), *procedure_candidates(lines), *amount_candidates(lines),
                  *reasons, *remark_candidates(lines, reasons), *deadline_candidates(lines),
                  *decision_candidates(lines), *payer_candidates(lines)]
    candidates = _agreeing_amounts(candidates)
    fields, left_empty = _choose(candidates, threshold)
    note = ""
    if "reason_codes" in fields:
        fields["reason_codes"], note = _with_amounts(fields["reason_codes"], code_amounts(lines, reasons),
                                                     fields.get("denied"), threshold)
    text = " ".join(line.text for line in lines)
    proposal = ScanProposal(files, pages, fields, left_empty,
                            "remittance" if REMITTANCE.search(text) else "decision_letter")
    proposal.notes.extend(f"{code} was read but is not a code in the code book, so it was not proposed; check the "
                          "notice." for code in unknown)
    proposal.notes.extend([note] if note else [])
    return proposal


def _choose(candidates: list[Candidate], threshold: float) -> tuple[dict[str, ProposedField], list[str]]:
    by_name: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_name.setdefault(candidate.name, []).append(candidate)
    fields, left_empty = {}, []
    for name, found_ in by_name.items():
        sure = [c for c in found_ if c.confidence >= threshold]
        if not sure:
            left_empty.append(name)
        elif name in LIST_FIELDS:
            fields[name] = _listed(name, sure)
        else:
            fields[name] = _single(name, sure, found_)
            if fields[name].confidence < threshold:
                del fields[name]
                left_empty.append(name)
    return fields, sorted(left_empty)


def _single(name: str, sure: list[Candidate], every: list[Candidate]) -> ProposedField:
    """The surest value; lowered when another reading of the same field disagrees with it."""
    best = max(sure, key=lambda c: c.confidence)
    confidence = best.confidence
    rivals = [c for c in every if c.value != best.value and c.confidence >= 0.5 * best.confidence]
    if rivals and not (name == "notice_date" and best.score > max(c.score for c in rivals)):
        confidence *= 0.6
    return _field(name, best.value, confidence, [best], best.read_as)


def _listed(name: str, sure: list[Candidate]) -> ProposedField:
    values = list(dict.fromkeys(c.value for c in sorted(sure, key=_reading_order)))
    if name == "service_dates":
        values.sort()
    confidence = min(max(c.confidence for c in sure if c.value == v) for v in values)
    return _field(name, ", ".join(values), confidence, sorted(sure, key=_reading_order),
                  ", ".join(c.read_as for c in sure if c.read_as))


def _reading_order(candidate: Candidate) -> tuple[int, int, int]:
    box = candidate.where[0].box
    return candidate.where[0].line.page, box.top, box.left


def _field(name: str, value: str, confidence: float, chosen: list[Candidate], read_as: str) -> ProposedField:
    first = chosen[0].where[0].line.page
    boxes = tuple(f.box for c in chosen for f in c.where if f.line.page == first)
    return ProposedField(name, value, min(confidence, 1.0), first, boxes, read_as)


def _with_amounts(field: ProposedField, amounts: dict[str, CodeAmount], denied: ProposedField | None,
                  threshold: float) -> tuple[ProposedField, str]:
    """Of several codes, each with the amount the page states beside it ("CO-50 120.00, CO-16 30.00"),
    as the case creation reads them, the amounts' places added to the codes'; one code alone keeps
    just the code (it took the denied amount). Amounts that cannot add up to the denied amount are
    left off, with a note saying what was read."""
    codes = field.value.split(", ")
    sure = {code: amounts[code].amount for code in codes if code in amounts and amounts[code].confidence >= threshold}
    if len(codes) < 2 or not sure:
        return field, ""
    read = ", ".join(f"{code} {sure[code]:.2f}" if code in sure else code for code in codes)
    total = sum(sure.values(), Decimal("0.00"))
    if denied is not None and (total != Decimal(denied.value) if len(sure) == len(codes)
                               else total >= Decimal(denied.value)):
        return field, (f"The amounts read beside the reason codes ({read}) do not add up to the denied amount "
                       f"({denied.value}), so they were not proposed; type each code's amount as the notice "
                       "shows it.")
    boxes = tuple(amounts[code].where.box for code in sure if amounts[code].where.line.page == field.page)
    return replace(field, value=read, boxes=field.boxes + boxes), ""  # the amounts highlighted beside the codes


def _agreeing_amounts(candidates: list[Candidate]) -> list[Candidate]:
    """Billed less paid equal to denied is three readings that confirm each other: surer."""
    best = {n: max((c for c in candidates if c.name == n), key=lambda c: c.confidence, default=None)
            for n in ("billed", "paid", "denied")}
    if any(c is None for c in best.values()):
        return candidates
    billed, paid, denied = (Decimal(best[n].value) for n in ("billed", "paid", "denied"))
    if billed - paid != denied:
        return candidates
    chosen = {id(c) for c in best.values()}
    return [replace(c, score=min(1.0, c.score * 1.08)) if id(c) in chosen else c
            for c in candidates]


def deadline_candidates(lines: list[Line]) -> list[Candidate]:
    """"You have 60 days from the date of this notice to appeal": "60 days" (or a stated date)."""
    out = []
    for index, line in enumerate(lines):
        window = lines[max(0, index - 1):index + 2]
        context = " ".join(w.text for w in window)
        if not APPEAL_WORDS.search(context):
            continue
        for match in DEADLINE.finditer(line.text):
            days = int(match.group(1))
            if 10 <= days <= 365:
                place = found(line, match.start(), match.end())
                out.append(Candidate("appeal_deadline", f"{days} days", 0.9, (place,)))
        for match in DEADLINE_DATE.finditer(line.text):
            after = days_in(line, match.end())
            if after and after[0][1].words[0] is line.words_in(match.end(), match.end() + 1)[0]:
                out.append(Candidate("appeal_deadline", after[0][0].isoformat(), 0.9, (after[0][1],)))
    return out


def decision_candidates(lines: list[Line]) -> list[Candidate]:
    """The outcome stated by an appeal decision letter (only on one: a denial is no decision)."""
    if not any(DECISION_LETTER.search(line.text) for line in lines):
        return []
    for line in lines:
        for pattern, outcome in OUTCOMES:
            if match := pattern.search(line.text):
                return [Candidate("decision", outcome, 0.85, (found(line, match.start(), match.end()),))]
    return []


def payer_candidates(lines: list[Line]) -> list[Candidate]:
    """The payer from a "Payer:" label, else the letterhead: the tallest words near the top of page 1."""
    out = []
    for line in lines:
        for pattern in PAYER_LABEL:
            if match := re.search(pattern + r"\s*:\s*", line.text, ANYCASE):
                value = line.text[match.end():].strip()
                words = line.words_in(match.end(), len(line.text))
                if 3 <= len(value) <= 60 and words:
                    out.append(Candidate("payer_name", value, 0.9, (Found(value, line, tuple(words)),)))
    first = [line for line in lines if line.page == lines[0].page][:4] if lines else []
    heading = [line for line in first if re.search(r"[A-Za-z]{3}", line.text) and not NOT_A_PAYER.search(line.text)
               and 2 <= len(line.words) <= 6]
    if heading:
        height = {id(line): sorted(w.box.height for w in line.words)[len(line.words) // 2] for line in heading}
        tallest = max(height.values())
        chosen = next(line for line in heading if height[id(line)] >= 0.8 * tallest)
        out.append(Candidate("payer_name", chosen.text.strip(" .,"), 0.8, (Found(chosen.text, chosen, chosen.words),)))
    return out
