"""Importing remittances in the window: menu or drop, work off the GUI thread, then a summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from workstation.casefile.workspace import Workspace
from workstation.gui.main_window import MainWindow
from workstation.intake.synthetic_835 import generate_835


@pytest.fixture
def empty_workspace(tmp_path: Path) -> Path:
    Workspace.create(tmp_path / "ws").close()
    return tmp_path / "ws"


@pytest.fixture
def remittance(tmp_path: Path) -> Path:
    path = tmp_path / "era-0301.835"
    path.write_text(generate_835(11, 40, denied=6, partial=2), encoding="utf-8")
    return path


@pytest.fixture
def window(qtbot, empty_workspace: Path) -> MainWindow:
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    assert main.open_workspace(empty_workspace)
    with qtbot.waitSignal(main.worklist_loaded, timeout=10_000):
        pass
    return main


def _wait_for_summary(qtbot, window: MainWindow):
    qtbot.waitUntil(lambda: window.remittances.summary_dialog is not None, timeout=20_000)
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == window.remittances.last_import.created,
                    timeout=10_000)
    return window.remittances.summary_dialog


def test_import_creates_cases_and_shows_a_summary(qtbot, window, remittance, empty_workspace) -> None:
    window.remittances.import_files([remittance])
    dialog = _wait_for_summary(qtbot, window)
    summary = window.remittances.last_import
    assert summary.claims == 40 and summary.created == 8  # 6 denied + 2 with a denied line
    assert len(list((empty_workspace / "cases").glob("*.appeal"))) == 8
    assert "40 claims read: 8 cases created" in dialog.text.text()
    assert "Adjustments that open no case: CO-45" in dialog.text.text()
    assert dialog.claims.rowCount() == 32  # every claim that opened no case is listed
    assert not dialog.problems.isVisible()


def test_a_claim_without_a_case_can_be_opened_by_hand(qtbot, window, remittance) -> None:
    window.remittances.import_files([remittance])
    dialog = _wait_for_summary(qtbot, window)
    before = window.worklist.model.rowCount()
    dialog.claims.selectRow(0)
    dialog.open_button.click()
    assert window.worklist.model.rowCount() == before + 1
    assert dialog.claims.item(0, 5).text() == "Case opened by hand"
    opened = [r for r in window.worklist.model.rows() if r.route == "inquiry"]
    assert opened and opened[0].account_number == dialog.summary.without_case[0].claim.account_number


def test_refused_file_is_named_with_its_sentence(qtbot, window, tmp_path: Path, empty_workspace) -> None:
    bad = tmp_path / "statement.835"
    bad.write_bytes(b"%PDF-1.4 not a remittance")
    window.remittances.import_files([bad])
    qtbot.waitUntil(lambda: window.remittances.summary_dialog is not None, timeout=10_000)
    dialog = window.remittances.summary_dialog
    assert "statement.835 is a PDF document" in dialog.problems.text()
    assert list((empty_workspace / "cases").iterdir()) == []


def test_dropping_a_file_on_the_window_imports_it(qtbot, window, remittance) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(remittance))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    _wait_for_summary(qtbot, window)
    assert window.remittances.last_import.created == 8


def test_an_unbalanced_claim_is_said_in_the_summary_and_on_its_case(qtbot, window, tmp_path: Path) -> None:
    """Issue 9, point 4: CAS*CO*97*6225 at claim level and again on the line of a 6,225.00 claim."""
    isa = ("ISA*00*          *00*          *ZZ*DEMOPAYER      *ZZ*DEMOPRACTICE   *260302*0800*^*00501*"
           "000000001*0*T*:")
    body = ["BPR*I*0*C*CHK************20260303", "TRN*1*UNBAL-1*1999999999", "DTM*405*20260302",
            "N1*PR*DEMO HEALTH PLAN", "REF*2U*77001", "N1*PE*RIVERBEND CLINIC*XX*1234567893", "LX*1",
            "CLP*DBL-1*4*6225*0**12*ICN-DBL*11*1", "NM1*QC*1*TESTPERSON*ALPHA****MI*M-DBL", "CAS*CO*97*6225",
            "SVC*HC:99215*6225*0**1", "DTM*472*20260210", "CAS*CO*97*6225"]
    segments = [isa, "GS*HP*DEMOPAYER*DEMOPRACTICE*20260302*0800*1*X*005010X221A1", "ST*835*0001", *body,
                f"SE*{len(body) + 2}*0001", "GE*1*1", "IEA*1*000000001"]
    path = tmp_path / "unbalanced.835"
    path.write_text("~\n".join(segments) + "~\n", encoding="ascii")
    window.remittances.import_files([path])
    dialog = _wait_for_summary(qtbot, window)
    assert "Does not balance (imported, flagged on its case): unbalanced.835 claim ICN-DBL" in dialog.text.text()
    (case_path,) = window.remittances.last_import.created_paths
    window.case_view.open_case(case_path)
    label = window.case_view.warnings
    assert label.isVisible()
    assert label.text().startswith("Check the remittance: The remittance does not balance")
    assert "$12,450.00" in label.text()
    assert window.worklist.model.rowCount() == 1


def test_the_summary_lists_the_cases_it_created_and_opens_one(qtbot, window, remittance) -> None:
    """Issue 11, point 10: each created case is listed and opens on a double-click."""
    window.remittances.import_files([remittance])
    dialog = _wait_for_summary(qtbot, window)
    summary = window.remittances.last_import
    assert dialog.created.rowCount() == summary.created == 8
    chosen = summary.created_rows[3]
    assert dialog.created.item(3, 1).text() == chosen.account_number
    dialog.created.cellDoubleClicked.emit(3, 0)
    qtbot.waitUntil(lambda: window.case_view.case_file is not None and window.case_view.case_file.path == chosen.path)
