"""A scan file (PDF, PNG, JPEG, TIFF) as pages of words with their places on the page.

A born-digital PDF page is read from its text layer (pdfium's characters and their boxes); a
PDF page without one, and every picture, goes through Tesseract (scan_ocr.py). A page that
cannot be read says why in one sentence (blank, too dark, too blurred, not in English) and
proposes nothing. At most MAX_PAGES pages of a file are read: EOBs and letters are short.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageSequence, ImageStat

from workstation.core.errors import UserError
from workstation.core.scan import Box, ScannedPage, Word
from workstation.documents.evidence_files import MAX_IMAGE_PIXELS, media_type_of
from workstation.documents.scan_ocr import DEFAULT_CLEANUP, OCR_DPI, Cleanup, prepare, read_words

log = logging.getLogger(__name__)

#: Pages read from one file; an EOB or a letter about one claim runs to a few.
MAX_PAGES = 20
#: The resolution boxes of a text-layer page refer to (the picture shown beside the form).
SHOW_DPI = 150
#: A page with fewer letters and digits than this in its text layer is treated as a picture.
MIN_TEXT_CHARS = 40
#: Mean Tesseract confidence below which a page is called too blurred or faint to read.
MIN_PAGE_CONFIDENCE = 55.0

#: (page number, pages in all) after each page; a True from `cancelled` stops before the next page.
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass
class ScanRead:
    """The pages read from one file, and one sentence for each page or part not read."""

    name: str
    pages: list[ScannedPage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    page_count: int = 0
    cancelled: bool = False


def read_scan(path: Path, *, progress: Progress | None = None, cancelled: Cancelled | None = None,
              cleanup: Cleanup = DEFAULT_CLEANUP, max_pages: int = MAX_PAGES) -> ScanRead:
    """Read a scan file page by page; refused with a sentence when it is no scan we can read."""
    path = Path(path)
    data = _read_bytes(path)
    kind = media_type_of(data[:16], path.name)
    sources = _pdf_pages(data, path.name) if kind == "application/pdf" else _image_pages(data, path.name)
    result = ScanRead(path.name)
    count, pages = sources
    result.page_count = count
    for number, source in enumerate(pages, start=1):
        if number > max_pages:
            break
        if cancelled is not None and cancelled():
            result.cancelled = True
            break
        page = source(number, cleanup)
        result.pages.append(page)
        if page.problem:
            result.notes.append(f"{path.name}: {page.problem}")
        if progress is not None:
            progress(number, min(count, max_pages))
    if count > max_pages and not result.cancelled:
        result.notes.append(f"{path.name}: read the first {max_pages} of its {count:,} pages; an EOB or a letter "
                            f"about one claim is rarely longer, so the rest were not read (scan the pages about "
                            f"the claim on their own if they come later).")
    return result


def _read_bytes(path: Path) -> bytes:
    try:
        if not path.is_file():
            raise UserError(f"{path.name} is not a file; choose the scanned document itself.")
        return path.read_bytes()
    except OSError as error:
        raise UserError(f"{path.name} cannot be read ({error.strerror}).") from None


PageSource = Callable[[int, Cleanup], ScannedPage]


def _pdf_pages(data: bytes, name: str) -> tuple[int, Iterator[PageSource]]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise UserError(f"{name} is protected by a password, so it cannot be read; open it with its password, "
                            "print or save it to a new PDF without one, and scan that.") from None
        raise UserError(f"{name} is a damaged PDF that cannot be read; scan the paper again or ask the sender "
                        "for a new copy.") from None
    count = len(document)
    if count == 0:
        raise UserError(f"{name} is a PDF with no pages; scan the paper again.")

    def pages() -> Iterator[PageSource]:
        try:
            for index in range(count):
                yield lambda number, cleanup, index=index: _pdf_page(document[index], number, cleanup)
        finally:
            document.close()

    return count, pages()


def _pdf_page(page, number: int, cleanup: Cleanup) -> ScannedPage:  # page: pypdfium2.PdfPage
    words = _text_layer_words(page, SHOW_DPI / 72)
    if sum(len(w.text) for w in words) >= MIN_TEXT_CHARS:
        shown = page.render(scale=SHOW_DPI / 72, grayscale=True).to_pil().convert("L")
        return _checked(ScannedPage(number, shown.width, shown.height, tuple(words), "text layer", _png(shown)))
    picture = page.render(scale=OCR_DPI / 72, grayscale=True).to_pil().convert("L")
    return _ocr_page(picture, OCR_DPI, number, cleanup)


def _text_layer_words(page, scale: float) -> list[Word]:
    """The page's words from its text layer, with boxes in pixels at `scale` from the top left."""
    text_page = page.get_textpage()
    height = page.get_height()
    words: list[Word] = []
    current: list[tuple[str, tuple[float, float, float, float]]] = []
    line = 1

    def flush() -> None:
        if current:
            left = min(b[0] for _c, b in current)
            right = max(b[2] for _c, b in current)
            top = max(b[3] for _c, b in current)
            bottom = min(b[1] for _c, b in current)
            box = Box(round(left * scale), round((height - top) * scale), max(1, round((right - left) * scale)),
                      max(1, round((top - bottom) * scale)))
            words.append(Word("".join(c for c, _b in current), 100.0, box, line))
            current.clear()

    for index in range(text_page.count_chars()):
        char = text_page.get_text_range(index, 1)
        if char in ("\r", "\n"):
            flush()
            line += char == "\n"
        elif not char.strip():
            flush()
        else:
            current.append((char, text_page.get_charbox(index)))
    flush()
    text_page.close()
    return words


