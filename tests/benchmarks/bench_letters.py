"""Letter figures: rendering one letter, and a 100-page packet built from 10 documents."""

from __future__ import annotations

import hashlib
import io
import time
import tracemalloc
from datetime import date, datetime
from decimal import Decimal

from reportlab.pdfgen.canvas import Canvas

from workstation.core.model import Adjustment, Case, Claim, Payer, Person, ServiceLine
from workstation.core.vocabulary import PayerKind, Route
from workstation.core.workspace_model import PracticeProfile
from workstation.documents.letter_context import letter_context
from workstation.documents.letter_pdf import letter_pdf
from workstation.documents.letter_templates import load_catalog, render_markup
from workstation.documents.packet import Enclosure, build_packet


def _case() -> Case:
    return Case(case_id="bench", created_at=datetime(2026, 3, 1), route=Route.APPEAL,
                claim=Claim(account_number="A1", payer_claim_number="BENCH0001", service_from=date(2026, 2, 1),
                            billed=Decimal("240.00")),
                patient=Person("Núñez & <Co>", "Zoë", member_id="M1", date_of_birth=date(1950, 1, 2)),
                payer=Payer("Bench Payer", "99", PayerKind.COMMERCIAL),
                lines=[ServiceLine(1, "99214", billed=Decimal("240.00"), service_from=date(2026, 2, 1))],
                adjustments=[Adjustment("CO", "50", Decimal("240.00"), line_number=1, route=Route.APPEAL,
                                        opens_case=True)])


def _document(pages: int, number: int) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for page in range(pages):
        canvas.setFont("Helvetica", 12)
        for row in range(45):
            canvas.drawString(60, 760 - row * 16, f"Document {number}, page {page + 1}, line {row + 1}: chart text")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def main() -> None:
    context = letter_context(_case(), PracticeProfile(name="Bench Practice", signer_name="Dana"), deadline=None,
                             enclosures=[f"Document {n}" for n in range(1, 11)],
                             fields={"clinical_summary": "Documented need."}, today=date(2026, 3, 31))
    template = load_catalog().get("general_appeal")
    letter_pdf(context, render_markup(template, context))  # fonts registered once, as in the program
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        letter = letter_pdf(context, render_markup(template, context))
        runs.append(time.perf_counter() - start)
    print(f"Letters: render one letter (template to PDF){'':<14} {min(runs):8.3f} s (best of 5)")
    documents = [_document(10, n) for n in range(10)]  # 100 pages of enclosures
    enclosures = [Enclosure(f"Document {n}", "medical_records", "application/pdf", hashlib.sha256(d).hexdigest(), d, n)
                  for n, d in enumerate(documents, start=1)]
    start = time.perf_counter()
    packet = build_packet(letter, enclosures, claim_number="BENCH0001")
    seconds = time.perf_counter() - start
    tracemalloc.start()  # a second build, only to measure memory (tracing slows it down)
    build_packet(letter, enclosures, claim_number="BENCH0001")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{f'  build a {packet.page_count}-page packet from 10 documents':<58} {seconds:8.3f} s, "
          f"peak {peak / 1e6:.0f} MB (Python heap)")


if __name__ == "__main__":
    main()
