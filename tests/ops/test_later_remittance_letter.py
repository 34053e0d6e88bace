"""Issue 10, point 3: a letter states the case as the latest remittance that decided it has it.

A CO-4 denial of 185.00 (two lines of 92.50) is followed by a remittance paying line 1 and denying
line 2 with CO-50: the case, its worklist row and its letter now speak of CO-50 for 92.50 on the
later notice date. Figures are worked out from the segments in the comments.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from practice_fixtures import SAMPLE_PRACTICE
from remit_text import claim, interchange, line, transaction, write

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.vocabulary import Route, Status
from workstation.ops.import_remittance import import_remittances
from workstation.ops.letters import draft_letter, letter_setting

D = Decimal


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.create(tmp_path / "ws")
    workspace.set_practice(SAMPLE_PRACTICE)
    try:
        yield workspace
    finally:
        workspace.close()


def first_denial() -> str:
    # 185.00 billed, 0 paid; each line 92.50 with CO-4 (modifier inconsistent): 185.00 = 92.50 + 92.50.
    return interchange(transaction(claim(
        "ACC-4", "4", "185.00", "0",
        *line("97110", "92.50", "0", "20260210", "CAS*CO*4*92.50"),
        *line("97140", "92.50", "0", "20260210", "CAS*CO*4*92.50"), icn="ICN-A", member="M-4"),
        trace="FIRST", notice="20260302"))


def reprocessed() -> str:
    # The corrected claim reprocessed: line 1 paid 92.50; line 2 CO-50 92.50. 185.00 - 92.50 = 92.50.
    return interchange(transaction(claim(
        "ACC-4", "1", "185.00", "92.50",
        *line("97110", "92.50", "92.50", "20260210"),
        *line("97140", "92.50", "0", "20260210", "CAS*CO*50*92.50"), icn="ICN-B", member="M-4"),
        trace="SECOND", notice="20260420", total="92.50"), control="000000002")


def test_the_case_and_its_letter_follow_the_latest_remittance(ws: Workspace, tmp_path: Path) -> None:
    assert import_remittances(ws, [write(tmp_path, "first.835", first_denial())], actor="t").created == 1
    later = import_remittances(ws, [write(tmp_path, "second.835", reprocessed())], actor="t")
    assert (later.errors, later.updated, later.created) == ([], 1, 0)
    (path,) = ws.cases_dir.glob("*.appeal")
    with CaseFile.open(path, read_only=True) as case_file:
        case = case_file.load()
    assert case.reasons == ["CO-50"]
    assert (case.amount_at_stake, case.recovered) == (D("92.50"), D("92.50"))
    assert case.notice_date == date(2026, 4, 20)
    assert case.route is Route.APPEAL
    assert case.status is Status.PARTIALLY_WON
    assert [ln.paid for ln in case.lines] == [D("92.50"), D("0")]
    assert case.claim.payer_claim_number == "ICN-B"
    (row,) = ws.index.rows()
    assert (row.reasons, row.amount_at_stake) == (("CO-50",), D("92.50"))
    draft = draft_letter(case, letter_setting(path, case), today=date(2026, 4, 25))
    denial = draft.context["denial"]
    assert denial["codes"] == ["CO-50"]
    assert [r["amount"] for r in denial["reasons"]] == ["$92.50"]
    assert denial["notice_date"] == "04/20/2026"
    assert "CO-4" not in draft.markup and "185.00" not in draft.context["claim"]["at_stake"]
