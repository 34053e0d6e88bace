"""A workspace with a complete practice profile, for tests that print letters (issue 10: no
letter is built without the practice's name, address, signer and title)."""

from __future__ import annotations

from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.model import Address, Case
from workstation.core.workspace_model import PracticeProfile

#: A complete letterhead: every letter needs the practice's name, address, signer and title.
SAMPLE_PRACTICE = PracticeProfile(name="Riverbend Family Medicine", address=Address("12 Example Way", "", "Exampleton",
                                                                                  "ZZ", "00001"),
                                  phone="555-0150", fax="555-0151", npi="1234567893", tin="12-3456789",
                                  signer_name="Dana Example", signer_title="Billing manager")


def case_in_workspace(folder: Path, case: Case, name: str = "2026-03-abcdef01.appeal",
                      practice: PracticeProfile = SAMPLE_PRACTICE) -> Path:
    """A case file in the cases/ folder of a new workspace whose practice profile is complete."""
    with Workspace.create(folder / "ws") as workspace:
        workspace.set_practice(practice)
    return CaseFile.create(folder / "ws" / "cases" / name, case)
