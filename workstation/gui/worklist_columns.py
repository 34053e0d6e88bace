"""The worklist's columns: which are shown (a header menu, remembered in QSettings), how wide
(fitted to the table: each as wide as its text within limits, the wide text columns giving way
first), and claim numbers cut in the middle with the whole number in the tooltip."""

from __future__ import annotations

import heapq

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import QMenu, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView

from workstation.core.summary import CaseSummary
from workstation.gui.worklist_model import CLAIM_COLUMN, COLUMNS, WorklistModel
from workstation.ops.user_config import config_dir

HIDDEN_KEY = "worklist/hidden_columns"
#: A 14-character claim number of capitals and digits: the claim column never shows less.
CLAIM_SAMPLE = "ABCDEFGHJK0123"
#: title -> (narrowest, widest) in pixels for the columns that give way when room is short; the
#: others are as wide as their title or widest text. The claim column's narrowest is CLAIM_SAMPLE.
FLEXIBLE: dict[str, tuple[int, int]] = {
    "Denial reason": (90, 560), "Payer": (70, 220), "Patient": (95, 240), "Status": (96, 130),
    "Claim number": (0, 220),
}
#: Which give way first, group by group (within a group, the widest first): the payer and the
#: reason are in the case view and the tooltips, and their first letters ("CO-197", "Bluebird")
#: are what is read at a glance; a case is found by its patient's name, so it gives way after the
#: status (at 1366x768 every surname stays whole); a claim number is read out on the phone, so it
#: gives way last.
GIVE_WAY = (("Denial reason", "Payer"), ("Status",), ("Patient",), ("Claim number",))
#: Columns whose text may be longer than anyone needs to see at a glance (the tooltip says it all).
CAPS: dict[str, int] = {"Days left": 100, "Assignee": 110}
MEASURED_TEXTS = 40  # the longest texts measured per column: enough to find the widest
SAMPLED_ROWS = 2000  # rows looked at for them (spread over the list): widths are capped anyway


def window_settings() -> QSettings:
    """The window's own settings file (geometry, columns), beside the program's config."""
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


class ElideMiddle(QStyledItemDelegate):
    """Claim numbers differ at both ends: a cut one keeps its start and its end."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class WorklistTable(QTableView):
    """The worklist's table; says when the room for its cells changes (a resize, a scroll bar)."""

    viewport_resized = Signal()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.viewport_resized.emit()
        return super().viewportEvent(event)


