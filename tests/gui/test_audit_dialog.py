"""The audit trail in the window: opening a case, viewing and exporting a document and printing are
recorded as the biller works; Settings > Audit trail lists them, filters them and exports a CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from practice_fixtures import case_in_workspace
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog
from reportlab.pdfgen import canvas

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.model import Person
from workstation.gui.audit_dialog import AuditDialog, open_audit_dialog
from workstation.gui.main_window import MainWindow
from workstation.ops.audit import audit_entries
from workstation.ops.evidence import attach_files
from workstation.ops.letter_commands import letter_for_command
from workstation.ops.user_config import UserConfig, save_config

PATIENT = Person("Quillfeather", "Ottoline", "", None, "MBI-1EG4TE5MK73", "GRP 9")


def _pdf(path: Path) -> Path:
    drawing = canvas.Canvas(str(path))
    for number in range(2):
        drawing.drawString(72, 700, f"Chart note page {number + 1}")
        drawing.showPage()
    drawing.save()
    return path


@pytest.fixture
def case_path(tmp_path: Path, make_case) -> Path:
    """A case with a saved letter and a document titled with the patient's name."""
    save_config(UserConfig(current_user="kim"))
    path = case_in_workspace(tmp_path, make_case(patient=PATIENT, insured=PATIENT))
    with CaseFile.open(path) as case_file:
        assert attach_files(case_file, [_pdf(tmp_path / "Quillfeather MRI.pdf")], actor="kim").added
    letter_for_command(path, template_id="general_appeal", given={"good_cause_reason": "late"}, save=True,
                       actor="kim")
    return path


@pytest.fixture
def window(qtbot, case_path: Path) -> MainWindow:
    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    assert main.open_workspace(case_path.parent.parent)
    qtbot.waitUntil(lambda: main.worklist.model.rowCount() == 1, timeout=10_000)
    return main


def _actions(root: Path) -> list[str]:
    with Workspace.open(root, backup=False) as workspace:
        return [e.action for e in audit_entries(workspace) if e.action != "letter"]


def _open_first_case(qtbot, window: MainWindow) -> None:
    view = window.worklist
    view.table.setCurrentIndex(view.proxy.index(0, 0))
    qtbot.waitUntil(lambda: window.case_view.case_file is not None)


def test_opening_a_case_and_viewing_its_document_are_recorded_once(qtbot, window, case_path) -> None:
    root = case_path.parent.parent
    _open_first_case(qtbot, window)
    assert _actions(root) == ["open_case"]
    panel = window.case_view.evidence
    window.case_view.tabs.setCurrentWidget(panel)
    panel.list.setCurrentRow(0)
    assert not panel.preview.pixmap().isNull()
    panel._show_preview(1)  # the next page, and back: still one view of the document
    panel._show_preview(0)
    assert _actions(root) == ["open_case", "view_document"]


def test_exporting_a_document_and_printing_the_packet_are_recorded(qtbot, window, case_path, tmp_path,
                                                                   monkeypatch, make_case) -> None:
    root = case_path.parent.parent
    _open_first_case(qtbot, window)
    panel = window.case_view.evidence
    panel.list.setCurrentRow(0)
    target = tmp_path / "exported.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    panel.export_dialog()
    assert target.is_file()

    def accept(dialog: QPrintDialog) -> QPrintDialog.DialogCode:  # the biller presses Print
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setResolution(72)
        dialog.printer().setOutputFileName(str(tmp_path / "printed.pdf"))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    window.case_view.letter.print_packet()
    qtbot.waitUntil(lambda: "print" in _actions(root), timeout=30_000)
    assert _actions(root) == ["open_case", "export_document", "print"]  # the Evidence tab was never shown: no view
    with Workspace.open(root, backup=False) as workspace:
        printed = audit_entries(workspace, action="print")[0]
    assert (printed.actor, printed.case_id) == ("kim", make_case().case_id)
    assert printed.detail.startswith("packet of ") and printed.detail.endswith(" pages")


def test_the_dialog_lists_filters_and_exports_the_trail(qtbot, qtmodeltester, window, case_path, tmp_path,
                                                        make_case) -> None:
    _open_first_case(qtbot, window)
    dialog = open_audit_dialog(window)
    assert isinstance(dialog, AuditDialog) and dialog.isVisible()
    qtmodeltester.check(dialog.model)
    shown = [dialog.model.index(row, 2).data() for row in range(dialog.model.rowCount())]
    assert shown[0] == "Opened a case"  # newest first
    assert dialog.model.index(0, 3).data() == make_case().case_id
    assert dialog.model.index(0, 1).data() == "kim"
    dialog.action.setCurrentIndex(dialog.action.findData("open_case"))
    assert dialog.model.rowCount() == 1 and dialog.status.text() == "1 entries."
    dialog.case_id.setText("no-such-case")
    assert dialog.model.rowCount() == 0 and dialog.status.text() == "No entries match."
    dialog.case_id.setText(make_case().case_id[:8])
    target = tmp_path / "trail.csv"
    dialog.export_to(target)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Exported"), timeout=10_000)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [(r["actor"], r["action"], r["case_id"]) for r in rows] == [("kim", "open_case", make_case().case_id)]
    assert dialog.status.text() == "Exported 1 entries to trail.csv."
    assert "Quillfeather" not in target.read_text(encoding="utf-8-sig")
    dialog.grab().save(str(tmp_path / "audit_dialog.png"))


def test_without_a_workspace_there_is_no_dialog(qtbot) -> None:
    main = MainWindow()
    qtbot.addWidget(main)
    assert open_audit_dialog(main) is None
