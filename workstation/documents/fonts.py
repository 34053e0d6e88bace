"""The letter font: DejaVu Sans (free licence, in resources/fonts), embedded in every PDF so
every name a remittance can carry prints: Latin with accents, Greek, Cyrillic."""

from __future__ import annotations

from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from workstation.core.resources import resource_path

FAMILY = "DejaVuSans"
FACES = {(0, 0): "DejaVuSans", (1, 0): "DejaVuSans-Bold", (0, 1): "DejaVuSans-Oblique",
         (1, 1): "DejaVuSans-BoldOblique"}


@cache
def register_fonts() -> str:
    """Register the four faces once; returns the family name for styles."""
    for (bold, italic), face in FACES.items():
        pdfmetrics.registerFont(TTFont(face, str(resource_path("fonts", f"{face}.ttf"))))
        addMapping(FAMILY, bold, italic, face)
    return FAMILY
