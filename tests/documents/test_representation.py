"""Issue 10, point 6: who is asking. The capacity the practice writes in follows the payer's kind,
and the packet carries the page that gives it standing (a designation for the patient to sign, an
MA waiver of liability); a Medicare Advantage letter is not built until someone says whether the
practice is contracted with the plan."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from practice_fixtures import SAMPLE_PRACTICE
from pypdf import PdfReader

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.model import Address, Payer
from workstation.core.vocabulary import PayerKind
from workstation.core.workspace_model import PayerEntry
from workstation.documents.representation import DESIGNATION, WAIVER
from workstation.ops.evidence import attach_files
from workstation.ops.letters import case_packet, draft_letter, letter_setting, save_letter

FIELDS = {"additional_argument": "The record shows the visit was needed.",
          "good_cause_reason": "The notice reached the practice late."}
PLAN_ADDRESS = Address("44 Fictional Avenue", "Claims Appeals", "Widgetown", "ZZ", "00004")


def case_with_plan(tmp_path: Path, make_case, kind: PayerKind, contracted: str = "") -> Path:
    root = tmp_path / "ws"
    with Workspace.create(root) as workspace:
        workspace.set_practice(SAMPLE_PRACTICE)
        workspace.add_payer(PayerEntry("Acme Employee Health Plan", kind, ["77004"], PLAN_ADDRESS,
                                       contracted=contracted))
        assert workspace.find_payer("77004", "").contracted == contracted  # kept by workspace schema 6
    case = make_case(payer=Payer("Acme Employee Health Plan", "77004", kind, False, PLAN_ADDRESS, "555-0130"))
    return CaseFile.create(root / "cases" / "2026-03-abcdef01.appeal", case)


def draft(path: Path):
    with CaseFile.open(path, read_only=True) as case_file:
        case = case_file.load()
    return draft_letter(case, letter_setting(path, case), template_id="general_appeal", fields=FIELDS)


def packet_pages(path: Path) -> list[str]:
    letter = draft(path)
    with CaseFile.open(path) as case_file:
        save_letter(case_file, letter, markup=letter.markup, fields=FIELDS, actor="dana")
        packet = case_packet(case_file)
    return [page.extract_text() for page in PdfReader(io.BytesIO(packet.pdf)).pages]


def test_an_erisa_letter_is_written_as_the_patients_authorized_representative(tmp_path, make_case) -> None:
    path = case_with_plan(tmp_path, make_case, PayerKind.ERISA)
    letter = draft(path)
    sentence = letter.context["representation"]["sentence"]
    assert "authorized representative of" in sentence and "designation is enclosed" in sentence
    assert sentence in letter.markup  # every letter says who is asking
    assert DESIGNATION in letter.context["enclosures"]
    pages = packet_pages(path)
    designation = next(text for text in pages if text.startswith("Designation of authorized representative\n"))
    assert letter.context["patient"]["name"] in " ".join(designation.split())
    assert "Signature of the patient" in designation


def test_a_signed_designation_in_the_case_replaces_the_blank_one(tmp_path, make_case) -> None:
    path = case_with_plan(tmp_path, make_case, PayerKind.COMMERCIAL)
    signed = tmp_path / "Designation signed by the patient.pdf"
    signed.write_bytes(_pdf("Signed designation"))
    with CaseFile.open(path) as case_file:
        attach_files(case_file, [signed], actor="dana")
    letter = draft(path)
    assert DESIGNATION not in letter.context["enclosures"]
    assert not [text for text in packet_pages(path) if "Signature of the patient (or legal" in text]


def test_a_non_contracted_ma_provider_encloses_its_waiver_of_liability(tmp_path, make_case) -> None:
    path = case_with_plan(tmp_path, make_case, PayerKind.MEDICARE_ADVANTAGE, contracted="no")
    letter = draft(path)
    assert "not contracted with Acme Employee Health Plan" in letter.context["representation"]["sentence"]
    assert WAIVER in letter.context["enclosures"]
    waiver = next(text for text in packet_pages(path) if text.startswith("Waiver of liability"))
    assert "will not bill" in " ".join(waiver.split())


def test_a_ma_letter_waits_until_the_contract_is_said(tmp_path, make_case) -> None:
    path = case_with_plan(tmp_path, make_case, PayerKind.MEDICARE_ADVANTAGE)
    letter = draft(path)
    assert "whether the practice is contracted with this plan (Settings > Payers and appeal ladders: Contracted)" \
        in letter.missing
    assert "payer.contracted" in letter.missing_paths


@pytest.mark.parametrize(("kind", "contracted", "words"), [
    (PayerKind.MEDICARE_ADVANTAGE, "yes", "contracted with Acme Employee Health Plan"),
    (PayerKind.MEDICAID, "", "the provider that furnished the services"),
])
def test_no_standing_page_where_none_is_needed(tmp_path, make_case, kind, contracted, words) -> None:
    path = case_with_plan(tmp_path, make_case, kind, contracted)
    letter = draft(path)
    assert words in letter.context["representation"]["sentence"]
    assert letter.context["representation"]["pages"] == []


def _pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    drawing.drawString(72, 700, text)
    drawing.save()
    return buffer.getvalue()
