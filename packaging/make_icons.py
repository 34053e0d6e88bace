"""Renders the icon (resources/icons/appeal-workstation.svg) to what each platform asks for: PNGs from 16 to
512 pixels (Linux's hicolor theme), an .ico (Windows) and an .icns (macOS).

    python packaging/make_icons.py OUT_DIR

Qt's SVG renderer draws each size from the vector (so small sizes stay sharp); Pillow, which the
program already carries for reportlab, writes the .ico and .icns containers.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SVG = Path(__file__).resolve().parents[1] / "resources" / "icons" / "appeal-workstation.svg"  # the window uses it too
NAME = "appeal-workstation"
LINUX_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (32, 64, 128, 256, 512, 1024)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    """The SVG drawn at `size` x `size` pixels on a transparent background, as a Pillow image."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGBA")


def make_icons(out_dir: Path) -> dict[str, Path]:
    """Writes NAME-N.png for each Linux size, NAME.ico, NAME.icns and a copy of the SVG; returns them."""
    _application = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG file.")
    out_dir.mkdir(parents=True, exist_ok=True)
    images = {size: render(renderer, size) for size in {*LINUX_SIZES, *ICO_SIZES, *ICNS_SIZES}}
    written: dict[str, Path] = {}
    for size in LINUX_SIZES:
        written[f"{size}.png"] = out_dir / f"{NAME}-{size}.png"
        images[size].save(written[f"{size}.png"])
    written["ico"] = out_dir / f"{NAME}.ico"
    images[256].save(written["ico"], sizes=[(s, s) for s in ICO_SIZES],
                     append_images=[images[s] for s in ICO_SIZES if s != 256])
    written["icns"] = out_dir / f"{NAME}.icns"
    images[1024].save(written["icns"], append_images=[images[s] for s in ICNS_SIZES if s != 1024])
    written["svg"] = out_dir / f"{NAME}.svg"
    written["svg"].write_bytes(SVG.read_bytes())
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for path in make_icons(Path(sys.argv[1])).values():
        print(path)