class WorklistColumns(QObject):
    """Shows, hides and sizes the worklist table's columns; refits when the table is resized."""

    def __init__(self, table: WorklistTable, model: WorklistModel) -> None:
        super().__init__(table)
        self.table, self.model = table, model
        self.header = table.horizontalHeader()
        self._content = [0] * len(COLUMNS)  # widest text of each column, in pixels
        self._sample: list[CaseSummary] = []  # the rows texts are measured on
        self._user_widths: dict[int, int] = {}  # columns the biller sized by hand
        self._fitting = False
        self.claim_delegate = ElideMiddle(table)
        table.setItemDelegateForColumn(CLAIM_COLUMN, self.claim_delegate)
        self.actions = [self._toggle_action(column) for column in range(len(COLUMNS))]
        self.fit_action = QAction("Fit columns to the window", self)
        self.fit_action.setObjectName("fit_columns")
        self.fit_action.triggered.connect(self.refit)
        self.header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.header.customContextMenuRequested.connect(self._show_menu)
        self.header.sectionResized.connect(self._resized)
        self.header.sortIndicatorChanged.connect(lambda *_: self.fit())
        table.viewport_resized.connect(self.fit)
        self._restore()

    def _toggle_action(self, column: int) -> QAction:
        title = COLUMNS[column].title
        action = QAction(title, self, checkable=True)
        action.setObjectName(f"column_{title.lower().replace(' ', '_').replace('(', '').replace(')', '')}")
        action.toggled.connect(lambda shown, c=column: self.set_shown(c, shown))
        return action

    # -- which columns -----------------------------------------------------------------------

    def _restore(self) -> None:
        saved = window_settings().value(HIDDEN_KEY)
        hidden = set(str(saved).split("|")) if saved is not None else {c.title for c in COLUMNS if not c.shown}
        self._fitting = True
        for column, action in enumerate(self.actions):
            action.blockSignals(True)
            action.setChecked(COLUMNS[column].title not in hidden)
            action.blockSignals(False)
            self.header.setSectionHidden(column, COLUMNS[column].title in hidden)
        self._fitting = False

    def shown(self) -> list[int]:
        """The shown columns in the order they appear."""
        order = [self.header.logicalIndex(visual) for visual in range(self.header.count())]
        return [column for column in order if not self.header.isSectionHidden(column)]

    def set_shown(self, column: int, shown: bool) -> None:
        """Show or hide a column (never the last one shown), remember it, refit the rest."""
        if not shown and self.shown() == [column]:
            self.actions[column].setChecked(True)
            return
        self._fitting = True  # Qt gives a shown section its old width: not a width set by hand
        try:
            self.header.setSectionHidden(column, not shown)
        finally:
            self._fitting = False
        self.actions[column].setChecked(shown)
        if shown:
            self._measure(column)
        hidden = [COLUMNS[c].title for c in range(len(COLUMNS)) if self.header.isSectionHidden(c)]
        settings = window_settings()
        settings.setValue(HIDDEN_KEY, "|".join(hidden))
        settings.sync()
        self.fit()

    def menu(self) -> QMenu:
        """The header's menu: a tick for each column, then "Fit columns to the window"."""
        menu = QMenu(self.table)
        menu.setObjectName("column_chooser")
        for action in self.actions:
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.fit_action)
        return menu

    def _show_menu(self, position: QPoint) -> None:
        self.menu().popup(self.header.mapToGlobal(position))

    # -- how wide ----------------------------------------------------------------------------

    def measure(self, rows: list[CaseSummary]) -> None:
        """Find the shown columns' widest texts (the longest few of a sample are measured), then refit."""
        step = max(1, len(rows) // SAMPLED_ROWS)
        self._sample = rows[::step]
        for column in self.shown():
            self._measure(column)
        self.fit()

    def _measure(self, column: int) -> None:
        texts = {self.model.display_text(row, column) for row in self._sample}
        longest = heapq.nlargest(MEASURED_TEXTS, texts, key=len)
        metrics = QFontMetrics(self.table.font())
        self._content[column] = max((metrics.horizontalAdvance(t) for t in longest), default=0)

    def refit(self) -> None:
        """Forget widths set by hand and fit every column to the window again."""
        self._user_widths.clear()
        self.fit()

    def fit(self) -> None:
        """Give each shown column its width: wanted widths when they fit, else the flexible
        columns shrink in proportion to their slack, never under their narrowest."""
        columns = self.shown()
        if not columns:
            return
        wanted = {c: self._wanted(c) for c in columns}
        least = {c: self._least(c, wanted[c]) for c in columns}
        give_way = [[c for c in columns if COLUMNS[c].title in group] for group in GIVE_WAY]
        widths = _share(wanted, least, self.table.viewport().width(), grow=self._grower(columns), give_way=give_way)
        self._fitting = True
        try:
            for column, width in widths.items():
                self.header.resizeSection(column, width)
        finally:
            self._fitting = False

    def _grower(self, columns: list[int]) -> int:
        """The column that takes any room left over: the denial reason, else the last shown."""
        reason = next((c for c in columns if COLUMNS[c].title == "Denial reason"), None)
        return reason if reason is not None else columns[-1]

    def padding(self) -> int:
        """Pixels around a cell's text (the style's margins on both sides, and the grid line)."""
        margin = self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table)
        return 2 * (margin + 1) + 2

    def title_width(self, column: int) -> int:
        """Room for a column's title, and for the sort arrow only on the column sorted by (the
        arrow on every title would cost the table a column's width)."""
        style = self.header.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self.header)
        width = QFontMetrics(self.header.font()).horizontalAdvance(COLUMNS[column].title) + 4 * margin + 4
        if self.header.sortIndicatorSection() == column:
            width += style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, self.header) + 2 * margin
        return width

    def claim_minimum(self) -> int:
        return QFontMetrics(self.table.font()).horizontalAdvance(CLAIM_SAMPLE) + self.padding()

    def _wanted(self, column: int) -> int:
        if column in self._user_widths:
            return self._user_widths[column]
        title = COLUMNS[column].title
        wanted = max(self.title_width(column), self._content[column] + self.padding())
        widest = FLEXIBLE.get(title, (0, CAPS.get(title, wanted)))[1]
        return max(min(wanted, widest), self.claim_minimum() if column == CLAIM_COLUMN else 0)

    def _least(self, column: int, wanted: int) -> int:
        title = COLUMNS[column].title
        if column in self._user_widths or title not in FLEXIBLE:
            return wanted
        narrowest = self.claim_minimum() if column == CLAIM_COLUMN else FLEXIBLE[title][0]
        return min(narrowest, wanted)

    def _resized(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and new > 0 and not self.header.isSectionHidden(column):  # 0: being hidden
            self._user_widths[column] = new  # sized by hand: kept while the rest refit



def _share(wanted: dict[int, int], least: dict[int, int], room: int, *, grow: int,
           give_way: list[list[int]]) -> dict[int, int]:
    """Widths that fill `room`: extra room goes to `grow`; a shortfall is taken group by group
    (`give_way`), within a group from the widest first (they end equally wide), never under `least`."""
    widths = dict(wanted)
    total = sum(widths.values())
    if total <= room:
        widths[grow] += room - total
        return widths
    short = total - room
    for group in give_way:
        if short <= 0 or not group:
            break
        before = sum(widths[c] for c in group)
        widths.update(_level(group, widths, least, before - short))
        short -= before - sum(widths[c] for c in group)
    return widths


def _level(group: list[int], widths: dict[int, int], least: dict[int, int], room: int) -> dict[int, int]:
    """Cut the group's widest columns down to one level so the group fits `room` (as nearly as
    whole pixels and the narrowest widths allow)."""
    level = max(widths[c] for c in group)
    while level > 0 and sum(max(least[c], min(widths[c], level)) for c in group) > room:
        level -= 1
    return {c: max(least[c], min(widths[c], level)) for c in group}
