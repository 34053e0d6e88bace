"""The printed worklist: what the window shows, in its order, under its filters, on every page."""

from __future__ import annotations

import io

from pypdf import PdfReader

from workstation.documents.worklist_pdf import WorklistSheet, worklist_pdf

COLUMNS = ("Days left", "Patient", "Claim number", "Denial reason", "At stake")


def _sheet(rows: list[tuple[str, ...]]) -> WorklistSheet:
    return WorklistSheet(title="Worklist — demo", filters="Filters: status: New; search: “O'Brien”", columns=COLUMNS,
                         rows=tuple(rows), right_aligned=frozenset({0, 4}), wrap=frozenset({1, 3}),
                         summary="2 of 50 cases · $260.00 at stake", printed="Printed 2026-03-31 14:02 by dana")


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_names_print_as_typed_in_the_order_given() -> None:
    rows = [("-3", "O'Brien & <Sons>, Zoë", "ICN 2026-0001", "CO-50 Payer judged the service not necessary", "$200.00"),
            ("12", "Ñandú, Ana", "W2-000000000009", "CO-97 Bundled", "$60.00")]
    text = _pages(worklist_pdf(_sheet(rows)))[0]
    assert text.index("Worklist — demo") < text.index("Filters: status: New; search: “O'Brien”") < text.index("Patient")
    assert "O'Brien & <Sons>, Zoë" in text and "Ñandú, Ana" in text
    assert text.index("ICN 2026-0001") < text.index("W2-000000000009")
    assert "2 of 50 cases · $260.00 at stake" in text and "page 1 of 1" in text
    assert "Printed 2026-03-31 14:02 by dana" in text


def test_a_long_list_repeats_the_column_titles_and_numbers_every_page() -> None:
    rows = [(str(n), f"PATIENT {n:03}, A", f"CLM{n:011}", "CO-16 Claim is missing information " * 3, "$10.00")
            for n in range(120)]
    pages = _pages(worklist_pdf(_sheet(rows)))
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert "Claim number" in text and f"page {number} of {len(pages)}" in text
    joined = " ".join(pages)
    positions = [joined.index(f"CLM{n:011}") for n in range(120)]
    assert positions == sorted(positions)  # every row, once, in order
