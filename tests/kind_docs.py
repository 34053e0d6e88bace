"""Synthetic documents of each kind, as real PDFs (reportlab): a text layer of their usual
headings and phrases, or a scan (the same words only as pixels, no text layer)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

AUTHORIZATION = ("Bluebird Health Plan", "Utilization Management", "PRIOR AUTHORIZATION APPROVAL",
                 "Member: Lee Placeholder    Member ID: ZZ000111", "Authorization number: PA-2026-4471",
                 "Approved visits: 12 physical therapy visits (97110, 97140)",
                 "Valid from 03/01/2026 through 05/31/2026", "This authorization is not a guarantee of payment.")
DECISION = ("Demo Medicare Administrative Contractor", "MEDICARE REDETERMINATION NOTICE", "Dear Provider:",
            "We have reviewed your request for a redetermination. Our decision is unfavorable.",
            "The claim was denied because the services were not medically necessary (CO-50).",
            "If you disagree with this decision, you may request a reconsideration within 180 days.")
REMITTANCE = ("Bluebird Health Plan", "EXPLANATION OF BENEFITS", "THIS IS NOT A BILL",
              "Claim 2026-0001    Check number 00012345",
              "Billed 300.00   Allowed amount 0.00   Paid amount 0.00   Patient responsibility 0.00",
              "Claim adjustment reason CO-50: not deemed a medical necessity")
PROGRESS_NOTE = ("Riverbend Clinic", "PROGRESS NOTE", "Date of service: 02/01/2026",
                 "Chief complaint: low back pain, worse on standing", "Subjective: reports pain 6/10.",
                 "Objective: lumbar flexion limited to 40 degrees.", "Assessment and plan: continue PT 2x/week.",
                 "Electronically signed by Dana Example, PT")
NECESSITY = ("Riverbend Clinic", "March 3, 2026", "To whom it may concern:", "Re: Letter of Medical Necessity",
             "I am writing on behalf of my patient, who needs physical therapy after surgery.",
             "The treatment is medically necessary because it restores function.", "Sincerely,",
             "Dana Example, MD")
CLAIM_FORM = ("HEALTH INSURANCE CLAIM FORM", "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12",
              "1a. INSURED'S I.D. NUMBER    ZZ000111",
              "12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE  I authorize the release of any medical",
              "23. PRIOR AUTHORIZATION NUMBER", "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY   M54.50")
UB04 = ("UB-04 CMS-1450", "1 Riverbend Clinic   3a PAT CNTL #   4 TYPE OF BILL 0131",
        "42 REV CD  43 DESCRIPTION  44 HCPCS / RATE / HIPPS CODE", "63 TREATMENT AUTHORIZATION CODES",
        "NUBC National Uniform Billing Committee")
POLICY = ("Local Coverage Determination (LCD)", "Outpatient Physical and Occupational Therapy Services L33631",
          "Coverage Indications, Limitations, and/or Medical Necessity", "Documentation requirements ...")
TIMELY = ("Demo Clearinghouse", "CLAIM ACKNOWLEDGMENT REPORT (277CA)", "Batch received 02/05/2026 09:14",
          "Claim 2026-0001    Status: Accepted    Date received: 02/05/2026")
FAX_COVER = ("FAX COVER SHEET", "To: Appeals Department    From: Riverbend Clinic",
             "Subject: claim 2026-0001", "Pages (including cover): 6")


def text_pdf(path: Path, lines: tuple[str, ...], *, pages: int = 1) -> Path:
    """A PDF whose pages carry `lines` as text (each page the same)."""
    drawing = canvas.Canvas(str(path))
    for _page in range(pages):
        y = 760
        for line in lines:
            drawing.drawString(60, y, line)
            y -= 16
        drawing.showPage()
    drawing.save()
    return path


def scanned_pdf(path: Path, lines: tuple[str, ...]) -> Path:
    """A PDF of one page that is a picture of `lines`: no text layer, as a scanner writes it."""
    image = Image.new("L", (850, 1100), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((60, 60 + 24 * row), line, fill=0)
    png = io.BytesIO()
    image.save(png, format="PNG")
    drawing = canvas.Canvas(str(path))
    drawing.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, width=612, height=792)
    drawing.showPage()
    drawing.save()
    return path
