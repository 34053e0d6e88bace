"""Paper intake: fields proposed from synthetic scans (Tesseract on a few pages; the whole set is in
tests/benchmarks/bench_scan.py), from a PDF's text layer, and each kind of bad input refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from tests.benchmarks.scan_samples import (
    blank_png,
    blurred_jpeg,
    claim_letters,
    dark_jpeg,
    locked_pdf,
    long_pdf,
    make_sample,
    spanish_pdf,
)
from workstation.core.errors import UserError
from workstation.documents.scan_pages import MAX_PAGES, read_scan
from workstation.intake.scan_proposal import propose
from workstation.ops.scan import scan_files

CHECKED = ("claim_number", "member_id", "account_number", "patient_name", "billed", "paid", "denied", "notice_date")


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _listed(value: object) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)


@pytest.mark.parametrize("index", [0, 1, 2, 3, 5])  # each layout at 300 dpi, and a degraded letter
def test_ocr_page_proposes_the_true_values(tmp_path: Path, index: int) -> None:
    sample = make_sample(index)
    proposal = scan_files([_write(tmp_path, f"page.{sample.image_type}", sample.image)])
    got = {name: found.value for name, found in proposal.fields.items()}
    for name in (*CHECKED, "reason_codes"):  # a field is right or left empty, never wrong
        assert got.get(name, _listed(sample.truth[name])) == _listed(sample.truth[name]), name
    if not sample.degraded:  # on a clean page the claim and its reasons are always read
        assert "claim_number" in got and "reason_codes" in got
    assert proposal.pages[0].method == "ocr"


def test_each_field_says_where_it_is(tmp_path: Path) -> None:
    sample = make_sample(0)
    proposal = scan_files([_write(tmp_path, "eob.png", sample.image)])
    claim = proposal.fields["claim_number"]
    page = proposal.pages[0]
    assert claim.page == 1 and 0.6 <= claim.confidence <= 1
    box = claim.boxes[0]
    assert 0 < box.left < box.right < page.width and 0 < box.top < box.bottom < page.height / 2


def test_born_digital_pdf_is_read_from_its_text_layer(tmp_path: Path) -> None:
    eob, _decision, truth = claim_letters()
    proposal = scan_files([_write(tmp_path, "eob.pdf", eob)])
    assert proposal.pages[0].method == "text layer"
    assert proposal.kind == "remittance"
    for name in (*CHECKED, "payer_name", "reason_codes", "remark_codes", "service_dates", "procedure_codes"):
        assert proposal.fields[name].value == _listed(truth[name]), name


def test_decision_letter_states_its_decision(tmp_path: Path) -> None:
    _eob, decision, truth = claim_letters()
    proposal = scan_files([_write(tmp_path, "decision.pdf", decision)])
    assert proposal.kind == "decision_letter"
    assert proposal.value("decision") == "lost"
    assert proposal.value("claim_number") == truth["claim_number"]


def _text_pdf(lines: list[str]) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=letter)
    page.setFont("Helvetica", 11)
    for i, text in enumerate(lines):
        page.drawString(60, 720 - 18 * i, text)
    page.showPage()
    page.save()
    return out.getvalue()


NOTICE = ["Bayview Benefit Trust", "Notice date: 03/02/2026", "Claim Number: 2026555000111",
          "Patient: Jordan Example", "Amount billed: $250.00", "Amount paid: $0.00", "Amount denied: $250.00"]


@pytest.mark.parametrize("written", ["CO-50", "CO 50", "CO50"])
def test_reason_codes_in_every_way_payers_write_them(tmp_path: Path, written: str) -> None:
    path = _write(tmp_path, "notice.pdf", _text_pdf([*NOTICE, f"Reason: {written} not medically necessary."]))
    assert scan_files([path]).value("reason_codes") == "CO-50"


def test_a_code_not_in_the_code_book_is_not_proposed(tmp_path: Path) -> None:
    path = _write(tmp_path, "notice.pdf", _text_pdf([*NOTICE, "Adjustment codes: CO-999 and PR-204, remark N130"]))
    proposal = scan_files([path])
    assert proposal.value("reason_codes") == "PR-204"
    assert proposal.value("remark_codes") == "N130"
    assert any("CO-999" in note and "not a code in the code book" in note for note in proposal.notes)


def test_stated_appeal_deadline_and_letter_date(tmp_path: Path) -> None:
    lines = ["Summit Care Alliance", "April 7, 2026", "Claim #: AB12345678",
             "You have 60 days from the date of this notice to ask for an appeal."]
    proposal = scan_files([_write(tmp_path, "letter.pdf", _text_pdf(lines))])
    assert proposal.value("appeal_deadline") == "60 days"
    assert proposal.value("notice_date") == "2026-04-07"
    assert proposal.value("claim_number") == "AB12345678"


def test_below_the_threshold_a_field_is_left_empty(tmp_path: Path) -> None:
    sample = make_sample(5)  # a degraded scan: Tesseract is less than sure of some words
    read = read_scan(_write(tmp_path, "page.jpeg", sample.image))
    strict = propose(read.pages, ["page.jpeg"], threshold=0.99)
    assert "claim_number" in strict.left_empty and "claim_number" not in strict.fields
    assert set(strict.fields).isdisjoint(strict.left_empty)


def test_unlabelled_numbers_are_not_taken_for_fields(tmp_path: Path) -> None:
    lines = ["Granite Mutual Insurance", "PO Box 12345, Anytown, ST 54321", "Call 555-0100 about 2026123456789",
             "We are writing about your recent visit on our records; nothing is owed today."]
    proposal = scan_files([_write(tmp_path, "letter.pdf", _text_pdf(lines))])
    assert not {"claim_number", "member_id", "account_number", "billed", "reason_codes"} & set(proposal.fields)


# -- bad input: one sentence each, nothing proposed ---------------------------------------------

def _refusal(path: Path) -> str:
    with pytest.raises(UserError) as refused:
        scan_files([path])
    return str(refused.value)


def test_blank_page(tmp_path: Path) -> None:
    assert "is blank" in _refusal(_write(tmp_path, "blank.png", blank_png()))


def test_dark_photo(tmp_path: Path) -> None:
    assert "too dark to read" in _refusal(_write(tmp_path, "dark.jpeg", dark_jpeg(make_sample(1))))


def test_blurred_photo(tmp_path: Path) -> None:
    assert "too blurred or faint" in _refusal(_write(tmp_path, "blurred.jpeg", blurred_jpeg(make_sample(1))))


def test_password_protected_pdf(tmp_path: Path) -> None:
    eob, _decision, _truth = claim_letters()
    assert "protected by a password" in _refusal(_write(tmp_path, "locked.pdf", locked_pdf(eob)))


def test_page_not_in_english(tmp_path: Path) -> None:
    assert "not to be in English" in _refusal(_write(tmp_path, "aviso.pdf", spanish_pdf()))


def test_not_a_scan_at_all(tmp_path: Path) -> None:
    assert "not a PDF, PNG, JPEG or TIFF" in _refusal(_write(tmp_path, "notes.txt", b"claim 123"))


def test_a_300_page_pdf_is_read_to_the_bound_and_says_so(tmp_path: Path) -> None:
    eob, _decision, truth = claim_letters()
    proposal = scan_files([_write(tmp_path, "batch.pdf", long_pdf(eob, 300))])
    assert len(proposal.pages) == MAX_PAGES
    assert any(f"first {MAX_PAGES} of its 300 pages" in note for note in proposal.notes)
    assert proposal.value("claim_number") == truth["claim_number"]


def test_multi_page_tiff_reads_every_page(tmp_path: Path) -> None:
    from PIL import Image

    frames = [Image.open(io.BytesIO(make_sample(i, degraded=False, dpi=200).image)) for i in (0, 1)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], dpi=(200, 200))
    read = read_scan(_write(tmp_path, "two.tiff", out.getvalue()))
    assert [page.number for page in read.pages] == [1, 2] and read.page_count == 2
    assert all(page.words and not page.problem for page in read.pages)


def test_cancel_stops_before_the_next_page(tmp_path: Path) -> None:
    eob, _decision, _truth = claim_letters()
    pages: list[int] = []
    read = read_scan(_write(tmp_path, "batch.pdf", long_pdf(eob, 5)), progress=lambda done, _total: pages.append(done),
                     cancelled=lambda: len(pages) >= 2)
    assert read.cancelled and pages == [1, 2] and len(read.pages) == 2
