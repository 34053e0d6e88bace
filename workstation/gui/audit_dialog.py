"""Settings > Audit trail: who opened, viewed, exported or printed which case, and when; filtered by
case id, action and day, and exported to a CSV file (on a worker thread). Read-only: the trail's
entries can be neither changed nor removed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.core.audit import AuditAction, AuditEntry, action_label
from workstation.core.errors import UserError
from workstation.gui.passphrase_dialog import confirm_plain_export
from workstation.gui.widgets import plain_label
from workstation.gui.workers import BackgroundTask
from workstation.ops.audit import AUDIT_COLUMNS, audit_entries, entry_cells, export_trail_csv

if TYPE_CHECKING:
    from workstation.casefile.workspace import Workspace

#: The newest entries shown; Export CSV writes every entry the filters match.
SHOWN = 2000
AnyIndex = QModelIndex | QPersistentModelIndex
ABOUT = ("Every opening of a case, view of a document, export, print, letter, packet, calendar and CSV export "
         "is recorded here, with who and when. Cases are named by their id, never by the patient's name. "
         "Entries cannot be changed or removed.")


class AuditModel(QAbstractTableModel):
    """Audit entries as rows, newest first."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[AuditEntry] = []

    def set_entries(self, entries: list[AuditEntry]) -> None:
        self.beginResetModel()
        self.entries = list(reversed(entries))
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(AUDIT_COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return entry_cells(self.entries[index.row()])[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return AUDIT_COLUMNS[section]
        return None


class AuditDialog(QDialog):
    """The trail of `workspace`, with filters above and Export CSV below."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Audit trail")
        self.resize(980, 560)
        self.workspace = workspace
        self.exporter: BackgroundTask | None = None
        self.model = AuditModel()
        body = QVBoxLayout(self)
        body.addWidget(plain_label(ABOUT))
        body.addLayout(self._filters())
        body.addWidget(self._table(), 1)
        self.status = plain_label()
        self.status.setObjectName("audit_status")
        body.addWidget(self.status)
        body.addWidget(self._buttons())
        self.refresh()

    def _filters(self) -> QHBoxLayout:
        self.case_id = QLineEdit()
        self.case_id.setObjectName("audit_case")
        self.case_id.setPlaceholderText("a case id, or its start")
        self.case_id.setClearButtonEnabled(True)
        self.case_id.textChanged.connect(self.refresh)
        self.action = QComboBox()
        self.action.setObjectName("audit_action")
        self.action.addItem("Every action", None)
        for action in AuditAction:
            self.action.addItem(action_label(action), action.value)
        self.action.currentIndexChanged.connect(self.refresh)
        self.use_since = QCheckBox("Since")
        self.use_since.setObjectName("audit_use_since")
        self.since = QDateEdit(QDate.currentDate().addMonths(-1))
        self.since.setObjectName("audit_since")
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.since.setEnabled(False)
        self.use_since.toggled.connect(self.since.setEnabled)
        self.use_since.toggled.connect(self.refresh)
        self.since.dateChanged.connect(self.refresh)
        row = QHBoxLayout()
        for label, widget in (("Case", self.case_id), ("Action", self.action)):
            row.addWidget(QLabel(label))
            row.addWidget(widget, 2 if widget is self.case_id else 1)
        row.addWidget(self.use_since)
        row.addWidget(self.since)
        return row

    def _table(self) -> QTableView:
        self.table = QTableView()
        self.table.setObjectName("audit_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((140, 90, 150, 270)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(len(AUDIT_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        return self.table

    def _buttons(self) -> QWidget:
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setObjectName("audit_export")
        self.export_button.clicked.connect(self.export_dialog)
        refresh = QPushButton("Refresh")
        refresh.setObjectName("audit_refresh")
        refresh.clicked.connect(self.refresh)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(refresh, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        return buttons

    # -- filtering ---------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """The filters as the trail's op takes them."""
        since = self.since.date().toPython() if self.use_since.isChecked() else None
        return {"case_id": self.case_id.text().strip() or None, "action": self.action.currentData(),
                "since": since}

    def refresh(self) -> None:
        entries = audit_entries(self.workspace, newest=SHOWN + 1, **self.filters())
        self.model.set_entries(entries[-SHOWN:])
        if len(entries) > SHOWN:
            self.status.setText(f"The newest {SHOWN:,} entries are shown; Export CSV writes every one that matches.")
        else:
            self.status.setText(f"{len(entries):,} entries." if entries else "No entries match.")

    # -- exporting ---------------------------------------------------------------------------

    def export_dialog(self) -> None:
        if not confirm_plain_export(self, self.workspace.root):
            return
        target, _filter = QFileDialog.getSaveFileName(self, "Export the audit trail", "audit-trail.csv",
                                                      "CSV (*.csv)")
        if target:
            self.export_to(Path(target))

    def export_to(self, target: Path) -> None:
        """Write every entry the filters match, on a worker thread."""
        root, filters = self.workspace.root, self.filters()
        self.export_button.setEnabled(False)
        self.status.setText("Writing the CSV file…")
        self.exporter = BackgroundTask(lambda **_kw: export_trail_csv(root, target, **filters))
        self.exporter.finished.connect(lambda count: self._exported(count, target))
        self.exporter.failed.connect(self._failed)
        self.exporter.start()

    def _exported(self, count: int, target: Path) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(f"Exported {count:,} entries to {target.name}.")

    def _failed(self, error: object) -> None:
        self.export_button.setEnabled(True)
        if isinstance(error, UserError):
            self.status.setText(str(error))
            return
        raise error  # a bug: the bug-report hook shows it


def open_audit_dialog(window: Any) -> AuditDialog | None:
    """Settings > Audit trail, for the main window's open workspace (nothing without one)."""
    workspace: Workspace | None = window.workspace
    if workspace is None:
        return None
    dialog = AuditDialog(workspace, window)
    window.audit_window = dialog  # kept alive while it is open (and for tests)
    dialog.open()
    return dialog
