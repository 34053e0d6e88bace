"""The packet read back with pypdf: letter, enclosure index, then the documents (PDF pages as
they are, images on letter pages), every page stamped, an outline entry per part, the same
bytes from the same inputs; a bad enclosure stops the build by number and title. Then the
case-file side (ops.letters): included documents in their order, the saved letter, the kept
manifest that rebuilds the very packet that was sent, missing fields named in words."""

from __future__ import annotations

import hashlib
import io
import random
import re
import struct
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from practice_fixtures import case_in_workspace
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from workstation.casefile.case_file import CaseFile
from workstation.core.errors import UserError
from workstation.core.model import Person
from workstation.core.vocabulary import EvidenceKind
from workstation.core.workspace_model import PracticeProfile
from workstation.documents.letter_context import letter_context
from workstation.documents.letter_pdf import letter_pdf
from workstation.documents.letter_templates import load_catalog, render_markup
from workstation.documents.packet import Enclosure, PacketProblem, build_packet
from workstation.ops.evidence import attach_files
from workstation.ops.letters import (
    MissingFields,
    case_packet,
    draft_letter,
    letter_bytes,
    letter_setting,
    record_packet,
    save_letter,
)

CLAIM = "ICN 2026-0001"  # the payer claim number of conftest.full_case()
TODAY = date(2026, 3, 31)
STAMP = re.compile(r"Claim (.+?) · page (\d+) of (\d+)")


# -- documents made here -----------------------------------------------------------------------


def pdf_document(pages: int, tag: str, size: tuple[float, float] = LETTER) -> bytes:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=size)
    for number in range(1, pages + 1):
        drawing.drawString(72, size[1] - 100, f"{tag} sheet {number}")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def png_image(width: int = 30, height: int = 20, seed: int = 1) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = random.Random(seed).randbytes(width * height * 3)
    raw = b"".join(b"\x00" + pixels[y * width * 3:(y + 1) * width * 3] for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_document(1, "Secret"))))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def enclosure(title: str, data: bytes, media_type: str = "application/pdf", doc_id: int = 0) -> Enclosure:
    return Enclosure(title, "other", media_type, hashlib.sha256(data).hexdigest(), data, doc_id)


def the_letter(case) -> bytes:
    profile = PracticeProfile(name="Riverbend Physical Therapy", phone="555-0150", signer_name="Dana Example")
    ctx = letter_context(case, profile, deadline=None, enclosures=["Office notes", "Referral", "Knee X-ray"],
                         fields={}, today=TODAY)
    return letter_pdf(ctx, render_markup(load_catalog().get("general_appeal"), ctx))


def texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def reading(pages: list[str]) -> str:
    """The pages as one text without the letter's footers and the packet's stamps (a list that
    runs over a page break reads on)."""
    return flat(" ".join(line for text in pages for line in text.splitlines()
                         if not re.fullmatch(r"Claim .* · [Pp]age \d+ of \d+", line.strip())))


def images_on(page: Any) -> list[Any]:
    """Image XObjects a page draws, looking inside form XObjects too."""
    found: list[Any] = []

    def walk(resources: Any) -> None:
        for xobject in (resources or {}).get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                found.append(xobject)
            elif xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    walk(page.get("/Resources"))
    return found


# -- build_packet ------------------------------------------------------------------------------


@pytest.fixture
def three(make_case) -> tuple[bytes, list[Enclosure]]:
    return the_letter(make_case()), [enclosure("Office notes", pdf_document(2, "Notes")),
                                     enclosure("Referral", pdf_document(1, "Referral")),
                                     enclosure("Knee X-ray", png_image(), "image/png")]


def test_page_count_is_letter_index_and_every_document_page(three):
    letter, enclosures = three
    letter_pages = len(texts(letter))
    packet = build_packet(letter, enclosures, claim_number=CLAIM)
    reader = PdfReader(io.BytesIO(packet.pdf))
    assert packet.page_count == len(reader.pages) == letter_pages + 1 + 2 + 1 + 1
    first = letter_pages + 2
    assert [(p.title, p.pages, p.first_page) for p in packet.parts] == [
        ("Office notes", 2, first), ("Referral", 1, first + 2), ("Knee X-ray", 1, first + 3)]
    pages = texts(packet.pdf)
    assert "Request for" in pages[0]  # the letter first, its pages as they were
    assert pages[letter_pages].startswith("Enclosure index")
    assert "Notes sheet 1" in pages[first - 1] and "Notes sheet 2" in pages[first]
    assert "Referral sheet 1" in pages[first + 1]


