"""Issue 13, point 4: the Reports view beside the worklist, at 1366x768: the figures of the
period chosen, a chart per measure, and a click on a bar shows exactly the cases it counts."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from gui_clicks import on_screen
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QPushButton

from workstation.casefile.workspace import Workspace
from workstation.gui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ops"))
from test_report import _workspace


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    root = tmp_path / "ws"
    with Workspace.create(root) as ws:
        _workspace(ws, tmp_path)
    main = MainWindow()
    qtbot.addWidget(main)
    main.resize(1366, 728)
    main.show()
    assert main.open_workspace(root)
    qtbot.waitUntil(lambda: main.worklist.model.rowCount() == 3, timeout=10_000)
    main.reports.today = date(2026, 3, 31)
    return main


def _show_february_to_march(qtbot, window: MainWindow) -> None:
    reports = window.reports
    qtbot.waitUntil(lambda: reports.report is not None, timeout=10_000)  # built once the worklist loaded
    window.show_reports()
    reports.period.setCurrentText("Custom")
    with qtbot.waitSignal(reports.report_shown, timeout=10_000):
        reports.start.setDate(QDate(2026, 2, 1))
    qtbot.waitUntil(lambda: reports.builder is None or not reports.builder.is_running(), timeout=10_000)
    with qtbot.waitSignal(reports.report_shown, timeout=10_000):
        reports.refresh()


def test_the_headline_figures_are_those_worked_out_by_hand(qtbot, window: MainWindow) -> None:
    _show_february_to_march(qtbot, window)
    heads = window.reports.headlines
    # 3 of 5 first remittances denied; 580 of 800 dollars (tests/ops/test_report.py)
    assert heads["initial_denial_rate"].text() == "60%"
    assert heads["initial_denial_rate_dollars"].text() == "72.5%"
    assert heads["denied_claims"].text() == "3 of 5"
    assert heads["recovered"].text() == "$200.00"
    assert "first remittance" in heads["initial_denial_rate"].toolTip()  # the definition, on screen
    assert [b.label for b in window.reports.by_reason.bars] == ["CO-50 medical necessity", "CO-97 coding",
                                                                 "CO-16 information requested"]
    assert window.reports.width() < 800  # beside the case view on a laptop


def test_a_click_on_a_bar_shows_exactly_its_cases_in_the_worklist(qtbot, window: MainWindow) -> None:
    _show_february_to_march(qtbot, window)
    chart = window.reports.by_reason
    bundled = next(i for i, b in enumerate(chart.bars) if b.label.startswith("CO-97"))
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.bar_rect(bundled).center().toPoint())
    assert window.left.currentWidget() is window.worklist
    shown = on_screen(window.worklist.proxy)
    assert [r.account_number for r in shown] == ["B-3"]  # the one claim denied CO-97
    assert window.worklist.drill_text.text() == "Showing 1 case from Reports: Denials by reason: CO-97 coding"
    qtbot.mouseClick(window.worklist.findChild(QPushButton, "drill_down_clear"), Qt.MouseButton.LeftButton)
    assert window.worklist.proxy.rowCount() == 3 and not window.worklist.drill_bar.isVisible()


def test_the_report_shown_is_exported_to_excel_pdf_and_csv(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    _show_february_to_march(qtbot, window)
    reports = window.reports
    for kind, target in (("xlsx", tmp_path / "q1.xlsx"), ("pdf", tmp_path / "q1.pdf"), ("csv", tmp_path / "csv")):
        with qtbot.waitSignal(reports.exported, timeout=20_000) as said:
            reports.export_to(kind, target)
        assert str(target) in said.args[0]
    summary = load_workbook(tmp_path / "q1.xlsx")["Summary"]
    assert any(cell.value == 0.6 for row in summary.iter_rows() for cell in row)  # the initial denial rate
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "q1.pdf").pages)
    assert "60" in text and "TESTPERSON" not in text  # counts and dollars, never a patient
    assert (tmp_path / "csv" / "summary.csv").exists()
    assert "no patient names" in reports.status.text()


def test_the_report_is_built_before_it_is_asked_for_and_audited_when_shown(qtbot, window: MainWindow) -> None:
    reports = window.reports
    assert not reports.isVisible()
    qtbot.waitUntil(lambda: reports.report is not None, timeout=10_000)  # while the worklist is shown
    assert reports.headlines["denied_claims"].text() != "–"
    assert _report_entries(window) == 0  # nobody has looked at it yet
    window.show_reports()
    qtbot.waitUntil(lambda: _report_entries(window) == 1, timeout=10_000)
    window.left.setCurrentWidget(window.worklist)
    window.show_reports()  # the same figures again: one entry per period per run
    qtbot.wait(200)
    assert _report_entries(window) == 1


def _report_entries(window: MainWindow) -> int:
    with Workspace.open(window.workspace.root, backup=False) as workspace:
        return len(workspace.audit_entries(action="report"))


def test_the_report_built_from_the_window_rows_is_the_report_of_the_files(qtbot, window: MainWindow) -> None:
    """The Reports view hands the report the worklist's rows the window holds (no second read of
    cases/); what it shows is what the files say."""
    from workstation.ops.report import report_at

    reports = window.reports
    qtbot.waitUntil(lambda: reports.report is not None, timeout=10_000)
    assert reports.rows_source() == window.worklist.model.rows() != []
    with qtbot.waitSignal(reports.report_shown, timeout=10_000):
        reports.refresh()
    request = replace(reports.request(), audited=False)
    assert reports.report == report_at(window.workspace.root, request)


def test_the_ledger_s_figures_are_worked_out_while_the_worklist_loads(qtbot, tmp_path: Path) -> None:
    """The first report takes its ledger figures from a build started with the worklist's loading
    (issue 13: the report shown within 0.5 s of the worklist), and is the report of the files; once
    something changes they are not used again."""
    from workstation.ops.report import report_at

    root = tmp_path / "ws"
    with Workspace.create(root) as ws:
        _workspace(ws, tmp_path)
    main = MainWindow()
    qtbot.addWidget(main)
    main.reports.today = date(2026, 3, 31)  # before the workspace opens: the figures ahead are of this day
    main.show()
    assert main.open_workspace(root)
    assert main.reports.figurer is not None  # started with the worklist's loading
    reports = main.reports
    qtbot.waitUntil(lambda: reports.report is not None, timeout=10_000)
    assert reports.built_ahead and reports.figures is None  # used, and for the first report only
    request = replace(reports.request(), audited=False)
    assert reports.report == report_at(root, request, main.worklist.model.rows())
    assert reports.report["denied_claims"] == report_at(root, request)["denied_claims"] > 0
    reports.invalidate()  # a change: an import, a case decided
    with qtbot.waitSignal(reports.report_shown, timeout=10_000):
        main.show_reports()
    assert not reports.built_ahead
    assert reports.report == report_at(root, request)


def test_work_that_ends_after_the_view_is_gone_touches_nothing(qtbot, tmp_path: Path) -> None:
    """The figures worked out ahead and the report's build run on threads that outlive the view
    (a window closed while they run): when they end, nothing of the deleted view is called (it
    raised 'Internal C++ object already deleted' in the next test's event loop)."""
    import shiboken6

    from workstation.gui.reports_view import ReportsView

    root = tmp_path / "ws"
    with Workspace.create(root) as ws:
        _workspace(ws, tmp_path)
    view = ReportsView()
    view.set_workspace(root, ["DEMO"])  # the figurer starts
    view.refresh()  # and the build
    figurer, builder = view.figurer, view.builder
    assert figurer is not None and builder is not None
    shiboken6.delete(view)  # before either can say it has finished: that waits for the event loop
    qtbot.waitUntil(lambda: not figurer.is_running() and not builder.is_running(), timeout=10_000)
    qtbot.wait(100)  # their finished signals are delivered, to nobody
