"""A level with its own address on the payer's ladder (a QIC for Medicare reconsiderations)
receives the letter instead of the payer's appeals address."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.deadlines import Outcome
from workstation.core.model import DecisionRecord, Submission
from workstation.core.payer_kinds import default_ladders
from workstation.core.vocabulary import PayerKind, Status
from workstation.core.workspace_model import PayerEntry
from workstation.ops.letters import draft_letter, letter_setting

QIC = "Demo QIC, Part B West / PO Box 9 / Sampleville, ZZ 00009"


def test_a_reconsideration_goes_to_the_level_address(tmp_path: Path, make_case) -> None:
    root = tmp_path / "ws"
    medicare = default_ladders()[PayerKind.MEDICARE]
    levels = list(medicare.levels)
    levels[1] = dataclasses.replace(levels[1], address=QIC)
    with Workspace.create(root) as workspace:
        workspace.add_payer(PayerEntry("Demo Medicare & Co", PayerKind.MEDICARE, ["99901"],
                                       ladder=dataclasses.replace(medicare, levels=tuple(levels))))
    sent, decided = date.today() - timedelta(days=40), date.today() - timedelta(days=10)
    case = make_case(status=Status.LOST, submissions=[Submission(sent, 1, "mail")],
                     decisions=[DecisionRecord(decided, 1, Outcome.LOST.value, Decimal("0.00"))])
    path = CaseFile.create(root / "cases" / "2026-03-abcdef01.appeal", case)
    setting = letter_setting(path, case)
    assert setting.deadline is not None and setting.deadline.level == 2
    draft = draft_letter(case, setting, template_id="medicare_reconsideration")
    assert draft.context["payer"]["address_lines"] == ["Demo QIC, Part B West", "PO Box 9", "Sampleville, ZZ 00009"]
    assert draft.context["payer"]["name"] == medicare.levels[1].who  # "Qualified Independent Contractor"


def test_level_one_keeps_the_payers_address(tmp_path: Path, make_case) -> None:
    case = make_case()
    path = CaseFile.create(tmp_path / "2026-03-abcdef02.appeal", case)
    draft = draft_letter(case, letter_setting(path, case), template_id="general_appeal")
    assert draft.context["payer"]["address_lines"] == case.payer.address.lines()
