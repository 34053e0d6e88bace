"""Reading a page picture with Tesseract (through tesserocr, which links the library: no process
per page), after the clean-up that measured better on our synthetic scans (docs in bench_scan.py).

Tesseract's English data comes from Debian's `tesseract-ocr-eng` (or TESSDATA_PREFIX). One
Tesseract engine is kept per thread: an engine is not safe to share, and loading one costs
about a tenth of a second.
"""

from __future__ import annotations

import importlib
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps, ImageStat

from workstation.core.errors import UserError
from workstation.core.scan import Box, Word

#: Where Debian, Fedora, Homebrew and the Windows installer put Tesseract's language data.
TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata",
                 "C:/Program Files/Tesseract-OCR/tessdata")
#: Pages are read at this resolution; a lower-resolution scan is enlarged to it first.
OCR_DPI = 300
#: A letter-size page is 8.5 inches wide; a picture without a stated resolution is assumed to be one.
PAGE_INCHES = 8.5
NO_TESSERACT = ("Tesseract's English data is not installed, so scans cannot be read; install it "
                "(on Debian or Ubuntu: apt install tesseract-ocr tesseract-ocr-eng) and scan again.")

_engines = threading.local()


@dataclass(frozen=True)
class Cleanup:
    """Which clean-up steps run before Tesseract. Measured by bench_scan.py --compare on the 48 synthetic
    pages: straightening kept (claim and reasons right on 23 of 24 degraded pages with it, 21 without, when
    enlarging); binarising dropped (11/12 clean at 300 dpi, 20/24 degraded: Tesseract's own Otsu does
    better); enlarging 150-200 dpi scans to 300 dpi dropped (the same figures, 10% slower)."""

    deskew: bool = True
    binarise: bool = False
    enlarge: bool = False


DEFAULT_CLEANUP = Cleanup()


def tessdata_dir() -> str:
    """The folder holding eng.traineddata, or a sentence saying how to install it."""
    candidates = [os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_DIRS]
    for folder in candidates:
        if folder and (Path(folder) / "eng.traineddata").is_file():
            return str(Path(folder))
    raise UserError(NO_TESSERACT)


def _tesserocr():  # -> the tesserocr module
    """tesserocr, imported by name, so a copy of the program without it still starts and a scan
    says what is missing (the frozen build bundles it with Tesseract's English data)."""
    try:
        return importlib.import_module("tesserocr")
    except ImportError:
        raise UserError("Reading scans needs Tesseract (the tesserocr package), which this copy of the program "
                        "lacks; install the program with `make install`, or type the case by hand "
                        "(File > New case).") from None


def _engine(kind: str = "page"):  # -> tesserocr.PyTessBaseAPI (untyped: tesserocr ships no type hints)
    """This thread's engine of a kind: "page" (the layout found), "line" (one line), "code" (one
    line of group and reason codes only)."""
    engine = getattr(_engines, kind, None)
    if engine is None:
        tesserocr = _tesserocr()
        psm = tesserocr.PSM.AUTO if kind == "page" else tesserocr.PSM.SINGLE_LINE
        engine = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang="eng", psm=psm)
        if kind == "code":
            engine.SetVariable("tessedit_char_whitelist", CODE_LETTERS)
        setattr(_engines, kind, engine)
    return engine


#: What a group and reason code ("CO-50", "PR 204", "OA18") is written with.
CODE_LETTERS = "COPRAI0123456789-"
#: Doubtful words (Tesseract's confidence below this) holding a digit are read again on their own.
DOUBTFUL = 75.0
#: At most this many words a page are read again (each costs a few hundredths of a second).
MAX_REREADS = 40
LOOKS_LIKE_CODE = re.compile(r"[A-Za-z0(]{2,3}[-–~ ]?[0-9OoIl]{1,3}[,.;)]*")


def prepare(image: Image.Image, dpi: float | None, cleanup: Cleanup = DEFAULT_CLEANUP) -> Image.Image:
    """The page in grey at about OCR_DPI, straightened and (when asked) black and white."""
    grey = ImageOps.exif_transpose(image).convert("L")
    scale = OCR_DPI / (dpi or grey.width / PAGE_INCHES)
    if cleanup.enlarge and scale > 1.15:
        grey = grey.resize((round(grey.width * scale), round(grey.height * scale)), Image.Resampling.LANCZOS)
    if cleanup.deskew:
        grey = straighten(grey)
    if cleanup.binarise:
        grey = binarise(grey)
    return grey


def straighten(grey: Image.Image) -> Image.Image:
    """Rotate by the skew angle found (under half a degree is left alone: Tesseract copes)."""
    angle = skew_angle(grey)
    if abs(angle) < 0.5:
        return grey
    return grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)


def skew_angle(grey: Image.Image) -> float:
    """The angle (degrees, up to 5 either way) that makes text lines horizontal: the one whose
    row sums of ink vary most (lines of text then fall into sharp bands)."""
    small = grey.copy()
    small.thumbnail((800, 800))
    ink = ImageOps.invert(small).point(lambda v: 255 if v > 110 else 0)
    best, best_score = 0.0, -1.0
    for tenth in range(-50, 51, 5):
        score = _band_score(ink, tenth / 10)
        if score > best_score:
            best, best_score = tenth / 10, score
    for tenth in range(int(best * 10) - 4, int(best * 10) + 5):
        score = _band_score(ink, tenth / 10)
        if score > best_score:
            best, best_score = tenth / 10, score
    return best


