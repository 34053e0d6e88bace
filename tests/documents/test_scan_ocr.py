"""Reading a page picture: a doubtful word's second reading sees that word and nothing of the
words beside it, on a synthetic page drawn with reportlab and rasterised at 300 dpi."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageOps
from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from tests.benchmarks.scan_samples import rasterise
from workstation.core.scan import Box, Word
from workstation.documents.scan_ocr import reread_crop, reread_doubtful, room_of

DPI = 300
FONT, SIZE = "Times-Roman", 10.5
#: A claim number drawn as three words, the last two a hair apart (as Tesseract split one on a
#: benchmark page): label, first half, and a second half starting with a "1" 0.3 points on.
PIECES = (("Claim #:", 70.0), ("759-6473", 0.0), ("144-34", 0.0))
GAP_POINTS = 0.3


def _page() -> tuple[Image.Image, list[tuple[float, float]]]:
    """The page in grey and each piece's span across it in points."""
    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=letter, invariant=1)
    drawing.setFont(FONT, SIZE)
    spans, x = [], 0.0
    for index, (text, at) in enumerate(PIECES):
        x = at or x + (4.0 if index == 1 else GAP_POINTS)
        drawing.drawString(x, letter[1] - 200, text)
        spans.append((x, x + stringWidth(text, FONT, SIZE)))
        x = spans[-1][1]
    drawing.showPage()
    drawing.save()
    return rasterise(out.getvalue(), DPI), spans


def _ink_box(grey: Image.Image, span: tuple[float, float]) -> Box:
    """The box around the ink drawn in a span (points) of the line at 200 points down."""
    scale = DPI / 72
    left, right = round(span[0] * scale) - 2, round(span[1] * scale) + 2
    top = round((200 - SIZE * 1.2) * scale)
    ink = ImageOps.invert(grey.crop((left, top, right, top + round(SIZE * 1.6 * scale)))).point(
        lambda v: 255 if v > 96 else 0)
    found = ink.getbbox()
    assert found is not None
    return Box(left + found[0], top + found[1], found[2] - found[0], found[3] - found[1])


@pytest.fixture(scope="module")
def page() -> tuple[Image.Image, list[Word]]:
    grey, spans = _page()
    boxes = [_ink_box(grey, span) for span in spans]
    confidences = (95.0, 8.0, 8.0)
    words = [Word(text, sure, box, 1) for (text, _), sure, box in zip(PIECES, confidences, boxes, strict=True)]
    return grey, words


def _ink_columns(crop: Image.Image) -> tuple[int, int]:
    found = ImageOps.invert(crop).point(lambda v: 255 if v > 96 else 0).getbbox()
    assert found is not None
    return found[0], found[2]


def test_a_doubtful_words_crop_holds_its_ink_and_none_of_its_neighbours(page) -> None:
    grey, words = page
    first, second = words[1].box, words[2].box
    assert 0 < second.left - first.right < first.height // 2  # the old margin reached the next word
    for index, box in ((1, first), (2, second)):
        room = room_of(words, index)
        margin = max(box.height // 2, 4)
        start, end = _ink_columns(reread_crop(grey, box, room))
        assert (start, end) == (margin, margin + box.width)
    assert room_of(words, 1)[1] == room_of(words, 2)[0] == (first.right + second.left) // 2


def test_the_halves_of_a_split_number_read_again_alone_and_sure(page) -> None:
    grey, words = page
    again = reread_doubtful(grey, words)
    assert [w.text for w in again] == ["Claim #:", "759-6473", "144-34"]
    assert again[1].confidence >= 60 and again[2].confidence >= 60


def test_a_word_alone_on_its_row_keeps_its_whole_margin() -> None:
    box = Box(100, 50, 40, 20)
    lonely = [Word("12", 10.0, box, 1), Word("34", 90.0, Box(100, 200, 40, 20), 2)]
    assert room_of(lonely, 0)[0] < box.left - 10 and room_of(lonely, 0)[1] > box.right + 10
