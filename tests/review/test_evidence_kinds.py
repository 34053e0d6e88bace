"""Issue 11, point 10: each dropped file's kind is guessed from its name and its content. Real
PDFs made here (reportlab): a name that names a kind decides; "scan_0001.pdf" is read (the first
page's text layer); a scan without one falls back to the name; the guess is bounded."""

from __future__ import annotations

from pathlib import Path

import pytest
from kind_docs import (
    AUTHORIZATION,
    CLAIM_FORM,
    DECISION,
    FAX_COVER,
    NECESSITY,
    POLICY,
    PROGRESS_NOTE,
    REMITTANCE,
    TIMELY,
    UB04,
    scanned_pdf,
    text_pdf,
)
from pypdf import PdfReader

from workstation.casefile.case_file import CaseFile
from workstation.core.vocabulary import EvidenceKind
from workstation.documents.first_page import FIRST_PAGE_CHARS, MAX_CONTENT_BYTES, first_page_text
from workstation.ops.evidence import attach_files
from workstation.ops.evidence_kinds import guess_kind, kind_from_name, kind_from_text


@pytest.mark.parametrize(("name", "lines", "kind"), [
    ("scan_0001.pdf", AUTHORIZATION, EvidenceKind.AUTHORIZATION),
    ("scan_0002.pdf", DECISION, EvidenceKind.DECISION_LETTER),
    ("scan_0003.pdf", REMITTANCE, EvidenceKind.REMITTANCE),
    ("doc.pdf", PROGRESS_NOTE, EvidenceKind.MEDICAL_RECORDS),
    ("Document (3).pdf", POLICY, EvidenceKind.POLICY),
    ("20260205.pdf", TIMELY, EvidenceKind.TIMELY_FILING_PROOF),
    ("img001.pdf", FAX_COVER, EvidenceKind.CORRESPONDENCE),
    # "letter" says how it came, not what it is: the page says it is a letter of medical necessity
    ("letter from Dr Example.pdf", NECESSITY, EvidenceKind.NECESSITY_LETTER),
    # a claim form's "prior authorization number" box and diagnosis are not an authorization or a record
    ("scan_0004.pdf", CLAIM_FORM, EvidenceKind.OTHER),
    ("scan_0005.pdf", UB04, EvidenceKind.OTHER),
])
def test_a_name_that_says_nothing_leaves_the_kind_to_the_first_page(tmp_path: Path, name, lines, kind) -> None:
    path = text_pdf(tmp_path / name, lines)
    assert kind_from_name(path) in (EvidenceKind.OTHER, EvidenceKind.CORRESPONDENCE)
    assert guess_kind(path) is kind


def test_a_name_that_names_a_kind_decides(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "EOB march.pdf", PROGRESS_NOTE)  # misfiled pages: the biller's name wins
    assert kind_from_text(first_page_text(path)) is EvidenceKind.MEDICAL_RECORDS
    assert guess_kind(path) is EvidenceKind.REMITTANCE


def test_a_scan_without_a_text_layer_falls_back_to_its_name(tmp_path: Path) -> None:
    named = scanned_pdf(tmp_path / "Prior-auth 4471.pdf", AUTHORIZATION)
    unnamed = scanned_pdf(tmp_path / "scan_0009.pdf", AUTHORIZATION)
    assert PdfReader(str(unnamed)).pages[0].images  # the words are pixels only
    assert first_page_text(named) == first_page_text(unnamed) == ""
    assert guess_kind(named) is EvidenceKind.AUTHORIZATION
    assert guess_kind(unnamed) is EvidenceKind.OTHER


def test_only_the_first_page_is_read_and_only_its_first_characters(tmp_path: Path) -> None:
    second = tmp_path / "scan_0010.pdf"
    from reportlab.pdfgen import canvas

    drawing = canvas.Canvas(str(second))
    drawing.drawString(60, 760, "Riverbend Clinic")  # page 1 says nothing
    drawing.showPage()
    for row, line in enumerate(AUTHORIZATION):  # page 2 is an authorization
        drawing.drawString(60, 760 - 16 * row, line)
    drawing.showPage()
    drawing.save()
    assert guess_kind(second) is EvidenceKind.OTHER
    long = text_pdf(tmp_path / "scan_0011.pdf", tuple(f"line {n} of a very long page of words" for n in range(45))
                    + AUTHORIZATION, pages=3)
    read = first_page_text(long)
    assert len(read) <= FIRST_PAGE_CHARS and read.startswith("line 0")


def test_a_first_page_too_heavy_to_read_is_not_read(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    heavy = tmp_path / "scan_0012.pdf"
    drawing = canvas.Canvas(str(heavy), pageCompression=0)
    for row, line in enumerate(AUTHORIZATION):
        drawing.drawString(60, 760 - 16 * row, line)
    for n in range(MAX_CONTENT_BYTES // 16):  # tens of thousands of invisible strokes: a page built to be slow
        drawing.line(0, n % 700, 1, n % 700)
    drawing.showPage()
    drawing.save()
    assert len(PdfReader(str(heavy)).pages[0].get_contents().get_data()) > MAX_CONTENT_BYTES
    assert first_page_text(heavy) == ""
    assert guess_kind(heavy) is EvidenceKind.OTHER


def test_plain_text_is_read_too(tmp_path: Path) -> None:
    note = tmp_path / "export.txt"
    note.write_text("\n".join(PROGRESS_NOTE) + "\n" + "é" * 10_000, encoding="utf-8")
    assert first_page_text(note).startswith("Riverbend Clinic\nPROGRESS NOTE")
    assert len(first_page_text(note)) <= FIRST_PAGE_CHARS
    assert guess_kind(note) is EvidenceKind.MEDICAL_RECORDS
    garbage = tmp_path / "blob.bin"
    garbage.write_bytes(b"\x00\x01PROGRESS NOTE chief complaint")
    assert first_page_text(garbage) == ""
    assert first_page_text(tmp_path / "missing.pdf") == ""


def test_attaching_without_a_kind_guesses_each_file_from_its_content(tmp_path: Path, make_case) -> None:
    case_path = CaseFile.create(tmp_path / "2026-03-abcdef01.appeal", make_case(evidence=[]))
    docs = tmp_path / "docs"
    docs.mkdir()
    files = [text_pdf(docs / "scan_0001.pdf", AUTHORIZATION), text_pdf(docs / "scan_0002.pdf", REMITTANCE),
             scanned_pdf(docs / "scan_0003.pdf", PROGRESS_NOTE), text_pdf(docs / "office notes.pdf", DECISION)]
    with CaseFile.open(case_path) as case_file:
        result = attach_files(case_file, files, actor="dana", kind=None)
        assert result.refused == []
        kinds = {doc.title: doc.kind for doc in case_file.evidence.list()}
    assert kinds == {"Scan 0001": EvidenceKind.AUTHORIZATION, "Scan 0002": EvidenceKind.REMITTANCE,
                     "Scan 0003": EvidenceKind.OTHER, "office notes": EvidenceKind.MEDICAL_RECORDS}