def _band_score(ink: Image.Image, angle: float) -> float:
    turned = ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0) if angle else ink
    rows = turned.resize((1, turned.height), Image.Resampling.BOX)
    return ImageStat.Stat(rows).var[0]


def binarise(grey: Image.Image) -> Image.Image:
    """Black on white by Otsu's threshold, after a small median filter against speckle."""
    smooth = grey.filter(ImageFilter.MedianFilter(3))
    threshold = otsu_threshold(smooth.histogram())
    return smooth.point(lambda v: 255 if v > threshold else 0)


def otsu_threshold(histogram: list[int]) -> int:
    """The grey level that best splits the histogram into ink and paper."""
    total = sum(histogram)
    weighted = sum(i * n for i, n in enumerate(histogram))
    below = below_weighted = 0
    best, best_level = -1.0, 127
    for level, count in enumerate(histogram[:256]):
        below += count
        below_weighted += level * count
        above = total - below
        if below == 0 or above == 0:
            continue
        between = below * above * (below_weighted / below - (weighted - below_weighted) / above) ** 2
        if between > best:
            best, best_level = between, level
    return best_level


def read_words(grey: Image.Image) -> list[Word]:
    """Tesseract's words on a prepared page, each with its confidence and box."""
    tesserocr = _tesserocr()
    engine = _engine()
    engine.SetImage(grey)
    engine.Recognize()
    words: list[Word] = []
    iterator = engine.GetIterator()
    level, line = tesserocr.RIL.WORD, 0
    for item in tesserocr.iterate_level(iterator, level):
        text = (item.GetUTF8Text(level) or "").strip()
        bounds = item.BoundingBox(level)
        if not text or bounds is None:
            continue
        if item.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
            line += 1
        left, top, right, bottom = bounds
        words.append(Word(text, float(item.Confidence(level)), Box(left, top, right - left, bottom - top), line))
    engine.Clear()
    return reread_doubtful(grey, words)


def reread_doubtful(grey: Image.Image, words: list[Word]) -> list[Word]:
    """Read each doubtful word holding a digit again on its own, enlarged (and a word shaped like
    a reason code with only the letters codes use): measured to turn Courier's "COo-29" at 37%
    into "CO-29" at 90%. The surer reading is kept. The second reading sees nothing of the words
    beside it (see `room_of`): a claim number read as two words, "759-6473" and "144-34", was
    re-read as "759-6473 |" and "144-34" at 33% while its margin took in the other half's edge,
    and as "759-6473" and "144-34" at 95% each without it."""
    doubtful = [i for i, w in enumerate(words) if w.confidence < DOUBTFUL and any(c.isdigit() for c in w.text)]
    out = list(words)
    for index in doubtful[:MAX_REREADS]:
        word = words[index]
        kind = "code" if LOOKS_LIKE_CODE.fullmatch(word.text) else "line"
        text, confidence = _read_alone(grey, word.box, kind, room_of(words, index))
        if text and confidence > word.confidence:
            out[index] = Word(text, confidence, word.box, word.line)
    return out


def same_row(one: Box, other: Box) -> bool:
    """Whether two boxes stand side by side: their heights overlap by half the smaller one's."""
    overlap = min(one.bottom, other.bottom) - max(one.top, other.top)
    return overlap * 2 >= min(one.height, other.height)


def room_of(words: list[Word], index: int) -> tuple[int, int]:
    """The page columns (from, to) a second reading of word `index` may see: out to the middle
    of the gap to the nearest word either side on its line or row, never into its own box."""
    box = words[index].box
    start, end = -(2**31), 2**31
    for other_index, other in enumerate(words):
        if other_index == index or not (other.line == words[index].line or same_row(box, other.box)):
            continue
        if other.box.left + other.box.right > box.left + box.right:
            end = min(end, max(box.right, (box.right + other.box.left) // 2))
        else:
            start = max(start, min(box.left, (other.box.right + box.left) // 2))
    return start, end


def reread_crop(grey: Image.Image, box: Box, room: tuple[int, int]) -> Image.Image:
    """The word in `box` with a margin of half its height, blank outside the columns of `room`."""
    margin = max(box.height // 2, 4)
    left, top = box.left - margin, box.top - margin
    crop = grey.crop((left, top, box.right + margin, box.bottom + margin))
    start, end = room[0] - left, room[1] - left
    if start > 0:
        crop.paste(255, (0, 0, min(start, crop.width), crop.height))
    if end < crop.width:
        crop.paste(255, (max(end, 0), 0, crop.width, crop.height))
    return crop


def _read_alone(grey: Image.Image, box: Box, kind: str, room: tuple[int, int]) -> tuple[str, float]:
    """One word read on its own, from its crop (`reread_crop`) enlarged twice."""
    crop = reread_crop(grey, box, room)
    crop = crop.resize((crop.width * 2, crop.height * 2), Image.Resampling.LANCZOS)
    engine = _engine(kind)
    engine.SetImage(crop)
    text = (engine.GetUTF8Text() or "").strip()
    confidence = float(engine.MeanTextConf())
    engine.Clear()
    return (text, confidence) if text and "\n" not in text else ("", 0.0)