def test_every_page_is_stamped_with_the_claim_number_and_page_n_of_m(three):
    letter, enclosures = three
    packet = build_packet(letter, enclosures, claim_number=CLAIM)
    pages = texts(packet.pdf)
    for number, text in enumerate(pages, start=1):
        assert STAMP.findall(text) == [(CLAIM, str(number), str(len(pages)))], number


def test_outline_has_the_letter_the_index_and_each_enclosure_at_its_page(three):
    letter, enclosures = three
    letter_pages = len(texts(letter))
    reader = PdfReader(io.BytesIO(build_packet(letter, enclosures, claim_number=CLAIM).pdf))
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert outline == [("Letter", 0), ("Enclosure index", letter_pages), ("1. Office notes", letter_pages + 1),
                       ("2. Referral", letter_pages + 3), ("3. Knee X-ray", letter_pages + 4)]


def test_the_index_lists_each_enclosure_with_its_pages_and_first_page(three):
    letter, enclosures = three
    first = len(texts(letter)) + 2
    packet = build_packet(letter, enclosures, claim_number=CLAIM)
    index = flat(texts(packet.pdf)[first - 2])
    assert f"Enclosure index Claim {CLAIM} No. Document Pages Starts " \
           f"1. Office notes 2 page {first} 2. Referral 1 page {first + 2} 3. Knee X-ray 1 page {first + 3}" in index


def test_an_image_becomes_one_letter_page_drawing_the_image(three):
    letter, enclosures = three
    packet = build_packet(letter, enclosures, claim_number=CLAIM)
    page = PdfReader(io.BytesIO(packet.pdf)).pages[packet.parts[2].first_page - 1]
    images = images_on(page)
    assert [(int(i["/Width"]), int(i["/Height"])) for i in images] == [(30, 20)]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == LETTER
    assert flat(page.extract_text()) == f"Claim {CLAIM} · page {packet.page_count} of {packet.page_count}"
    assert all(images_on(p) == [] for p in PdfReader(io.BytesIO(packet.pdf)).pages[:packet.parts[2].first_page - 1])


def test_pages_of_another_size_keep_their_size_and_their_stamp(make_case):
    letter = the_letter(make_case())
    packet = build_packet(letter, [enclosure("A4 report", pdf_document(1, "A4", A4))], claim_number=CLAIM)
    page = PdfReader(io.BytesIO(packet.pdf)).pages[-1]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert f"page {packet.page_count} of {packet.page_count}" in page.extract_text()


