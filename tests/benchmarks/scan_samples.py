"""Synthetic paper EOBs and denial letters for the scan tests and `bench_scan.py` (no real data).

Each sample is drawn with reportlab in one of four layouts (a payer's EOB with a table, a denial
letter, a Medicare-style remittance notice, an appeal decision letter), rasterised with pypdfium2
at 150-300 dpi and degraded with Pillow (rotation, blur, noise, JPEG artefacts). The true values
are kept beside the page, so a reader's output can be scored field by field. A quarter of the set
cites two or three reason codes and prints what each took beside it (an adjustments table, an
Adj. Amt column, Medicare's GRP/RC-AMT cell, a letter's line per code); its truth's reason codes
carry their amounts ("CO-50 120.00").
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pypdfium2
from PIL import Image, ImageFilter
from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

LAYOUTS = ("eob_table", "denial_letter", "medicare_notice", "decision_letter")
PAYERS = ("Lakeshore Health Plan", "Granite Mutual Insurance", "Summit Care Alliance", "Bayview Benefit Trust",
          "Northwind Health Partners", "Evergreen Medical Assurance")
LAST = ("Exemplo", "Sample", "Testman", "Fictive", "Placeholder", "Dummond", "Imaginary", "Mockley", "Notreal")
FIRST = ("Avery", "Jordan", "Riley", "Morgan", "Casey", "Quinn", "Harper", "Rowan", "Emerson")
#: Reason codes the code book knows and a biller sees on denials, with remarks that fit them.
REASONS = (("CO", "50", "N115"), ("CO", "97", "M15"), ("CO", "16", "M127"), ("CO", "197", "N54"),
           ("CO", "11", ""), ("CO", "96", "N130"), ("PR", "204", "N130"), ("CO", "151", ""),
           ("CO", "4", "N290"), ("CO", "29", ""), ("OA", "18", ""), ("CO", "167", "N386"))
PROCEDURES = ("99214", "97110", "93000", "71046", "80053", "G0439", "99285", "36415", "J1885", "97140")
REASON_WORDS = {"50": "not deemed medically necessary", "97": "included in another service",
                "16": "missing information", "197": "no prior authorization on file",
                "11": "diagnosis inconsistent with the procedure", "96": "non-covered charge",
                "204": "not covered under the benefit plan", "151": "frequency not supported",
                "4": "modifier missing or inconsistent", "29": "filed after the time limit",
                "18": "duplicate of an earlier claim", "167": "diagnosis not covered"}


@dataclass
class Sample:
    """One synthetic page: the PDF as drawn, the picture a scanner would give, and the truth."""

    name: str
    layout: str
    dpi: int
    degraded: bool
    truth: dict[str, object]
    pdf: bytes
    image: bytes = b""  # PNG or JPEG
    image_type: str = "png"
    notes: list[str] = field(default_factory=list)


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def _us(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def _words(day: date) -> str:
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def _claim_number(rng: random.Random, layout: str) -> str:
    if layout == "medicare_notice":
        return f"{rng.randint(10, 29)}{rng.randint(10**11, 10**12 - 1)}0"
    letters = "ABCDEFGHJKLMNPRSTUVWXY"
    kind = rng.randrange(3)
    if kind == 0:
        return f"{rng.randint(2024, 2026)}{rng.randint(10**8, 10**9 - 1)}"
    if kind == 1:
        return f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(10**7, 10**8 - 1)}"
    return f"{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}-{rng.randint(10, 99)}"


def _member_id(rng: random.Random, layout: str) -> str:
    if layout == "medicare_notice" or (layout == "decision_letter" and rng.random() < 0.5):  # MBI: no S L O I B Z
        pool = "ACDEFGHJKMNPQRTUVWXY"
        return (f"{rng.randint(1, 9)}{rng.choice(pool)}{rng.choice(pool + '0123456789')}{rng.randint(0, 9)}"
                f"{rng.choice(pool)}{rng.choice(pool + '0123456789')}{rng.randint(0, 9)}{rng.choice(pool)}"
                f"{rng.choice(pool)}{rng.randint(0, 9)}{rng.randint(0, 9)}")
    prefix = "".join(rng.choice("BCDFGHJKMNPRTVWXZ") for _ in range(3))
    return f"{prefix}{rng.randint(10**8, 10**9 - 1)}"


def truth_for(rng: random.Random, layout: str, *, codes: int = 0, style: str = "") -> dict[str, object]:
    """Random but plausible values for one page, all fictional. With `codes`, the page cites that many
    distinct reason codes and prints what each took (its truth: "CO-50 120.00") in the way `style`
    names (AMOUNT_STYLES; "plain": as the layout always has, without each code's amount)."""
    notice = date(2026, 1, 5) + timedelta(days=rng.randrange(300))
    service = notice - timedelta(days=rng.randint(20, 80))
    picked = rng.sample(REASONS, codes) if codes else []
    count = codes or rng.choice((1, 1, 2))
    lines = []
    for index in range(count):
        group, carc, remark = picked[index] if codes else rng.choice(REASONS)
        billed = Decimal(rng.randint(60, 1800)) + Decimal(rng.choice((0, 25, 50, 99))) / 100
        lines.append({"procedure": rng.choice(PROCEDURES), "billed": billed, "group": group, "carc": carc,
                      "remark": remark})
    for index, line in enumerate(lines[1:], start=1):
        line["procedure"] = next(p for p in PROCEDURES if p not in {x["procedure"] for x in lines[:index]})
    billed = sum((x["billed"] for x in lines), Decimal("0.00"))
    partial = rng.random() < 0.25 and layout != "decision_letter"
    paid = _paid_by_line(lines, partial, each=bool(codes))
    truth = {
        "payer_name": "Medicare Administrative Contractor" if layout == "medicare_notice" else rng.choice(PAYERS),
        "patient_name": f"{rng.choice(LAST).upper()}, {rng.choice(FIRST).upper()}",
        "claim_number": _claim_number(rng, layout), "member_id": _member_id(rng, layout),
        "account_number": f"{rng.choice(('', 'A', 'PT'))}{rng.randint(10000, 999999)}",
        "service_dates": [service.isoformat()], "procedure_codes": [x["procedure"] for x in lines],
        "billed": f"{billed:.2f}", "paid": f"{paid:.2f}", "denied": f"{billed - paid:.2f}",
        "reason_codes": list(dict.fromkeys(f"{x['group']}-{x['carc']}" for x in lines)),
        "remark_codes": [] if layout == "decision_letter" else sorted({x["remark"] for x in lines if x["remark"]}),
        "notice_date": notice.isoformat(),
        "appeal_deadline": f"{rng.choice((60, 90, 120, 180))} days" if layout != "eob_table" or rng.random() < .5
        else "",
        "decision": "lost" if layout == "decision_letter" else "",
        "_lines": [{**x, "billed": f"{x['billed']:.2f}", "paid": f"{x['paid']:.2f}"} for x in lines],
        "_service": service, "_notice": notice, "_amounts": False, "_style": style,
    }
    if codes:
        truth["_style"] = style or rng.choice(AMOUNT_STYLES[layout])
        truth["_amounts"] = truth["_style"] != "plain"
    if truth["_amounts"]:
        truth["reason_codes"] = [f"{x['group']}-{x['carc']} {x['billed'] - x['paid']:.2f}" for x in lines]
    return truth


#: How a page citing several codes prints what each took, by layout.
AMOUNT_STYLES = {"eob_table": ("adjustment_table", "amount_column"), "medicare_notice": ("grp_rc_amt",),
                 "denial_letter": ("amount_after", "adjusted_amount", "amount_denied", "amount_cell"),
                 "decision_letter": ("plain",)}


def _paid_by_line(lines: list[dict], partial: bool, *, each: bool) -> Decimal:
    """What the payer paid on each line (its "paid") and in all: 30% of the billed when `partial`,
    paid line by line in order, or, when `each`, 30% of every line (so every code took something)."""
    cent, share = Decimal("0.01"), Decimal("0.3") if partial else Decimal("0")
    left = (sum((x["billed"] for x in lines), Decimal("0.00")) * share).quantize(cent)
    for line in lines:
        line["paid"] = (line["billed"] * share).quantize(cent) if each else min(left, line["billed"])
        left -= line["paid"]
    return sum((x["paid"] for x in lines), Decimal("0.00"))


def _code_text(rng: random.Random, group: str, carc: str) -> str:
    """A reason code written as payers print it: CO-50, CO 50 or CO50."""
    return rng.choice((f"{group}-{carc}", f"{group} {carc}", f"{group}{carc}"))


class _Page:
    """A thin drawing helper over a reportlab canvas (top-down coordinates in points)."""

    def __init__(self, rng: random.Random) -> None:
        self.buffer = io.BytesIO()
        self.canvas = canvas.Canvas(self.buffer, pagesize=letter, invariant=1)
        self.font = rng.choice(("Helvetica", "Times-Roman", "Courier"))
        self.bold = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold", "Courier": "Courier-Bold"}[self.font]
        self.size = rng.choice((10, 10.5, 11))

    def text(self, x: float, y: float, text: str, *, size: float | None = None, bold: bool = False) -> None:
        self.canvas.setFont(self.bold if bold else self.font, size or self.size)
        self.canvas.drawString(x, letter[1] - y, text)

    def rule(self, y: float) -> None:
        self.canvas.line(50, letter[1] - y, letter[0] - 50, letter[1] - y)

    def paragraph(self, x: float, y: float, text: str, width: int = 88) -> float:
        """Words wrapped at the right margin (and at `width` characters); the next free y."""
        line, room = "", letter[0] - 50 - x
        for word in text.split():
            candidate = f"{line} {word}".strip()
            if line and (len(candidate) > width or stringWidth(candidate, self.font, self.size) > room):
                self.text(x, y, line)
                y, candidate = y + self.size * 1.45, word
            line = candidate
        if line:
            self.text(x, y, line)
            y += self.size * 1.45
        return y

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def _letterhead(page: _Page, payer: str, rng: random.Random) -> None:
    page.text(50, 60, payer, size=16, bold=True)
    page.text(50, 78, f"PO Box {rng.randint(1000, 99999)}, Anytown, ST {rng.randint(10000, 99999)}", size=9)
    page.rule(88)


def _deadline_sentence(truth: dict, rng: random.Random) -> str:
    days = str(truth["appeal_deadline"]).split()[0]
    return rng.choice((f"You have {days} days from the date of this notice to request an appeal.",
                       f"An appeal must be filed within {days} days of the date of this notice.",
                       f"If you disagree, you may appeal within {days} days from the date of this notice."))


EOB_COLUMNS = (("Date of Service", 50), ("Procedure", 150), ("Billed", 230), ("Allowed", 295), ("Paid", 360),
               ("Adj. Code", 420), ("Remark", 495))
#: An EOB whose service lines print each code's amount in a column of its own.
EOB_AMOUNT_COLUMNS = (("Date of Service", 50), ("Procedure", 145), ("Billed", 210), ("Paid", 280), ("Adj. Code", 350),
                      ("Adj. Amt", 420), ("Remark", 495))


def draw_eob_table(truth: dict, rng: random.Random) -> bytes:
    page = _Page(rng)
    _letterhead(page, str(truth["payer_name"]), rng)
    page.text(50, 115, "EXPLANATION OF BENEFITS", size=13, bold=True)
    page.text(380, 115, f"Date: {_us(truth['_notice'])}")
    rows = [("Patient:", _patient_words(truth, rng)), ("Member ID:", truth["member_id"]),
            ("Claim Number:", truth["claim_number"]), ("Patient Account:", truth["account_number"])]
    rng.shuffle(rows)
    for i, (label, value) in enumerate(rows):
        page.text(50, 145 + i * 17, label, bold=True)
        page.text(160, 145 + i * 17, str(value))
    y = 240
    column = truth["_style"] == "amount_column"
    columns = EOB_AMOUNT_COLUMNS if column else EOB_COLUMNS
    for name, x in columns:
        page.text(x, y, name, bold=True, size=9.5)
    page.rule(y + 6)
    for i, line in enumerate(truth["_lines"]):
        billed, paid = Decimal(line["billed"]), Decimal(line["paid"])
        code = _code_text(rng, line["group"], line["carc"])
        cells = ((_us(truth["_service"]), line["procedure"], _money(billed), _money(paid), code,
                  _money(billed - paid), line["remark"]) if column else
                 (_us(truth["_service"]), line["procedure"], _money(billed), _money(paid), _money(paid), code,
                  line["remark"]))
        for (_name, x), cell in zip(columns, cells, strict=True):
            page.text(x, y + 22 + i * 17, cell, size=9.5)
    y += 22 + len(truth["_lines"]) * 17 + 10
    page.rule(y - 8)
    page.text(50, y + 6, "Totals", bold=True, size=9.5)
    page.text(dict(columns)["Billed"], y + 6, _money(Decimal(str(truth["billed"]))), size=9.5)
    page.text(dict(columns)["Paid"], y + 6, _money(Decimal(str(truth["paid"]))), size=9.5)
    page.text(50, y + 30, f"Amount denied: {_money(Decimal(str(truth['denied'])))}", bold=True)
    y += 60
    if truth["_style"] == "adjustment_table":
        y = _adjustment_table(page, truth, y)
    else:
        for line in truth["_lines"]:
            y = page.paragraph(50, y, f"{line['group']}-{line['carc']}: {REASON_WORDS[line['carc']].capitalize()}.")
    if truth["appeal_deadline"]:
        page.paragraph(50, y + 14, _deadline_sentence(truth, rng))
    return page.finish()


def _adjustment_table(page: _Page, truth: dict, y: float) -> float:
    """The claim's adjustments below the service lines: each code, what it means, what it took."""
    for name, x in (("Group/Reason", 50), ("Description", 140), ("Amount", 430)):
        page.text(x, y, name, bold=True, size=9.5)
    page.rule(y + 6)
    for i, line in enumerate(truth["_lines"]):
        took = Decimal(line["billed"]) - Decimal(line["paid"])
        for x, cell in ((50, f"{line['group']}-{line['carc']}"), (140, REASON_WORDS[line["carc"]].capitalize()),
                        (430, _money(took))):
            page.text(x, y + 22 + i * 17, cell, size=9.5)
    return y + 22 + len(truth["_lines"]) * 17 + 10


def _patient_words(truth: dict, rng: random.Random) -> str:
    last, first = str(truth["patient_name"]).split(", ")
    return f"{first.title()} {last.title()}" if rng.random() < 0.5 else f"{last}, {first}"


def draw_denial_letter(truth: dict, rng: random.Random) -> bytes:
    page = _Page(rng)
    _letterhead(page, str(truth["payer_name"]), rng)
    page.text(50, 120, _words(truth["_notice"]))
    page.text(50, 150, "Re: Notice of claim denial", bold=True)
    facts = [("Patient name", _patient_words(truth, rng)), ("Member ID", truth["member_id"]),
             ("Claim #", truth["claim_number"]), ("Account number", truth["account_number"]),
             ("Date of service", _us(truth["_service"])),
             ("Procedure codes", ", ".join(truth["procedure_codes"]))]
    for i, (label, value) in enumerate(facts):
        page.text(70, 172 + i * 16, f"{label}: {value}")
    lines = truth["_lines"]
    amounts = (f"We reviewed the claim above for services billed at {_money(Decimal(str(truth['billed'])))}. "
               f"We paid {_money(Decimal(str(truth['paid'])))} and denied {_money(Decimal(str(truth['denied'])))} ")
    if truth["_amounts"]:
        y = page.paragraph(50, 290, amounts + "for the following reasons:")
        for line in lines:
            y = _reason_with_amount(page, truth["_style"], line, rng, y + 4)
    else:
        codes = " and ".join(f"{_code_text(rng, x['group'], x['carc'])} ({REASON_WORDS[x['carc']]})" for x in lines)
        y = page.paragraph(50, 290, amounts + f"for the following reason: {codes}.")
    remarks = truth["remark_codes"]
    if remarks:
        y = page.paragraph(50, y + 8, f"Remark codes: {', '.join(remarks)}.")
    y = page.paragraph(50, y + 8, _deadline_sentence(truth, rng) + " Send your request with any records that "
                                  "support the claim to the address above.")
    page.text(50, y + 40, "Claims Review Department")
    return page.finish()


def _reason_with_amount(page: _Page, style: str, line: dict, rng: random.Random, y: float) -> float:
    """One reason code of a letter on a line of its own, with what it took, in one of the ways
    letters write it; the next free y."""
    code, words = _code_text(rng, line["group"], line["carc"]), REASON_WORDS[line["carc"]]
    took = _money(Decimal(line["billed"]) - Decimal(line["paid"]))
    if style == "amount_cell":
        page.text(70, y, code)
        page.text(130, y, words.capitalize())
        page.text(450, y, took)
        return y + page.size * 1.6
    text = {"amount_after": f"{code} ({words}): amount {took}",
            "adjusted_amount": f"Reason: {code} {words.capitalize()}. Adjusted amount {took}",
            "amount_denied": f"{code} {words}, amount denied {took}"}[style]
    page.text(70, y, text)
    return y + page.size * 1.6


def draw_medicare_notice(truth: dict, rng: random.Random) -> bytes:
    page = _Page(rng)
    page.font, page.bold = "Courier", "Courier-Bold"
    page.text(50, 60, str(truth["payer_name"]).upper(), size=13, bold=True)
    page.text(50, 78, "MEDICARE REMITTANCE NOTICE", size=11)
    page.text(380, 78, f"NOTICE DATE {_us(truth['_notice'])}", size=9.5)
    page.rule(90)
    last, first = str(truth["patient_name"]).split(", ")
    page.text(50, 115, f"NAME {last}, {first}", size=9.5)
    page.text(250, 115, f"MBI {truth['member_id']}", size=9.5)
    page.text(50, 131, f"ACNT {truth['account_number']}", size=9.5)
    page.text(250, 131, f"ICN {truth['claim_number']}", size=9.5)
    y = 165
    amounts = truth["_amounts"]  # Medicare's GRP/RC-AMT column: the code and what it took in one cell
    starts = (50, 130, 200, 280, 360, 440, 530 if amounts else 510)
    for name, x in zip(("FROM", "PROC", "BILLED", "ALLOWED", "PROV PD", "GRP/RC-AMT" if amounts else "GRP/RC",
                        "RARC"), starts, strict=True):
        page.text(x, y, name, size=9.5, bold=True)
    for i, line in enumerate(truth["_lines"]):
        billed, paid = Decimal(line["billed"]), Decimal(line["paid"])
        code = f"{line['group']}{line['carc']}" if rng.random() < .6 else f"{line['group']}-{line['carc']}"
        cells = (truth["_service"].strftime("%m%d%y"), line["procedure"], f"{billed:.2f}", f"{paid:.2f}",
                 f"{paid:.2f}", f"{code} {billed - paid:.2f}" if amounts else code, line["remark"])
        for (x, cell) in zip(starts, cells, strict=True):
            page.text(x, y + 18 + i * 15, cell, size=9.5)
    y += 18 + len(truth["_lines"]) * 15 + 12
    page.text(50, y, f"CLAIM TOTALS  BILLED {Decimal(str(truth['billed'])):.2f}  PAID {Decimal(str(truth['paid'])):.2f}"
                     f"  DENIED {Decimal(str(truth['denied'])):.2f}", size=9.5)
    page.paragraph(50, y + 40, _deadline_sentence(truth, rng) + " Redetermination requests go to the contractor "
                               "at the address on this notice.", width=80)
    return page.finish()


def draw_decision_letter(truth: dict, rng: random.Random) -> bytes:
    page = _Page(rng)
    _letterhead(page, str(truth["payer_name"]), rng)
    page.text(50, 120, f"Date of this notice: {_us(truth['_notice'])}")
    page.text(50, 150, "Appeal decision", size=13, bold=True)
    facts = [("Beneficiary", _patient_words(truth, rng)), ("Member ID", truth["member_id"]),
             ("Claim Number", truth["claim_number"]), ("Patient Account Number", truth["account_number"]),
             ("Date(s) of Service", _us(truth["_service"])),
             ("Procedure", ", ".join(truth["procedure_codes"]))]
    for i, (label, value) in enumerate(facts):
        page.text(70, 176 + i * 16, f"{label}:", bold=True)
        page.text(230, 176 + i * 16, str(value))
    codes = ", ".join(_code_text(rng, x["group"], x["carc"]) for x in truth["_lines"])
    body = (f"We have completed our review of your request for an appeal. The decision is unfavorable: the "
            f"original denial ({codes}) is upheld. The amount billed was {_money(Decimal(str(truth['billed'])))}, "
            f"the amount paid {_money(Decimal(str(truth['paid'])))}, and the amount denied "
            f"{_money(Decimal(str(truth['denied'])))}.")
    y = page.paragraph(50, 290, body)
    y = page.paragraph(50, y + 10, _deadline_sentence(truth, rng) + " Send the request to the reviewer named "
                                   "on the enclosed form.")
    page.text(50, y + 30, "Appeals Unit")
    return page.finish()


DRAW = {"eob_table": draw_eob_table, "denial_letter": draw_denial_letter,
        "medicare_notice": draw_medicare_notice, "decision_letter": draw_decision_letter}


def rasterise(pdf: bytes, dpi: int) -> Image.Image:
    """The page as a grey picture at `dpi`, as a flatbed scanner would give it."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = document[0].render(scale=dpi / 72, grayscale=True)
        return bitmap.to_pil().convert("L")
    finally:
        document.close()


def degrade(image: Image.Image, rng: random.Random) -> Image.Image:
    """Rotation, blur and noise, as a cheap scanner or a fax gives them."""
    angle = rng.uniform(-3, 3)
    image = image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.0) * image.width / 2550))
    noise = Image.effect_noise(image.size, rng.uniform(12, 30))
    return Image.blend(image, noise, rng.uniform(0.08, 0.16))


def encode(image: Image.Image, *, jpeg_quality: int | None) -> bytes:
    out = io.BytesIO()
    if jpeg_quality:
        image.save(out, "JPEG", quality=jpeg_quality)
    else:
        image.save(out, "PNG", optimize=False, compress_level=1)
    return out.getvalue()


def codes_with_amounts(index: int) -> int:
    """How many reason codes, each printed with what it took, sample `index` cites (0: as it comes).
    Every third round of the layouts, the EOB, the denial letter and the Medicare notice cite two
    (three in one round): 12 of the 48 pages, at every dpi, clean and degraded."""
    turn = index // len(LAYOUTS)
    if turn % 3 != 2 or LAYOUTS[index % len(LAYOUTS)] == "decision_letter":
        return 0
    return 3 if turn == 8 else 2


def make_sample(index: int, *, seed: int = 15, dpi: int | None = None, degraded: bool | None = None) -> Sample:
    """Sample number `index` of the set: layouts, dpi and damage cycle so every mix is covered."""
    rng = random.Random(seed * 100_003 + index)
    layout = LAYOUTS[index % len(LAYOUTS)]
    truth = truth_for(rng, layout, codes=codes_with_amounts(index))
    dpi = dpi or (300, 300, 200, 150)[(index // len(LAYOUTS)) % 4]
    degraded = (index // len(LAYOUTS)) % 2 == 1 if degraded is None else degraded
    return _sample(f"sample-{index:03d}-{layout}", layout, truth, rng, dpi, degraded)


def amounts_sample(layout: str, codes: int, style: str, *, seed: int = 21, dpi: int = 300,
                   degraded: bool = False) -> Sample:
    """A page citing `codes` distinct reason codes, each printed with what it took in the way `style`
    names (AMOUNT_STYLES; "plain": the layout's usual page, without the codes' amounts)."""
    rng = random.Random(seed)
    truth = truth_for(rng, layout, codes=codes, style=style)
    return _sample(f"amounts-{layout}-{style or 'plain'}-{codes}", layout, truth, rng, dpi, degraded)


def _sample(name: str, layout: str, truth: dict, rng: random.Random, dpi: int, degraded: bool) -> Sample:
    """The page drawn, rasterised at `dpi` and, when `degraded`, damaged, with its truth beside it."""
    pdf = DRAW[layout](truth, rng)
    image = rasterise(pdf, dpi)
    quality = None
    if degraded:
        image = degrade(image, rng)
        quality = rng.randint(25, 55)
    public = {k: v for k, v in truth.items() if not k.startswith("_")}
    return Sample(f"{name}-{dpi}dpi{'-degraded' if degraded else ''}", layout, dpi, degraded, public, pdf,
                  encode(image, jpeg_quality=quality), "jpeg" if quality else "png")


def sample_set(count: int = 48, *, seed: int = 15) -> list[Sample]:
    return [make_sample(i, seed=seed) for i in range(count)]


def claim_letters(seed: int = 7) -> tuple[bytes, bytes, dict[str, object]]:
    """A born-digital EOB and the appeal decision letter about the same claim, with the EOB's truth."""
    rng = random.Random(seed)
    truth = truth_for(rng, "eob_table")
    eob = draw_eob_table(truth, rng)
    decision = draw_decision_letter(truth, rng)
    return eob, decision, {k: v for k, v in truth.items() if not k.startswith("_")}


# -- bad input -----------------------------------------------------------------------------------

def blank_png() -> bytes:
    return encode(Image.new("L", (1275, 1650), 255), jpeg_quality=None)


def dark_jpeg(sample: Sample) -> bytes:
    """A page photographed in a dim room: the paper comes out nearly black."""
    image = Image.open(io.BytesIO(sample.image)).convert("L").point(lambda v: v // 6)
    return encode(image, jpeg_quality=60)


def blurred_jpeg(sample: Sample) -> bytes:
    """A page photographed out of focus."""
    image = Image.open(io.BytesIO(sample.image)).convert("L")
    return encode(image.filter(ImageFilter.GaussianBlur(image.width / 320)), jpeg_quality=60)


def spanish_pdf() -> bytes:
    """A born-digital notice in Spanish (the reader takes English only)."""
    page = _Page(random.Random(3))
    page.text(50, 60, "Plan de Salud Ejemplo", size=16, bold=True)
    page.paragraph(50, 120, "Hemos revisado la reclamación de su paciente y la hemos denegado. Usted tiene 60 días "
                            "a partir de la fecha de este aviso para presentar una apelación. Para más información "
                            "sobre la decisión, llame a nuestra oficina o envíe los documentos por correo.")
    return page.finish()


def locked_pdf(pdf: bytes, password: str = "s3cret") -> bytes:
    """The PDF protected by a password, as some portals send them."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def long_pdf(pdf: bytes, pages: int) -> bytes:
    """The one page repeated `pages` times (a whole day's batch scanned as one file)."""
    from pypdf import PdfReader, PdfWriter

    writer, page = PdfWriter(), PdfReader(io.BytesIO(pdf)).pages[0]
    for _ in range(pages):
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
