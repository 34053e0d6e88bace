"""Issue 11, point 10 (one of the small things): a case made from an 835 holds its remittance, so
the review never calls the remittance missing and the packet encloses a "Remittance advice (from
the 835)" page made from it (by default when the review calls for it); the letter lists what the
packet holds."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from tests.practice_fixtures import case_in_workspace
from workstation.casefile.case_file import CaseFile
from workstation.core.model import Adjustment, Case, Remark
from workstation.core.vocabulary import EvidenceKind, Route
from workstation.documents.remittance_advice import TITLE, remittance_advice_pdf
from workstation.ops.evidence import attach_files
from workstation.ops.letters import (
    case_packet,
    draft_letter,
    enclosure_mismatch,
    export_for_portal,
    letter_setting,
    remittance_advice_choice,
    save_letter,
    set_remittance_advice,
)
from workstation.ops.review import review_state

FIELDS = {"clinical_summary": "Needed.", "good_cause_reason": "The notice reached us late."}


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _duplicate_denial(case: Case) -> Case:
    """CO-18 (a duplicate): its review calls for the remittance."""
    case.adjustments = [Adjustment("CO", "18", Decimal("100.00"), None, 2, Route.INQUIRY, True)]
    case.remarks = [Remark("N115", 2)]
    return case


def test_the_page_says_what_the_835_said(make_case) -> None:
    pdf = remittance_advice_pdf(make_case(), prepared_by="Riverbend Family Medicine")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1 and reader.metadata.title == TITLE
    text = _text(pdf)
    for expected in (TITLE, "Demo Medicare & Co", "99901", "CHK1", "03/02/2026", "ICN 2026-0001", "ACCT-1",
                     "Zoë O'Brien & <Sons>", "97110 GP 59", "$300.00", "$200.00", "CO-50", "CO-45", "CO-97",
                     "The service was judged not medically necessary", "N115", "M15", "era-0302.835",
                     "Riverbend Family Medicine"):
        assert expected in text, expected
    assert remittance_advice_pdf(make_case(), prepared_by="Riverbend Family Medicine") == pdf  # same bytes


def test_a_code_the_book_does_not_know_is_named_without_the_billers_note(make_case) -> None:
    case = make_case()
    case.adjustments = [Adjustment("CO", "Z9", Decimal("5.00"), None, 1, Route.INQUIRY, True)]
    text = _text(remittance_advice_pdf(case))
    assert "CO-Z9" in text and "look it up" not in text


def test_a_case_from_an_835_is_never_missing_its_remittance(make_case) -> None:
    from_835 = review_state(_duplicate_denial(make_case()))
    assert EvidenceKind.REMITTANCE in from_835.needed and EvidenceKind.REMITTANCE not in from_835.missing
    typed = _duplicate_denial(make_case())
    typed.remittances = []
    assert EvidenceKind.REMITTANCE in review_state(typed).missing


def _saved_letter(case_file: CaseFile, case: Case) -> None:
    draft = draft_letter(case, letter_setting(case_file.path, case), template_id="general_appeal", fields=FIELDS,
                         remittance_advice=remittance_advice_choice(case_file))
    save_letter(case_file, draft, markup=draft.markup, fields=FIELDS, actor="dana")


def test_the_packet_encloses_it_when_the_review_calls_for_it_and_the_letter_lists_it(tmp_path: Path,
                                                                                      make_case) -> None:
    case = _duplicate_denial(make_case())
    path = case_in_workspace(tmp_path, case)
    with CaseFile.open(path) as case_file:
        _saved_letter(case_file, case)
        assert TITLE in case_file.letters.versions()[-1].context["enclosures"]
        packet = case_packet(case_file)
        assert enclosure_mismatch(case_file, packet) == ""
    part = next(p for p in packet.parts if p.title == TITLE)
    assert part.pages == 1 and part.doc_id == 0
    reader = PdfReader(io.BytesIO(packet.pdf))
    page = reader.pages[part.first_page - 1].extract_text()
    assert TITLE in page and "CO-18" in page and "CHK1" in page
    assert TITLE in reader.pages[len(reader.pages) - sum(p.pages for p in packet.parts) - 1].extract_text()  # index


def test_it_is_not_enclosed_when_the_review_does_not_call_for_it(tmp_path: Path, make_case) -> None:
    case = make_case()  # CO-50 and CO-97: records and policy, not the remittance
    path = case_in_workspace(tmp_path, case)
    with CaseFile.open(path) as case_file:
        _saved_letter(case_file, case)
        packet = case_packet(case_file)
    assert TITLE not in [p.title for p in packet.parts]


def test_the_biller_decides_and_letter_and_packet_agree(tmp_path: Path, make_case) -> None:
    case = _duplicate_denial(make_case())
    path = case_in_workspace(tmp_path, case)
    with CaseFile.open(path) as case_file:
        changes = set_remittance_advice(case_file, False, actor="dana")
        assert changes.activity and remittance_advice_choice(case_file) is False
        assert "leaves out the remittance advice" in case_file.load().activity[-1].message
        _saved_letter(case_file, case)
        packet = case_packet(case_file)
        assert TITLE not in [p.title for p in packet.parts] and enclosure_mismatch(case_file, packet) == ""
        set_remittance_advice(case_file, True, actor="dana")  # after the letter was saved: they now differ
        packet = case_packet(case_file)
        assert TITLE in [p.title for p in packet.parts]
        assert "save the letter again" in enclosure_mismatch(case_file, packet)
        _saved_letter(case_file, case_file.load())
        assert enclosure_mismatch(case_file, case_packet(case_file)) == ""


def _pdf_file(path: Path, text: str) -> Path:
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return path


def test_an_attached_remittance_replaces_it_and_portal_files_hold_what_the_packet_holds(tmp_path: Path,
                                                                                         make_case) -> None:
    case = _duplicate_denial(make_case())
    path = case_in_workspace(tmp_path, case)
    with CaseFile.open(path) as case_file:
        _saved_letter(case_file, case)
        export = export_for_portal(case_file, tmp_path / "portal")
        assert [f.name for f in export.files][:2] == ["01 Appeal letter.pdf", "02 Remittance advice _from the 835_.pdf"]
        assert TITLE in _text(export.files[1].read_bytes())
        paper = _pdf_file(tmp_path / "remittance_advice.pdf", "The payer's own paper remittance")
        attach_files(case_file, [paper], actor="dana", kind=EvidenceKind.REMITTANCE, limit=1 << 20)
        titles = [p.title for p in case_packet(case_file).parts]
    assert TITLE not in titles and len(titles) == 1
