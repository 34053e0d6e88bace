"""A PDF shown as a scrollable column of its pages, rendered off the GUI thread, with zoom:
buttons for smaller, larger and fit to the width, and Ctrl+= / Ctrl+- (Ctrl+0 fits the width)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QResizeEvent, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget

from workstation.core.errors import UserError
from workstation.gui.widgets import plain_label
from workstation.gui.workers import BackgroundTask
from workstation.ops.evidence import render_pdf_pages

#: A letter-size page (8.5 in) at 100 %, 96 pixels an inch.
PAGE_WIDTH_AT_100 = 816
ZOOM_STEPS = (0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
MAX_PAGES = 60  # a letter is a few pages; a runaway one is not drawn whole
MARGIN = 16


class PagePreview(QWidget):
    """Every page of the PDF it is given, one under the other; `shown` once they are drawn."""

    shown = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.zoom: float | None = None  # None: fit the width
        self.pdf: bytes | None = None
        self.page_count = 0
        self.renderer: BackgroundTask | None = None
        self._busy = False  # a render is on its way (its thread may linger a moment after it reports)
        self._pending: Callable[[], bytes] | None = None
        self._build()
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(150)
        self._refit.timeout.connect(self._render_again)

    def _build(self) -> None:
        self.zoom_label = QLabel("Fit width")
        self.zoom_label.setObjectName("preview_zoom")
        bar = QHBoxLayout()
        for name, text, tip, slot in (("zoom_out", "−", "Smaller (Ctrl+-)", self.zoom_out),
                                      ("zoom_in", "+", "Larger (Ctrl+=)", self.zoom_in),
                                      ("fit_width", "Fit width", "Fit the page to the width (Ctrl+0)",
                                       self.fit_width)):
            button = QToolButton()
            button.setText(text)
            button.setObjectName(f"preview_{name}")
            button.setToolTip(tip)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addWidget(self.zoom_label)
        bar.addStretch(1)
        self.message = plain_label("The preview appears here.")
        self.message.setObjectName("preview_message")
        self.column = QVBoxLayout()
        self.column.setSpacing(MARGIN)
        self.column.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        inner = QWidget()
        inner.setObjectName("preview_pages")
        inner.setStyleSheet("#preview_pages { background: #8a8f96; }")
        inner.setLayout(self.column)
        self.column.addWidget(self.message, 0, Qt.AlignmentFlag.AlignHCenter)
        self.column.addStretch(1)
        self.area = QScrollArea()
        self.area.setObjectName("preview_area")
        self.area.setWidgetResizable(True)
        self.area.setWidget(inner)
        self.area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.labels: list[QLabel] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.area, 1)
        for keys, slot in (("Ctrl+=", self.zoom_in), ("Ctrl++", self.zoom_in), ("Ctrl+-", self.zoom_out),
                           ("Ctrl+0", self.fit_width)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- what is shown -----------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        """A sentence instead of pages (nothing to preview yet, or why not)."""
        self.message.setText(text)
        self.message.show()
        for label in self.labels:
            label.hide()

    def show_pdf(self, make_pdf: Callable[[], bytes]) -> None:
        """Build the PDF (`make_pdf`) and draw its pages on a worker thread; typing never waits.
        A request made while one runs is done next, once (the newest wins)."""
        if self._busy:
            self._pending = make_pdf
            return
        self._busy = True
        width = self._page_width()
        self.renderer = BackgroundTask(lambda **_kw: _pages(make_pdf(), width))
        self.renderer.finished.connect(self._show_pages)
        self.renderer.failed.connect(self._failed)
        self.renderer.start()

    def pixmap(self, page: int = 0) -> QPixmap:
        """The picture of a page as shown (an empty one before the first is drawn)."""
        return self.labels[page].pixmap() if page < len(self.labels) else QPixmap()

    def _show_pages(self, result: tuple[bytes, list]) -> None:
        if self._pending is not None:  # something newer was asked for meanwhile: draw that instead
            self._next()
            return
        self.pdf, pages = result
        self.page_count = len(pages)
        while len(self.labels) < len(pages):
            label = QLabel()
            label.setObjectName(f"preview_page_{len(self.labels) + 1}")
            self.column.insertWidget(self.column.count() - 1, label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.labels.append(label)
        for number, label in enumerate(self.labels):
            if number < len(pages):
                page = pages[number]
                image = QImage(page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGB888)
                label.setPixmap(QPixmap.fromImage(image.copy()))
                label.setToolTip(f"Page {number + 1} of {len(pages)}")
            label.setVisible(number < len(pages))
        self.message.hide()
        self._show_zoom()
        self._next()
        self.shown.emit()

    def _failed(self, error: object) -> None:
        self._next()
        if not isinstance(error, UserError):
            raise error  # a bug: the bug-report hook shows it
        self.show_message(str(error))

    def _next(self) -> None:
        self._busy = False
        pending, self._pending = self._pending, None
        if pending is not None:
            self.show_pdf(pending)

    # -- zoom --------------------------------------------------------------------------------

    def zoom_in(self) -> None:
        current = self.effective_zoom()
        self._set_zoom(next((step for step in ZOOM_STEPS if step > current + 0.01), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        current = self.effective_zoom()
        self._set_zoom(next((step for step in reversed(ZOOM_STEPS) if step < current - 0.01), ZOOM_STEPS[0]))

    def fit_width(self) -> None:
        self.zoom = None
        self._render_again()

    def effective_zoom(self) -> float:
        return self.zoom if self.zoom is not None else self._fit_width() / PAGE_WIDTH_AT_100

    def _set_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        self._render_again()

    def _page_width(self) -> int:
        return round(PAGE_WIDTH_AT_100 * self.zoom) if self.zoom is not None else self._fit_width()

    def _fit_width(self) -> int:
        """The page width that fits beside the vertical scroll bar, whether or not it shows now."""
        scrollbar = self.area.verticalScrollBar().sizeHint().width()
        return max(self.area.contentsRect().width() - 2 * MARGIN - scrollbar, 200)

    def _show_zoom(self) -> None:
        percent = f"{self.effective_zoom() * 100:.0f} %"
        self.zoom_label.setText(f"Fit width ({percent})" if self.zoom is None else percent)

    def _render_again(self) -> None:
        self._show_zoom()
        if self.pdf is not None:
            pdf = self.pdf
            self.show_pdf(lambda: pdf)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.zoom is None and self.pdf is not None:
            self._refit.start()  # once the resizing stops


def _pages(pdf: bytes, width: int) -> tuple[bytes, list]:
    """Every page of the PDF drawn `width` pixels wide (on the worker thread)."""
    first = render_pdf_pages(pdf, 0, width=width)
    rest = [render_pdf_pages(pdf, number, width=width) for number in range(1, min(first.page_count, MAX_PAGES))]
    return pdf, [first, *rest]
