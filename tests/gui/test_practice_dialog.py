"""The practice profile: letterhead fields and images, used by the next letter."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from pypdf import PdfReader

from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError
from workstation.gui.practice_dialog import PracticeDialog
from workstation.ops.first_run import read_practice_image
from workstation.ops.settings import save_practice


def _png(width: int = 40, height: int = 12) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x20\x40\x90" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_profile_and_images_are_saved_and_printed_on_letters(qtbot, tmp_path: Path, make_case) -> None:
    root = tmp_path / "ws"
    Workspace.create(root).close()
    with Workspace.open(root) as workspace:
        dialog = PracticeDialog(workspace, lambda profile, images: save_practice(workspace, profile, images))
        qtbot.addWidget(dialog)
        dialog.edits["name"].setText("Núñez & Hart <Clinic>")
        dialog.edits["signer_name"].setText("Zoë O'Hara")
        dialog.edits["signer_title"].setText("Practice manager")  # a letter is never unsigned (issue 10)
        for key, value in (("line1", "1 Example Way"), ("city", "Exampleton"), ("state", "ZZ"), ("zip", "00001")):
            dialog.edits[key].setText(value)
        dialog.set_image("logo", _png())
        dialog.set_image("signature", _png(60, 20))
        dialog.save()
        assert workspace.practice().name == "Núñez & Hart <Clinic>"
        assert workspace.practice_image("logo") == _png()
    from datetime import date

    from workstation.casefile.case_file import CaseFile
    from workstation.ops.letters import draft_letter, letter_bytes, letter_setting

    path = CaseFile.create(root / "cases" / "2026-03-abcdef01.appeal", make_case())
    with CaseFile.open(path, read_only=True) as case_file:
        case = case_file.load()
    draft = draft_letter(case, letter_setting(path, case), template_id="general_appeal", today=date(2026, 3, 31),
                         fields={"good_cause_reason": "The notice was mailed to an old address."})
    reader = PdfReader(io.BytesIO(letter_bytes(draft)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Núñez & Hart <Clinic>" in text and "Zoë O'Hara" in text
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 2  # the logo and the signature


def test_only_small_png_or_jpeg_images_are_taken(tmp_path: Path) -> None:
    text = tmp_path / "logo.png"
    text.write_text("not an image", encoding="utf-8")
    try:
        read_practice_image(text)
    except UserError as error:
        assert "not a PNG or JPEG image" in str(error)
    else:
        raise AssertionError("a text file was accepted as a logo")
