"""Paper intake: fields proposed from synthetic scans (Tesseract on a few pages; the whole set is in
tests/benchmarks/bench_scan.py), from a PDF's text layer, and each kind of bad input refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from tests.benchmarks.scan_samples import (
    amounts_sample,
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
from workstation.core.scan import Box, ScannedPage, Word
from workstation.documents.scan_pages import MAX_PAGES, read_scan
from workstation.intake.scan_fields import identifier_candidates
from workstation.intake.scan_proposal import propose
from workstation.intake.scan_text import lines_of
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


# -- several reason codes, each with what it took ------------------------------------------------

#: Layouts that print each code's amount with the code (scan_samples.AMOUNT_STYLES), two and three codes.
AMOUNT_PAGES = [("eob_table", "adjustment_table", 2), ("eob_table", "amount_column", 3),
                ("medicare_notice", "grp_rc_amt", 2), ("medicare_notice", "grp_rc_amt", 3),
                ("denial_letter", "amount_after", 2), ("denial_letter", "adjusted_amount", 3),
                ("denial_letter", "amount_denied", 3), ("denial_letter", "amount_cell", 2)]


@pytest.mark.parametrize(("layout", "style", "codes"), AMOUNT_PAGES)
def test_each_code_is_proposed_with_the_amount_printed_beside_it(tmp_path: Path, layout: str, style: str,
                                                                  codes: int) -> None:
    sample = amounts_sample(layout, codes, style)
    proposal = scan_files([_write(tmp_path, "notice.pdf", sample.pdf)])
    assert len(sample.truth["reason_codes"]) == codes and all(" " in code for code in sample.truth["reason_codes"])
    assert proposal.value("reason_codes") == ", ".join(sample.truth["reason_codes"])  # "CO-50 120.00, CO-16 30.00"
    assert proposal.value("denied") == sample.truth["denied"]  # a code's "amount denied" is not the claim's
    assert len(proposal.fields["reason_codes"].boxes) >= 2 * codes  # each code's place and its amount's


@pytest.mark.parametrize(("layout", "style", "codes", "seed"), [
    ("eob_table", "adjustment_table", 2, 22), ("eob_table", "amount_column", 3, 21),
    ("medicare_notice", "grp_rc_amt", 3, 22), ("denial_letter", "amount_after", 2, 21)])
def test_ocr_reads_each_code_with_its_amount(tmp_path: Path, layout: str, style: str, codes: int, seed: int) -> None:
    sample = amounts_sample(layout, codes, style, seed=seed)
    proposal = scan_files([_write(tmp_path, "page.png", sample.image)])
    assert proposal.pages[0].method == "ocr"
    assert proposal.value("reason_codes") == ", ".join(sample.truth["reason_codes"])


def test_a_degraded_page_proposes_an_amount_right_or_not_at_all(tmp_path: Path) -> None:
    sample = amounts_sample("eob_table", 2, "adjustment_table", dpi=200, degraded=True)
    proposal = scan_files([_write(tmp_path, "page.jpeg", sample.image)])
    truth = dict(entry.split() for entry in sample.truth["reason_codes"])
    for entry in proposal.value("reason_codes").split(", "):
        code, *amount = entry.split()
        assert code in truth and amount in ([], [truth[code]]), entry


def test_one_code_alone_is_proposed_without_its_amount(tmp_path: Path) -> None:
    lines = [*NOTICE, "Reason: CO-50 not medically necessary. Amount $250.00"]
    assert scan_files([_write(tmp_path, "notice.pdf", _text_pdf(lines))]).value("reason_codes") == "CO-50"


@pytest.mark.parametrize("layout", ["eob_table", "medicare_notice", "denial_letter", "decision_letter"])
def test_codes_printed_without_their_amounts_are_proposed_without(tmp_path: Path, layout: str) -> None:
    sample = amounts_sample(layout, 2, "plain")  # billed, allowed and paid on the codes' rows: none is theirs
    proposal = scan_files([_write(tmp_path, "notice.pdf", sample.pdf)])
    assert proposal.value("reason_codes") == ", ".join(sample.truth["reason_codes"])
    assert all(" " not in code for code in sample.truth["reason_codes"])


def test_ocr_of_codes_printed_without_their_amounts(tmp_path: Path) -> None:
    sample = amounts_sample("eob_table", 2, "plain", seed=22)
    proposal = scan_files([_write(tmp_path, "page.png", sample.image)])
    assert proposal.value("reason_codes") == ", ".join(sample.truth["reason_codes"])


def _table_pdf(rows: list[tuple[tuple[int, str], ...]], above: list[str]) -> bytes:
    """`above` one line each, then a table: every row's cells at their x."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=letter)
    page.setFont("Helvetica", 11)
    for i, text in enumerate(above):
        page.drawString(60, 720 - 18 * i, text)
    for i, row in enumerate(rows):
        for x, text in row:
            page.drawString(x, 700 - 18 * (len(above) + i), text)
    page.showPage()
    page.save()
    return out.getvalue()


