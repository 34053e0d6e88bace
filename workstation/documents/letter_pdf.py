"""The letter as a PDF: letterhead, date, payer address, reference block, body, enclosures,
signature; the payer's claim number and "page N of M" on every page."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
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

MARGIN = 0.85 * inch


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


def _addressee(c: dict[str, Any], s: dict[str, ParagraphStyle]) -> list:
    payer = c["payer"]
    lines = [payer["name"]]
    if not any(word in line.lower() for line in payer["address_lines"] for word in ("attn", "appeal")):
        lines.append("Attn: Appeals")
    lines += payer["address_lines"]
    return [_p(c["today"], s["body"]), Spacer(1, 8), *[_p(line, s["line"]) for line in lines], Spacer(1, 12)]


def _reference(c: dict[str, Any], s: dict[str, ParagraphStyle]) -> Table:
    patient, claim, provider, denial = c["patient"], c["claim"], c["provider"], c["denial"]
    rows = [
        ("Patient", patient["name"]), ("Date of birth", patient["date_of_birth"]),
        ("Member ID", patient["member_id"]), ("Group number", patient["group_number"]),
        ("Patient account", patient["account_number"]), ("Claim number", claim["number"]),
        ("Dates of service", claim["dates_of_service"]), ("Procedures", claim["procedures_with_modifiers"]),
        ("Diagnoses", claim["diagnosis_text"]),
        ("Billed / paid / denied", f"{claim['billed']} / {claim['paid']} / {claim['denied']}"),
        ("Denial", denial["reasons_text"] + (f" (notice of {denial['notice_date']})" if denial["notice_date"] else "")),
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


def _closing(c: dict[str, Any], s: dict[str, ParagraphStyle], signature_image: bytes | None = None) -> list:
    out: list = []
    if c["enclosures"]:
        out += [Spacer(1, 6), Paragraph("<b>Enclosures</b>", s["body"])]
        out += [_p(f"{number}. {title}", s["line"]) for number, title in enumerate(c["enclosures"], start=1)]
    practice = c["practice"]
    picture = _image(signature_image, 2.4 * inch, 0.7 * inch)
    signature = [Spacer(1, 10), _p("Sincerely,", s["body"]), picture or Spacer(1, 28),
                 HRFlowable(width=2.6 * inch, thickness=0.5, color=colors.black, hAlign="LEFT"),
                 _p(practice["signer_name"] or "(signer's name)", s["line"])]
    signature += [_p(text, s["line"]) for text in (practice["signer_title"], practice["name"]) if text]
    if practice["phone"]:
        signature.append(_p(f"Phone {practice['phone']}", s["line"]))
    return [*out, KeepTogether(signature)]


def _numbered_canvas(claim_number: str, font: str) -> type[Canvas]:
    """A canvas that writes "Claim ... · Page N of M" on every page once it knows M."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(font, 8)
                self.setFillColor(colors.HexColor("#444444"))
                label = f"Claim {claim_number} · " if claim_number else ""
                self.drawRightString(LETTER[0] - MARGIN, 0.5 * inch, f"{label}Page {number} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def letter_pdf(context: dict[str, Any], markup: str, *, logo: bytes | None = None,
               signature: bytes | None = None) -> bytes:
    """The whole letter as PDF bytes (fonts embedded; the practice's logo and signature if given)."""
    s = _styles()
    story = [*_letterhead(context, s, logo), *_addressee(context, s), _reference(context, s), Spacer(1, 12)]
    story += flowables(markup, Styles(s["body"], s["heading"]))
    story += _closing(context, s, signature)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=LETTER, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=0.75 * inch, bottomMargin=0.85 * inch,
                                 title=f"Appeal, claim {context['claim']['number']}",
                                 author=context["practice"]["name"], creator="Appeal Workstation")
    document.build(story, canvasmaker=_numbered_canvas(context["claim"]["number"], register_fonts()))
    return buffer.getvalue()
