"""WorklistModel: the cases of a workspace as table rows, and the proxy that filters them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from workstation.core.deadlines import URGENCY_HELP, DeadlineKind, urgency
from workstation.core.money import dollars
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import Status

SORT_ROLE = Qt.ItemDataRole.UserRole
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[CaseSummary, date], str]
    sort_key: Callable[[CaseSummary, date], Any]
    align_right: bool = False
    shown: bool = True  # shown unless the biller hides it (header menu); False: offered there only


def _status_text(row: CaseSummary, _today: date) -> str:
    return "Cannot open" if row.problem else Status(row.status).label


def _age(row: CaseSummary, today: date) -> int:
    age = row.age_days(today)
    return -1 if age is None else age


def _days_left(row: CaseSummary) -> int | None:
    return row.deadline.days_left if row.deadline else None


def _days_sort(row: CaseSummary) -> int:
    """Unknown deadlines first, then fewest days left; settled cases last."""
    if row.deadline is None:
        return 10**6
    if row.deadline.days_left is None:
        return -(10**6)
    return row.deadline.days_left


def _days_text(row: CaseSummary, _today: date) -> str:
    d = row.deadline
    if d is None:
        return ""
    if d.kind is DeadlineKind.UNKNOWN:
        return "unknown"
    if d.days_left is None:
        return ""
    return f"{d.days_left} (f/u)" if d.kind is DeadlineKind.FOLLOW_UP else str(d.days_left)  # days to follow up


def _send_by(row: CaseSummary, _today: date) -> str:
    d = row.deadline
    when = d.reminder_date if d else None
    return when.isoformat() if when else ""


def _priority(row: CaseSummary, _today: date) -> float:
    return urgency(float(row.amount_at_stake), row.deadline)


def _priority_text(row: CaseSummary, today: date) -> str:
    value = _priority(row, today)
    if value == float("inf"):
        return "date?"
    if value >= 1e6:
        return "overdue"
    return f"{value:,.0f}" if value >= 0 else ""


COLUMNS: tuple[Column, ...] = (
    Column("Priority", _priority_text, _priority, True, shown=False),
    Column("Days left", _days_text, lambda r, _t: _days_sort(r), True),
    Column("Patient", lambda r, _t: r.patient or r.path.name, lambda r, _t: (r.patient or r.path.name).casefold()),
    Column("Payer", lambda r, _t: r.payer, lambda r, _t: r.payer.casefold()),
    Column("Claim number", lambda r, _t: r.claim_number, lambda r, _t: r.claim_number),
    Column("Denial reason", lambda r, _t: r.problem or r.reason_text, lambda r, _t: r.reason_text.casefold()),
    Column("At stake", lambda r, _t: dollars(r.amount_at_stake), lambda r, _t: float(r.amount_at_stake), True),
    Column("Status", _status_text, lambda r, t: _status_text(r, t)),
    Column("Assignee", lambda r, _t: r.assignee, lambda r, _t: r.assignee),
    Column("Review", lambda r, _t: r.review_text,
           lambda r, _t: r.review_done / r.review_total if r.review_total else -1.0, True, shown=False),
    Column("Send by", _send_by, lambda r, t: _send_by(r, t) or "9999", shown=False),
    Column("Age (days)", lambda r, t: "" if r.age_days(t) is None else str(r.age_days(t)), _age, True, shown=False),
)
URGENCY_COLUMN = 0
DAYS_LEFT_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.title == "Days left")
CLAIM_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.title == "Claim number")
#: Columns whose full text is their own tooltip (they are cut to fit the window).
_OWN_TOOLTIP = {i for i, c in enumerate(COLUMNS) if c.title in ("Patient", "Payer", "Claim number", "Status")}

DAYS_LEFT_HELP = ("Days left before the send-by date; \"(f/u)\": days to the follow-up with the payer, the "
                  "case having been sent. Red: overdue or the date is unknown; orange: within 7 days; yellow: "
                  "within 30.")

_RED, _ORANGE, _YELLOW = QColor("#f8d7da"), QColor("#ffe0b2"), QColor("#fff8c4")


def urgency_colour(row: CaseSummary) -> QColor | None:
    """Overdue red, within 7 days orange, within 30 days yellow (unknown dates red too)."""
    d = row.deadline
    if d is None:
        return None
    if d.kind is DeadlineKind.UNKNOWN:
        return _RED
    if d.days_left is None:
        return None
    if d.days_left < 0:
        return _RED
    if d.days_left <= 7:
        return _ORANGE
    return _YELLOW if d.days_left <= 30 else None

_PROBLEM_BRUSH = QBrush(QColor("#b3261e"))


class WorklistModel(QAbstractTableModel):
    """Rows are CaseSummary values; the model never touches files itself."""

    def __init__(self, rows: list[CaseSummary] | None = None, *, today: date | None = None) -> None:
        super().__init__()
        self._rows: list[CaseSummary] = list(rows or [])
        self._today = today or date.today()
        self._positions: dict[Path, int] = {}  # path -> row, rebuilt when rows are set or sorted
        self._index_positions()

    def _index_positions(self) -> None:
        self._positions = {row.path: position for position, row in enumerate(self._rows)}

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row, self._today)
        if role == SORT_ROLE:
            return column.sort_key(row, self._today)
        if role == SUMMARY_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and row.problem:
            return _PROBLEM_BRUSH
        if role == Qt.ItemDataRole.BackgroundRole and index.column() in (URGENCY_COLUMN, DAYS_LEFT_COLUMN):
            colour = urgency_colour(row)
            return QBrush(colour) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, index.column())
        return None

    def _tooltip(self, row: CaseSummary, column: int) -> str | None:
        """The deadline's basis on the urgency columns; a cut name or claim number in full; else the reason."""
        if column in (URGENCY_COLUMN, DAYS_LEFT_COLUMN) and row.deadline:
            return f"{row.deadline.basis}\n\n{URGENCY_HELP}"
        if column in _OWN_TOOLTIP and not row.problem:
            return COLUMNS[column].text(row, self._today) or None
        return row.problem or row.reason_text or None

    def display_text(self, row: CaseSummary, column: int) -> str:
        """What a cell shows, without going through Qt (for fitting columns and printing)."""
        return COLUMNS[column].text(row, self._today)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.ToolTipRole and horizontal and section == URGENCY_COLUMN:
            return URGENCY_HELP
        if role == Qt.ItemDataRole.ToolTipRole and horizontal and section == DAYS_LEFT_COLUMN:
            return f"{DAYS_LEFT_HELP}\n\n{URGENCY_HELP}"
        return None

    # -- changes from outside ----------------------------------------------------------------

    def set_rows(self, rows: list[CaseSummary], *, column: int | None = None,
                 order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Every row anew, sorted by `column` when given: sorting inside the reset spares the
        proxy a second pass over every row (10,000 at start-up) for the layout change."""
        self.beginResetModel()
        self._rows = list(rows)
        if column is not None and 0 <= column < len(COLUMNS):
            key = COLUMNS[column].sort_key
            self._rows.sort(key=lambda row: key(row, self._today), reverse=order == Qt.SortOrder.DescendingOrder)
        self._index_positions()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python with precomputed keys: a proxy calling data() per comparison takes
        about a second for 10,000 rows, this takes milliseconds."""
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column].sort_key
        self.layoutAboutToBeChanged.emit()
        before = {id(row): position for position, row in enumerate(self._rows)}
        self._rows.sort(key=lambda row: key(row, self._today), reverse=order == Qt.SortOrder.DescendingOrder)
        moved = {before[id(row)]: position for position, row in enumerate(self._rows)}
        self._index_positions()
        old = self.persistentIndexList()
        self.changePersistentIndexList(old, [self.index(moved[i.row()], i.column()) for i in old])
        self.layoutChanged.emit()

    def rows(self) -> list[CaseSummary]:
        return list(self._rows)

    def row_at(self, position: int) -> CaseSummary:
        """A row without going through Qt (the filter asks for every row: ~5 us a call through Qt)."""
        return self._rows[position]

    def row_of(self, path: Path) -> int:
        return self._positions.get(Path(path), -1)

    def update_row(self, summary: CaseSummary) -> None:
        """Replace one case's row after an edit (or add it when new)."""
        position = self.row_of(summary.path)
        if position < 0:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
            self._rows.append(summary)
            self._positions[summary.path] = len(self._rows) - 1
            self.endInsertRows()
            return
        self._rows[position] = summary
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(COLUMNS) - 1))