UNTELLABLE = {
    "two amount columns": [((60, "Code"), (250, "Denied"), (400, "Adjusted")),
                           ((60, "CO-50"), (250, "$200.00"), (400, "$120.00")),
                           ((60, "CO-16"), (250, "$50.00"), (400, "$30.00"))],
    "the billed column": [((60, "Code"), (250, "Billed")), ((60, "CO-50"), (250, "$200.00")),
                          ((60, "CO-16"), (250, "$50.00"))],
    "two codes on one row": [((60, "Codes"), (400, "Amount")), ((60, "CO-50 CO-16"), (400, "$250.00"))],
    "the total after the codes": [((60, "We denied the claim for CO-50 (not medically necessary)"),),
                                  ((60, "and CO-16 (missing information), $250.00 in all."),)],
    "the billed and paid after a code": [((60, "Codes: CO-50, CO-16. The amount billed was $250.00, we paid $0.00."),)],
}


@pytest.mark.parametrize("layout", UNTELLABLE)
def test_codes_whose_amounts_cannot_be_told_apart_are_proposed_without(tmp_path: Path, layout: str) -> None:
    above = [line for line in NOTICE if "denied" not in line]  # no denied amount to check the codes' amounts by
    proposal = scan_files([_write(tmp_path, "notice.pdf", _table_pdf(UNTELLABLE[layout], above))])
    assert proposal.value("reason_codes") == "CO-50, CO-16" and not proposal.notes


def test_amounts_that_do_not_add_up_to_the_denied_amount_are_left_off_and_said(tmp_path: Path) -> None:
    rows = [((60, "Group/Reason"), (160, "Description"), (420, "Amount")),
            ((60, "CO-50"), (160, "Not medically necessary"), (420, "$200.00")),
            ((60, "CO-16"), (160, "Missing information"), (420, "$30.00"))]
    proposal = scan_files([_write(tmp_path, "notice.pdf", _table_pdf(rows, NOTICE))])  # denied $250.00
    assert proposal.value("reason_codes") == "CO-50, CO-16"
    assert any("(CO-50 200.00, CO-16 30.00) do not add up to the denied amount (250.00)" in note
               for note in proposal.notes)


def test_of_several_codes_one_may_be_proposed_without_its_amount(tmp_path: Path) -> None:
    rows = [((60, "Group/Reason"), (160, "Description"), (420, "Amount")),
            ((60, "CO-50"), (160, "Not medically necessary"), (420, "$200.00")),
            ((60, "CO-16"), (160, "Missing information"), (420, "see page 2"))]
    proposal = scan_files([_write(tmp_path, "notice.pdf", _table_pdf(rows, NOTICE))])
    assert proposal.value("reason_codes") == "CO-50 200.00, CO-16"  # CO-16 takes the rest when confirmed


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


# -- OCR confusions put right where they have one reading, left empty where they have two ------

@pytest.mark.parametrize(("read", "code"), [("CoO 50", "CO-50"), ("CcO-96", "CO-96"), ("C029", "CO-29"),
                                            ("co 16", "CO-16"), ("C O 50", "CO-50"), ("PPR-204", "PR-204")])
def test_a_group_code_tesseract_misread_is_put_right(tmp_path: Path, read: str, code: str) -> None:
    path = _write(tmp_path, "notice.pdf", _text_pdf([*NOTICE, f"Reason: {read} (see the code list)."]))
    proposal = scan_files([path])
    assert proposal.value("reason_codes") == code
    assert proposal.fields["reason_codes"].read_as == read  # the biller sees what the page was read as
    assert not proposal.notes  # "CoO 50" is not taken for an unknown CO-0


