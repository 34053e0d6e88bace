"""Evidence stored inside the case file: every accepted type from real files made here, the type
found from the bytes, SHA-256 and bytes round trip, packet order and include flags, removal, the
preview, and every bad input refused with a sentence and the case file left as it was."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import io
import os
import random
import re
import resource
import signal
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from aes_pdf import aes_encrypt_block, aes_pdf, certificate_encrypted_pdf
from pypdf import PdfReader, PdfWriter
from review_docs import (
    encrypted_pdf,
    file_sha,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    tiff_big_endian_bytes,
    tiff_bytes,
    write_pdf,
)

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.errors import DiskFull, UserError
from workstation.core.model import EvidenceDoc
from workstation.core.vocabulary import EvidenceKind
from workstation.documents.evidence_files import PageImage, check_document
from workstation.ops.evidence import (
    DEFAULT_LIMIT_MB,
    LIMIT_SETTING,
    attach_files,
    attachment_limit,
    preview_page,
    title_from_file_name,
)

MB = 1024 * 1024
LIMIT = 20 * MB
ACCEPTED_WORDS = ("PDF", "PNG", "JPEG", "TIFF")


@pytest.fixture
def case_path(tmp_path: Path, make_case) -> Path:
    return CaseFile.create(tmp_path / "2026-03-abcdef01.appeal", make_case())


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


def attach(case_path: Path, *paths: Path, kind: EvidenceKind = EvidenceKind.OTHER, title: str | None = None,
           limit: int = LIMIT):
    with CaseFile.open(case_path) as case_file:
        return attach_files(case_file, list(paths), actor="dana", kind=kind, title=title, limit=limit)


def evidence(case_path: Path) -> list[EvidenceDoc]:
    with CaseFile.open(case_path, read_only=True) as case_file:
        return case_file.evidence.list()


def activity_messages(case_path: Path) -> list[str]:
    with CaseFile.open(case_path, read_only=True) as case_file:
        return [a.message for a in case_file.load().activity]


def stored_bytes(case_path: Path, doc_id: int) -> bytes:
    with CaseFile.open(case_path, read_only=True) as case_file:
        return case_file.evidence.read(doc_id)


def one_refusal(result) -> str:
    assert result.added == [] and len(result.refused) == 1, result
    return result.refused[0]


@contextlib.contextmanager
def unchanged(case_path: Path) -> Iterator[None]:
    """The block must leave the case file byte for byte as it was, with no journal behind."""
    before_sha, before_docs = file_sha(case_path), evidence(case_path)
    yield
    assert file_sha(case_path) == before_sha
    assert evidence(case_path) == before_docs
    assert not Path(f"{case_path}-journal").exists()


# -- every accepted type -------------------------------------------------------------------------

ACCEPTED = [
    ("report.pdf", lambda: pdf_bytes("page one", "page two"), "application/pdf"),
    ("card.png", lambda: png_bytes(8, 6), "image/png"),
    ("xray.jpg", jpeg_bytes, "image/jpeg"),
    ("fax.tif", tiff_bytes, "image/tiff"),
    ("fax-mm.tiff", tiff_big_endian_bytes, "image/tiff"),
]


@pytest.mark.parametrize(("name", "make", "media_type"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_every_accepted_type_is_stored_whole(case_path: Path, docs: Path, name: str, make, media_type: str) -> None:
    data = make()
    source = docs / name
    source.write_bytes(data)
    result = attach(case_path, source, kind=EvidenceKind.MEDICAL_RECORDS)
    assert result.added == [name] and result.refused == []
    [doc] = evidence(case_path)
    assert (doc.title, doc.kind, doc.file_name, doc.media_type) == (
        title_from_file_name(source), EvidenceKind.MEDICAL_RECORDS, name, media_type)  # "fax-mm": "Fax mm"
    assert (doc.size, doc.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert (doc.included, doc.position, doc.added_by) == (True, 1, "dana")
    assert doc.added_at is not None
    assert stored_bytes(case_path, doc.id) == data
    assert activity_messages(case_path)[-1] == f"Document added: {doc.title} (medical records)"


def test_all_types_at_once_keep_the_order_they_were_given(case_path: Path, docs: Path) -> None:
    paths = []
    for name, make, _media in ACCEPTED:
        (docs / name).write_bytes(make())
        paths.append(docs / name)
    result = attach(case_path, *paths)
    assert result.added == [p.name for p in paths] and result.refused == []
    stored = evidence(case_path)
    assert [d.file_name for d in stored] == [p.name for p in paths]
    assert [d.position for d in stored] == [1, 2, 3, 4, 5]
    assert [d.media_type for d in stored] == [m for _n, _f, m in ACCEPTED]


# -- the type comes from the bytes ---------------------------------------------------------------


def test_a_png_named_pdf_is_stored_as_a_png(case_path: Path, docs: Path) -> None:
    (docs / "scan.pdf").write_bytes(png_bytes())
    assert attach(case_path, docs / "scan.pdf").added == ["scan.pdf"]
    assert evidence(case_path)[0].media_type == "image/png"


def test_a_pdf_named_png_is_stored_as_a_pdf(case_path: Path, docs: Path) -> None:
    (docs / "photo.png").write_bytes(pdf_bytes("really a pdf"))
    assert attach(case_path, docs / "photo.png").added == ["photo.png"]
    assert evidence(case_path)[0].media_type == "application/pdf"


@pytest.mark.parametrize("content", [b"Dear payer, please reconsider.\n", b"PK\x03\x04docx-ish", b"GIF89a\x01\x00"])
def test_a_file_of_another_type_named_pdf_is_refused_listing_the_accepted_types(
        case_path: Path, docs: Path, content: bytes) -> None:
    (docs / "letter.pdf").write_bytes(content)
    with unchanged(case_path):
        sentence = one_refusal(attach(case_path, docs / "letter.pdf"))
    assert sentence.startswith("letter.pdf ")
    assert all(word in sentence for word in ACCEPTED_WORDS), sentence


# -- SHA-256 and bytes round trip, export ----------------------------------------------------------


def test_bytes_round_trip_and_export_writes_identical_bytes(case_path: Path, docs: Path, tmp_path: Path) -> None:
    big = png_bytes(900, 1000, seed=7, level=0)  # ~2.7 MB: more than one 1 MB chunk each way
    assert len(big) > 2 * MB
    (docs / "big scan.png").write_bytes(big)
    write_pdf(docs / "note.pdf", "progress note")
    assert attach(case_path, docs / "big scan.png", docs / "note.pdf").refused == []
    out = tmp_path / "exported"
    out.mkdir()
    with CaseFile.open(case_path) as case_file:
        image, note = case_file.evidence.list()
        assert image.sha256 == hashlib.sha256(big).hexdigest() and image.size == len(big)
        assert case_file.evidence.read(image.id) == big
        exported = case_file.evidence.export(image.id, out / "copy.png")
        case_file.evidence.export(note.id, out / "note copy.pdf")
    assert exported == out / "copy.png" and exported.read_bytes() == big
    assert (out / "note copy.pdf").read_bytes() == (docs / "note.pdf").read_bytes()
    assert len(PdfReader(str(out / "note copy.pdf")).pages) == 1
    assert sorted(p.name for p in out.iterdir()) == ["copy.png", "note copy.pdf"]  # no .partial left


def test_export_replaces_an_existing_file_whole(case_path: Path, docs: Path, tmp_path: Path) -> None:
    write_pdf(docs / "a.pdf", "the document")
    attach(case_path, docs / "a.pdf")
    target = tmp_path / "target.pdf"
    target.write_bytes(b"old contents that are longer than nothing" * 100)
    with CaseFile.open(case_path) as case_file:
        case_file.evidence.export(case_file.evidence.list()[0].id, target)
    assert target.read_bytes() == (docs / "a.pdf").read_bytes()


def test_export_to_a_missing_folder_is_a_sentence_and_leaves_nothing(case_path: Path, docs: Path,
                                                                       tmp_path: Path) -> None:
    write_pdf(docs / "a.pdf", "the document")
    attach(case_path, docs / "a.pdf")
    with CaseFile.open(case_path) as case_file, pytest.raises(UserError) as refused:
        case_file.evidence.export(case_file.evidence.list()[0].id, tmp_path / "nowhere" / "a.pdf")
    assert "a.pdf" in str(refused.value)
    assert not (tmp_path / "nowhere").exists()


# -- titles ---------------------------------------------------------------------------------------


def test_several_files_take_their_titles_from_their_names(case_path: Path, docs: Path) -> None:
    write_pdf(docs / "Progress notes 2026-02-01.pdf", "notes")
    (docs / "Insurance card.png").write_bytes(png_bytes())
    attach(case_path, docs / "Progress notes 2026-02-01.pdf", docs / "Insurance card.png")
    assert [d.title for d in evidence(case_path)] == ["Progress notes 2026-02-01", "Insurance card"]


def test_a_title_goes_with_one_file_only(case_path: Path, docs: Path) -> None:
    write_pdf(docs / "a.pdf", "a")
    write_pdf(docs / "b.pdf", "b")
    with unchanged(case_path), CaseFile.open(case_path) as case_file, pytest.raises(UserError) as refused:
        attach_files(case_file, [docs / "a.pdf", docs / "b.pdf"], actor="dana", title="Both", limit=LIMIT)
    assert "one file" in str(refused.value)
    assert attach(case_path, docs / "a.pdf", title="Authorization #4471").added == ["a.pdf"]
    assert [d.title for d in evidence(case_path)] == ["Authorization #4471"]


def test_a_machine_style_file_name_becomes_a_readable_title(case_path: Path, docs: Path) -> None:
    """Issue 10.9.5: the enclosure list and the index print "Plan of care", not "plan_of_care";
    dates, numbers and "X-ray" keep their hyphens; a name with spaces is kept as typed."""
    names = {"plan_of_care.pdf": "Plan of care", "MRI-report_2026-03-01.pdf": "MRI report 2026-03-01",
             "x-ray_left_knee.png": "X-ray left knee", "Knee X-ray.png": "Knee X-ray",
             "ER_visit_notes_v2.pdf": "ER visit notes v2", "referral.pdf": "referral", "__scan__.pdf": "Scan"}
    for number, name in enumerate(names):
        if name.endswith(".png"):
            (docs / name).write_bytes(png_bytes(seed=20 + number))
        else:
            write_pdf(docs / name, f"document {number}")
    assert attach(case_path, *(docs / name for name in names)).added == list(names)
    stored = evidence(case_path)
    assert [d.title for d in stored] == list(names.values())
    assert [d.file_name for d in stored] == list(names)  # the file keeps its own name


def test_a_title_given_with_the_file_is_kept_exactly(case_path: Path, docs: Path) -> None:
    write_pdf(docs / "plan_of_care.pdf", "plan")
    attach(case_path, docs / "plan_of_care.pdf", title="plan_of_care (signed)")
    assert [d.title for d in evidence(case_path)] == ["plan_of_care (signed)"]


def test_names_with_markup_characters_and_accents_survive_as_titles(case_path: Path, docs: Path) -> None:
    names = ["O'Brien & <Sons> Zoë.pdf", "Résumé > café ñ.png"]
    write_pdf(docs / names[0], "ampersand")
    (docs / names[1]).write_bytes(png_bytes(seed=5))
    assert attach(case_path, *(docs / n for n in names)).added == names
    stored = evidence(case_path)
    assert [d.title for d in stored] == ["O'Brien & <Sons> Zoë", "Résumé > café ñ"]
    assert [d.file_name for d in stored] == names
    assert "Document added: O'Brien & <Sons> Zoë (other)" in activity_messages(case_path)


# -- packet order and include flags ---------------------------------------------------------------


def three_documents(case_path: Path, docs: Path) -> list[EvidenceDoc]:
    for index, name in enumerate(("first", "second", "third")):
        write_pdf(docs / f"{name}.pdf", name, filler=index)
    attach(case_path, *(docs / f"{n}.pdf" for n in ("first", "second", "third")))
    return evidence(case_path)


def test_new_documents_go_last(case_path: Path, docs: Path) -> None:
    stored = three_documents(case_path, docs)
    assert [(d.title, d.position) for d in stored] == [("first", 1), ("second", 2), ("third", 3)]
    (docs / "fourth.png").write_bytes(png_bytes(seed=4))
    attach(case_path, docs / "fourth.png")
    assert [d.title for d in evidence(case_path)] == ["first", "second", "third", "fourth"]


def test_reorder_persists_and_new_documents_still_go_last(case_path: Path, docs: Path) -> None:
    first, _second, third = three_documents(case_path, docs)
    with CaseFile.open(case_path) as case_file:
        case_file.evidence.reorder([third.id, first.id], actor="lee")
    assert [d.title for d in evidence(case_path)] == ["third", "first", "second"]
    assert [d.position for d in evidence(case_path)] == [1, 2, 3]
    assert activity_messages(case_path)[-1] == "Documents reordered"
    (docs / "fourth.png").write_bytes(png_bytes(seed=4))
    attach(case_path, docs / "fourth.png")
    assert [d.title for d in evidence(case_path)] == ["third", "first", "second", "fourth"]
    with CaseFile.open(case_path, read_only=True) as case_file:
        assert [d.title for d in case_file.load().evidence] == ["third", "first", "second", "fourth"]


def test_include_flag_persists_and_is_logged(case_path: Path, docs: Path) -> None:
    first, second, _third = three_documents(case_path, docs)
    with CaseFile.open(case_path) as case_file:
        case_file.evidence.set_included(second.id, False, actor="dana")
    assert [d.included for d in evidence(case_path)] == [True, False, True]
    assert activity_messages(case_path)[-1] == "Document left out of the packet: second"
    with CaseFile.open(case_path) as case_file:
        case_file.evidence.set_included(second.id, True, actor="dana")
        case_file.evidence.set_included(first.id, False, actor="dana")
    assert [d.included for d in evidence(case_path)] == [False, True, True]
    assert activity_messages(case_path)[-2:] == ["Document included in the packet: second",
                                                 "Document left out of the packet: first"]


# -- removal ----------------------------------------------------------------------------------------


def test_removal_is_logged_and_the_bytes_are_gone_from_the_case_file(case_path: Path, docs: Path) -> None:
    secret = png_bytes(120, 100, seed=99, level=0)  # random pixels: a stretch found nowhere else
    (docs / "wrong patient.png").write_bytes(secret)
    write_pdf(docs / "keep.pdf", "keep me")
    attach(case_path, docs / "wrong patient.png", docs / "keep.pdf")
    doc = evidence(case_path)[0]
    marker = secret[2000:2064]
    assert marker in case_path.read_bytes()
    with CaseFile.open(case_path) as case_file:
        # Debian's SQLite is built with SECURE_DELETE on; python.org's Windows and macOS builds are
        # not: start from their default so the test means the same everywhere.
        case_file.conn.execute("PRAGMA secure_delete=OFF")
        case_file.evidence.remove(doc.id, actor="dana")
        with pytest.raises(UserError) as gone:
            case_file.evidence.read(doc.id)
        assert "no longer in the case" in str(gone.value)
    assert [d.title for d in evidence(case_path)] == ["keep"]
    assert activity_messages(case_path)[-1] == "Document removed: wrong patient"
    assert marker not in case_path.read_bytes(), "removed document's bytes are still inside the case file"
    assert not Path(f"{case_path}-journal").exists()


def test_a_removed_document_can_be_attached_again(case_path: Path, docs: Path) -> None:
    write_pdf(docs / "a.pdf", "a")
    attach(case_path, docs / "a.pdf")
    with CaseFile.open(case_path) as case_file:
        case_file.evidence.remove(evidence(case_path)[0].id, actor="dana")
    assert attach(case_path, docs / "a.pdf").added == ["a.pdf"]


def test_removing_a_document_already_removed_elsewhere_is_a_sentence(case_path: Path, docs: Path) -> None:
    write_pdf(docs / "a.pdf", "a")
    attach(case_path, docs / "a.pdf")
    doc_id = evidence(case_path)[0].id
    with CaseFile.open(case_path) as window_one, CaseFile.open(case_path) as window_two:
        window_one.evidence.remove(doc_id, actor="dana")
        with pytest.raises(UserError) as refused:
            window_two.evidence.remove(doc_id, actor="lee")
    assert "removed in another window" in str(refused.value)


# -- bad input: a sentence each and nothing written ------------------------------------------------


def test_the_same_document_twice_is_refused_naming_the_existing_title(case_path: Path, docs: Path) -> None:
    data = pdf_bytes("the authorization")
    (docs / "auth.pdf").write_bytes(data)
    (docs / "auth copy (2).pdf").write_bytes(data)
    attach(case_path, docs / "auth.pdf", title="Authorization 4471")
    with unchanged(case_path):
        sentence = one_refusal(attach(case_path, docs / "auth copy (2).pdf"))
    assert "auth copy (2).pdf" in sentence and '"Authorization 4471"' in sentence
    assert "not added again" in sentence


def test_the_same_document_twice_in_one_go_is_stored_once(case_path: Path, docs: Path) -> None:
    data = png_bytes(seed=3)
    (docs / "one.png").write_bytes(data)
    (docs / "two.png").write_bytes(data)
    result = attach(case_path, docs / "one.png", docs / "two.png")
    assert result.added == ["one.png"] and len(result.refused) == 1 and '"one"' in result.refused[0]
    assert len(evidence(case_path)) == 1


def test_an_empty_file_is_refused(case_path: Path, docs: Path) -> None:
    (docs / "empty.pdf").write_bytes(b"")
    with unchanged(case_path):
        sentence = one_refusal(attach(case_path, docs / "empty.pdf"))
    assert sentence.startswith("empty.pdf is empty")


def _shown_bytes(amount: str, unit: str) -> float:
    return float(amount.replace(",", "")) * {"KB": 1024, "MB": MB}[unit]


def assert_size_sentence(sentence: str, name: str) -> None:
    """"NAME is X, more than the Y a document may have": X must read as larger than Y."""
    found = re.search(r"is ([\d.,]+) ([KM]B), more than the ([\d.,]+) ([KM]B)", sentence)
    assert found and sentence.startswith(name), sentence
    assert _shown_bytes(*found.group(1, 2)) > _shown_bytes(*found.group(3, 4)) > 0, sentence


def test_a_file_over_the_limit_is_refused_before_anything_is_written(case_path: Path, docs: Path) -> None:
    write_pdf(docs / "big.pdf", "big", filler=10)
    assert 1024 < (docs / "big.pdf").stat().st_size < 4096
    with unchanged(case_path):
        sentence = one_refusal(attach(case_path, docs / "big.pdf", limit=1024))
    assert_size_sentence(sentence, "big.pdf")
    assert "workspace setting" in sentence


def test_a_file_exactly_at_the_limit_is_accepted(case_path: Path, docs: Path) -> None:
    data = png_bytes(seed=8)
    (docs / "exact.png").write_bytes(data)
    assert attach(case_path, docs / "exact.png", limit=len(data)).added == ["exact.png"]


def test_the_limit_is_100_mb_outside_a_workspace(case_path: Path) -> None:
    assert DEFAULT_LIMIT_MB == 100
    assert attachment_limit(case_path) == 100 * MB


def test_the_workspace_setting_max_attachment_mb_is_honoured(tmp_path: Path, make_case, docs: Path) -> None:
    with Workspace.create(tmp_path / "ws") as workspace:
        workspace.set_setting(LIMIT_SETTING, "1")
        path = CaseFile.create(workspace.new_case_path(make_case().created_at.date()), make_case())
    assert attachment_limit(path) == 1 * MB
    big = png_bytes(760, 600, seed=11, level=0)  # about 1.3 MB
    assert MB < len(big) < 2 * MB
    (docs / "big scan.png").write_bytes(big)
    (docs / "small.png").write_bytes(png_bytes(seed=12))
    before = file_sha(path)
    with CaseFile.open(path) as case_file:
        result = attach_files(case_file, [docs / "big scan.png"], actor="dana")
    assert file_sha(path) == before
    assert_size_sentence(one_refusal(result), "big scan.png")
    with CaseFile.open(path) as case_file:
        assert attach_files(case_file, [docs / "small.png"], actor="dana").added == ["small.png"]


@pytest.mark.parametrize("setting", ["lots", "0", "-3", ""])
def test_an_unusable_workspace_setting_falls_back_to_the_default(tmp_path: Path, make_case, setting: str) -> None:
    with Workspace.create(tmp_path / "ws") as workspace:
        workspace.set_setting(LIMIT_SETTING, setting)
        path = CaseFile.create(workspace.new_case_path(make_case().created_at.date()), make_case())
    assert attachment_limit(path) == DEFAULT_LIMIT_MB * MB


def test_a_pdf_with_a_password_is_refused_saying_why(case_path: Path, docs: Path) -> None:
    encrypted_pdf(docs / "locked.pdf", "secret")
    with unchanged(case_path):
        sentence = one_refusal(attach(case_path, docs / "locked.pdf"))
    assert sentence.startswith("locked.pdf ") and "password" in sentence and "packet" in sentence


def merged_into_a_packet(data: bytes) -> str:
    """What packet assembly does with a document (pypdf, DESIGN.md): append it, write, read back."""
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    writer = PdfWriter()
    writer.append(reader)
    out = io.BytesIO()
    writer.write(out)
    return PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text()


def test_a_pdf_encrypted_with_an_empty_user_password_is_accepted_and_renders(case_path: Path, docs: Path) -> None:
    encrypted_pdf(docs / "restricted.pdf", "")
    assert attach(case_path, docs / "restricted.pdf").added == ["restricted.pdf"]
    [doc] = evidence(case_path)
    assert doc.media_type == "application/pdf"
    with CaseFile.open(case_path, read_only=True) as case_file:
        page = preview_page(case_file, doc.id, width=200)
        stored = case_file.evidence.read(doc.id)
    assert isinstance(page, PageImage) and page.page_count == 1 and page.width > 0 and page.height > 0
    assert "confidential page" in merged_into_a_packet(stored)  # it can go into a packet


@functools.cache
def aes_document(bits: int, password: str) -> bytes:
    return aes_pdf(password, bits=bits)  # pure-Python AES: about a second for AES-256, so once each


CAN_READ_AES = importlib.util.find_spec("cryptography") is not None


@pytest.mark.parametrize(("bits", "password"), [(128, ""), (128, "secret"), (256, ""), (256, "secret")],
                         ids=["aes128-open", "aes128-password", "aes256-open", "aes256-password"])
def test_an_aes_encrypted_pdf_is_accepted_only_if_the_packet_can_read_it(
        case_path: Path, docs: Path, bits: int, password: str) -> None:
    """AES is what Acrobat and scanners write today; pypdf (the packet) reads it only with the
    optional `cryptography` package. Either way: a sentence, never a crash or "damaged"."""
    data = aes_document(bits, password)
    document = pdfium.PdfDocument(data, password=password or None)  # the document itself is sound
    try:
        assert len(document) == 1
    finally:
        document.close()
    (docs / "portal eob.pdf").write_bytes(data)
    if password == "" and CAN_READ_AES:
        assert attach(case_path, docs / "portal eob.pdf").added == ["portal eob.pdf"]
        assert "Hello" in merged_into_a_packet(data)
        return
    with unchanged(case_path):
        sentence = one_refusal(attach(case_path, docs / "portal eob.pdf"))
    assert sentence.startswith("portal eob.pdf ") and "packet" in sentence and "damaged" not in sentence
    assert "password" in sentence or "encrypted" in sentence


@pytest.mark.parametrize("content", [
    b"%PDF-1.4\n" + b"\x13\x37 not a pdf body " * 40,
    pdf_bytes("cut short")[:700],
], ids=["garbage", "truncated"])
def test_a_broken_pdf_is_refused(case_path: Path, docs: Path, content: bytes) -> None:
    (docs / "broken.pdf").write_bytes(content)
    with unchanged(case_path):
        sentence = one_refusal(attach(case_path, docs / "broken.pdf"))
    assert sentence.startswith("broken.pdf ") and "damaged" in sentence and "packet" in sentence


def test_a_pdf_encrypted_for_a_certificate_is_refused_saying_why(case_path: Path, docs: Path) -> None:
    (docs / "secure mail.pdf").write_bytes(certificate_encrypted_pdf())
    with unchanged(case_path):
        sentence = one_refusal(attach(case_path, docs / "secure mail.pdf"))
    assert sentence.startswith("secure mail.pdf ") and "protection" in sentence and "packet" in sentence
    assert "damaged" not in sentence


def corruptions() -> Iterator[tuple[str, bytes]]:
    """Deterministic damage to real PDFs: cut short anywhere, bytes overwritten, and the encryption
    dictionary of an encrypted one bent (unknown handler, unknown version)."""
    plain = pdf_bytes("page one", "page two", filler=2)
    for cut in range(9, len(plain), 97):
        yield f"cut at {cut}", plain[:cut]
    rng = random.Random(2026)
    for number in range(150):
        damaged = bytearray(plain)
        for _ in range(rng.randint(1, 6)):
            damaged[rng.randrange(9, len(damaged))] = rng.randrange(256)
        yield f"flipped {number}", bytes(damaged)
    rc4 = aes_document(128, "").replace(b"/CFM /AESV2", b"/CFM /V2")  # RC4 with a working key
    for old, new in ((b"/Filter /Standard", b"/Filter /Sbandard"), (b"/V 4 /R 4", b"/V 0 /R 4"),
                     (b"/V 4 /R 4", b"/V 9 /R 4"), (b"/R 4", b"/R 9"), (b"/StmF /StdCF", b"/StmF /NoSuch")):
        yield f"encrypt {new.decode()}", rc4.replace(old, new)


def test_a_damaged_pdf_is_always_a_sentence_never_a_crash(docs: Path) -> None:
    crashes = []
    for label, data in corruptions():
        path = docs / "damaged.pdf"
        path.write_bytes(data)
        try:
            check_document(path)
        except UserError as error:
            assert str(error).startswith("damaged.pdf "), (label, str(error))
        except Exception as error:
            crashes.append(f"{label}: {type(error).__name__}: {error}")
    assert crashes == []


def test_a_folder_is_refused(case_path: Path, docs: Path) -> None:
    (docs / "scans.pdf").mkdir()
    with unchanged(case_path):
        sentence = one_refusal(attach(case_path, docs / "scans.pdf"))
    assert sentence.startswith("scans.pdf ") and "folder" in sentence


def test_a_file_that_does_not_exist_is_refused_saying_so(case_path: Path, docs: Path) -> None:
    with unchanged(case_path):
        sentence = one_refusal(attach(case_path, docs / "typo.pdf"))
    assert sentence.startswith("typo.pdf ") and "does not exist" in sentence


def test_a_refused_file_does_not_stop_the_others(case_path: Path, docs: Path) -> None:
    write_pdf(docs / "good.pdf", "good")
    (docs / "bad.pdf").write_text("plain text")
    (docs / "good.png").write_bytes(png_bytes())
    result = attach(case_path, docs / "good.pdf", docs / "bad.pdf", docs / "good.png")
    assert result.added == ["good.pdf", "good.png"] and len(result.refused) == 1
    assert result.refused[0].startswith("bad.pdf ")
    assert [d.title for d in evidence(case_path)] == ["good", "good"]


# -- a disk that fills up while attaching ----------------------------------------------------------


@contextlib.contextmanager
def disk_fills_after(limit: int) -> Iterator[None]:
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead of killing us
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs POSIX file-size limits")
def test_a_disk_that_fills_while_attaching_leaves_the_case_as_it_was(case_path: Path, docs: Path) -> None:
    write_pdf(docs / "first.pdf", "already here")
    attach(case_path, docs / "first.pdf")
    big = png_bytes(200, 200, seed=21, level=0)  # ~120 KB: many new pages in the case file
    (docs / "scan.png").write_bytes(big)
    before_sha, before_docs = file_sha(case_path), evidence(case_path)
    before_activity = activity_messages(case_path)
    with CaseFile.open(case_path) as case_file:
        with disk_fills_after(case_path.stat().st_size + 4096):
            result = attach_files(case_file, [docs / "scan.png"], actor="dana", limit=LIMIT)
        sentence = one_refusal(result)
        assert "disk" in sentence.lower() and "Traceback" not in sentence
        assert case_file.evidence.list() == before_docs
        assert case_file.integrity_problems() == []
    assert file_sha(case_path) == before_sha
    assert evidence(case_path) == before_docs and activity_messages(case_path) == before_activity
    assert not Path(f"{case_path}-journal").exists()
    assert attach(case_path, docs / "scan.png").added == ["scan.png"]  # room again: it goes in


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs POSIX file-size limits")
def test_a_full_disk_raises_disk_full_from_the_store(case_path: Path, docs: Path) -> None:
    big = png_bytes(200, 200, seed=22, level=0)
    (docs / "scan.png").write_bytes(big)
    before = file_sha(case_path)
    with (CaseFile.open(case_path) as case_file, disk_fills_after(case_path.stat().st_size + 4096),
          pytest.raises(DiskFull)):
        case_file.evidence.add(docs / "scan.png", title="scan", kind=EvidenceKind.OTHER,
                               media_type="image/png", sha256=hashlib.sha256(big).hexdigest(),
                               size=len(big), actor="dana")
    assert file_sha(case_path) == before


# -- the preview -----------------------------------------------------------------------------------


def test_preview_of_a_two_page_pdf(case_path: Path, docs: Path) -> None:
    write_pdf(docs / "two pages.pdf", "page one", "page two")
    attach(case_path, docs / "two pages.pdf")
    doc = evidence(case_path)[0]
    with CaseFile.open(case_path, read_only=True) as case_file:
        first = preview_page(case_file, doc.id, 0, width=300)
        second = preview_page(case_file, doc.id, 1, width=300)
    for page in (first, second):
        assert isinstance(page, PageImage)
        assert page.page_count == 2 and page.width > 0 and page.height > 0
        assert page.stride >= page.width * 3 and len(page.pixels) == page.stride * page.height
        assert 250 <= page.width <= 350
    assert first.pixels != second.pixels  # different text on each page
    assert len(set(first.pixels)) > 1  # not a blank picture


def test_preview_of_an_image_is_its_own_bytes(case_path: Path, docs: Path) -> None:
    data = jpeg_bytes()
    (docs / "photo.jpg").write_bytes(data)
    attach(case_path, docs / "photo.jpg")
    with CaseFile.open(case_path, read_only=True) as case_file:
        assert preview_page(case_file, evidence(case_path)[0].id) == data


def test_preview_of_a_pdf_with_bytes_before_its_header_renders_the_page(case_path: Path, docs: Path) -> None:
    """Such files are accepted as PDFs (readers allow leading bytes), so the preview must draw them."""
    (docs / "from scanner.pdf").write_bytes(b"\r\n" + pdf_bytes("scanned"))
    assert attach(case_path, docs / "from scanner.pdf").added == ["from scanner.pdf"]
    doc = evidence(case_path)[0]
    assert doc.media_type == "application/pdf"
    with CaseFile.open(case_path, read_only=True) as case_file:
        page = preview_page(case_file, doc.id, width=200)
    assert isinstance(page, PageImage) and page.page_count == 1


def test_preview_of_a_removed_document_is_a_sentence(case_path: Path, docs: Path) -> None:
    write_pdf(docs / "a.pdf", "a")
    attach(case_path, docs / "a.pdf")
    doc_id = evidence(case_path)[0].id
    with CaseFile.open(case_path) as case_file:
        case_file.evidence.remove(doc_id, actor="dana")
        with pytest.raises(UserError):
            preview_page(case_file, doc_id)


def test_the_case_file_stays_sound_after_a_busy_session(case_path: Path, docs: Path) -> None:
    first, second, third = three_documents(case_path, docs)
    with CaseFile.open(case_path) as case_file:
        case_file.evidence.reorder([second.id, third.id, first.id], actor="dana")
        case_file.evidence.set_included(third.id, False, actor="dana")
        case_file.evidence.remove(first.id, actor="dana")
        assert case_file.integrity_problems() == []
    assert os.path.getsize(case_path) > 0
    assert [(d.title, d.included) for d in evidence(case_path)] == [("second", True), ("third", False)]


# -- details edited in place ---------------------------------------------------------------------------


def test_title_kind_and_date_edits_persist_and_are_logged(case_path: Path, docs: Path) -> None:
    write_pdf(docs / "scan0001.pdf", "auth")
    attach(case_path, docs / "scan0001.pdf")
    doc = evidence(case_path)[0]
    with CaseFile.open(case_path) as case_file:
        case_file.evidence.describe(doc.id, title="Authorization 4471", kind=EvidenceKind.AUTHORIZATION,
                                    document_date=date(2026, 1, 15), actor="lee")
    [changed] = evidence(case_path)
    assert (changed.title, changed.kind, changed.document_date) == (
        "Authorization 4471", EvidenceKind.AUTHORIZATION, date(2026, 1, 15))
    assert (changed.sha256, changed.size, changed.position) == (doc.sha256, doc.size, doc.position)
    assert activity_messages(case_path)[-1] == "Document details changed: Authorization 4471"


def test_editing_a_document_removed_elsewhere_is_a_sentence_and_logs_nothing(case_path: Path, docs: Path) -> None:
    write_pdf(docs / "a.pdf", "a")
    attach(case_path, docs / "a.pdf")
    doc_id = evidence(case_path)[0].id
    with CaseFile.open(case_path) as window_one, CaseFile.open(case_path) as window_two:
        window_one.evidence.remove(doc_id, actor="dana")
        before = activity_messages(case_path)
        with pytest.raises(UserError) as refused:
            window_two.evidence.describe(doc_id, title="Renamed", kind=EvidenceKind.OTHER, document_date=None,
                                         actor="lee")
        assert "removed in another window" in str(refused.value)
    assert activity_messages(case_path) == before


# -- the documents made here are what they claim to be ---------------------------------------------


def test_the_hand_written_aes_matches_fips_197() -> None:
    plain = bytes.fromhex("00112233445566778899aabbccddeeff")
    assert aes_encrypt_block(bytes(range(16)), plain).hex() == "69c4e0d86a7b0430d8cdb78070b4c55a"
    assert aes_encrypt_block(bytes(range(32)), plain).hex() == "8ea2b7ca516745bfeafc49904b496089"


@pytest.mark.parametrize(("make", "image_format"), [
    (png_bytes, "PNG"), (jpeg_bytes, "JPEG"), (tiff_bytes, "TIFF"), (tiff_big_endian_bytes, "TIFF")])
def test_the_images_made_here_decode(make, image_format: str) -> None:
    from PIL import Image  # reportlab's own dependency, used here only to check our test files

    with Image.open(io.BytesIO(make())) as image:
        image.load()
        assert image.format == image_format and image.size[0] > 0


def test_a_duplicate_reaching_the_store_is_a_duplicate_sentence_not_a_damaged_file(
        case_path: Path, docs: Path) -> None:
    """Two windows attaching the same scan: both pass the duplicate check before either writes;
    the second write must say "already in this case", not "damaged, restore a backup"."""
    data = pdf_bytes("scan")
    (docs / "scan.pdf").write_bytes(data)
    (docs / "scan again.pdf").write_bytes(data)
    attach(case_path, docs / "scan.pdf")
    with unchanged(case_path), CaseFile.open(case_path) as case_file, pytest.raises(UserError) as refused:
        case_file.evidence.add(docs / "scan again.pdf", title="scan again", kind=EvidenceKind.OTHER,
                               media_type="application/pdf", sha256=hashlib.sha256(data).hexdigest(),
                               size=len(data), actor="lee")
    assert type(refused.value) is UserError
    assert str(refused.value) == 'scan again.pdf is already in this case as "scan"; it was not added again.'


@pytest.mark.parametrize(("name", "kind"), [
    ("Office notes 2026-03-01.pdf", EvidenceKind.MEDICAL_RECORDS), ("plan_of_care.pdf", EvidenceKind.MEDICAL_RECORDS),
    ("Prior-auth 4471.pdf", EvidenceKind.AUTHORIZATION), ("EOB march.pdf", EvidenceKind.REMITTANCE),
    ("Redetermination notice.pdf", EvidenceKind.DECISION_LETTER), ("LMN Dr Example.pdf", EvidenceKind.NECESSITY_LETTER),
    ("999 acceptance report.pdf", EvidenceKind.TIMELY_FILING_PROOF), ("LCD L33252.pdf", EvidenceKind.POLICY),
    ("scan0001.pdf", EvidenceKind.OTHER), ("Sera results.pdf", EvidenceKind.OTHER),
])
def test_a_documents_kind_is_guessed_from_its_name(name: str, kind: EvidenceKind) -> None:
    """Issue 11, point 10: dropped files each get their own kind, not the one shown in the Kind box."""
    from workstation.ops.evidence import guess_kind

    assert guess_kind(Path(name)) is kind
