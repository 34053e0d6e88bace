"""The worklist panel: filters above a sortable table of cases."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import Status
from workstation.gui.worklist_model import (
    OPEN_CASES,
    SUMMARY_ROLE,
    URGENCY_COLUMN,
    WorklistFilter,
    WorklistModel,
)
from workstation.ops.deadlines import deadline_alert

if TYPE_CHECKING:
    from workstation.casefile.workspace import Workspace
    from workstation.gui.operations import Operations


class WorklistView(QWidget):
    """Emits `case_chosen` with a case file's path when the user selects a row."""

    case_chosen = Signal(Path)
    filter_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.operations: Operations | None = None  # the window's hub, set by MainWindow
        self.workspace: Workspace | None = None  # the open workspace, set by MainWindow
        self.model = WorklistModel()
        self.proxy = WorklistFilter()
        self.proxy.setSourceModel(self.model)
        self._build_filters()
        self._build_table()
        self.alerts = QLabel()
        self.alerts.setObjectName("deadline_alerts")
        self.alerts.setTextFormat(Qt.TextFormat.RichText)
        self.alerts.setStyleSheet("background: #fff4e5; color: #663c00; padding: 4px;")
        self.alerts.linkActivated.connect(self._show_due)
        self.alerts.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.alerts)
        layout.addLayout(self.filters)
        layout.addWidget(self.table)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged, self.proxy.dataChanged):
            signal.connect(lambda *_: self.filter_changed.emit())

    def _build_filters(self) -> None:
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        self.status_filter.addItem("Any status", "")
        self.status_filter.addItem("Open cases", OPEN_CASES)
        for status in Status:
            self.status_filter.addItem(status.label, status.value)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(self.status_filter.currentData()))
        self.payer_filter = QComboBox()
        self.payer_filter.setObjectName("payer_filter")
        self.payer_filter.addItem("Any payer", "")
        self.payer_filter.currentIndexChanged.connect(lambda _i: self.proxy.set_payer(self.payer_filter.currentData()))
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search patient, claim, account, code… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.mine = QCheckBox("Mine")
        self.mine.setObjectName("my_cases")
        self.mine.setToolTip("Only my cases (the cases assigned to the current user)")
        self.mine.toggled.connect(lambda on: self.proxy.set_assignee(self.current_user if on else ""))
        self.current_user = ""
        self.due_filter = QComboBox()
        self.due_filter.setObjectName("due_filter")
        for label, mode in (("Any date", ""), ("Overdue", "overdue"), ("This week", "week"),
                            ("In 30 days", "month")):
            self.due_filter.addItem(label, mode)
        self.due_filter.currentIndexChanged.connect(lambda _i: self.proxy.set_due(self.due_filter.currentData()))
        for combo in (self.due_filter, self.status_filter, self.payer_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        self.filters = QHBoxLayout()
        self.filters.addWidget(self.mine)
        self.filters.addWidget(self.due_filter)
        self.filters.addWidget(self.status_filter)
        self.filters.addWidget(self.payer_filter)
        self.filters.addWidget(self.search, 2)

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("worklist")
        self.table.setModel(self.proxy)
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self.model.sort)  # the model sorts; the proxy only filters
        header.setSortIndicator(URGENCY_COLUMN, Qt.SortOrder.DescendingOrder)  # most urgent first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((70, 150, 150, 120, 230, 80, 110, 60, 55, 85, 70, 60)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            summary: CaseSummary = current.data(SUMMARY_ROLE)
            self.case_chosen.emit(summary.path)

    def set_rows(self, rows: list[CaseSummary]) -> None:
        self.model.set_rows(rows)
        self._summarise_deadlines(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._refill_payers(rows)

    def refresh_summary(self) -> None:
        """Say again what needs attention, from the rows as they are now (after an edit)."""
        self._summarise_deadlines(self.model.rows())

    def _summarise_deadlines(self, rows: list[CaseSummary]) -> None:
        """What needs attention first, shown when a workspace opens."""
        text = deadline_alert(rows)
        self.alerts.setText(text)
        self.alerts.setVisible(bool(text))

    def _show_due(self, mode: str) -> None:
        self.due_filter.setCurrentIndex(self.due_filter.findData(mode))

    def _refill_payers(self, rows: list[CaseSummary]) -> None:
        chosen = self.payer_filter.currentData()
        self.payer_filter.blockSignals(True)
        self.payer_filter.clear()
        self.payer_filter.addItem("Any payer", "")
        for payer in sorted({r.payer for r in rows if r.payer}):
            self.payer_filter.addItem(payer, payer)
        self.payer_filter.setCurrentIndex(max(self.payer_filter.findData(chosen), 0))
        self.payer_filter.blockSignals(False)
        self.proxy.set_payer(self.payer_filter.currentData())

    def select_first(self) -> None:
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def select_path(self, path: Path) -> bool:
        """Select the row of a case (e.g. one just created); False if filtered out."""
        source_row = self.model.row_of(path)
        if source_row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True
