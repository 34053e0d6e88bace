"""Issue 11, point 10: "every dropped file takes the kind in the Kind box: guess each file's kind
from its name and content, editable". In the window at 1366x768: three scans dropped on the
Evidence tab's list (two with a text layer, one a picture only) each get their own kind, and
the guess is changed with the Kind box like any other."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_clicks import POPUP_WARNINGS, click_case, laptop_window
from kind_docs import AUTHORIZATION, PROGRESS_NOTE, REMITTANCE, scanned_pdf, text_pdf
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from workstation.casefile.case_file import CaseFile
from workstation.core.vocabulary import EvidenceKind
from workstation.gui.main_window import MainWindow
from workstation.gui.worklist_model import SUMMARY_ROLE


def _window_on_a_case(qtbot, root: Path) -> MainWindow:
    window = laptop_window(qtbot, root)
    proxy = window.worklist.proxy
    for row in range(proxy.rowCount()):
        summary = proxy.index(row, 0).data(SUMMARY_ROLE)
        with CaseFile.open(summary.path, read_only=True) as case_file:
            if case_file.evidence.list():
                continue
        click_case(qtbot, window, summary.path)
        return window
    raise AssertionError("the demo has no case without documents")


def _drop(widget, paths: list[Path]) -> None:
    """What the window gets when files are dragged from the file manager and let go over `widget`."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    at = widget.rect().center()
    button, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at, Qt.DropAction.CopyAction, data, button, none)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(at.toPointF(), Qt.DropAction.CopyAction, data, button, none)
    QApplication.sendEvent(widget, drop)


@pytest.mark.qt_log_ignore(*POPUP_WARNINGS)
def test_each_dropped_file_gets_its_own_kind_and_it_can_be_changed(qtbot, demo_workspace: Path, tmp_path: Path) -> None:
    window = _window_on_a_case(qtbot, demo_workspace)
    view = window.case_view
    panel = view.evidence
    view.tabs.setCurrentWidget(panel)
    kind_box = panel.kind
    kind_box.setCurrentIndex(kind_box.findData(EvidenceKind.POLICY.value))  # whatever the box shows…
    files = [text_pdf(tmp_path / "scan_0001.pdf", AUTHORIZATION), text_pdf(tmp_path / "scan_0002.pdf", REMITTANCE),
             scanned_pdf(tmp_path / "scan_0003.pdf", PROGRESS_NOTE)]
    with qtbot.waitSignal(panel.attach_finished, timeout=20_000):
        _drop(panel.list.viewport(), files)
    kinds = {doc.title: doc.kind for doc in view.case.evidence}
    assert kinds == {"Scan 0001": EvidenceKind.AUTHORIZATION, "Scan 0002": EvidenceKind.REMITTANCE,
                     "Scan 0003": EvidenceKind.OTHER}  # …each file its own: none took "policy"
    shown = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert any("Scan 0001" in text and "authorization" in text for text in shown)

    # the picture-only scan: its guess corrected with the Kind box, as a biller does
    row = next(i for i, doc in enumerate(panel.documents) if doc.title == "Scan 0003")
    item = panel.list.item(row)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=panel.list.visualItemRect(item).center())
    assert kind_box.currentData() == EvidenceKind.OTHER.value
    qtbot.mouseClick(kind_box, Qt.MouseButton.LeftButton)
    popup = kind_box.view()
    qtbot.waitUntil(popup.isVisible)
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # a release this soon after opening is the opening click's
    choice = kind_box.model().index(kind_box.findData(EvidenceKind.MEDICAL_RECORDS.value), 0)
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(choice).center())
    qtbot.waitUntil(lambda: {d.title: d.kind for d in view.case.evidence}["Scan 0003"]
                    is EvidenceKind.MEDICAL_RECORDS)
    with CaseFile.open(view.case_file.path, read_only=True) as case_file:
        saved = {doc.title: doc.kind for doc in case_file.evidence.list()}
    assert saved["Scan 0003"] is EvidenceKind.MEDICAL_RECORDS and saved["Scan 0001"] is EvidenceKind.AUTHORIZATION
