"""Bar and line charts for the Reports view, drawn with QPainter.

Why by hand: QtCharts needs PySide6-Addons (a 175 MB wheel against the 0 MB of what we already
ship), pyqtgraph needs numpy (1.9 MB + 17 MB wheels, and numpy's import on every start), and
matplotlib is 10 MB + numpy with its own look. The Reports view needs labelled horizontal bars
that can be clicked and one line by month: about a hundred lines of painting, instant to start,
in the window's own font and colours.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#4a7ab5")
BAR_HOVER = QColor("#2c5a94")
GRID = QColor("#d0d5db")
TEXT = QColor("#1f2933")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as printed beside the bar ("$1,240.00 · 3 claims")
    cases: tuple[str, ...] = field(default_factory=tuple)  # case ids behind the bar (drill-down)
    tooltip: str = ""


class BarChart(QWidget):
    """Horizontal bars, largest first as given; a click on a bar emits `chosen(bar)`."""

    chosen = Signal(object)
    ROW, GAP = 22, 4

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title
        self.bars: list[Bar] = []
        self._hover = -1
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = bars
        self._hover = -1
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, self._top() + max(len(self.bars), 1) * (self.ROW + self.GAP) + 6)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, self.sizeHint().height())

    def _top(self) -> int:
        return QFontMetrics(self.font()).height() + 8

    def _label_width(self) -> int:
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(b.label) for b in self.bars), default=0)
        return min(widest + 10, self.width() // 3)

    def bar_rect(self, index: int) -> QRectF:
        """Where bar `index` is drawn (tests click it)."""
        label_width, value_width = self._label_width(), self._value_width()
        room = max(self.width() - label_width - value_width - 16, 10)
        biggest = max((b.value for b in self.bars), default=0) or 1
        length = max(room * self.bars[index].value / biggest, 2)
        top = self._top() + index * (self.ROW + self.GAP)
        return QRectF(label_width, top, length, self.ROW)

    def _value_width(self) -> int:
        metrics = QFontMetrics(self.font())
        return max((metrics.horizontalAdvance(b.shown) for b in self.bars), default=0) + 8

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(TEXT)
        bold = self.font()
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(QRectF(0, 0, self.width(), self._top()), Qt.AlignmentFlag.AlignLeft, self.title)
        painter.setFont(self.font())
        if not self.bars:
            painter.drawText(QRectF(0, self._top(), self.width(), self.ROW), Qt.AlignmentFlag.AlignLeft,
                             "Nothing in this period.")
            return
        metrics = QFontMetrics(self.font())
        label_width = self._label_width()
        for index, bar in enumerate(self.bars):
            rect = self.bar_rect(index)
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.setPen(TEXT)
            painter.drawText(QRectF(0, rect.top(), label_width - 6, rect.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            painter.fillRect(rect, BAR_HOVER if index == self._hover else BAR)
            painter.drawText(QRectF(rect.right() + 6, rect.top(), self.width(), rect.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, bar.shown)

    def _index_at(self, x: float, y: float) -> int:
        for index in range(len(self.bars)):
            rect = self.bar_rect(index)
            if rect.top() <= y <= rect.bottom() and 0 <= x <= self.width():
                return index
        return -1

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self._index_at(event.position().x(), event.position().y())
        if index != self._hover:
            self._hover = index
            self.setCursor(Qt.CursorShape.PointingHandCursor if index >= 0 else Qt.CursorShape.ArrowCursor)
            self.setToolTip(self.bars[index].tooltip if index >= 0 else "")
            self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self._index_at(event.position().x(), event.position().y())
        if index >= 0 and event.button() == Qt.MouseButton.LeftButton:
            self.chosen.emit(self.bars[index])


class LineChart(QWidget):
    """One line of values by month, with each point's value printed above it."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title
        self.points: list[tuple[str, float, str]] = []  # (month, value, shown)
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_points(self, points: list[tuple[str, float, str]]) -> None:
        self.points = points
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 170)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        top = metrics.height() + 8
        bold = self.font()
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(TEXT)
        painter.drawText(QRectF(0, 0, self.width(), top), Qt.AlignmentFlag.AlignLeft, self.title)
        painter.setFont(self.font())
        if not self.points:
            painter.drawText(QRectF(0, top, self.width(), 20), Qt.AlignmentFlag.AlignLeft, "Nothing in this period.")
            return
        plot = QRectF(30, top + metrics.height() + 4, self.width() - 60, self.height() - top - 2.5 * metrics.height())
        painter.setPen(QPen(GRID, 1))
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        biggest = max(v for _m, v, _s in self.points) or 1
        step = plot.width() / max(len(self.points) - 1, 1)
        spots = [QPointF(plot.left() + n * step if len(self.points) > 1 else plot.center().x(),
                         plot.bottom() - plot.height() * value / biggest)
                 for n, (_m, value, _s) in enumerate(self.points)]
        painter.setPen(QPen(BAR, 2))
        for a, b in itertools.pairwise(spots):
            painter.drawLine(a, b)
        painter.setPen(TEXT)
        for spot, (month, _value, shown) in zip(spots, self.points, strict=True):
            painter.setBrush(BAR)
            painter.drawEllipse(spot, 3, 3)
            painter.drawText(QRectF(spot.x() - 50, spot.y() - metrics.height() - 4, 100, metrics.height()),
                             Qt.AlignmentFlag.AlignHCenter, shown)
            painter.drawText(QRectF(spot.x() - 40, plot.bottom() + 2, 80, metrics.height()),
                             Qt.AlignmentFlag.AlignHCenter, month)
