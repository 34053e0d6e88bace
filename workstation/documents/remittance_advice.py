"""The remittance advice made from the 835 a case came from: one page saying what the payer's
electronic remittance said about this claim (payer, check or EFT trace number, dates, the claim
and its lines, every adjustment and remark code with our code book's wording, the amounts), so a
packet can enclose the remittance the case already holds instead of asking for a copy of it.

Built from the case alone (no date of printing), the page is the same bytes every time, as a
packet rebuilt from its manifest must be."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from workstation.core.codebook import CodeBook, codebook
from workstation.core.model import Adjustment, Case, ServiceLine
from workstation.core.money import dollars
from workstation.documents.fonts import register_fonts
from workstation.documents.letter_context import written_name
from workstation.documents.letter_markup import inline, protect

rl_config.invariant = 1  # no timestamps or random ids: the same case gives the same bytes

TITLE = "Remittance advice (from the 835)"
KIND = "remittance"
MARGIN = 0.7 * inch
_GRID = colors.HexColor("#bbbbbb")
_SHADE = colors.HexColor("#f2f2f2")


def remittance_advice_pdf(case: Case, *, prepared_by: str = "") -> bytes:
    """The page for this case (its remittances, lines, adjustments and remarks)."""
    s = _styles()
    book = codebook()
    who = prepared_by or case.provider.name or "the provider"
    story: list[Flowable] = [
        _p(TITLE, s["title"]),
        _p(f"What the payer's electronic remittance advice (X12 835) said about this claim, as {who} received "
           "it. The codes and amounts are the payer's; the words beside each code are a plain explanation, "
           "not the payer's own text.", s["small"]),
        Spacer(1, 8), _facts(case, book, s), Spacer(1, 8),
        _p("Remittances this claim appeared on", s["heading"]), _remittances(case, book, s), Spacer(1, 8),
        _p("Service lines", s["heading"]), _lines(case, s), Spacer(1, 8),
        _p("Adjustments", s["heading"]), _adjustments(case, book, s),
    ]
    if case.remarks:
        story += [Spacer(1, 8), _p("Remark codes", s["heading"]), _remarks(case, book, s)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=LETTER, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=0.75 * inch, bottomMargin=0.7 * inch, title=TITLE,
                                 author=who, creator="Appeal Workstation")
    document.build(story)
    return buffer.getvalue()


def _styles() -> dict[str, ParagraphStyle]:
    family = register_fonts()
    body = ParagraphStyle("body", fontName=family, fontSize=8.5, leading=10.5)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName="DejaVuSans-Bold", fontSize=14, leading=18,
                                spaceAfter=2),
        "heading": ParagraphStyle("heading", parent=body, fontName="DejaVuSans-Bold", fontSize=10, leading=13,
                                  spaceAfter=3),
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#333333")),
        "label": ParagraphStyle("label", parent=body, fontName="DejaVuSans-Bold"),
        "right": ParagraphStyle("right", parent=body, alignment=2),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A value printed exactly as it is (a '*' or '<' in a name is not markup)."""
    return Paragraph(inline(str(protect(text))), style)


def _table(rows: list[list[Flowable]], widths: list[float | None], *, header: bool = True,
           label_column: bool = False) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1 if header else 0)
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.25, _GRID),
             ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), _SHADE))
    if label_column:
        style.append(("BACKGROUND", (0, 0), (0, -1), _SHADE))
        style.append(("BACKGROUND", (2, 0), (2, -1), _SHADE))
    table.setStyle(TableStyle(style))
    return table


def _date(value: date | None) -> str:
    return value.strftime("%m/%d/%Y") if value else ""


def _facts(case: Case, book: CodeBook, s: dict[str, ParagraphStyle]) -> Table:
    claim, payer, provider, patient = case.claim, case.payer, case.provider, case.patient
    status = book.claim_statuses.get(claim.status_code, "")
    name = " ".join(part for part in (written_name(patient.first_name), written_name(patient.last_name)) if part)
    pairs = [
        ("Payer", f"{payer.name}" + (f" (payer ID {payer.payer_id})" if payer.payer_id else ""),
         "Payee", written_name(provider.name) + (f", NPI {provider.npi}" if provider.npi else "")),
        ("Patient", name, "Member ID", patient.member_id),
        ("Payer claim number", claim.payer_claim_number, "Patient account", claim.account_number),
        ("Dates of service", _service_dates(case), "Claim status", f"{claim.status_code} {status}".strip()),
        ("Billed / allowed", f"{dollars(claim.billed)} / {_money(claim.allowed)}",
         "Paid / patient share", f"{dollars(claim.paid)} / {dollars(claim.patient_responsibility)}"),
    ]
    rows = [[_p(a, s["label"]), _p(b, s["body"]), _p(c, s["label"]), _p(d, s["body"])] for a, b, c, d in pairs]
    width = LETTER[0] - 2 * MARGIN
    return _table(rows, [1.25 * inch, width / 2 - 1.25 * inch, 1.25 * inch, width / 2 - 1.25 * inch],
                  header=False, label_column=True)