OPEN_CASES = "open"


class WorklistFilter(QSortFilterProxyModel):
    """Filters by status (or all open cases), payer and free text; sorts on raw values."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self._status = ""
        self._payer = ""
        self._text = ""
        self._assignee = ""
        self._due = ""
        self._cases: frozenset[str] | None = None  # only these case ids (a drill-down from Reports)
        #: each row's searchable text, made once (10,000 rows, one pass per key typed), by the
        #: row's id with the row itself kept to check it is the same; emptied when the rows are set
        self._haystacks: dict[int, tuple[CaseSummary, str]] = {}
        self.modelReset.connect(self._haystacks.clear)

    def set_cases(self, case_ids: frozenset[str] | None) -> None:
        """Only the cases with these ids, or every case again (None)."""
        self._change_filter("_cases", case_ids)

    def set_status(self, status: str) -> None:
        self._change_filter("_status", status)

    def set_payer(self, payer: str) -> None:
        self._change_filter("_payer", payer)

    def set_assignee(self, login: str) -> None:
        """Only this user's cases ("My cases"); empty for everyone's."""
        self._change_filter("_assignee", login)

    def set_due(self, mode: str) -> None:
        """"overdue", "week" (7 days), "month" (30 days) or "" for every case."""
        self._change_filter("_due", mode)

    def set_text(self, text: str) -> None:
        self._change_filter("_text", text.strip().casefold())

    def _change_filter(self, name: str, value: object) -> None:
        """Set one filter and filter again; a filter set to what it already is costs nothing (the
        payer list is refilled after every load: a pass over 10,000 rows for no change).
        Qt 6.10 replaced invalidateRowsFilter() with begin/endFilterChange()."""
        if getattr(self, name) == value:
            return
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            setattr(self, name, value)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # older Qt
            setattr(self, name, value)
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        return self.accepts(self.sourceModel().row_at(source_row))

    def shown_rows(self) -> list[CaseSummary]:
        """The rows shown, in the order shown, without a Qt call per row: the model sorts itself and
        this proxy only filters, so its rows are the accepted ones in the model's order."""
        return [row for row in self.sourceModel().rows() if self.accepts(row)]

    def accepts(self, row: CaseSummary) -> bool:
        """Whether the filters let this row through."""
        if self._cases is not None and row.case_id not in self._cases:
            return False
        if self._status == OPEN_CASES:
            if row.status and not Status(row.status).is_open:
                return False
        elif self._status and row.status != self._status:
            return False
        if self._payer and row.payer != self._payer:
            return False
        if self._assignee and row.assignee != self._assignee:
            return False
        if self._due and not _due_matches(row, self._due):
            return False
        return not self._text or self._text in self._haystack(row)

    def _haystack(self, row: CaseSummary) -> str:
        kept = self._haystacks.get(id(row))
        if kept is None or kept[0] is not row:
            kept = self._haystacks[id(row)] = (row, _haystack(row))
        return kept[1]


DUE_LIMITS = {"overdue": -1, "week": 7, "month": 30}


def _due_matches(row: CaseSummary, mode: str) -> bool:
    d = row.deadline
    if d is None:
        return False
    if d.kind is DeadlineKind.UNKNOWN:
        return True  # never hidden: the date must be entered
    return d.days_left is not None and d.days_left <= DUE_LIMITS[mode]


def _haystack(row: CaseSummary) -> str:
    parts = (row.patient, row.payer, row.claim_number, row.account_number, row.reason_text,
             " ".join(row.reasons), row.assignee, row.path.name)
    return " ".join(parts).casefold()
