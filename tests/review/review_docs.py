"""Small real documents made in the tests: PDFs (reportlab, pypdf), PNG by hand, JPEG and TIFF
rendered from a PDF page by pdfium and saved by Pillow (reportlab's own dependency; no Qt here)."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import zlib
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas


def pdf_bytes(*pages: str, filler: int = 0) -> bytes:
    """A real PDF with one page per text; `filler` adds that many lines to make it larger."""
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pageCompression=0, invariant=1)  # same bytes every run
    for text in pages or ("page one",):
        drawing.drawString(72, 720, text)
        for row in range(filler):
            drawing.drawString(72, 700 - (row % 60) * 10, f"{text} line {row} " + "x" * 40)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def write_pdf(path: Path, *pages: str, filler: int = 0) -> Path:
    path.write_bytes(pdf_bytes(*pages, filler=filler))
    return path


def encrypted_pdf(path: Path, user_password: str) -> Path:
    """The PDF re-saved by pypdf with a user password ("" = opens without one) and an owner password."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes("confidential page")))
    writer.encrypt(user_password, owner_password="owner-secret")
    with path.open("wb") as handle:
        writer.write(handle)
    assert PdfReader(str(path)).is_encrypted
    return path


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(width: int = 4, height: int = 3, *, seed: int = 1, level: int = 9) -> bytes:
    """A valid RGB PNG written by hand; the pixels come from `seed` (random pixels do not compress)."""
    rows = random.Random(seed).randbytes(width * height * 3)
    raw = b"".join(b"\x00" + rows[y * width * 3:(y + 1) * width * 3] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, level))
            + _chunk(b"IEND", b""))


def _page_image():  # a PIL image of a rendered PDF page
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf_bytes("scanned page"))
    try:
        return document[0].render(scale=0.2).to_pil()
    finally:
        document.close()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    _page_image().save(out, format="JPEG")
    return out.getvalue()


def tiff_bytes() -> bytes:
    out = io.BytesIO()
    _page_image().save(out, format="TIFF")
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha(path: Path) -> str:
    return sha256(path.read_bytes())


def tiff_big_endian_bytes(width: int = 3, height: int = 2) -> bytes:
    """The smallest baseline TIFF written by hand: big-endian ("MM"), 8-bit grey, one strip."""
    pixels = bytes((x * 80 + y * 40) % 256 for y in range(height) for x in range(width))
    entries = [(256, 3, 1, width), (257, 3, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
               (273, 4, 1, 0), (278, 3, 1, height), (279, 4, 1, len(pixels))]
    ifd_size = 2 + 12 * len(entries) + 4
    strip_offset = 8 + ifd_size
    ifd = struct.pack(">H", len(entries))
    for tag, kind, count, value in entries:
        value = strip_offset if tag == 273 else value
        packed = struct.pack(">HH", value, 0) if kind == 3 else struct.pack(">I", value)
        ifd += struct.pack(">HHI", tag, kind, count) + packed
    ifd += struct.pack(">I", 0)
    return b"MM\x00\x2a" + struct.pack(">I", 8) + ifd + pixels
