"""Run under a real X server (Xvfb) by test_xvfb_laptop.py: starts the window as the program does
(`start_window`, the welcome off) on the workspace given, waits until its worklist is loaded,
then prints what fits and what is cut at this screen's size as one JSON line and saves a picture
of the whole screen.

    python tests/gui/xvfb_probe.py WORKSPACE SCREENSHOT.png
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QRect, QTimer
from PySide6.QtGui import QFontDatabase, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox, QStyle, QStyleOptionComboBox, QToolButton

from workstation.gui.app import start_window
from workstation.gui.workers import wait_for_all
from workstation.gui.worklist_model import CLAIM_COLUMN, COLUMNS, SUMMARY_ROLE

#: What a biller needs at a glance (issue 11.6); as tests/gui/test_worklist_fit.py.
MATTERS = ("Patient", "Payer", "Denial reason", "Status", "Days left", "At stake", "Claim number", "Assignee")
CUT_COLUMNS = ("Patient", "Payer", "Claim number", "Denial reason", "Status")


def _rect(rect: QRect) -> list[int]:
    return [rect.x(), rect.y(), rect.width(), rect.height()]


def _cell_room(table, column: int) -> int:
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table)
    return table.horizontalHeader().sectionSize(column) - 2 * (margin + 1)


def _combo_cut(combo: QComboBox) -> dict:
    """Whether the box's current text fits its text field (the style's own edit-field rectangle)."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                         QStyle.SubControl.SC_ComboBoxEditField, combo)
    text = combo.currentText()
    needed = QFontMetrics(combo.font()).horizontalAdvance(text)
    return {"text": text, "field": field.width(), "needed": needed, "cut": needed > field.width()}


def facts(window) -> dict:
    screen = window.screen()
    table = window.worklist.table
    header = table.horizontalHeader()
    metrics = QFontMetrics(table.font())
    rows = [table.model().index(r, 0).data(SUMMARY_ROLE) for r in range(table.model().rowCount())]
    columns = {}
    for title in MATTERS:
        column = next(i for i, c in enumerate(COLUMNS) if c.title == title)
        left = header.sectionViewportPosition(column)
        columns[title] = {"hidden": header.isSectionHidden(column), "left": left, "width": header.sectionSize(column),
                          "in_view": not header.isSectionHidden(column) and left >= 0
                          and left + header.sectionSize(column) <= table.viewport().width()}
    cut = {}
    for title in CUT_COLUMNS:
        column = next(i for i, c in enumerate(COLUMNS) if c.title == title)
        room = _cell_room(table, column)
        texts = [window.worklist.model.display_text(row, column) for row in rows]
        long = [t for t in texts if metrics.horizontalAdvance(t) > room]
        cut[title] = {"room": room, "rows": len(texts), "cut": len(long), "examples": sorted(set(long))[:3]}
    patient = next(i for i, c in enumerate(COLUMNS) if c.title == "Patient")
    surnames = {window.worklist.model.display_text(row, patient).split(",")[0] + "," for row in rows}
    ellipsis = metrics.horizontalAdvance("…")
    cut["Patient"]["surnames_cut"] = sorted(s for s in surnames
                                            if metrics.horizontalAdvance(s) + ellipsis > _cell_room(table, patient))
    tabs = window.case_view.tabs
    bar = tabs.tabBar()
    title = window.case_view.title
    return {
        "platform": QGuiApplication.platformName(),
        "font": [QApplication.font().family(), QApplication.font().pointSizeF()],
        "fonts_installed": len(QFontDatabase.families()),
        "screen": _rect(screen.geometry()),
        "available": _rect(screen.availableGeometry()),
        "frame": _rect(window.frameGeometry()),
        "frame_inside": screen.availableGeometry().contains(window.frameGeometry()),
        "minimum_width": window.minimumSizeHint().width(),
        "status_bar": {"visible": window.statusBar().isVisible(),
                       "inside": screen.geometry().contains(QRect(window.statusBar().mapToGlobal(
                           window.statusBar().rect().topLeft()), window.statusBar().size()))},
        "splitter": window.splitter.sizes(),
        "worklist": {"viewport": table.viewport().width(), "scroll_bar": table.horizontalScrollBar().isVisible(),
                     "scroll_max": table.horizontalScrollBar().maximum(), "columns": columns,
                     "claims_elided": cut["Claim number"]["cut"], "claim_column": CLAIM_COLUMN},
        "cut": cut,
        "filters": {name: _combo_cut(getattr(window.worklist, name))
                    for name in ("due_filter", "status_filter", "payer_filter")},
        "tabs": {"count": tabs.count(), "bar_wants": bar.sizeHint().width(), "room": tabs.width(),
                 "scroll_buttons_shown": any(b.isVisible() for b in bar.findChildren(QToolButton)),
                 "elided": [bar.tabText(i) for i in range(bar.count())
                            if bar.tabRect(i).width() < bar.tabSizeHint(i).width()]},
        "case_title": {"text": title.text(), "height": title.height(),
                       "lines": round(title.height() / max(title.fontMetrics().height(), 1))},
        "case_view_width": window.case_view.width(),
    }


def main(workspace: str, picture: str) -> int:
    app = QApplication(sys.argv[:1])
    window, _none = start_window(workspace, welcome=False)
    done = {"code": 1}

    def report(_count: int) -> None:
        def measure() -> None:
            print(json.dumps(facts(window)), flush=True)
            screen = window.screen()
            shot = screen.grabWindow(0)
            done["code"] = 0 if shot.save(picture, "PNG") else 2
            window.close()
            app.quit()
        QTimer.singleShot(500, measure)  # the layout and the first case settle

    window.worklist_loaded.connect(report)
    QTimer.singleShot(60_000, app.quit)  # never hang a test run
    app.exec()
    wait_for_all()  # as the program does at exit: a thread still running would abort the process
    return done["code"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
