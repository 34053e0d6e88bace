"""Issue 10: the right letter to the right office, signed, from the right party (points 1, 2, 5).

Cases are built by hand (conftest.full_case), put in real workspaces; letters are drafted through
the same path the window and the command line use.
"""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from practice_fixtures import SAMPLE_PRACTICE, case_in_workspace

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.deadlines import Outcome
from workstation.core.errors import UserError
from workstation.core.model import Adjustment, DecisionRecord, Submission
from workstation.core.payer_kinds import default_ladders
from workstation.core.vocabulary import EvidenceKind, PayerKind, Route, Status
from workstation.core.workspace_model import PayerEntry, PracticeProfile
from workstation.ops.evidence import attach_files
from workstation.ops.letters import (
    MissingFields,
    draft_letter,
    letter_bytes,
    letter_setting,
    save_letter,
    suggested_templates,
)

QIC = "Demo QIC, Part B West / PO Box 9 / Sampleville, ZZ 00009"
LEVEL_OFFICE = ("the address of this appeal level's office (Settings > Payers and appeal ladders: the level's "
                "address; for Medicare's reconsideration, the QIC named on the redetermination notice)")


def lost_redetermination(make_case, reasons: tuple[str, str] = ("CO", "27")):
    """A Medicare case whose first-level appeal was lost ten days ago: it is now at level 2."""
    sent, decided = date.today() - timedelta(days=40), date.today() - timedelta(days=10)
    group, carc = reasons
    return make_case(status=Status.LOST, submissions=[Submission(sent, 1, "mail")],
                     decisions=[DecisionRecord(decided, 1, Outcome.LOST.value, Decimal("0.00"))],
                     adjustments=[Adjustment(group, carc, Decimal("120.00"), None, 1, Route.APPEAL, True)])


def medicare_workspace(tmp_path: Path, *, qic: str = "") -> Path:
    root = tmp_path / "ws"
    medicare = default_ladders()[PayerKind.MEDICARE]
    levels = list(medicare.levels)
    levels[1] = dataclasses.replace(levels[1], address=qic)
    with Workspace.create(root) as workspace:
        workspace.set_practice(SAMPLE_PRACTICE)
        workspace.add_payer(PayerEntry("Demo Medicare & Co", PayerKind.MEDICARE, ["99901"],
                                       ladder=dataclasses.replace(medicare, levels=tuple(levels))))
    return root


FIELDS = {"additional_argument": "The beneficiary was enrolled in Part B on the date of service.",
          "redetermination_date": "03/20/2026", "redetermination_contractor": "Demo MAC",
          "clinical_summary": "Knee pain after a fall; exam and X-ray support the visit.",
          "good_cause_reason": "The notice was mailed to a closed office."}


# ----------------------------------------------------------------------------------------------
# 1. Level 2 goes to level 2's office, with level 2's elements


def test_at_medicare_level_two_the_reconsideration_is_suggested_whatever_the_reason(tmp_path, make_case) -> None:
    case = lost_redetermination(make_case)
    path = CaseFile.create(medicare_workspace(tmp_path, qic=QIC) / "cases" / "2026-03-abcdef01.appeal", case)
    setting = letter_setting(path, case)
    assert setting.deadline is not None and setting.deadline.level == 2
    assert suggested_templates(case, setting)[0].id == "medicare_reconsideration"  # not the eligibility letter


def test_a_level_two_letter_without_its_office_is_not_built(tmp_path, make_case) -> None:
    case = lost_redetermination(make_case)
    path = CaseFile.create(medicare_workspace(tmp_path) / "cases" / "2026-03-abcdef01.appeal", case)
    draft = draft_letter(case, letter_setting(path, case), fields=FIELDS)
    assert draft.context["payer"]["address_lines"] == []  # never the redetermination office
    assert LEVEL_OFFICE in draft.missing
    with pytest.raises(MissingFields) as missing:
        letter_bytes(draft)
    assert "level.address_lines" in missing.value.paths


def test_an_appeal_letter_for_another_family_is_refused_at_medicare_level_two(tmp_path, make_case) -> None:
    case = lost_redetermination(make_case)
    path = CaseFile.create(medicare_workspace(tmp_path, qic=QIC) / "cases" / "2026-03-abcdef01.appeal", case)
    with pytest.raises(UserError, match=r"must carry that level's own elements.*medicare_reconsideration"):
        draft_letter(case, letter_setting(path, case), template_id="eligibility", fields=FIELDS)


def test_level_two_warns_until_the_decision_letter_is_enclosed(tmp_path, make_case) -> None:
    case = lost_redetermination(make_case)
    path = CaseFile.create(medicare_workspace(tmp_path, qic=QIC) / "cases" / "2026-03-abcdef01.appeal", case)
    draft = draft_letter(case, letter_setting(path, case), fields=FIELDS)
    assert [w for w in draft.warnings if w.startswith("No decision letter is enclosed")]
    notice = tmp_path / "Redetermination notice.pdf"
    notice.write_bytes(_one_page_pdf("Redetermination: unfavorable"))
    with CaseFile.open(path) as case_file:
        attach_files(case_file, [notice], actor="dana", kind=EvidenceKind.DECISION_LETTER)
        case = case_file.load()
    draft = draft_letter(case, letter_setting(path, case), fields=FIELDS)
    assert not [w for w in draft.warnings if w.startswith("No decision letter")]
    assert "Redetermination notice" in draft.context["enclosures"]


