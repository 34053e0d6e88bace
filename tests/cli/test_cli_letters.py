"""`workstation letter` and `workstation packet` run in-process on a demo workspace:
the PDFs read back with pypdf, missing fields and bad input answered with a sentence and exit 1."""

from __future__ import annotations

import hashlib
import io
import random
import re
import struct
import zlib
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen import canvas
from run_cli import run

from workstation.casefile.case_file import CaseFile
from workstation.core.errors import UserError
from workstation.core.vocabulary import EvidenceKind
from workstation.ops.evidence import attach_files
from workstation.ops.letters import (
    case_packet,
    draft_letter,
    letter_setting,
    record_packet,
    save_letter,
)

LETTER_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "letters"

TODAY = date(2026, 3, 31)
# The command dates its letter today; a demo case (built as of TODAY) may be late by now, and a
# late letter needs its good-cause reason. Giving it keeps these tests about what they test.
GOOD_CAUSE = "good_cause_reason=The denial notice reached the practice late."
FIELDS = dict([GOOD_CAUSE.split("=", 1)])


def one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def problem_lines(stderr: str) -> list[str]:
    """A refusal's lines, stripped: today's sentence first, then one line per missing item."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    assert lines and "Traceback" not in stderr, stderr
    return lines


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


def _account_number(path: Path) -> str:
    with CaseFile.open(path, read_only=True) as case_file:
        return case_file.load().claim.account_number


def general_appeal_case(workspace: Path) -> Path:
    """The first demo case a general appeal can be written for today (open, routed to an appeal, at
    the first level), by account number: the demo's file names, and so their order, vary per build,
    its account numbers do not."""
    for path in sorted((workspace / "cases").glob("*.appeal"), key=_account_number):
        with CaseFile.open(path, read_only=True) as case_file:
            case = case_file.load()
        setting = letter_setting(path, case)
        if case.route is None or case.route.value != "appeal" or setting.deadline is None \
                or setting.deadline.kind.value != "appeal":
            continue
        try:
            draft = draft_letter(case, setting, template_id="general_appeal", fields=FIELDS)
        except UserError:
            continue
        if not draft.missing and not draft.contradictions and draft.context["level"]["number"] == 1:
            return path
    raise AssertionError("the demo workspace has no case a general appeal can be written for")


@pytest.fixture
def case_path(demo_workspace: Path) -> Path:
    return general_appeal_case(demo_workspace)


@pytest.fixture
def fresh_case(demo_workspace: Path, make_case) -> Path:
    """A case with no letter saved yet, in the demo workspace (whose practice profile is complete)."""
    return CaseFile.create(demo_workspace / "cases" / "2026-03-6f1c1d0e.appeal", make_case())


def claim_number(path: Path) -> str:
    with CaseFile.open(path, read_only=True) as case_file:
        number = case_file.load().claim.payer_claim_number
    assert number
    return number


def test_letter_with_a_template_writes_the_case_letter(case_path: Path, tmp_path: Path):
    out = tmp_path / "out.pdf"
    result = run("letter", case_path, "--template", "general_appeal", "--field", GOOD_CAUSE, "-o", out)
    assert result.returncode == 0, result.stderr
    first, *checks = [line for line in result.stderr.splitlines() if line.strip()]
    assert first == f"Wrote {out} (General appeal)"
    assert all(line.startswith("Check: ") for line in checks), checks  # what to check before sending
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
    first, *hints = problem_lines(result.stderr)
    assert first == "The letter needs: member ID. Fill them in, then try again."
    assert hints == ["member ID: fill it in the case (the window's case view), or from the practice's CSV with "
                     "`workstation demographics CSV`"]
    assert not out.exists()


PRACTICE_TEMPLATE = """# Clinical appeal for claim {{ claim.number }}

The clinical facts, as the treating therapist summarised them:

