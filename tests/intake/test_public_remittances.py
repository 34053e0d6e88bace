"""Public sample remittances from other open-source projects (tests/data/era-public/), imported end to end.

Every expectation comes from tests/data/era-public/expected.toml, written by reading each file's
segments by hand (the arithmetic is in its comments); README.md there names each file's repository,
commit and licence. Each file is imported into a fresh workspace: several samples reuse the same
payer and TRN02, which would make a shared workspace skip them as already imported.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.ops.import_remittance import import_remittances
from workstation.ops.import_summary import ImportSummary

DATA = Path(__file__).resolve().parents[1] / "data" / "era-public"
EXPECTED: dict[str, dict] = tomllib.loads((DATA / "expected.toml").read_text(encoding="utf-8"))["files"]
FILES = sorted(EXPECTED)

CaseRow = tuple[str, str, str, list[str], Decimal, str]  # account, patient last name, member ID, reasons, stake, route


def import_into_new_workspace(root: Path, name: str) -> tuple[Workspace, ImportSummary]:
    workspace = Workspace.create(root / "ws")
    return workspace, import_remittances(workspace, [DATA / name], actor="test")


def created_cases(summary: ImportSummary) -> list[CaseRow]:
    rows = []
    for path in summary.created_paths:
        with CaseFile.open(path) as case_file:
            case = case_file.load()
        rows.append((case.claim.account_number, case.patient.last_name, case.patient.member_id, case.reasons,
                     case.amount_at_stake, str(case.route)))
    return sorted(rows)


def expected_cases(name: str) -> list[CaseRow]:
    return sorted((c["account"], c["patient_last"], c["member_id"], c["reasons"], Decimal(c["amount_at_stake"]),
                   c["route"]) for c in EXPECTED[name]["claims"] if c["opens_case"])


def test_every_sample_has_its_expectations() -> None:
    assert sorted(p.name for p in DATA.glob("*.835")) == FILES
    for name, expected in EXPECTED.items():
        assert len(expected["claims"]) == expected["claims_read"], name
        assert len(expected_cases(name)) == expected["cases"], name


@pytest.mark.parametrize("name", FILES)
def test_every_claim_is_read(tmp_path: Path, name: str) -> None:
    _workspace, summary = import_into_new_workspace(tmp_path, name)
    assert summary.to_json()["errors"] == []
    assert summary.claims == EXPECTED[name]["claims_read"]


@pytest.mark.parametrize("name", FILES)
def test_the_expected_cases_open(tmp_path: Path, name: str) -> None:
    _workspace, summary = import_into_new_workspace(tmp_path, name)
    assert created_cases(summary) == expected_cases(name)


@pytest.mark.parametrize("name", FILES)
def test_importing_the_same_file_again_creates_nothing(tmp_path: Path, name: str) -> None:
    workspace, _first = import_into_new_workspace(tmp_path, name)
    assert import_remittances(workspace, [DATA / name], actor="test").created == 0


def test_the_summary_lists_exactly_the_unbalanced_claims(tmp_path: Path) -> None:
    listed, expected = {}, {}
    for number, name in enumerate(FILES):
        _workspace, summary = import_into_new_workspace(tmp_path / str(number), name)
        report = summary.to_json()
        assert "unbalanced" in report, "the import summary has no 'unbalanced' list"
        listed[name] = sorted(entry["account_number"] for entry in report["unbalanced"])
        expected[name] = sorted(EXPECTED[name]["unbalanced"])
    assert listed == expected