def boxed_pdf(media: list[float], crop: list[float] | None) -> bytes:
    """One page whose media box (and crop box, the part a viewer or printer shows) is set by hand."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_document(1, "Boxed"))))
    writer.pages[0].mediabox = RectangleObject(media)
    if crop is not None:
        writer.pages[0].cropbox = RectangleObject(crop)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("media", "crop"), [
    ([-100, -100, 900, 1000], [0, 0, 612, 792]),  # a page cropped in a PDF editor
    ([200, 300, 812, 1092], None),  # a media box that does not start at 0, 0
], ids=["cropped", "offset"])
def test_the_stamp_lands_inside_the_visible_part_of_the_page(make_case, media, crop):
    letter = the_letter(make_case())
    packet = build_packet(letter, [enclosure("Scanned page", boxed_pdf(media, crop))], claim_number=CLAIM)
    page = PdfReader(io.BytesIO(packet.pdf)).pages[-1]
    left, bottom, right, top = (float(v) for v in page.cropbox)
    stamps: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if STAMP.search(text):
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            stamps.append((x, y, text.strip()))

    page.extract_text(visitor_text=visit)
    [(x, y, text)] = stamps
    assert text == f"Claim {CLAIM} · page {packet.page_count} of {packet.page_count}"
    width = stringWidth(text, "Helvetica", 8)
    assert left <= x and x + width <= right and bottom <= y <= top - 8, (x, y, page.cropbox)
    assert right - (x + width) < 72 and top - y < 72  # in the top right corner


def test_the_same_inputs_give_the_same_bytes(three):
    letter, enclosures = three
    one = build_packet(letter, enclosures, claim_number=CLAIM)
    two = build_packet(letter, list(enclosures), claim_number=CLAIM)
    assert hashlib.sha256(one.pdf).hexdigest() == hashlib.sha256(two.pdf).hexdigest() == one.sha256
    other = build_packet(letter, enclosures[:2], claim_number=CLAIM)
    assert other.sha256 != one.sha256  # the digest does tell packets apart


@pytest.mark.parametrize(("data", "media_type", "why"), [
    (encrypted_pdf(), "application/pdf", "protected by a password"),
    (b"%PDF-1.4 garbage", "application/pdf", "cannot be read"),
    (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n%%EOF", "application/pdf", "cannot be read"),
    (b"\x89PNG\r\n\x1a\n not an image", "image/png", "image that cannot be read"),
], ids=["encrypted", "garbage", "truncated", "bad-image"])
def test_a_bad_enclosure_names_itself_and_nothing_is_built(three, data, media_type, why):
    letter, enclosures = three
    bad = [enclosures[0], enclosure("Signed consent", data, media_type), enclosures[2]]
    result = None
    with pytest.raises(PacketProblem) as problem:
        result = build_packet(letter, bad, claim_number=CLAIM)
    assert result is None
    message = str(problem.value)
    assert message.startswith("Enclosure 2 (Signed consent) ")
    assert why in message and "not built" in message
    assert message.endswith(".") and "\n" not in message


def test_many_enclosures_index_over_two_pages_points_at_the_right_pages(make_case):
    letter = the_letter(make_case())
    documents = [enclosure(f"Document {n:02d}", pdf_document(1 + n % 2, f"Document {n:02d}")) for n in range(45)]
    packet = build_packet(letter, documents, claim_number=CLAIM)
    pages = texts(packet.pdf)
    assert packet.page_count == len(pages)
    for part in packet.parts:
        assert f"{part.title} sheet 1" in pages[part.first_page - 1], part
        assert f"{part.title} sheet {part.pages}" in pages[part.first_page + part.pages - 2], part
    index = flat(" ".join(pages[len(texts(letter)):packet.parts[0].first_page - 1]))
    for number, part in enumerate(packet.parts, start=1):
        assert f"{number}. {part.title} {part.pages} page {part.first_page}" in index


def test_a_long_title_stays_in_its_column_of_the_index(make_case):
    letter = the_letter(make_case())
    title = "Office visit notes and physical therapy plan of care, February 2026, signed by the treating physician"
    packet = build_packet(letter, [enclosure(title, pdf_document(1, "Notes"))], claim_number=CLAIM)
    index = PdfReader(io.BytesIO(packet.pdf)).pages[len(texts(letter))]
    runs: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip() and font is not None:
            face = str(font["/BaseFont"]).split("+")[-1]
            face = face if face.startswith("DejaVu") else "Helvetica"
            x = tm[4] * cm[0] + cm[4]
            runs.append((x, x + stringWidth(text.strip(), face, size), text.strip()))

    index.extract_text(visitor_text=visit)
    pages_column = next(x for x, _, text in runs if text == "Pages")
    cell = [run for run in runs if run[2] and title.startswith(run[2].rstrip("…").strip()[:20])]
    assert cell, runs
    assert all(end < pages_column for _, end, _ in cell), cell
    assert packet.parts[0].title == title  # the part and the outline keep it whole
    assert [item.title for item in PdfReader(io.BytesIO(packet.pdf)).outline][-1] == f"1. {title}"


# -- layout: one page number a page, a stamp that reads over anything ------------------------------

PAGE_NUMBER = re.compile(r"[Pp]age \d+ of \d+")


def test_letter_pages_in_the_packet_carry_only_the_packets_page_number(three):
    """Issue 10.9.3: a letter page in the packet shows "page 2 of 6" from the packet stamp, not
    also the letter's own "Page 2 of 2"; the letter's text is otherwise all there."""
    letter, enclosures = three
    letter_texts = texts(letter)
    assert len(letter_texts) >= 2 and all(len(PAGE_NUMBER.findall(text)) == 1 for text in letter_texts)
    packet = build_packet(letter, enclosures, claim_number=CLAIM)
    pages = texts(packet.pdf)
    for number, text in enumerate(pages, start=1):
        assert PAGE_NUMBER.findall(text) == [f"page {number} of {len(pages)}"], (number, PAGE_NUMBER.findall(text))
    assert reading(pages[:len(letter_texts)]) == reading(letter_texts)  # nothing else went missing
    assert texts(letter) == letter_texts  # the letter on its own keeps its numbers


def without_footer_marks(letter: bytes) -> bytes:
    """The letter as one saved before its footer was marked as pagination: the same drawing,
    without the marked-content operators around it."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter)))
    for page in writer.pages:
        content = page.get_contents()
        content.operations = [(operands, operator) for operands, operator in content.operations
                              if operator not in (b"BDC", b"EMC")]
        page.replace_contents(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert b"/Pagination" not in b"".join(p.get_contents().get_data() for p in PdfReader(buffer).pages)
    return buffer.getvalue()


def test_a_letter_saved_before_the_footer_was_marked_also_loses_its_own_numbers(three):
    letter, enclosures = three
    old = without_footer_marks(letter)
    assert [PAGE_NUMBER.findall(text) for text in texts(old)] == [PAGE_NUMBER.findall(t) for t in texts(letter)]
    pages = texts(build_packet(old, enclosures, claim_number=CLAIM).pdf)
    assert [PAGE_NUMBER.findall(text) for text in pages] == [[f"page {n} of {len(pages)}"]
                                                              for n in range(1, len(pages) + 1)]
    assert reading(pages[:len(texts(letter))]) == reading(texts(letter))


def test_an_enclosure_drawing_page_numbers_at_the_foot_keeps_them(three):
    """Only the letter's own footer is left out: a document's printed page numbers stay."""
    letter, _ = three
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=LETTER)
    drawing.setFont("Helvetica", 8)
    drawing.drawRightString(LETTER[0] - 61, 36, "Clinic record · Page 1 of 1")
    drawing.showPage()
    drawing.save()
    pages = texts(build_packet(letter, [enclosure("Record", buffer.getvalue())], claim_number=CLAIM).pdf)
    assert "Clinic record · Page 1 of 1" in pages[-1]


