"""The worklist's rows read with their deadlines in one pass (ops.deadlines.rows_with_deadlines,
used at start-up) are exactly the rows read first and given their deadlines afterwards."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from workstation.casefile.workspace import Workspace
from workstation.core.deadlines import DeadlineFacts, deadline_for
from workstation.core.vocabulary import PayerKind, Route, Status
from workstation.ops.deadlines import LadderBook, deadline_of, rows_with_deadlines, with_deadlines
from workstation.ops.workspaces import load_worklist


def test_one_pass_gives_the_same_rows_and_deadlines(demo_workspace: Path) -> None:
    today = date(2026, 11, 30)
    with Workspace.open(demo_workspace) as workspace:
        workspace.index.rescan()
        once = rows_with_deadlines(workspace, today=today)
        twice = with_deadlines(workspace, workspace.index.rows(), today=today)
    assert once == twice
    assert sum(1 for r in once if r.deadline is not None) > 10  # the demo has open cases with dates
    assert any(r.deadline is None and r.facts is not None for r in once)  # and settled ones


def test_the_window_loads_every_case_with_its_deadline(demo_workspace: Path) -> None:
    rows = load_worklist(demo_workspace)
    assert len(rows) == len(list((demo_workspace / "cases").glob("*.appeal")))
    with Workspace.open(demo_workspace) as workspace:
        assert rows == with_deadlines(workspace, workspace.index.rows())


def test_cases_sharing_their_facts_get_each_its_own_payers_deadline(demo_workspace: Path) -> None:
    """The deadline of identical facts is computed once per payer, never shared across payers:
    the same notice date gives a Medicare case and a commercial case different dates."""
    today = date(2026, 11, 30)
    facts = DeadlineFacts(Status.NEW, Route.APPEAL, date(2026, 11, 2), date(2026, 10, 1), date(2026, 10, 1))
    with Workspace.open(demo_workspace) as workspace:
        payers = {p.kind: p for p in workspace.payers()}
        medicare, commercial = payers[PayerKind.MEDICARE], payers[PayerKind.COMMERCIAL]
        deadline = deadline_of(workspace, today=today)
        book = LadderBook(workspace.payers())
        asked = [(p.payer_ids[0] if p.payer_ids else "", p.name, p.kind.value)
                 for p in (medicare, commercial, medicare)]
        answers = [deadline(facts, *payer) for payer in asked]
        expected = [deadline_for(facts, book.ladder(*payer), today=today) for payer in asked]
    assert answers == expected
    assert answers[0].due != answers[1].due
    assert answers[2] is answers[0]  # the second Medicare case is answered from the first
