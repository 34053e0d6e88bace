"""The letter as a PDF: letterhead, date, payer address, reference block, body, signature,
enclosures; the payer's claim number and "page N of M" on every page, marked as the page's
pagination (so a packet, which numbers its own pages, can leave the letter's numbers out)."""

from __future__ import annotations

import io
import re
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from workstation.documents.fonts import register_fonts
from workstation.documents.letter_markup import Styles, flowables, inline, protect
from workstation.documents.page_count import CountingCanvas

MARGIN = 0.85 * inch
#: The marked-content sequence around the footer: PDF's own tag for page numbers ("pagination
#: artifact"), which a packet strips from the letter's pages (packet.py).
FOOTER_BEGIN = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC"
FOOTER_END = "EMC"
_ATTENTION = re.compile(r"\s*(attn|attention)\b", re.IGNORECASE)


def _styles() -> dict[str, ParagraphStyle]:
    family = register_fonts()
    body = ParagraphStyle("body", fontName=family, fontSize=10.5, leading=14, spaceAfter=4)
    return {
        "body": body,
        "heading": ParagraphStyle("heading", parent=body, fontName="DejaVuSans-Bold", fontSize=12, leading=16,
                                  spaceBefore=6, spaceAfter=6, keepWithNext=1),
        "practice": ParagraphStyle("practice", parent=body, fontName="DejaVuSans-Bold", fontSize=14, leading=18),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, spaceAfter=0,
                                textColor=colors.HexColor("#333333")),
        "line": ParagraphStyle("line", parent=body, spaceAfter=0),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5, spaceAfter=0),
        "label": ParagraphStyle("label", parent=body, fontName="DejaVuSans-Bold", fontSize=9, leading=11.5,
                                spaceAfter=0),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A value (from the case, the practice or the payer): its '*' prints as typed, never as emphasis."""
    return Paragraph(inline(str(protect(text))), style)


def _image(data: bytes | None, max_width: float, max_height: float) -> Image | None:
    """A logo or signature scaled to fit its box; an unreadable image is left out, not fatal."""
    if not data:
        return None
    try:
        width, height = ImageReader(io.BytesIO(data)).getSize()
    except Exception:  # reportlab/Pillow raise many kinds for a bad image
        return None
    scale = min(max_width / width, max_height / height, 1.0)
    return Image(io.BytesIO(data), width * scale, height * scale, hAlign="LEFT")


def _letterhead(c: dict[str, Any], s: dict[str, ParagraphStyle], logo: bytes | None = None) -> list:
    practice = c["practice"]
    contact = " · ".join(x for x in (f"Phone {practice['phone']}" if practice["phone"] else "",
                                     f"Fax {practice['fax']}" if practice["fax"] else "") if x)
    ids = " · ".join(x for x in (f"NPI {practice['npi']}" if practice["npi"] else "",
                                 f"TIN {practice['tin']}" if practice["tin"] else "") if x)
    picture = _image(logo, 2.2 * inch, 0.8 * inch)
    lines = [picture] if picture else []
    lines += [_p(practice["name"], s["practice"])] + [_p(line, s["small"]) for line in practice["address_lines"]]
    person = f"Contact: {practice['contact_name']}" if practice["contact_name"] else ""
    lines += [_p(text, s["small"]) for text in (contact, ids, person) if text]
    return [*lines, Spacer(1, 4), HRFlowable(width="100%", thickness=0.8, color=colors.HexColor("#444444")),
            Spacer(1, 10)]


def _is_attention(line: str) -> bool:
    """"Attn: Redeterminations", "Attention: ...", or a department line such as "Appeals Unit"
    (no street or box number in it)."""
    return bool(_ATTENTION.match(line)) or ("appeal" in line.lower() and not any(ch.isdigit() for ch in line))


#: The office a letter is for when the payer's address names none, by the kind of letter.
ATTENTION = {"appeal": "Attn: Appeals", "resubmit": "Attn: Claims", "inquiry": "Attn: Provider Inquiries"}


def _names_appeals(line: str) -> bool:
    return any(word in line.lower() for word in ("appeal", "redetermination", "reconsideration", "dispute"))


def _kind(c: dict[str, Any]) -> str:
    """The kind of letter (appeal, resubmit, inquiry), as draft_letter decided it from the route."""
    return c.get("letter", {}).get("kind", "appeal")


def _addressee(c: dict[str, Any], s: dict[str, ParagraphStyle]) -> list:
    """Name, then the attention line (the payer's own, else "Attn: Appeals"), then the street
    and city lines: an address keeps its attention line where the street goes (Address.lines()
    puts it on the second street line), so it is moved up here."""
    payer = c["payer"]
    address = list(payer["address_lines"])
    if _kind(c) != "appeal":  # an inquiry or a corrected claim never goes to the appeals unit
        address = [line for line in address if not (_is_attention(line) and _names_appeals(line))]
    attention = [line for line in address if _is_attention(line)]
    if not attention and not any("appeal" in line.lower() for line in address):
        attention = [ATTENTION.get(_kind(c), "Attn: Appeals")]
    lines = [payer["name"], *attention, *(line for line in address if not _is_attention(line))]
    return [_p(c["today"], s["body"]), Spacer(1, 8), *[_p(line, s["line"]) for line in lines], Spacer(1, 12)]


def _reference(c: dict[str, Any], s: dict[str, ParagraphStyle]) -> Table:
    patient, claim, provider, denial = c["patient"], c["claim"], c["provider"], c["denial"]
    appeal = _kind(c) == "appeal"
    one_date = c.get("facts", {}).get("one_date", False)
    rows = [
        ("Patient", patient["name"]), ("Date of birth", patient["date_of_birth"]),
        ("Medicare number" if c["payer"]["kind"] == "medicare" else "Member ID", patient["member_id"]),
        ("Group number", patient["group_number"]),
        ("Patient account", patient["account_number"]), ("Claim number", claim["number"]),
        ("Date of service" if one_date else "Dates of service", claim["dates_of_service"]),
        ("Procedures", claim["procedures_with_modifiers"]), ("Diagnoses", claim["diagnosis_text"]),
        ("Billed / paid / denied" if appeal else "Billed / paid / adjusted",
         f"{claim['billed']} / {claim['paid']} / {claim['denied']}"),
        ("Denial" if appeal else "Reason codes",
         denial["reasons_text"] + (f" (notice of {denial['notice_date']})" if denial["notice_date"] else "")),
        ("Remark codes", ", ".join(r["code"] for r in denial["remarks"])),  # our notes on them are for the biller
        ("Provider", ", ".join(x for x in (provider["name"], f"NPI {provider['npi']}" if provider["npi"] else "",
                                           f"TIN {provider['tin']}" if provider["tin"] else "",
                                           f"PTAN {provider['ptan']}" if provider["ptan"] else "") if x)),
    ]
    data = [[_p(label, s["label"]), _p(value, s["cell"])] for label, value in rows if value.strip(" /")]
    table = Table(data, colWidths=[1.8 * inch, None], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#888888")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
        ("LINEBELOW", (0, 0), (-1, -2), 0.25, colors.HexColor("#cccccc")),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _signature(c: dict[str, Any], s: dict[str, ParagraphStyle], signature_image: bytes | None = None) -> list:
    """"Sincerely,", the signature image (or room to sign), the signer, title, practice, phone."""
    practice = c["practice"]
    picture = _image(signature_image, 2.4 * inch, 0.7 * inch)
    signature = [Spacer(1, 10), _p("Sincerely,", s["body"]), picture or Spacer(1, 28),
                 HRFlowable(width=2.6 * inch, thickness=0.5, color=colors.black, hAlign="LEFT"),
                 _p(practice["signer_name"] or "(signer's name)", s["line"])]
    signature += [_p(text, s["line"]) for text in (practice["signer_title"], practice["name"]) if text]
    if practice["phone"]:
        signature.append(_p(f"Phone {practice['phone']}", s["line"]))
    return signature


def _enclosures(c: dict[str, Any], s: dict[str, ParagraphStyle]) -> list:
    """The numbered enclosure list, after the signature (as a business letter lists them)."""
    if not c["enclosures"]:
        return []
    lines = [Spacer(1, 14), Paragraph("<b>Enclosures</b>", s["body"])]
    lines += [_p(f"{number}. {title}", s["line"]) for number, title in enumerate(c["enclosures"], start=1)]
    return [KeepTogether(lines)]


class _WithClosing(KeepTogether):
    """The body's last block (with the heading right above it, if any) and the signature kept
    on one page, so the signature never starts a page alone. A last paragraph that cannot move
    whole (or would leave a gap) is split so that at least its last `lines` lines go over with
    the signature."""

    def __init__(self, lead: list[Flowable], last: Flowable, closing: list[Flowable], lines: int = 2) -> None:
        super().__init__([*lead, last, *closing])
        self._lead, self._last, self._closing, self._lines = lead, last, closing, lines

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if aH < self._H and isinstance(self._last, Paragraph):
            room = aH - sum(f.getSpaceBefore() + f.wrapOn(self.canv, aW, aH)[1] + f.getSpaceAfter()
                            for f in self._lead)
            leading = self._last.style.leading
            lines = round(self._last.wrap(aW, aH)[1] / leading)
            parts = (self._last.split(aW, min(room, (lines - self._lines) * leading + 0.01))
                     if lines > self._lines and room > 0 else [])
            if len(parts) == 2:  # (a paragraph never leaves a single line behind: allowOrphans)
                return [*self._lead, parts[0], _WithClosing([], parts[1], self._closing, self._lines)]
        return super().split(aW, aH)  # all of it on the next page


def _goes_with_next(flowable: Flowable) -> bool:
    """A heading (its style keeps it with what follows) or the plain space after a block; not a
    conditional page break, which must stay outside what is kept together."""
    return type(flowable) is Spacer or (isinstance(flowable, Paragraph) and bool(flowable.getKeepWithNext()))


def _ending(body: list[Flowable], closing: list[Flowable]) -> list[Flowable]:
    """The body with the closing kept together with its last block and the heading(s) right
    above that block (spacers are not blocks)."""
    blocks = [n for n, f in enumerate(body) if not isinstance(f, Spacer)]
    if not blocks:
        return [*body, KeepTogether(closing)]
    last = first = blocks[-1]
    while first > 0 and _goes_with_next(body[first - 1]):
        first -= 1
    while first < last and type(body[first]) is Spacer:  # the kept part starts at a heading
        first += 1
    return [*body[:first], _WithClosing(body[first:last], body[last], [*body[last + 1:], *closing])]


def _numbered_canvas(claim_number: str, font: str) -> type[Canvas]:
    """A canvas that writes "Claim ... · Page N of M" on every page once it knows M."""

    class NumberedCanvas(CountingCanvas):
        def finish_page(self, number: int, total: int) -> None:
            self.addLiteral(FOOTER_BEGIN)
            self.saveState()
            self.setFont(font, 8)
            self.setFillColor(colors.HexColor("#444444"))
            label = f"Claim {claim_number} · " if claim_number else ""
            self.drawRightString(LETTER[0] - MARGIN, 0.5 * inch, f"{label}Page {number} of {total}")
            self.restoreState()
            self.addLiteral(FOOTER_END)

    return NumberedCanvas


def letter_pdf(context: dict[str, Any], markup: str, *, logo: bytes | None = None,
               signature: bytes | None = None) -> bytes:
    """The whole letter as PDF bytes (fonts embedded; the practice's logo and signature if given)."""
    s = _styles()
    story = [*_letterhead(context, s, logo), *_addressee(context, s), _reference(context, s), Spacer(1, 12)]
    story += _ending(flowables(markup, Styles(s["body"], s["heading"])), _signature(context, s, signature))
    story += _enclosures(context, s)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=LETTER, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=0.75 * inch, bottomMargin=0.85 * inch,
                                 title=f"Appeal, claim {context['claim']['number']}",
                                 author=context["practice"]["name"], creator="Appeal Workstation")
    document.build(story, canvasmaker=_numbered_canvas(context["claim"]["number"], register_fonts()))
    return buffer.getvalue()