def dark_scan(pages: int = 1) -> bytes:
    """A full-page scan: dark from edge to edge, with dark-grey 'text' across the top."""
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=LETTER)
    for _ in range(pages):
        drawing.setFillGray(0.1)
        drawing.rect(0, 0, *LETTER, stroke=0, fill=1)
        drawing.setFillGray(0.3)
        drawing.setFont("Helvetica", 9)
        for y in range(int(LETTER[1]) - 14, 0, -11):
            drawing.drawString(4, y, "scanned text " * 20)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def test_the_stamp_reads_over_a_full_page_scan(three):
    """Issue 10.9.4: the stamp sits on an opaque white box, so over a dark scan it is dark text
    on white (today it was dark grey on the scan's own dark)."""
    from workstation.documents.evidence_files import render_pdf_page

    letter, _ = three
    packet = build_packet(letter, [enclosure("Scan", dark_scan())], claim_number=CLAIM)
    page = PdfReader(io.BytesIO(packet.pdf)).pages[-1]
    found: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if STAMP.search(text):
            found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text.strip()))

    page.extract_text(visitor_text=visit)
    [(x, y, text)] = found
    width = stringWidth(text, "Helvetica", 8)
    image = render_pdf_page(packet.pdf, packet.page_count - 1, width=int(LETTER[0]) * 2)
    scale = image.width / LETTER[0]
    channels = image.stride // image.width

    def pixel(px: float, py: float) -> tuple[int, ...]:
        column, row = int(px * scale), int((LETTER[1] - py) * scale)
        start = row * image.stride + column * channels
        return tuple(image.pixels[start:start + 3])

    behind = [pixel(x + width * i / 40, y + 8 * j / 4) for i in range(41) for j in range(5)]
    white = sum(1 for p in behind if min(p) > 230)
    dark = sum(1 for p in behind if max(p) < 120)
    assert white >= 0.6 * len(behind), (white, dark, len(behind))  # a white ground
    assert dark >= 5  # with the stamp's dark letters on it
    assert max(pixel(LETTER[0] / 2, LETTER[1] / 2)) < 120  # the scan itself is still dark


# -- the case file: ops.letters ----------------------------------------------------------------

