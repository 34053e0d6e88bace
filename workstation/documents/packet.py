"""The packet: the letter, an enclosure index, then each included document in order (PDF pages
as they are, images scaled onto letter-size pages), every page stamped with the payer's claim
number and "page N of M" (on a white box, readable over a full-page scan), and a PDF outline
entry per enclosure. The letter's pages lose their own "Page N of M" footer: a page carries
one number, the packet's.

Built from the same inputs, the packet is the same bytes (reportlab's invariant mode, a fixed
PDF ID), so a case keeps only the manifest and can rebuild exactly what was sent.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from workstation.core.errors import UserError
from workstation.documents.fonts import register_fonts

rl_config.invariant = 1  # no timestamps or random ids: the same packet is the same bytes

STAMP_FONT, STAMP_SIZE, STAMP_PADDING = "Helvetica", 8, 3
_LETTER_FOOTER = re.compile(rb"Page \d+ of \d+\s*$")


@dataclass(frozen=True)
class Enclosure:
    title: str
    kind: str
    media_type: str
    sha256: str
    data: bytes
    doc_id: int = 0


@dataclass(frozen=True)
class PacketPart:
    doc_id: int
    title: str
    sha256: str
    pages: int
    first_page: int


@dataclass(frozen=True)
class Packet:
    pdf: bytes
    parts: tuple[PacketPart, ...]
    page_count: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


class PacketProblem(UserError):
    """An enclosure that cannot go into the packet; nothing is built."""


def _reader(data: bytes, title: str, number: int):
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PacketProblem(f"Enclosure {number} ({title}) is protected by a password, so the packet was not "
                                "built; replace it with an unprotected copy.")
        len(reader.pages)
        return reader
    except PacketProblem:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, NotImplementedError) as error:
        raise PacketProblem(f"Enclosure {number} ({title}) is a PDF that cannot be read ({type(error).__name__}), "
                            "so the packet was not built; replace it with a new copy.") from None


def _image_page(data: bytes, title: str, number: int) -> bytes:
    """An image drawn as large as fits on a letter page, keeping its proportions; each page of a
    multi-page TIFF (a fax) on a page of its own."""
    try:
        frames = _frames(data)
    except Exception:  # reportlab/Pillow raise many kinds for a bad image
        raise PacketProblem(f"Enclosure {number} ({title}) is an image that cannot be read, so the packet was not "
                            "built; scan it again.") from None
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER)
    box_w, box_h = LETTER[0] - inch, LETTER[1] - 1.3 * inch
    for image in frames:
        width, height = image.getSize()
        scale = min(box_w / width, box_h / height)
        canvas.drawImage(image, (LETTER[0] - width * scale) / 2, 0.6 * inch + (box_h - height * scale) / 2,
                         width * scale, height * scale)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _frames(data: bytes) -> list[ImageReader]:
    """Every frame of an image (one for PNG and JPEG, each page for a TIFF)."""
    from PIL import Image, ImageSequence

    with Image.open(io.BytesIO(data)) as image:
        if getattr(image, "n_frames", 1) == 1:
            return [ImageReader(io.BytesIO(data))]
        return [ImageReader(frame.convert("RGB")) for frame in ImageSequence.Iterator(image)]


def _index_page(parts: list[PacketPart], claim_number: str) -> bytes:
    family = register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER)
    canvas.setFont("DejaVuSans-Bold", 14)
    canvas.drawString(inch, LETTER[1] - 1.2 * inch, "Enclosure index")
    canvas.setFont(family, 10)
    canvas.drawString(inch, LETTER[1] - 1.5 * inch, f"Claim {claim_number}" if claim_number else "")
    y = LETTER[1] - 2 * inch
    canvas.setFont("DejaVuSans-Bold", 10)
    for x, text in ((inch, "No."), (1.5 * inch, "Document"), (5.6 * inch, "Pages"), (6.4 * inch, "Starts")):
        canvas.drawString(x, y, text)
    canvas.setFont(family, 10)
    for number, part in enumerate(parts, start=1):
        y -= 18
        if y < inch:
            canvas.showPage()
            canvas.setFont(family, 10)
            y = LETTER[1] - inch
        canvas.drawString(inch, y, f"{number}.")
        canvas.drawString(1.5 * inch, y, _fit(part.title, family, 10, 3.9 * inch))
        canvas.drawString(5.6 * inch, y, str(part.pages))
        canvas.drawString(6.4 * inch, y, f"page {part.first_page}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text cut to fit its column (with an ellipsis), so it never runs into the next one."""
    text = text[:300]  # a column holds far less; measuring 100,000 characters took half a minute
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _stamps(sizes: list[tuple[float, float]], claim_number: str) -> bytes:
    """One stamp page per packet page, in one small PDF (Helvetica: a stamp needs no embedded
    font); the text sits on an opaque white box, so it reads over a scan's dark or busy page."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    label = f"Claim {claim_number} · " if claim_number else ""
    for number, (width, height) in enumerate(sizes, start=1):
        text = f"{label}page {number} of {len(sizes)}"
        right, baseline = width - 0.4 * inch, height - 0.35 * inch
        text_width = stringWidth(text, STAMP_FONT, STAMP_SIZE)
        canvas.setPageSize((width, height))
        canvas.setFillColor(colors.white)
        canvas.rect(right - text_width - STAMP_PADDING, baseline - STAMP_PADDING - 0.25 * STAMP_SIZE,
                    text_width + 2 * STAMP_PADDING, STAMP_SIZE * 1.15 + 2 * STAMP_PADDING, stroke=0, fill=1)
        canvas.setFont(STAMP_FONT, STAMP_SIZE)
        canvas.setFillColor(colors.HexColor("#333333"))
        canvas.drawRightString(right, baseline, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _is_pagination(operands: list[Any]) -> bool:
    """A `/Artifact <</Type /Pagination ...>> BDC`: the page numbers letter_pdf marks as such."""
    return (len(operands) == 2 and operands[0] == "/Artifact" and hasattr(operands[1], "get")
            and operands[1].get("/Type") == "/Pagination")


def _legacy_footer(operations: list[tuple[Any, bytes]]) -> tuple[int, int] | None:
    """Where a letter saved before its footer was marked draws "Claim ... Page N of M": its last
    text object, set at 8 pt on the footer line (half an inch up) and ending "Page N of M"."""
    ends = [n for n, (_, operator) in enumerate(operations) if operator == b"ET"]
    if not ends:
        return None
    end = ends[-1]
    begin = max((n for n, (_, operator) in enumerate(operations[:end]) if operator == b"BT"), default=None)
    if begin is None or any(operator in (b"Tj", b"TJ", b"'", b'"', b"Do") for _, operator in operations[end + 1:]):
        return None
    block = operations[begin:end + 1]
    position = [operands for operands, operator in block if operator == b"Tm"]
    sizes = [operands[1] for operands, operator in block if operator == b"Tf" and len(operands) == 2]
    shown = b"".join(getattr(operands[0], "original_bytes", b"") if isinstance(operands[0], str) else bytes(operands[0])
                     for operands, operator in block if operator == b"Tj" and operands)  # as written: ASCII
    if (len(position) == 1 and len(position[0]) == 6 and abs(float(position[0][5]) - 0.5 * inch) < 0.01
            and sizes and all(abs(float(size) - 8) < 0.01 for size in sizes) and _LETTER_FOOTER.search(shown)):
        return begin, end + 1
    return None


def _drop_letter_numbers(page: Any) -> None:
    """The letter's own "Claim ... Page N of M" left out of one of its pages in the packet (the
    packet stamps its own numbers): the pagination artifact letter_pdf marks, or, in a letter
    saved before that mark, the footer line it drew last."""
    content = page.get_contents()
    if content is None:
        return
    operations = content.operations
    kept: list[tuple[Any, bytes]] = []
    depth = 0  # inside a pagination artifact (counting marked content nested in it)
    for operands, operator in operations:
        if depth:
            depth += 1 if operator in (b"BDC", b"BMC") else -1 if operator == b"EMC" else 0
        elif operator == b"BDC" and _is_pagination(operands):
            depth = 1
        else:
            kept.append((operands, operator))
    if len(kept) == len(operations):
        footer = _legacy_footer(operations)
        if footer is None:
            return
        kept = operations[:footer[0]] + operations[footer[1]:]
    content.operations = kept
    page.replace_contents(content)


def _part_of(parts: list[PacketPart], page_number: int) -> tuple[int, str]:
    """Which enclosure a packet page belongs to (0 and "" for the letter and the index)."""
    for number, part in enumerate(parts, start=1):
        if part.first_page <= page_number < part.first_page + part.pages:
            return number, part.title
    return 0, ""


@contextlib.contextmanager
def _enclosure(number: int, title: str) -> Iterator[None]:
    """pypdf's refusal of an enclosure (a compression bomb, a broken stream) as the packet's sentence."""
    from pypdf.errors import PyPdfError

    try:
        yield
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, NotImplementedError, MemoryError) as error:
        which = f"Enclosure {number} ({title})" if number else "The letter"
        raise PacketProblem(f"{which} cannot be put into a packet ({type(error).__name__}), so the packet was not "
                            "built; replace it with a new copy.") from None


def build_packet(letter: bytes, enclosures: list[Enclosure], *, claim_number: str) -> Packet:
    """Letter + index + enclosures, stamped and outlined; refuses a bad enclosure by number and title."""
    from pypdf import PdfReader, PdfWriter

    letter_reader = PdfReader(io.BytesIO(letter))
    readers = [(_reader(e.data, e.title, n) if e.media_type == "application/pdf" else
                PdfReader(io.BytesIO(_image_page(e.data, e.title, n)))) for n, e in enumerate(enclosures, start=1)]
    parts, start = [], len(letter_reader.pages) + 1  # the index follows the letter
    # the index's length depends on how many rows it has: count its pages with as many rows
    rows = [PacketPart(0, "", "", 0, 0)] * len(enclosures)
    index_pages = len(PdfReader(io.BytesIO(_index_page(rows, claim_number))).pages)
    start += index_pages
    for enclosure, reader in zip(enclosures, readers, strict=True):
        parts.append(PacketPart(enclosure.doc_id, enclosure.title, enclosure.sha256, len(reader.pages), start))
        start += len(reader.pages)
    writer = PdfWriter()
    writer.append(letter_reader, outline_item="Letter")
    for page in writer.pages:  # only the letter's, so far
        _drop_letter_numbers(page)
    writer.append(PdfReader(io.BytesIO(_index_page(parts, claim_number))), outline_item="Enclosure index")
    for number, (part, reader) in enumerate(zip(parts, readers, strict=True), start=1):
        with _enclosure(number, part.title):
            writer.append(reader, outline_item=f"{number}. {part.title}")
    total = len(writer.pages)
    # the stamp goes in the top right corner of what a viewer or printer shows: the crop box
    # (the media box when there is none), which need not start at 0, 0
    stamps = PdfReader(io.BytesIO(_stamps([(min(float(p.cropbox.right), float(p.mediabox.right)),
                                            min(float(p.cropbox.top), float(p.mediabox.top)))
                                           for p in writer.pages], claim_number)))
    for page_number, (page, stamp) in enumerate(zip(writer.pages, stamps.pages, strict=True), start=1):
        number, title = _part_of(parts, page_number)
        with _enclosure(number, title):
            page.merge_page(stamp)
    writer.add_metadata({"/Title": f"Appeal packet, claim {claim_number}", "/Producer": "Appeal Workstation"})
    writer._ID = None  # pypdf derives a fresh random ID unless told: keep the bytes reproducible
    buffer = io.BytesIO()
    writer.write(buffer)
    return Packet(buffer.getvalue(), tuple(parts), total)
