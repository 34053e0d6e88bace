"""The worklist panel: filters above a sortable table of cases; several rows may be selected
for the bulk actions of `worklist_actions.py` (context menu, and the "Selected: N" bar)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workstation.core.money import ZERO, dollars
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import Status
from workstation.gui.worklist_actions import BulkActions
from workstation.gui.worklist_columns import WorklistColumns, WorklistTable
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


class FilterBox(QComboBox):
    """A filter's box: as wide as its resting text ("Any status", "Any payer") when the row has the
    room, as narrow as four letters when the window is (the window still fits an 800-pixel screen)."""

    NARROWEST = 4  # letters

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(self.NARROWEST)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()  # room for NARROWEST capital X's
        if not self.count():
            return hint
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.rect = QRect(QPoint(0, 0), hint)
        field = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxEditField, self)
        wanted = self.fontMetrics().horizontalAdvance(self.itemText(0)) + 4  # the label's own margins
        hint.setWidth(hint.width() + max(0, wanted - field.width()))
        return hint


class WorklistView(QWidget):
    """Emits `case_chosen` with a case file's path when the current row changes (the case view
    follows it); the selection, one row or many, is what the bulk actions act on."""

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
        self.bulk = BulkActions(self)
        self._build_selection_bar()
        self.alerts = QLabel()
        self.alerts.setObjectName("deadline_alerts")
        self.alerts.setTextFormat(Qt.TextFormat.RichText)
        self.alerts.setStyleSheet("background: #fff4e5; color: #663c00; padding: 4px;")
        self.alerts.linkActivated.connect(self._show_due)
        self.alerts.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._build_drill_bar()
        layout.addWidget(self.alerts)
        layout.addWidget(self.drill_bar)
        layout.addLayout(self.filters)
        layout.addWidget(self.selection_bar)
        layout.addWidget(self.bulk.report)
        layout.addWidget(self.table, 1)  # the table takes the height; the bars only what they need
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged, self.proxy.dataChanged):
            signal.connect(lambda *_: self.filter_changed.emit())

    def _build_filters(self) -> None:
        self.status_filter = FilterBox("status_filter")
        self.status_filter.addItem("Any status", "")
        self.status_filter.addItem("Open cases", OPEN_CASES)
        for status in Status:
            self.status_filter.addItem(status.label, status.value)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(self.status_filter.currentData()))
        self.payer_filter = FilterBox("payer_filter")
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
        self.due_filter = FilterBox("due_filter")
        for label, mode in (("Any date", ""), ("Overdue", "overdue"), ("This week", "week"),
                            ("In 30 days", "month")):
            self.due_filter.addItem(label, mode)
        self.due_filter.currentIndexChanged.connect(lambda _i: self.proxy.set_due(self.due_filter.currentData()))
        self.filters = QHBoxLayout()
        self.filters.addWidget(self.mine)
        self.filters.addWidget(self.due_filter)
        self.filters.addWidget(self.status_filter)
        self.filters.addWidget(self.payer_filter)
        self.filters.addWidget(self.search, 2)

    def _build_drill_bar(self) -> None:
        """"Showing 3 cases from Reports: Denials by reason: CO-97  [Show every case]"."""
        self.drill_bar = QWidget()
        self.drill_text = QLabel()
        self.drill_text.setObjectName("drill_down")
        self.drill_text.setTextFormat(Qt.TextFormat.PlainText)
        show_all = QPushButton("Show every case")
        show_all.setObjectName("drill_down_clear")
        show_all.clicked.connect(lambda: self.show_only_cases(None, ""))
        row = QHBoxLayout(self.drill_bar)
        row.setContentsMargins(4, 2, 4, 2)
        row.addWidget(self.drill_text, 1)
        row.addWidget(show_all)
        self.drill_bar.setStyleSheet("background: #eef1f5;")
        self.drill_bar.hide()

    def show_only_cases(self, case_ids: frozenset[str] | None, label: str) -> None:
        """Only these cases (from a chart of the Reports view), every other filter cleared; None
        shows every case again."""
        if case_ids is not None:
            self.mine.setChecked(False)
            self.search.clear()
            for combo in (self.due_filter, self.status_filter, self.payer_filter):
                combo.setCurrentIndex(0)
        self.proxy.set_cases(case_ids)
        shown = self.proxy.rowCount()
        self.drill_text.setText(f"Showing {shown} case{'s' if shown != 1 else ''} from Reports: {label}")
        self.drill_bar.setVisible(case_ids is not None)
        self.filter_changed.emit()

    def _build_table(self) -> None:
        self.table = WorklistTable()
        self.table.setObjectName("worklist")
        self.table.setModel(self.proxy)
        header = self.table.horizontalHeader()
        # The header gets a selection of its own, always empty: with the table's, every repaint asked
        # whether each column was wholly selected, row by row (0.13 s for 10,000 rows selected, and
        # seconds while a worker thread held Python's lock, as the worklist's PDF is made)
        header.setSelectionModel(QItemSelectionModel(self.proxy, header))
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self.model.sort)  # the model sorts; the proxy only filters
        header.setSortIndicator(URGENCY_COLUMN, Qt.SortOrder.DescendingOrder)  # most urgent first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.columns = WorklistColumns(self.table, self.model)
        self.model.modelReset.connect(lambda: self.columns.measure(self.model.rows()))
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._show_menu)

    def _build_selection_bar(self) -> None:
        """"Selected: N" and the bulk actions as buttons, shown while more than one row is selected."""
        self.selection_bar = QWidget()
        self.selection_bar.setObjectName("selection_bar")
        bar = QHBoxLayout(self.selection_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.selection_count = QLabel()
        self.selection_count.setObjectName("selection_count")
        bar.addWidget(self.selection_count)
        for action in self.bulk.bulk:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.bulk.progress)
        bar.addWidget(self.bulk.cancel)
        self._selection_changed()

    def selected_proxy_rows(self) -> list[int]:
        """The selected rows' numbers in the table, top to bottom (read from the selection's
        ranges: asking Qt row by row takes most of a second for 10,000 rows)."""
        rows = {row for span in self.table.selectionModel().selection() for row in range(span.top(), span.bottom() + 1)}
        return sorted(rows)

    def _selection_changed(self) -> None:
        count = len(self.selected_proxy_rows())
        self.selection_count.setText(f"Selected: {count}")
        running = self.bulk.task is not None and self.bulk.task.is_running()
        self.selection_bar.setVisible(count > 1 or running)
        self.bulk.enable(count)

    def context_menu(self) -> QMenu:
        """The table's menu: what can be done with the selected rows, then with the whole list."""
        menu = QMenu(self.table)
        menu.setObjectName("worklist_menu")
        self.bulk.enable(len(self.selected_proxy_rows()))
        for action in self.bulk.bulk:
            menu.addAction(action)
        menu.addSeparator()
        for action in (self.bulk.select_all, self.bulk.print, self.bulk.save_pdf):
            menu.addAction(action)
        return menu

    def _show_menu(self, position: QPoint) -> None:
        self.context_menu().popup(self.table.viewport().mapToGlobal(position))

    def selected_rows(self) -> list[CaseSummary]:
        """The selected cases, in the order shown (from the filter's own list: a Qt call per row
        took 50 ms for 10,000 rows)."""
        shown = self.proxy.shown_rows()
        return [shown[row] for row in self.selected_proxy_rows() if row < len(shown)]

    def select_all_rows(self) -> None:
        """Ctrl+A: every row the filters show (the open case stays as it is)."""
        self.table.selectAll()

    def assignee_choices(self) -> list[tuple[str, str]]:
        """The workspace's users, the current user, and anyone a case is assigned to already."""
        choices = [(u.label, u.login) for u in self.workspace.users()] if self.workspace is not None else []
        known = {login for _label, login in choices}
        extra = sorted({self.current_user, *(r.assignee for r in self.model.rows())} - known - {""})
        return choices + [(login, login) for login in extra]

    def filters_in_words(self) -> str:
        """The filters that chose the rows shown, for the top of the printed worklist."""
        parts = [f"only {self.current_user}'s cases"] if self.mine.isChecked() and self.current_user else []
        for combo, what in ((self.due_filter, "due"), (self.status_filter, "status"), (self.payer_filter, "payer")):
            if combo.currentData():
                parts.append(f"{what}: {combo.currentText()}")
        if self.search.text().strip():
            parts.append(f"search: “{self.search.text().strip()}”")
        return "Filters: " + "; ".join(parts) if parts else "Filters: none (every case)"

    def totals_in_words(self, rows: list[CaseSummary]) -> str:
        total = sum((r.amount_at_stake for r in rows), ZERO)
        return f"{len(rows)} of {self.model.rowCount()} cases · {dollars(total)} at stake"

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            summary: CaseSummary = current.data(SUMMARY_ROLE)
            self.case_chosen.emit(summary.path)

    def set_rows(self, rows: list[CaseSummary]) -> None:
        header = self.table.horizontalHeader()
        self.model.set_rows(rows, column=header.sortIndicatorSection(), order=header.sortIndicatorOrder())
        self._summarise_deadlines(rows)
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