FIELDS = {"additional_argument": "The therapy notes show each visit's goals and progress."}


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.fixture
def case_path(tmp_path: Path, make_case) -> Path:
    """A case file (in a workspace with a practice profile) with three documents attached: notes
    (2 pages), referral (1), x-ray (image)."""
    path = case_in_workspace(tmp_path, make_case())
    sources = tmp_path / "sources"
    sources.mkdir()
    with CaseFile.open(path) as case_file:
        for name, data, kind in (("Office notes.pdf", pdf_document(2, "Notes"), EvidenceKind.MEDICAL_RECORDS),
                                 ("Referral.pdf", pdf_document(1, "Referral"), EvidenceKind.CORRESPONDENCE),
                                 ("Knee X-ray.png", png_image(), EvidenceKind.MEDICAL_RECORDS)):
            result = attach_files(case_file, [write(sources / name, data)], actor="dana", kind=kind)
            assert result.refused == [], result.refused
    return path


def save(case_file: CaseFile, fields: dict[str, str] = FIELDS):
    case = case_file.load()
    draft = draft_letter(case, letter_setting(case_file.path, case, today=TODAY), template_id="general_appeal",
                         fields=fields, today=TODAY)
    assert draft.missing == []
    save_letter(case_file, draft, markup=draft.markup, fields=fields, actor="dana")
    return case_file.letters.versions()[-1]


def docs(case_file: CaseFile) -> dict[str, Any]:
    return {doc.title: doc for doc in case_file.load().evidence}


def test_save_letter_keeps_a_version_with_its_pdf(case_path: Path):
    with CaseFile.open(case_path) as case_file:
        version = save(case_file)
        assert (version.template_id, version.fields) == ("general_appeal", FIELDS)
        pdf = case_file.letters.pdf(version.id)
    text = reading(texts(pdf))
    assert FIELDS["additional_argument"] in text
    assert "Enclosures 1. Office notes 2. Referral 3. Knee X-ray" in text
    assert CLAIM in text


def test_the_packet_holds_only_included_documents_in_their_order(case_path: Path):
    with CaseFile.open(case_path) as case_file:
        by_title = docs(case_file)
        case_file.evidence.reorder([by_title["Knee X-ray"].id, by_title["Office notes"].id,
                                    by_title["Referral"].id], actor="dana")
        case_file.evidence.set_included(by_title["Referral"].id, False, actor="dana")
        version = save(case_file)
        letter_pages = len(texts(case_file.letters.pdf(version.id)))
        packet = case_packet(case_file)
    assert [part.title for part in packet.parts] == ["Knee X-ray", "Office notes"]
    assert [part.doc_id for part in packet.parts] == [by_title["Knee X-ray"].id, by_title["Office notes"].id]
    pages = texts(packet.pdf)
    assert packet.page_count == len(pages) == letter_pages + 1 + 1 + 2
    first = letter_pages + 2
    assert f"1. Knee X-ray 1 page {first} 2. Office notes 2 page {first + 1}" in flat(pages[letter_pages])
    assert "Referral" not in flat(" ".join(pages[letter_pages:]))
    assert "Notes sheet 1" in pages[first] and "Notes sheet 2" in pages[first + 1]
    # the saved letter's enclosure list is the packet's (after the signature block)
    assert "Phone 555-0150 Enclosures 1. Knee X-ray 2. Office notes" in reading(pages[:letter_pages])


def test_the_kept_manifest_rebuilds_the_packet_that_was_sent(case_path: Path, tmp_path: Path):
    sources = tmp_path / "sources"
    with CaseFile.open(case_path) as case_file:
        version = save(case_file)
        packet = case_packet(case_file)
        record_packet(case_file, packet, actor="dana")
        by_title = docs(case_file)
    with CaseFile.open(case_path, read_only=True) as case_file:  # later, the case opened again
        [record] = case_file.letters.packets()
        rebuilt = case_packet(case_file, case_file.letters.versions()[-1])
    assert record.letter_id == version.id
    assert record.page_count == packet.page_count
    assert record.pdf_sha256 == packet.sha256 == hashlib.sha256(packet.pdf).hexdigest()
    assert [(m["title"], m["doc_id"], m["sha256"], m["pages"]) for m in record.manifest] == [
        ("Office notes", by_title["Office notes"].id, hashlib.sha256((sources / "Office notes.pdf").read_bytes())
         .hexdigest(), 2),
        ("Referral", by_title["Referral"].id, hashlib.sha256((sources / "Referral.pdf").read_bytes()).hexdigest(), 1),
        ("Knee X-ray", by_title["Knee X-ray"].id, hashlib.sha256((sources / "Knee X-ray.png").read_bytes())
         .hexdigest(), 1)]
    assert [m["first_page"] for m in record.manifest] == [p.first_page for p in packet.parts]
    assert rebuilt.sha256 == record.pdf_sha256  # what was sent is what the case shows
    assert rebuilt.pdf == packet.pdf