def _image_pages(data: bytes, name: str) -> tuple[int, Iterator[PageSource]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise UserError(f"{name} is {image.width:,} by {image.height:,} pixels, far more than a page needs; "
                                "scan it again at 300 dpi.")
            count = getattr(image, "n_frames", 1)
    except UserError:
        raise
    except Exception:  # Pillow raises many kinds for a damaged picture
        raise UserError(f"{name} is a damaged picture that cannot be read; scan the paper again.") from None

    def pages() -> Iterator[PageSource]:
        for frame in ImageSequence.Iterator(image):
            picture = _decoded(frame, name)
            dpi = _dpi_of(frame)
            yield lambda number, cleanup, picture=picture, dpi=dpi: _ocr_page(picture, dpi, number, cleanup)

    return count, pages()


def _decoded(frame: Image.Image, name: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return frame.convert("L")
    except Exception:
        raise UserError(f"{name} is a damaged picture that cannot be read; scan the paper again.") from None


def _dpi_of(image: Image.Image) -> float | None:
    """The resolution the scanner wrote, when it is believable (some write 1 or 72 for anything)."""
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        return None
    return value if 100 <= value <= 1200 else None


def _ocr_page(picture: Image.Image, dpi: float | None, number: int, cleanup: Cleanup) -> ScannedPage:
    problem = _picture_problem(picture, number)
    if problem:
        return ScannedPage(number, picture.width, picture.height, (), "ocr", b"", problem)
    prepared = prepare(picture, dpi, cleanup)
    words = read_words(prepared)
    shown = prepared.copy()
    shown.thumbnail((1275, 1650))  # 150 dpi for a letter page: enough to read beside the form
    page = ScannedPage(number, prepared.width, prepared.height, tuple(words), "ocr", _png(shown))
    return _checked(page)


def _picture_problem(picture: Image.Image, number: int) -> str:
    """A sentence for a page that cannot be worth reading: blank, or too dark."""
    stats = ImageStat.Stat(picture)
    mean, spread = stats.mean[0], stats.stddev[0]
    if mean < 70:
        return f"page {number} is too dark to read; scan it again in better light or with the lid closed."
    if spread < 6:
        return f"page {number} is blank, so nothing was read from it."
    return ""


ENGLISH = frozenset((
    "the", "of", "and", "to", "a", "in", "for", "is", "this", "you", "your", "we", "our", "on", "by", "be", "are",
    "with", "from", "if", "not", "that", "was", "claim", "date", "patient", "amount", "paid", "billed", "service",
    "services", "appeal", "notice", "member", "number", "denied", "total", "account", "code", "codes", "reason",
))
OTHER_LANGUAGES = frozenset((
    "el", "la", "los", "las", "del", "de", "que", "para", "por", "su", "usted", "una", "con", "se", "les", "des",
    "le", "et", "est", "vous", "nous", "pour", "une", "dans", "der", "die", "und", "das", "ist", "sie", "mit",
    "nicht", "ein",
))


def _checked(page: ScannedPage) -> ScannedPage:
    """The page, or the page with a sentence saying why nothing should be proposed from it."""
    problem = _reading_problem(page)
    if not problem:
        return page
    return ScannedPage(page.number, page.width, page.height, (), page.method, page.image, problem)


def _reading_problem(page: ScannedPage) -> str:
    words = [w for w in page.words if re.search(r"[A-Za-z0-9]", w.text)]
    if len(words) < 5:
        return f"page {page.number} has no text that can be read (blank, or a picture without writing)."
    foreign = sum(any(ord(c) > 0x24F and c.isalpha() for c in w.text) for w in words)
    letters = [w.text.lower().strip(".,:;()") for w in words]
    if foreign > len(words) / 3 or sum(w in OTHER_LANGUAGES for w in letters) > max(3, 2 * sum(w in ENGLISH
                                                                                             for w in letters)):
        return (f"page {page.number} seems not to be in English, and only English notices can be read; "
                "type the case by hand (File > New case).")
    if page.method == "ocr" and sum(w.confidence for w in words) / len(words) < MIN_PAGE_CONFIDENCE:
        return (f"page {page.number} is too blurred or faint to read reliably; scan it again at 300 dpi "
                "(a flatbed scanner, or a photo taken square-on in good light).")
    return ""


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()