def _service_dates(case: Case) -> str:
    starts = [line.service_from for line in case.lines if line.service_from] or [case.claim.service_from]
    ends = [line.service_to or line.service_from for line in case.lines if line.service_from] or [
        case.claim.service_to or case.claim.service_from]
    first, last = min((d for d in starts if d), default=None), max((d for d in ends if d), default=None)
    return _date(first) if first == last else f"{_date(first)} to {_date(last)}"


def _money(value: Decimal | None) -> str:
    return dollars(value) if value is not None else "not stated"


def _remittances(case: Case, book: CodeBook, s: dict[str, ParagraphStyle]) -> Table:
    rows = [[_p(text, s["label"]) for text in ("Notice date", "Check or EFT trace", "Claim status", "Paid",
                                               "Received in")]]
    for seen in sorted(case.remittances, key=lambda r: (r.notice_date or date.min, r.file_name)):
        status = book.claim_statuses.get(seen.status_code, "")
        rows.append([_p(_date(seen.notice_date) or "not stated", s["body"]), _p(seen.check_number, s["body"]),
                     _p(f"{seen.status_code} {status}".strip(), s["body"]), _p(dollars(seen.paid), s["right"]),
                     _p(seen.file_name, s["body"])])
    return _table(rows, [0.95 * inch, 1.45 * inch, 2.0 * inch, 0.85 * inch, None])


def _lines(case: Case, s: dict[str, ParagraphStyle]) -> Table:
    rows = [[_p(text, s["label"]) for text in ("Line", "Date", "Procedure", "Units", "Billed", "Allowed",
                                               "Paid", "Adjusted")]]
    for line in case.lines:
        rows.append([_p(str(line.line_number), s["body"]), _p(_line_dates(line), s["body"]),
                     _p(" ".join([line.procedure_code, *line.modifiers]), s["body"]),
                     _p(f"{line.units.normalize():f}", s["right"]), _p(dollars(line.billed), s["right"]),
                     _p(_money(line.allowed), s["right"]), _p(dollars(line.paid), s["right"]),
                     _p(", ".join(_short(a) for a in case.adjustments if a.line_number == line.line_number),
                        s["body"])])
    if len(rows) == 1:
        rows.append([_p("The remittance listed no service lines for this claim.", s["body"])] + [_p("", s["body"])] * 7)
    return _table(rows, [0.45 * inch, 0.85 * inch, 1.1 * inch, 0.55 * inch, 0.8 * inch, 0.8 * inch, 0.75 * inch,
                         None])


def _line_dates(line: ServiceLine) -> str:
    if line.service_to and line.service_to != line.service_from:
        return f"{_date(line.service_from)}–{_date(line.service_to)}"
    return _date(line.service_from)


def _short(adjustment: Adjustment) -> str:
    return f"{adjustment.code} {dollars(adjustment.amount)}"


def _adjustments(case: Case, book: CodeBook, s: dict[str, ParagraphStyle]) -> Table:
    rows = [[_p(text, s["label"]) for text in ("Code", "On", "Amount", "What the code means")]]
    for adjustment in case.adjustments:
        group = book.groups.get(adjustment.group)
        where = f"line {adjustment.line_number}" if adjustment.line_number is not None else "the claim"
        words = _reason_words(book, adjustment.carc)
        if group is not None:
            words = f"{group.name}: {words}" if words else group.name
        rows.append([_p(adjustment.code, s["label"]), _p(where, s["body"]), _p(dollars(adjustment.amount), s["right"]),
                     _p(words, s["body"])])
    return _table(rows, [0.75 * inch, 0.85 * inch, 0.85 * inch, None])


def _reason_words(book: CodeBook, carc: str) -> str:
    """Our wording for the payer's reason: the letter's (said as the payer's decision), else the
    code book's; nothing for a code the book does not know (its note is for the biller)."""
    if carc.strip().upper() not in book.reasons:
        return ""
    reason = book.reason(carc)
    words = reason.letter or reason.description
    return words[:1].upper() + words[1:]


def _remarks(case: Case, book: CodeBook, s: dict[str, ParagraphStyle]) -> Table:
    rows = [[_p(text, s["label"]) for text in ("Code", "On", "What the remark means")]]
    for remark in case.remarks:
        where = f"line {remark.line_number}" if remark.line_number is not None else "the claim"
        words = book.remarks[remark.code.strip().upper()].description if remark.code.strip().upper() in book.remarks \
            else ""
        rows.append([_p(remark.code, s["label"]), _p(where, s["body"]), _p(words, s["body"])])
    return _table(rows, [0.75 * inch, 0.85 * inch, None])
