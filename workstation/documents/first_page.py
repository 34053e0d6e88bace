"""The words on a document's first page, for guessing what the document is (a payer's notice, a
progress note, an authorization…): a PDF's text layer, or a plain text file's first few KB.

Bounded, since it runs for every file attached: the first page only, its content stream at most
MAX_CONTENT_BYTES (a page built to be slow is skipped, not read), FIRST_PAGE_CHARS characters
kept. A scan (a PDF page that is a picture) and an image have no text layer and give "": OCR
costs a second or more a page, too much for a guess the biller can correct in one click.
Pure Python (pypdf), so it is safe on the attaching worker thread while the window renders a
preview with pdfium."""

from __future__ import annotations

import logging
from pathlib import Path

from workstation.documents.evidence_files import SIGNATURES

log = logging.getLogger(__name__)

#: Characters of the first page kept: a notice's heading and first paragraphs say what it is.
FIRST_PAGE_CHARS = 4000
#: A first page whose content stream unpacks to more than this is not read for words.
MAX_CONTENT_BYTES = 1024 * 1024
#: Bytes of a plain text file read.
TEXT_BYTES = 8192


def first_page_text(path: Path) -> str:
    """At most FIRST_PAGE_CHARS characters of the document's first page; "" when it has no text
    layer, cannot be read, or is a picture."""
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(TEXT_BYTES)
    except OSError:
        return ""
    kind = next((media for signature, media in SIGNATURES if head.lstrip(b"\x00 \t\r\n").startswith(signature)), None)
    if kind == "application/pdf":
        return _pdf_first_page(Path(path))
    if kind is not None or b"\x00" in head:  # an image, or some other binary file
        return ""
    return head.decode("utf-8", errors="replace")[:FIRST_PAGE_CHARS]


def _pdf_first_page(path: Path) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return ""
        if not len(reader.pages):
            return ""
        page = reader.pages[0]
        contents = page.get_contents()
        if contents is None or len(contents.get_data()) > MAX_CONTENT_BYTES:
            return ""
        return (page.extract_text() or "")[:FIRST_PAGE_CHARS]
    except Exception as error:  # pypdf raises many kinds for a damaged file: no words, no guess
        log.info("first page of a PDF not read for its kind: %s", type(error).__name__)
        return ""
