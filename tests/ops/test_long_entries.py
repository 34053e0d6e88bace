"""Lengths are bounded where a biller types them (issue 12.8): a case opened by hand (File > New
case, `workstation scan --create`) or a field edited on a case, with a value of 100,000 characters
(a file pasted whole), is refused with one sentence saying the length and the limit, and nothing
is written; a value at the limit is kept."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.errors import InvalidValue
from workstation.core.fields import MAX_TEXT_CHARS
from workstation.core.vocabulary import PayerKind
from workstation.ops.cases import ManualCase, new_manual_case

ENTRY = ManualCase(patient_last="Ñandú", patient_first="Ana", payer_name="Paper Payer",
                   payer_kind=PayerKind.COMMERCIAL, procedure_code="99213", service_date=date(2026, 3, 1),
                   billed=Decimal("120.00"), denied=Decimal("120.00"), carc="CO-50")
LONG = "N" * 100_000


@pytest.mark.parametrize(("field", "words"), [
    ("patient_last", "patient's last name"), ("patient_first", "patient's first name"),
    ("payer_name", "payer's name"), ("member_id", "member ID"), ("claim_number", "claim number"),
    ("account_number", "account number"), ("procedure_code", "procedure code"), ("carc", "reason code"),
])
def test_a_case_by_hand_with_a_value_of_100000_characters_is_refused(tmp_path: Path, field: str, words: str) -> None:
    with Workspace.create(tmp_path / "ws") as workspace:
        with pytest.raises(InvalidValue) as refused:
            new_manual_case(workspace, dataclasses.replace(ENTRY, **{field: LONG}), actor="dana")
        assert list(workspace.cases_dir.iterdir()) == []
    sentence = str(refused.value)
    assert sentence.startswith(f"The {words} has 100,000 characters, where at most {MAX_TEXT_CHARS:,} are kept")
    assert len(sentence) < 300


def test_a_long_remark_code_is_refused_too(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "ws") as workspace, pytest.raises(InvalidValue, match="remark code has 100,000"):
        new_manual_case(workspace, dataclasses.replace(ENTRY, remarks=["N130", LONG]), actor="dana")


def test_a_value_at_the_limit_is_kept(tmp_path: Path) -> None:
    name = "M" * MAX_TEXT_CHARS
    with Workspace.create(tmp_path / "ws") as workspace:
        path = new_manual_case(workspace, dataclasses.replace(ENTRY, patient_last=name), actor="dana")
    with CaseFile.open(path, read_only=True) as case_file:
        assert case_file.load().patient.last_name == name


@pytest.mark.parametrize("key", ["patient.last_name", "claim.payer_claim_number", "claim.diagnosis_codes"])
def test_a_field_edit_of_100000_characters_is_refused_and_nothing_changes(tmp_path: Path, make_case,
                                                                         key: str) -> None:
    path = CaseFile.create(tmp_path / "2026-03-00000001.appeal", make_case())
    before = path.read_bytes()
    with CaseFile.open(path) as case_file, pytest.raises(InvalidValue, match="100,000 characters"):
        case_file.set_field(key, LONG, actor="dana")
    assert path.read_bytes() == before


def test_a_stored_value_past_the_limit_can_still_be_shortened(tmp_path: Path, make_case) -> None:
    """Written by an older version (or another tool): the edit that shortens it is taken."""
    case = make_case()
    case.patient.last_name = LONG
    path = CaseFile.create(tmp_path / "2026-03-00000001.appeal", case)
    with CaseFile.open(path) as case_file:
        case_file.set_field("patient.last_name", "Short", actor="dana")
        assert case_file.load().patient.last_name == "Short"