{{ fields.clinical_summary }}
"""


def test_a_field_reaches_a_practice_template_that_prints_it(fresh_case: Path, demo_workspace: Path, tmp_path: Path):
    templates = demo_workspace / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "clinical_note.j2").write_text(PRACTICE_TEMPLATE, encoding="utf-8")
    (templates / "clinical_note.toml").write_text(
        'title = "Clinical note appeal"\nversion = 1\nrequired = ["claim.number", "fields.clinical_summary"]\n',
        encoding="utf-8")
    out = tmp_path / "out.pdf"

    without = run("letter", fresh_case, "--template", "clinical_note", "--field", GOOD_CAUSE, "-o", out)
    assert without.returncode == 1
    assert problem_lines(without.stderr) == ["The letter needs: clinical summary. Fill them in, then try again.",
                                             "clinical summary (why the service was needed): "
                                             "--field clinical_summary=..."]
    assert not out.exists()

    summary = "Zoë’s knee & <hip> needed 12 visits *as charted*; Ωmega scale 4/5, Жуков test negative."
    result = run("letter", fresh_case, "--template", "clinical_note", "--field", f"clinical_summary={summary}",
                 "--field", GOOD_CAUSE, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "(Clinical note appeal)" in result.stderr
    text = flat(" ".join(pdf_text(out)))
    assert f"Clinical appeal for claim {claim_number(fresh_case)}" in text
    assert summary in text


def test_packet_prints_its_page_count_and_stamps_every_page(fresh_case: Path, tmp_path: Path):
    sources = tmp_path / "sources"
    sources.mkdir()
    with CaseFile.open(fresh_case) as case_file:
        attached = attach_files(case_file, [write_pdf(sources / "Therapy notes.pdf", 2, "Notes"),
                                            write_png(sources / "Knee X-ray.png")],
                                actor="dana", kind=EvidenceKind.MEDICAL_RECORDS)
        assert attached.refused == []
        case = case_file.load()
        draft = draft_letter(case, letter_setting(fresh_case, case, today=TODAY), template_id="general_appeal",
                             fields=FIELDS, today=TODAY)
        save_letter(case_file, draft, markup=draft.markup, fields=FIELDS, actor="dana")
        letter_pages = len(PdfReader(io.BytesIO(case_file.letters.pdf(case_file.letters.versions()[-1].id))).pages)
        record_packet(case_file, case_packet(case_file), actor="dana")
        [record] = case_file.letters.packets()

    out = tmp_path / "packet.pdf"
    result = run("packet", fresh_case, "-o", out)
    assert result.returncode == 0, result.stderr
    total = letter_pages + 1 + 2 + 1
    assert one_sentence(result.stderr) == f"Wrote {out}: {total} pages, 2 enclosures"
    pages = pdf_text(out)
    assert len(pages) == total
    number = claim_number(fresh_case)
    for n, text in enumerate(pages, start=1):
        assert re.findall(r"Claim (.+?) · page (\d+) of (\d+)", text) == [(number, str(n), str(total))], n
    index = flat(pages[letter_pages])
    first = letter_pages + 2
    assert f"1. Therapy notes 2 page {first} 2. Knee X-ray 1 page {first + 2}" in index
    # built again by the command, it is the packet the case recorded, byte for byte
    assert hashlib.sha256(out.read_bytes()).hexdigest() == record.pdf_sha256


def test_packet_of_a_case_that_cannot_have_a_letter_exits_1(fresh_case: Path, tmp_path: Path):
    with CaseFile.open(fresh_case) as case_file:
        case_file.set_field("patient.member_id", "", actor="dana")
    out = tmp_path / "packet.pdf"
    result = run("packet", fresh_case, "-o", out)
    assert result.returncode == 1
    first, *hints = problem_lines(result.stderr)
    assert first.startswith("The letter needs: member ID")
    assert any(hint.startswith("member ID: fill it in the case") for hint in hints), hints
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


def test_letter_save_into_a_missing_folder_saves_nothing(case_path: Path, tmp_path: Path):
    before = len(letter_versions(case_path))
    result = run("letter", case_path, "--template", "general_appeal", "--field", GOOD_CAUSE, "--save",
                 "-o", tmp_path / "no such folder" / "out.pdf")
    assert result.returncode == 1
    assert "Nothing was saved in the case" in result.stderr
    assert len(letter_versions(case_path)) == before


# -- issue 10 point 10: the command line finishes the job ---------------------------------------

ARGUMENT = "additional_argument=The therapy notes record twelve supervised visits with measured gains."


def letter_versions(path: Path) -> list:
    with CaseFile.open(path, read_only=True) as case_file:
        return case_file.letters.versions()


def packet_records(path: Path) -> list:
    with CaseFile.open(path, read_only=True) as case_file:
        return case_file.letters.packets()


def test_letter_save_keeps_the_letter_as_a_new_version(case_path: Path, tmp_path: Path):
    before = len(letter_versions(case_path))
    out = tmp_path / "out.pdf"
    plain = run("letter", case_path, "--template", "general_appeal", "--field", GOOD_CAUSE, "-o", out)
    assert plain.returncode == 0, plain.stderr
    assert len(letter_versions(case_path)) == before  # without --save the case is not changed

    saved = run("letter", case_path, "--template", "general_appeal", "--field", GOOD_CAUSE, "--field", ARGUMENT,
                "--save", "-o", out)
    assert saved.returncode == 0, saved.stderr
    assert saved.stderr.splitlines()[0] == f"Wrote {out} (General appeal)"
    versions = letter_versions(case_path)
    assert len(versions) == before + 1
    newest = versions[-1]
    assert newest.template_id == "general_appeal"
    assert newest.fields["additional_argument"] == ARGUMENT.split("=", 1)[1]
    assert newest.fields["good_cause_reason"] == FIELDS["good_cause_reason"]
    with CaseFile.open(case_path, read_only=True) as case_file:
        assert case_file.letters.pdf(newest.id) == out.read_bytes()  # the file written is the version kept
    assert "twelve supervised visits" in flat(" ".join(pdf_text(out)))


def test_packet_with_a_field_saves_that_letter_and_keeps_the_manifest(case_path: Path, tmp_path: Path):
    before, packets = len(letter_versions(case_path)), len(packet_records(case_path))
    out = tmp_path / "packet.pdf"
    result = run("packet", case_path, "--template", "general_appeal", "--field", GOOD_CAUSE, "--field", ARGUMENT,
                 "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    letter_pages = " ".join(pdf_text(out)[:2])  # the letter comes first in the packet
    assert "The therapy notes record twelve supervised visits with measured gains." in flat(letter_pages)
    versions = letter_versions(case_path)
    assert len(versions) == before + 1 and versions[-1].template_id == "general_appeal"
    records = packet_records(case_path)
    assert len(records) == packets + 1
    record = records[-1]
    assert record.letter_id == versions[-1].id
    assert record.pdf_sha256 == hashlib.sha256(out.read_bytes()).hexdigest()


def make_late(path: Path) -> None:
    with CaseFile.open(path) as case_file:
        case_file.set_field("case.notice_date_override", "2020-01-02", actor="dana")
        case = case_file.load()
    deadline = letter_setting(path, case).deadline
    assert deadline is not None and deadline.late


@pytest.mark.parametrize("command", ["letter", "packet"])
def test_a_late_letter_without_good_cause_names_its_field_key(command: str, fresh_case: Path, tmp_path: Path):
    make_late(fresh_case)
    out = tmp_path / "out.pdf"
    result = run(command, fresh_case, "--template", "general_appeal", "-o", out)
    assert result.returncode == 1
    first, *hints = problem_lines(result.stderr)
    assert first == "The letter needs: why the request is late. Fill them in, then try again."
    assert hints == ["why the request is late (good cause): --field good_cause_reason=..."]
    assert not out.exists()
    assert letter_versions(fresh_case) == [] and packet_records(fresh_case) == []


@pytest.mark.parametrize("command", ["letter", "packet"])
def test_each_missing_item_says_where_it_is_filled(command: str, tmp_path: Path, make_case):
    # a case file outside any workspace: no practice profile; a Medicare first-level request, late
    path = CaseFile.create(tmp_path / "2026-03-0badcafe.appeal", make_case())
    with CaseFile.open(path) as case_file:
        case_file.set_field("patient.member_id", "", actor="dana")
    out = tmp_path / "out.pdf"
    result = run(command, path, "--template", "medicare_redetermination", "-o", out)
    assert result.returncode == 1
    first, *hints = problem_lines(result.stderr)
    assert first.startswith("The letter needs: member ID, ") and first.endswith(". Fill them in, then try again.")
    assert "member ID: fill it in the case (the window's case view), or from the practice's CSV with " \
           "`workstation demographics CSV`" in hints
    assert "additional argument: --field additional_argument=..." in hints
    assert "why the request is late (good cause): --field good_cause_reason=..." in hints
    practice = [hint for hint in hints if hint.endswith(": Settings > Practice profile in the window "
                                                        "(the command line cannot set it)")]
    assert {hint.split(":")[0] for hint in practice} >= {"practice name", "signer's name"}
    with CaseFile.open(path, read_only=True) as case_file:
        case = case_file.load()
    draft = draft_letter(case, letter_setting(path, case), template_id="medicare_redetermination")
    assert len(hints) == len(draft.missing_paths)  # one line per missing item
    assert not out.exists()


@pytest.mark.parametrize("command", ["letter", "packet"])
def test_a_misspelt_field_is_refused_naming_the_known_ones(command: str, case_path: Path, tmp_path: Path):
    before = letter_versions(case_path), packet_records(case_path)
    out = tmp_path / "out.pdf"
    extra = ["--save"] if command == "letter" else []
    result = run(command, case_path, "--template", "general_appeal", "--field", GOOD_CAUSE,
                 "--field", "clinical_sumary=Twelve visits.", *extra, "-o", out)
    assert result.returncode == 1
    sentence = one_sentence(result.stderr)
    assert sentence.startswith("There is no letter field 'clinical_sumary' (did you mean clinical_summary?)")
    known = sentence.split("The fields are: ", 1)[1].rstrip(".").split(", ")
    assert {"clinical_summary", "good_cause_reason", "additional_argument", "policy_reference"} <= set(known)
    assert "clinical_sumary" not in known
    assert not out.exists()
    assert (letter_versions(case_path), packet_records(case_path)) == before


def test_a_field_a_practice_template_uses_is_known(case_path: Path, demo_workspace: Path, tmp_path: Path):
    templates = demo_workspace / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "goals_note.j2").write_text("# Appeal of claim {{ claim.number }}\n\n{{ fields.therapy_goals }}\n",
                                             encoding="utf-8")
    (templates / "goals_note.toml").write_text(
        'title = "Therapy goals appeal"\nrequired = ["claim.number", "fields.therapy_goals"]\n', encoding="utf-8")
    out = tmp_path / "out.pdf"
    result = run("letter", case_path, "--template", "goals_note", "--field", GOOD_CAUSE,
                 "--field", "therapy_goals=Walk 400 metres unaided by week 8.", "-o", out)
    assert result.returncode == 0, result.stderr
    assert "Walk 400 metres unaided by week 8." in flat(" ".join(pdf_text(out)))

    refused = run("letter", case_path, "--template", "goals_note", "--field", "therapy_goal=x", "-o", out)
    assert refused.returncode == 1
    assert "(did you mean therapy_goals?)" in one_sentence(refused.stderr)

    # a field the wording prints only when typed (not required) is known too
    (templates / "home_program.j2").write_text(
        "# Appeal of claim {{ claim.number }}\n\n{% if fields.home_exercises %}{{ fields.home_exercises }}"
        "{% endif %}\n", encoding="utf-8")
    optional = run("letter", case_path, "--template", "home_program", "--field", GOOD_CAUSE,
                   "--field", "home_exercises=Daily quadriceps sets at home.", "-o", out)
    assert optional.returncode == 0, optional.stderr
    assert "Daily quadriceps sets at home." in flat(" ".join(pdf_text(out)))


@pytest.mark.parametrize("command", ["letter", "packet"])
def test_help_names_every_template_id(command: str):
    result = run(command, "--help")
    assert result.returncode == 0, result.stderr
    shipped = sorted(path.stem for path in LETTER_TEMPLATES.glob("*.j2"))
    assert len(shipped) >= 10
    help_text = flat(result.stdout)
    assert all(template_id in help_text for template_id in shipped), help_text
    assert "--save" in help_text if command == "letter" else "--field NAME=VALUE" in help_text
