"""`attach` refuses what a packet could not use, before anything is written (issue 12, points 7, 8
and 10): an image with a right signature and garbage inside, one cut short or of too many pixels
(each decoded whole at attach time), a PDF that unpacks to gigabytes (a "compression bomb"); a
title longer than a line of the enclosure index; and any case file `check` calls damaged."""

from __future__ import annotations

import contextlib
import hashlib
import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from review_docs import jpeg_bytes, png_bytes, tiff_bytes, write_pdf

from tests.hostile_files import compression_bomb
from workstation.casefile.case_file import CaseFile
from workstation.core.errors import UserError
from workstation.core.vocabulary import EvidenceKind
from workstation.documents.evidence_files import MAX_PDF_CONTENT_BYTES, check_document
from workstation.ops.evidence import MAX_TITLE_CHARS, AttachResult, attach_files
from workstation.ops.workspaces import check_path

LIMIT = 100 * 1024 * 1024


@pytest.fixture
def case_path(tmp_path: Path, make_case) -> Path:
    return CaseFile.create(tmp_path / "2026-03-abcdef01.appeal", make_case())


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


def attach(case_path: Path, *paths: Path, title: str | None = None) -> AttachResult:
    with CaseFile.open(case_path) as case_file:
        return attach_files(case_file, list(paths), actor="dana", kind=EvidenceKind.OTHER, title=title, limit=LIMIT)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused_alone(case_path: Path, document: Path) -> str:
    """The one sentence refusing `document`, the case file left byte for byte as it was."""
    before = digest(case_path)
    result = attach(case_path, document)
    assert result.added == [] and len(result.refused) == 1, result
    assert digest(case_path) == before
    return result.refused[0]


# -- images, decoded whole ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "head"), [("scan.png", b"\x89PNG\r\n\x1a\n"), ("scan.jpg", b"\xff\xd8\xff\xe0"),
                                            ("scan.tif", b"II*\x00"), ("fax.tif", b"MM\x00*")])
def test_an_image_with_a_right_signature_and_garbage_inside_is_refused(case_path: Path, docs: Path, name: str,
                                                                       head: bytes) -> None:
    (docs / name).write_bytes(head + bytes(range(256)) * 40)
    sentence = refused_alone(case_path, docs / name)
    assert sentence.startswith(f"{name} is a damaged image") and "packet" in sentence


@pytest.mark.parametrize(("name", "data"), [("photo.png", png_bytes(200, 200)), ("photo.jpg", jpeg_bytes()),
                                            ("photo.tif", tiff_bytes())])