def _one_page_pdf(text: str) -> bytes:
    from io import BytesIO

    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    drawing = canvas.Canvas(buffer)
    drawing.drawString(72, 700, text)
    drawing.save()
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------------
# 2. Never unsigned; a lone case file keeps the letterhead its last letter used


def test_a_new_workspace_without_a_practice_profile_prints_no_letter(tmp_path, make_case) -> None:
    case = make_case()
    path = case_in_workspace(tmp_path, case, practice=PracticeProfile(name="Riverbend"))
    draft = draft_letter(case, letter_setting(path, case), template_id="general_appeal")
    assert "signer's name (Settings > Practice profile)" in draft.missing
    assert "practice address (Settings > Practice profile)" in draft.missing
    assert "practice name (Settings > Practice profile)" not in draft.missing


def test_a_case_file_copied_out_alone_prints_with_the_letterhead_it_was_saved_with(tmp_path, make_case) -> None:
    case = make_case()
    path = case_in_workspace(tmp_path, case)
    with CaseFile.open(path) as case_file:
        draft = draft_letter(case, letter_setting(path, case), template_id="general_appeal", fields=FIELDS)
        save_letter(case_file, draft, markup=draft.markup, fields=FIELDS, actor="dana")
    alone = tmp_path / "usb" / path.name
    alone.parent.mkdir()
    shutil.copy2(path, alone)
    setting = letter_setting(alone, case)
    assert (setting.practice.name, setting.practice.signer_title) == (SAMPLE_PRACTICE.name,
                                                                      SAMPLE_PRACTICE.signer_title)
    assert setting.practice.address.lines() == SAMPLE_PRACTICE.address.lines()
    again = draft_letter(case, setting, template_id="general_appeal", fields=FIELDS)
    assert again.missing == []


# ----------------------------------------------------------------------------------------------
# 5. The route decides the kind of letter


@pytest.mark.parametrize(("route", "group", "carc"), [(Route.RESUBMIT, "CO", "16"), (Route.INQUIRY, "CO", "253"),
                                                      (Route.INQUIRY, "CO", "45")])
def test_no_appeal_letter_is_suggested_off_the_appeal_route(tmp_path, make_case, route, group, carc) -> None:
    case = make_case(route=route, adjustments=[Adjustment(group, carc, Decimal("50.00"), None, 1, route, True)])
    path = case_in_workspace(tmp_path, case)
    setting = letter_setting(path, case)
    for template in suggested_templates(case, setting):
        assert route.value in template.routes, template.id


def test_an_appeal_letter_on_the_resubmit_route_is_refused_with_a_sentence(tmp_path, make_case) -> None:
    case = make_case(route=Route.RESUBMIT,
                     adjustments=[Adjustment("CO", "16", Decimal("50.00"), None, 1, Route.RESUBMIT, True)])
    path = case_in_workspace(tmp_path, case)
    with pytest.raises(UserError, match=r"is for a case routed to an appeal.*routed to a corrected claim"):
        draft_letter(case, letter_setting(path, case), template_id="general_appeal")


def test_a_written_off_case_needs_no_letter(tmp_path, make_case) -> None:
    case = make_case(route=Route.WRITE_OFF,
                     adjustments=[Adjustment("CO", "45", Decimal("50.00"), None, 1, Route.WRITE_OFF, True)])
    path = case_in_workspace(tmp_path, case)
    with pytest.raises(UserError, match="No letter fits a case routed to a write-off"):
        draft_letter(case, letter_setting(path, case))


def _pdf_text(pdf: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages)


def test_an_inquiry_goes_to_provider_inquiries_and_speaks_of_adjustments(tmp_path, make_case) -> None:
    """Issue 10, point 5: an inquiry is never addressed to the appeals unit nor calls its codes a denial."""
    case = make_case(route=Route.INQUIRY,
                     adjustments=[Adjustment("CO", "45", Decimal("50.00"), None, 1, Route.INQUIRY, True)])
    path = case_in_workspace(tmp_path, case)
    setting = letter_setting(path, case)
    assert "payment_inquiry" in [t.id for t in suggested_templates(case, setting)]
    text = _pdf_text(letter_bytes(draft_letter(case, setting, template_id="payment_inquiry", fields=FIELDS)))
    assert "Attn: Provider Inquiries" in text and "Attn: Appeals" not in text  # the case's address said Appeals
    assert "Reason codes CO-45" in text and "Denial CO-45" not in text
    assert "Billed / paid / adjusted" in text


def test_an_appeal_keeps_the_appeals_unit(tmp_path, make_case) -> None:
    case = make_case()
    path = case_in_workspace(tmp_path, case)
    text = _pdf_text(letter_bytes(draft_letter(case, letter_setting(path, case), template_id="general_appeal",
                                                fields=FIELDS)))
    assert "Attn: Appeals" in text and "Medicare number" in text
