"""The window's hub (gui/operations.py): one path for every change, refusals to their owner,
bugs to the bug-report path, and the rows of background work read off the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from workstation.core.changes import Changes
from workstation.core.errors import UserError
from workstation.core.summary import CaseSummary
from workstation.gui.operations import Operations

A, B = Path("/cases/a.appeal"), Path("/cases/b.appeal")


def test_an_op_that_touches_the_worklist_refreshes_its_rows_then_broadcasts(qtbot) -> None:
    hub, events = Operations(row_of=lambda path: CaseSummary(path=path, status="new")), []
    hub.rows_changed.connect(lambda rows: events.append(("rows", [r.path for r in rows])))
    hub.did_change.connect(lambda changes: events.append(("changed", changes.case_path)))
    assert hub.run(lambda: Changes(case_path=A, worklist=True), refused=pytest.fail) == Changes(A, worklist=True)
    assert events == [("rows", [A]), ("changed", A)]


def test_an_op_that_changes_nothing_broadcasts_nothing_and_a_refusal_goes_to_its_owner(qtbot) -> None:
    hub, events, refusals = Operations(), [], []
    hub.did_change.connect(events.append)
    assert hub.run(lambda: Changes(case_path=A), refused=pytest.fail) == Changes(case_path=A)

    def refuse() -> Changes:
        raise UserError("That case is in use by another window.")

    assert hub.run(refuse, refused=refusals.append) is None
    assert events == [] and [str(r) for r in refusals] == ["That case is in use by another window."]


def test_a_bug_is_never_turned_into_a_refusal(qtbot) -> None:
    def broken() -> Changes:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        Operations().run(broken, refused=pytest.fail)


def test_background_work_reads_its_rows_on_the_worker_thread(qtbot) -> None:
    threads: dict[str, str] = {}

    def rows_at(paths: frozenset[Path]) -> list[CaseSummary]:
        threads["rows"] = threading.current_thread().name
        return [CaseSummary(path=p) for p in sorted(paths)]

    hub = Operations(row_of=lambda path: pytest.fail("a row was read on the GUI thread"))
    hub.rows_at = rows_at
    shown: list[list[Path]] = []
    hub.rows_changed.connect(lambda rows: shown.append([r.path for r in rows]))
    done: list[str] = []
    with qtbot.waitSignal(hub.did_change, timeout=5000):
        hub.run_in_background(lambda **_kw: "bulk", done=done.append, refused=pytest.fail,
                              changes_of=lambda _result: Changes(cases=frozenset({A, B}), worklist=True))
    qtbot.waitUntil(lambda: done == ["bulk"])
    assert shown == [[A, B]]
    assert threads["rows"] != threading.main_thread().name
