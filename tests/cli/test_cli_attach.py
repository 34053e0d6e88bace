"""`workstation attach` and the review parts of `show --json`, run in-process."""

from __future__ import annotations

import hashlib
import io
import json
import random
import struct
import zlib
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas
from run_cli import run

from workstation.casefile.case_file import CaseFile


def write_pdf(path: Path, text: str) -> Path:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    drawing.drawString(72, 720, text)
    drawing.showPage()
    drawing.save()
    path.write_bytes(buffer.getvalue())
    return path


def write_png(path: Path, seed: int = 1) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    width, height = 5, 4
    pixels = random.Random(seed).randbytes(width * height * 3)
    raw = b"".join(b"\x00" + pixels[y * width * 3:(y + 1) * width * 3] for y in range(height))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def show_json(case: Path) -> dict:
    result = run("show", case, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def case(tmp_path: Path, make_case) -> Path:
    return CaseFile.create(tmp_path / "2026-03-abcdef01.appeal", make_case())


def test_attach_two_files_with_a_kind_and_show_them(case: Path, tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "a.pdf", "chart notes")
    png = write_png(tmp_path / "b.png")
    result = run("attach", case, pdf, png, "--kind", "medical_records")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["attached a.pdf", "attached b.png"]
    data = show_json(case)
    assert [(d["title"], d["kind"], d["position"], d["included"]) for d in data["evidence"]] == [
        ("a", "medical_records", 1, True), ("b", "medical_records", 2, True)]
    assert [d["sha256"] for d in data["evidence"]] == [sha256(pdf), sha256(png)]
    assert [d["size"] for d in data["evidence"]] == [pdf.stat().st_size, png.stat().st_size]
    assert [d["media_type"] for d in data["evidence"]] == ["application/pdf", "image/png"]
    assert "medical_records" not in data["evidence_missing"]
    assert {"checklist", "calls", "activity"} <= set(data)
    assert data["activity"][-1]["message"] == "Document added: b (medical records)"


def test_attach_with_a_title_names_the_one_document(case: Path, tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "scan0001.pdf", "authorization")
    result = run("attach", case, pdf, "--kind", "authorization", "--title", "Authorization #4471 & <retro>")
    assert result.returncode == 0, result.stderr
    [doc] = show_json(case)["evidence"]
    assert (doc["title"], doc["kind"]) == ("Authorization #4471 & <retro>", "authorization")


def test_a_title_with_two_files_is_a_usage_error_and_nothing_is_attached(case: Path, tmp_path: Path) -> None:
    before = sha256(case)
    result = run("attach", case, write_pdf(tmp_path / "a.pdf", "a"), write_png(tmp_path / "b.png"),
                 "--title", "Both")
    assert result.returncode == 2
    assert "--title" in one_sentence(result.stderr) and "one file" in result.stderr
    assert result.stdout == ""
    assert sha256(case) == before


def test_a_refused_file_exits_1_with_its_sentence_and_the_good_one_is_attached(case: Path, tmp_path: Path) -> None:
    good = write_pdf(tmp_path / "good.pdf", "good")
    text = tmp_path / "notes.pdf"
    text.write_text("typed notes, not a scan\n", encoding="utf-8")
    result = run("attach", case, text, good)
    assert result.returncode == 1
    sentence = one_sentence(result.stderr)
    assert sentence.startswith("notes.pdf ") and all(t in sentence for t in ("PDF", "PNG", "JPEG", "TIFF"))
    assert result.stdout.splitlines() == ["attached good.pdf"]
    assert [d["title"] for d in show_json(case)["evidence"]] == ["good"]


def test_attaching_the_same_file_again_exits_1_naming_the_existing_title(case: Path, tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "a.pdf", "a")
    assert run("attach", case, pdf, "--title", "First copy").returncode == 0
    before = sha256(case)
    result = run("attach", case, pdf)
    assert result.returncode == 1 and '"First copy"' in one_sentence(result.stderr)
    assert sha256(case) == before


def test_an_unknown_kind_is_a_usage_error(case: Path, tmp_path: Path) -> None:
    before = sha256(case)
    result = run("attach", case, write_pdf(tmp_path / "a.pdf", "a"), "--kind", "x-rays")
    assert result.returncode == 2 and "x-rays" in result.stderr and "medical_records" in result.stderr
    assert sha256(case) == before


def test_attach_to_a_file_that_is_not_a_case_exits_1(tmp_path: Path) -> None:
    not_a_case = tmp_path / "notes.appeal"
    not_a_case.write_text("hello")
    result = run("attach", not_a_case, write_pdf(tmp_path / "a.pdf", "a"))
    assert result.returncode == 1 and one_sentence(result.stderr).startswith("notes.appeal ")
    assert not_a_case.read_text() == "hello"
