"""`workstation letter` and `workstation packet` run as real subprocesses on a demo workspace:
the PDFs read back with pypdf, missing fields and bad input answered with a sentence and exit 1."""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import struct
import subprocess
import sys
import zlib
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from workstation.casefile.case_file import CaseFile
from workstation.core.vocabulary import EvidenceKind
from workstation.ops.evidence import attach_files
from workstation.ops.letters import case_packet, draft_letter, letter_setting, record_packet, save_letter

pytestmark = pytest.mark.slow

TODAY = date(2026, 3, 31)
# The command dates its letter today; a demo case (built as of TODAY) may be late by now, and a
# late letter needs its good-cause reason. Giving it keeps these tests about what they test.
GOOD_CAUSE = "good_cause_reason=The denial notice reached the practice late."
FIELDS = dict([GOOD_CAUSE.split("=", 1)])


def run(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workstation.cli", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", env=os.environ.copy(), timeout=120)


def one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def write_pdf(path: Path, pages: int, tag: str) -> Path:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    for number in range(1, pages + 1):
        drawing.drawString(72, 720, f"{tag} sheet {number}")
        drawing.showPage()
    drawing.save()
    path.write_bytes(buffer.getvalue())
    return path


def write_png(path: Path) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    width, height = 8, 6
    pixels = random.Random(7).randbytes(width * height * 3)
    raw = b"".join(b"\x00" + pixels[y * width * 3:(y + 1) * width * 3] for y in range(height))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


@pytest.fixture
def case_path(demo_workspace: Path) -> Path:
    return sorted((demo_workspace / "cases").glob("*.appeal"))[0]


def claim_number(path: Path) -> str:
    with CaseFile.open(path, read_only=True) as case_file:
        number = case_file.load().claim.payer_claim_number
    assert number
    return number


