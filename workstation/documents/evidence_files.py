"""What a document file is (found from its bytes, not its name), whether it can go into a
packet, and a picture of one of its pages for the preview pane.

A document is checked the way the packet will use it, before anything is written: an image is
decoded whole (so a file with a right signature and garbage inside is refused at once, not when
the packet is built), and a PDF is opened page by page, its page count and the size its pages
unpack to bounded (a file built to overwhelm the program that opens it is refused).
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.core.errors import UserError

if TYPE_CHECKING:
    from pypdf import PdfReader

log = logging.getLogger(__name__)

#: Leading bytes -> media type. Only these go into a case: a packet can print them all.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
ACCEPTED = "PDF, PNG, JPEG or TIFF"

#: A packet's documents are scans and records: thousands of pages at most.
MAX_PDF_PAGES = 5_000
#: What a PDF's pages may unpack to, all pages together (the packet reads every one to stamp it);
#: a long text-heavy record unpacks to tens of megabytes.
MAX_PDF_CONTENT_BYTES = 256 * 1024 * 1024
#: Pixels of an image (a 600 dpi scan of a legal-size page is 43 million).
MAX_IMAGE_PIXELS = 60_000_000


@dataclass(frozen=True)
class DocumentCheck:
    media_type: str
    pages: int


def media_type_of(head: bytes, name: str) -> str:
    """The type from the first bytes; anything else is refused with the list of what we take."""
    if not head:
        raise UserError(f"{name} is empty; attach the document again from where it came from.")
    stripped = head.lstrip(b"\x00 \t\r\n") if head[:1] != b"\xff" else head
    for signature, media_type in SIGNATURES:
        if stripped.startswith(signature):
            return media_type
    raise UserError(f"{name} is not a {ACCEPTED} file; scan or save the document in one of those formats.")


def check_document(path: Path) -> DocumentCheck:
    """Refuse what could not go into a packet: an encrypted or broken PDF, an unreadable image."""
    with Path(path).open("rb") as handle:
        head = handle.read(16)
    media_type = media_type_of(head, Path(path).name)
    if media_type == "application/pdf":
        return DocumentCheck(media_type, _pdf_pages(Path(path)))
    _decode_image(Path(path))
    return DocumentCheck(media_type, 1)


def _decode_image(path: Path) -> None:
    """Decode the whole image as the packet will draw it (reportlab, through Pillow)."""
    from reportlab.lib.utils import ImageReader

    name = path.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns about odd metadata it reads past
            image = ImageReader(str(path))
            width, height = image.getSize()
            if width * height > MAX_IMAGE_PIXELS:
                raise UserError(f"{name} is {width:,} by {height:,} pixels, more than a packet page can use; scan it "
                                "again at 300 dpi, or save it smaller, and attach that.")
            image.getRGBData()
    except UserError:
        raise
    except MemoryError:
        raise UserError(f"{name} is too large an image to go into a packet; save it smaller and attach that.") from None
    except Exception as error:  # Pillow raises many kinds for a damaged image
        log.info("unreadable image refused: %s", type(error).__name__)
        raise UserError(f"{name} is a damaged image that cannot be read, so it cannot go into a packet; "
                        "scan it again or ask the sender for a new copy.") from None


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    name = path.name
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UserError(f"{name} is protected by a password, so it cannot go into a packet; "
                            "save or print it to a new PDF without the password and attach that.")
        pages = len(reader.pages)
        if reader.is_encrypted and pages:
            reader.pages[0].get_contents()  # decrypt a page as the packet will (AES needs more than pypdf)
    except UserError:
        raise
    except DependencyError:  # AES encryption: pypdf reads it only with the optional `cryptography`
        raise UserError(f"{name} is encrypted, so it cannot go into a packet; save or print it to a new PDF "
                        "without the protection and attach that.") from None
    except NotImplementedError:  # a certificate (public-key) or other non-standard security handler
        raise UserError(f"{name} uses a kind of PDF protection or compression this program cannot read, so it "
                        "cannot go into a packet; save or print it to a new PDF and attach that.") from None
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        log.info("unreadable PDF refused: %s", type(error).__name__)
        raise UserError(f"{name} is a damaged PDF that cannot be read, so it cannot go into a packet; "
                        "scan it again or ask the sender for a new copy.") from None
    if pages == 0:
        raise UserError(f"{name} is a PDF with no pages; attach a copy that has the document in it.")
    if pages > MAX_PDF_PAGES:
        raise UserError(f"{name} has {pages:,} pages, more than the {MAX_PDF_PAGES:,} a packet document may have; "
                        "split it into parts and attach those.")
    _read_every_page(reader, name)
    return pages


def _read_every_page(reader: PdfReader, name: str) -> None:
    """Unpack each page's content as the packet will, refusing a PDF whose pages unpack to more than
    MAX_PDF_CONTENT_BYTES (a small file can hold gigabytes: a "compression bomb")."""
    from pypdf.errors import LimitReachedError

    total = 0
    try:
        for page in reader.pages:
            contents = page.get_contents()
            total += len(contents.get_data()) if contents is not None else 0
            if total > MAX_PDF_CONTENT_BYTES:
                raise LimitReachedError
    except LimitReachedError:  # ours, or pypdf's own bound on one stream
        raise UserError(f"{name} unpacks to more than {MAX_PDF_CONTENT_BYTES // (1024 * 1024)} MB of page "
                        "content, far more than a document needs (it may be made to overwhelm the programs that "
                        "open it), so it cannot go into a packet; print it to a new PDF and attach that.") from None
    except MemoryError:
        raise UserError(f"{name} is too large to go into a packet; split it into parts and attach those.") from None
    except Exception as error:  # pypdf raises many kinds for a damaged page
        log.info("unreadable PDF page refused: %s", type(error).__name__)
        raise UserError(f"{name} is a damaged PDF that cannot be read, so it cannot go into a packet; "
                        "scan it again or ask the sender for a new copy.") from None


@dataclass(frozen=True)
class PageImage:
    """An RGB picture of a page: width, height, bytes per row, the pixels."""

    width: int
    height: int
    stride: int
    pixels: bytes
    page_count: int


def render_pdf_page(data: bytes, page: int = 0, *, width: int = 800) -> PageImage:
    """Page `page` of a PDF drawn about `width` pixels wide (pdfium, the renderer Chrome uses)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(io.BytesIO(data))
    try:
        count = len(document)
        target = document[min(max(page, 0), count - 1)]
        scale = width / max(target.get_width(), 1)
        bitmap = target.render(scale=scale, rev_byteorder=True)
        return PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer), count)
    finally:
        document.close()
