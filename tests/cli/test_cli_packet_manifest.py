"""`workstation packet` keeps the manifest of what it built when the case has a saved letter."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from practice_fixtures import case_in_workspace
from run_cli import run

from workstation.casefile.case_file import CaseFile
from workstation.ops.letters import draft_letter, letter_setting, save_letter


def test_packet_command_records_its_manifest(tmp_path: Path, make_case) -> None:
    path = case_in_workspace(tmp_path, make_case())
    with CaseFile.open(path) as case_file:
        case = case_file.load()
        draft = draft_letter(case, letter_setting(path, case), template_id="general_appeal", today=date(2026, 3, 31),
                             fields={"good_cause_reason": "The notice reached us late."})
        save_letter(case_file, draft, markup=draft.markup, fields={}, actor="dana")
    out = tmp_path / "packet.pdf"
    done = run("packet", path, "-o", out)
    assert done.returncode == 0, done.stderr
    with CaseFile.open(path, read_only=True) as case_file:
        packets = case_file.letters.packets()
    assert len(packets) == 1
    assert packets[0].pdf_sha256 == hashlib.sha256(out.read_bytes()).hexdigest()


def test_a_letter_saved_before_the_documents_changed_is_flagged(tmp_path: Path, make_case) -> None:
    from reportlab.pdfgen import canvas

    from workstation.ops.evidence import attach_files
    from workstation.ops.letters import case_packet, enclosure_mismatch

    path = case_in_workspace(tmp_path, make_case(), name="2026-03-abcdef02.appeal")
    with CaseFile.open(path) as case_file:
        case = case_file.load()
        draft = draft_letter(case, letter_setting(path, case), template_id="general_appeal", today=date(2026, 3, 31),
                             fields={"good_cause_reason": "late"})
        save_letter(case_file, draft, markup=draft.markup, fields={}, actor="dana")
        assert enclosure_mismatch(case_file, case_packet(case_file)) == ""
        drawing = canvas.Canvas(str(tmp_path / "notes.pdf"))
        drawing.drawString(72, 700, "Office notes")
        drawing.save()
        attach_files(case_file, [tmp_path / "notes.pdf"], actor="dana")
        assert "save the letter again" in enclosure_mismatch(case_file, case_packet(case_file))