def test_letter_with_a_template_writes_the_case_letter(case_path: Path, tmp_path: Path):
    out = tmp_path / "out.pdf"
    result = run("letter", case_path, "--template", "general_appeal", "--field", GOOD_CAUSE, "-o", out)
    assert result.returncode == 0, result.stderr
    assert one_sentence(result.stderr) == f"Wrote {out} (General appeal)"
    pages = pdf_text(out)
    number = claim_number(case_path)
    assert f"Claim number {number}" in flat(pages[0])
    assert all(f"Claim {number} · Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))
    assert "Riverbend Family Medicine & Physical Therapy (demo)" in pages[0]  # the workspace's practice


def test_a_case_without_member_id_exits_1_naming_it(case_path: Path, tmp_path: Path):
    with CaseFile.open(case_path) as case_file:
        case_file.set_field("patient.member_id", "", actor="dana")
    out = tmp_path / "out.pdf"
    result = run("letter", case_path, "--template", "general_appeal", "--field", GOOD_CAUSE, "-o", out)
    assert result.returncode == 1
    assert one_sentence(result.stderr) == "The letter needs: member ID. Fill them in, then try again."
    assert not out.exists()


PRACTICE_TEMPLATE = """# Clinical appeal for claim {{ claim.number }}

The clinical facts, as the treating therapist summarised them:

{{ fields.clinical_summary }}
"""


def test_a_field_reaches_a_practice_template_that_prints_it(case_path: Path, demo_workspace: Path, tmp_path: Path):
    templates = demo_workspace / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "clinical_note.j2").write_text(PRACTICE_TEMPLATE, encoding="utf-8")
    (templates / "clinical_note.toml").write_text(
        'title = "Clinical note appeal"\nversion = 1\nrequired = ["claim.number", "fields.clinical_summary"]\n',
        encoding="utf-8")
    out = tmp_path / "out.pdf"

    without = run("letter", case_path, "--template", "clinical_note", "--field", GOOD_CAUSE, "-o", out)
    assert without.returncode == 1
    assert one_sentence(without.stderr) == "The letter needs: clinical summary. Fill them in, then try again."
    assert not out.exists()

    summary = "Zoë’s knee & <hip> needed 12 visits *as charted*; Ωmega scale 4/5, Жуков test negative."
    result = run("letter", case_path, "--template", "clinical_note", "--field", f"clinical_summary={summary}",
                 "--field", GOOD_CAUSE, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "(Clinical note appeal)" in result.stderr
    text = flat(" ".join(pdf_text(out)))
    assert f"Clinical appeal for claim {claim_number(case_path)}" in text
    assert summary in text


def test_packet_prints_its_page_count_and_stamps_every_page(case_path: Path, tmp_path: Path):
    sources = tmp_path / "sources"
    sources.mkdir()
    with CaseFile.open(case_path) as case_file:
        attached = attach_files(case_file, [write_pdf(sources / "Therapy notes.pdf", 2, "Notes"),
                                            write_png(sources / "Knee X-ray.png")],
                                actor="dana", kind=EvidenceKind.MEDICAL_RECORDS)
        assert attached.refused == []
        case = case_file.load()
        draft = draft_letter(case, letter_setting(case_path, case, today=TODAY), template_id="general_appeal",
                             fields=FIELDS, today=TODAY)
        save_letter(case_file, draft, markup=draft.markup, fields=FIELDS, actor="dana")
        letter_pages = len(PdfReader(io.BytesIO(case_file.letters.pdf(case_file.letters.versions()[-1].id))).pages)
        record_packet(case_file, case_packet(case_file), actor="dana")
        [record] = case_file.letters.packets()

    out = tmp_path / "packet.pdf"
    result = run("packet", case_path, "-o", out)
    assert result.returncode == 0, result.stderr
    total = letter_pages + 1 + 2 + 1
    assert one_sentence(result.stderr) == f"Wrote {out}: {total} pages, 2 enclosures"
    pages = pdf_text(out)
    assert len(pages) == total
    number = claim_number(case_path)
    for n, text in enumerate(pages, start=1):
        assert re.findall(r"Claim (.+?) · page (\d+) of (\d+)", text) == [(number, str(n), str(total))], n
    index = flat(pages[letter_pages])
    first = letter_pages + 2
    assert f"1. Therapy notes 2 page {first} 2. Knee X-ray 1 page {first + 2}" in index
    # built in another process, it is the packet the case recorded, byte for byte
    assert hashlib.sha256(out.read_bytes()).hexdigest() == record.pdf_sha256


def test_packet_of_a_case_that_cannot_have_a_letter_exits_1(case_path: Path, tmp_path: Path):
    with CaseFile.open(case_path) as case_file:
        case_file.set_field("patient.member_id", "", actor="dana")
    out = tmp_path / "packet.pdf"
    result = run("packet", case_path, "-o", out)
    assert result.returncode == 1
    assert "member ID" in one_sentence(result.stderr)
    assert not out.exists()


def test_an_unknown_template_exits_1_listing_the_templates(case_path: Path, tmp_path: Path):
    result = run("letter", case_path, "--template", "nope", "-o", tmp_path / "out.pdf")
    assert result.returncode == 1
    sentence = one_sentence(result.stderr)
    assert sentence.startswith("There is no letter template 'nope'; choose one of ")
    assert "general_appeal" in sentence and sentence.endswith(".")
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("command", ["letter", "packet"])
def test_writing_into_a_missing_folder_exits_1_with_a_sentence(command: str, case_path: Path, tmp_path: Path):
    if command == "packet":  # a saved letter, so only the folder can be wrong
        with CaseFile.open(case_path) as case_file:
            case = case_file.load()
            draft = draft_letter(case, letter_setting(case_path, case, today=TODAY), template_id="general_appeal",
                                 fields=FIELDS, today=TODAY)
            save_letter(case_file, draft, markup=draft.markup, fields=FIELDS, actor="dana")
    target = tmp_path / "no such folder" / "out.pdf"
    extra = ["--template", "general_appeal", "--field", GOOD_CAUSE] if command == "letter" else []
    result = run(command, case_path, *extra, "-o", target)
    assert result.returncode == 1
    sentence = one_sentence(result.stderr)
    assert "out.pdf" in sentence and "could not be written" in sentence and sentence.endswith(".")
    assert not target.parent.exists()