def test_record_packet_before_any_saved_letter_is_refused_with_a_sentence(case_path: Path):
    with CaseFile.open(case_path) as case_file:
        packet = build_packet(the_letter(case_file.load()), [], claim_number=CLAIM)
        with pytest.raises(UserError) as refused:
            record_packet(case_file, packet, actor="dana")
        assert case_file.letters.packets() == []
    message = str(refused.value)
    assert message.startswith("Save the letter first") and message.endswith(".")


def test_missing_fields_are_named_in_words(make_case, tmp_path: Path):
    case = make_case(patient=Person("O'Brien", "Zoë", "", None, "", "GRP 9"))
    setting = letter_setting(case_in_workspace(tmp_path, case), case, today=TODAY)
    draft = draft_letter(case, setting, template_id="general_appeal", fields=FIELDS, today=TODAY)
    assert draft.missing == ["member ID"]
    with pytest.raises(MissingFields) as missing:
        letter_bytes(draft)
    assert missing.value.names == ["member ID"]
    assert str(missing.value) == "The letter needs: member ID. Fill them in, then try again."


def test_a_letter_without_a_practice_profile_names_what_to_fill_and_where(make_case, tmp_path: Path):
    """Issue 10, point 2: no letter is ever unsigned; the sender and signer are required fields."""
    case = make_case()
    setting = letter_setting(case_in_workspace(tmp_path, case, practice=PracticeProfile()), case, today=TODAY)
    draft = draft_letter(case, setting, template_id="general_appeal", fields=FIELDS, today=TODAY)
    assert draft.missing == ["practice name (Settings > Practice profile)",
                             "practice address (Settings > Practice profile)",
                             "signer's name (Settings > Practice profile)",
                             "signer's title (Settings > Practice profile)"]
    with pytest.raises(MissingFields) as missing:
        letter_bytes(draft)
    assert missing.value.paths == ["practice.name", "practice.address_lines", "practice.signer_name",
                                   "practice.signer_title"]


def test_a_case_emptied_of_its_member_id_saves_no_letter_and_builds_no_packet(case_path: Path):
    with CaseFile.open(case_path) as case_file:
        case_file.set_field("patient.member_id", "", actor="dana")
        case = case_file.load()
        draft = draft_letter(case, letter_setting(case_path, case, today=TODAY), template_id="general_appeal",
                             fields=FIELDS, today=TODAY)
        with pytest.raises(MissingFields, match="member ID"):
            save_letter(case_file, draft, markup=draft.markup, fields=FIELDS, actor="dana")
        assert case_file.letters.versions() == []
        with pytest.raises(MissingFields):
            case_packet(case_file)  # no saved letter: a fresh one is drafted from the suggested template


def test_every_page_of_a_faxed_tiff_goes_into_the_packet() -> None:
    from PIL import Image

    frames = [Image.new("L", (170, 220), shade) for shade in (40, 120, 200)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    fax = enclosure("Faxed records", buffer.getvalue(), media_type="image/tiff")
    packet = build_packet(pdf_document(1, "LETTER"), [fax], claim_number="C-1")
    assert [p.pages for p in packet.parts] == [3]
    assert packet.page_count == 1 + 1 + 3  # letter, index, the three fax pages


def test_a_very_long_title_is_cut_in_the_index_not_measured_for_minutes() -> None:
    title = "Records " * 12_500  # 100,000 characters, from a file name an older version kept whole
    packet = build_packet(pdf_document(1, "LETTER"), [enclosure(title, pdf_document(1, "DOC"))], claim_number="C-2")
    index = texts(packet.pdf)[1]
    assert "Records Records" in index and "…" in index and len(index) < 2_000