def test_a_group_code_that_could_be_two_is_not_proposed(tmp_path: Path) -> None:
    path = _write(tmp_path, "notice.pdf", _text_pdf([*NOTICE, "Reason: COA-18 (see the code list)."]))
    assert "reason_codes" not in scan_files([path]).fields  # CO-18 or OA-18: the biller reads the page


def _claim_page(*halves: tuple[str, int, int]) -> ScannedPage:
    """A page read by OCR whose claim number came as `halves` (text, left, right), as Tesseract read
    sample 33's: the re-read of its first half took in the next half's first stroke."""
    words = [Word("Claim", 93.0, Box(293, 822, 100, 29), 1), Word("#:", 92.0, Box(403, 822, 29, 29), 1),
             *(Word(text, 90.0, Box(left, 822, right - left, 29), 1) for text, left, right in halves)]
    return ScannedPage(1, 2550, 3301, tuple(words), "ocr")


def test_a_bar_read_from_the_next_words_first_stroke_is_left_out_of_the_claim_number() -> None:
    page = _claim_page(("759-6473 |", 447, 603), ("144-34", 611, 724))
    assert propose([page], ["page.png"]).value("claim_number") == "759-6473144-34"


@pytest.mark.parametrize("halves", [
    (("759-6473 |", 447, 603), ("44-34", 611, 701)),  # the bar may be a "1" of the number
    (("759-6473", 447, 603), ("|", 611, 617), ("144-34", 625, 738)),  # a bar read on its own
    (("759-6473 |", 447, 603), ("144-34", 640, 753)),  # too far off for the crop to take in its stroke
])
def test_a_claim_number_with_a_bar_that_could_be_a_digit_is_left_empty(halves: tuple) -> None:
    assert "claim_number" not in propose([_claim_page(*halves)], ["page.png"]).fields


def test_a_bar_within_the_claim_number_of_a_text_layer_leaves_it_empty(tmp_path: Path) -> None:
    lines = [line for line in NOTICE if not line.startswith("Claim")] + ["Claim Number: 759-6473|144-34"]
    assert "claim_number" not in scan_files([_write(tmp_path, "notice.pdf", _text_pdf(lines))]).fields


def test_ocr_of_a_claim_number_split_by_a_bar_reads_it_whole_but_unsure(tmp_path: Path) -> None:
    sample = make_sample(33)  # Tesseract reads "759-6473 |" and "144-34", the second at a third sure
    read = read_scan(_write(tmp_path, "page.png", sample.image))
    lines = [line for page in read.pages for line in lines_of(page)]
    claims = [c for c in identifier_candidates(lines) if c.name == "claim_number"]
    assert [c.value for c in claims] == [sample.truth["claim_number"]]
    assert propose(read.pages, ["page.png"]).value("claim_number") in ("", sample.truth["claim_number"])


def test_a_bar_between_a_codes_amount_label_and_its_dollar_amount_is_left_out(tmp_path: Path) -> None:
    lines = [*NOTICE, "CO-50 not medically necessary, amount denied | $200.00",
             "CO-16 missing information, amount denied | $50.00"]
    proposal = scan_files([_write(tmp_path, "notice.pdf", _text_pdf(lines))])
    assert proposal.value("reason_codes") == "CO-50 200.00, CO-16 50.00"


def test_a_bar_before_an_amount_without_its_dollar_sign_could_be_a_digit(tmp_path: Path) -> None:
    lines = [*NOTICE, "CO-50 not medically necessary, amount denied | 200.00",
             "CO-16 missing information, amount denied | 50.00"]
    proposal = scan_files([_write(tmp_path, "notice.pdf", _text_pdf(lines))])
    assert proposal.value("reason_codes") == "CO-50, CO-16"


@pytest.mark.parametrize(("read", "sure", "code"), [("C029", 46.0, "CO-29"), ("COl51", 46.0, "")])
def test_a_group_code_put_right_stays_as_sure_as_tesseract_was(read: str, sure: float, code: str) -> None:
    """As sample 45 was read: a group code's 0 for O has one reading, a number's l for 1 may not."""
    words = (Word("Reason:", 96.0, Box(188, 696, 90, 16), 1), Word(read, sure, Box(290, 696, 51, 16), 1))
    page = ScannedPage(1, 1275, 1651, words, "ocr")
    assert propose([page], ["page.jpeg"]).value("reason_codes") == code