def test_an_image_cut_short_is_refused(case_path: Path, docs: Path, name: str, data: bytes) -> None:
    (docs / name).write_bytes(data[:len(data) // 2])
    assert refused_alone(case_path, docs / name).startswith(f"{name} is a damaged image")


def test_a_good_image_of_each_kind_still_goes_in(case_path: Path, docs: Path) -> None:
    for name, data in (("a.png", png_bytes(40, 30)), ("b.jpg", jpeg_bytes()), ("c.tif", tiff_bytes())):
        (docs / name).write_bytes(data)
    assert attach(case_path, docs / "a.png", docs / "b.jpg", docs / "c.tif").added == ["a.png", "b.jpg", "c.tif"]


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(case_path: Path, docs: Path) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, format="PNG")  # 100 million pixels in a few kilobytes
    (docs / "poster.png").write_bytes(buffer.getvalue())
    sentence = refused_alone(case_path, docs / "poster.png")
    assert sentence.startswith("poster.png is 10,000 by 10,000 pixels") and "300 dpi" in sentence


# -- PDFs, opened page by page ------------------------------------------------------------------


def test_a_pdf_that_unpacks_to_gigabytes_is_refused(case_path: Path, docs: Path) -> None:
    bomb = docs / "records.pdf"
    bomb.write_bytes(compression_bomb(pages=6, unpacked=60 << 20))  # 360 MB of page content from ~60 KB
    assert bomb.stat().st_size < 1 << 20 and MAX_PDF_CONTENT_BYTES < 6 * (60 << 20)
    sentence = refused_alone(case_path, bomb)
    assert sentence.startswith("records.pdf unpacks to more than 256 MB") and "packet" in sentence


def test_one_page_past_pypdfs_own_bound_is_the_same_sentence(docs: Path) -> None:
    bomb = docs / "one page.pdf"
    bomb.write_bytes(compression_bomb(pages=1, unpacked=80 << 20))  # one stream past pypdf's 75 MB
    with pytest.raises(UserError, match=r"^one page\.pdf unpacks to more than"):
        check_document(bomb)


def test_a_pdf_of_ordinary_pages_unpacks_well_within_the_bound(docs: Path) -> None:
    pdf = write_pdf(docs / "notes.pdf", *(f"page {n}" for n in range(40)), filler=60)
    assert check_document(pdf).pages == 40


# -- the title ----------------------------------------------------------------------------------


def test_a_title_longer_than_a_line_of_the_index_is_refused(case_path: Path, docs: Path) -> None:
    write_pdf(docs / "notes.pdf", "notes")
    before = digest(case_path)
    with pytest.raises(UserError) as refused:
        attach(case_path, docs / "notes.pdf", title="T" * 100_000)
    assert str(refused.value) == (f"A document's title may have at most {MAX_TITLE_CHARS} characters, and this one "
                                  "has 100,000; shorten it. Nothing was attached.")
    assert digest(case_path) == before
    assert attach(case_path, docs / "notes.pdf", title="T" * MAX_TITLE_CHARS).added == ["notes.pdf"]


def test_a_title_from_a_very_long_file_name_is_cut_to_fit(case_path: Path, docs: Path) -> None:
    pdf = write_pdf(docs / f"{'visit_notes_' * 20}.pdf", "notes")
    assert attach(case_path, pdf).added == [pdf.name]
    with CaseFile.open(case_path, read_only=True) as case_file:
        assert len(case_file.evidence.list()[0].title) == MAX_TITLE_CHARS


# -- a damaged case file is never written into ----------------------------------------------------


@pytest.mark.parametrize("table", ["evidence", "calls", "notes", "checklist"])
def test_a_case_file_missing_a_table_is_refused_whole(case_path: Path, docs: Path, table: str) -> None:
    with sqlite3.connect(case_path) as conn:
        conn.execute(f"DROP TABLE {table}")
    conn.close()
    pdf = write_pdf(docs / "notes.pdf", "notes")
    before = digest(case_path)
    with pytest.raises(UserError) as refused:
        attach(case_path, pdf)
    assert str(refused.value).startswith(f"{case_path.name} is damaged, so nothing was attached to it "
                                         f"(the table {table} is missing); restore it")
    assert digest(case_path) == before


def damaged_copies(case_path: Path, folder: Path) -> Iterator[tuple[int, Path]]:
    """Copies of the case file with one page each overwritten, those `check` calls damaged."""
    original, page_size = case_path.read_bytes(), 4096
    for page in range(1, len(original) // page_size):
        copy = folder / f"2026-03-page{page:04d}.appeal"
        data = bytearray(original)
        data[page * page_size + 100:(page + 1) * page_size] = b"A" * (page_size - 100)
        copy.write_bytes(bytes(data))
        if check_path(copy).problems:
            yield page, copy


def test_no_page_of_damage_check_reports_lets_attach_write(case_path: Path, docs: Path, tmp_path: Path) -> None:
    """Each page of the case file overwritten in turn: where `check` calls the copy damaged,
    attach writes nothing into it."""
    pdf = write_pdf(docs / "notes.pdf", "notes")
    written, damaged = [], 0
    for page, copy in damaged_copies(case_path, tmp_path):
        damaged += 1
        before = digest(copy)
        with contextlib.suppress(UserError):
            if attach(copy, pdf).added:
                written.append(page)
        assert digest(copy) == before, page
    assert damaged > 0 and written == []


def test_opening_a_case_file_whose_schema_is_damaged_is_a_sentence(case_path: Path, tmp_path: Path) -> None:
    crashes = []
    for page, copy in damaged_copies(case_path, tmp_path):
        try:
            CaseFile.open(copy).close()
        except UserError:
            pass
        except Exception as error:
            crashes.append(f"page {page}: {type(error).__name__}: {error}")
    assert crashes == []


def test_a_title_typed_in_the_window_past_the_limit_is_refused_and_nothing_changes(tmp_path: Path, make_case) -> None:
    from workstation.ops.evidence import describe_document

    path = CaseFile.create(tmp_path / "2026-03-abcdef09.appeal", make_case())
    scan = tmp_path / "records.png"
    scan.write_bytes(png_bytes())
    with CaseFile.open(path) as case_file:
        attach_files(case_file, [scan], actor="dana")
        doc = case_file.evidence.list()[0]
        with pytest.raises(UserError, match=f"at most {MAX_TITLE_CHARS} characters"):
            describe_document(case_file, doc.id, title="x" * (MAX_TITLE_CHARS + 1), kind=doc.kind,
                              document_date=None, actor="dana")
        assert case_file.evidence.list()[0].title == doc.title
