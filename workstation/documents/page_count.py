"""A reportlab canvas that knows how many pages there are before it writes each page's footer
("page N of M"): pages are kept until `save`, then finished in order."""

from __future__ import annotations

from typing import Any

from reportlab.pdfgen.canvas import Canvas


class CountingCanvas(Canvas):
    """Subclasses draw their footer in `finish_page(number, total)`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.finish_page(number, total)
            super().showPage()
        super().save()

    def finish_page(self, number: int, total: int) -> None:
        """Draw what needs the page count on page `number` of `total`."""
