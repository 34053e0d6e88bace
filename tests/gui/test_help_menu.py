"""Help menu on the real window: the guide opens offline, shortcuts come from the window itself,
About tells the version `workstation --version` prints and the licences, the log folder opens."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QDialog, QTableWidget, QTextBrowser

from workstation.gui.help_menu import install_help_menu, user_guide_path
from workstation.gui.main_window import MainWindow
from workstation.ops.about import bundled_software
from workstation.ops.logs import log_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot) -> MainWindow:
    main = MainWindow()
    qtbot.addWidget(main)
    install_help_menu(main)
    main.show()
    return main


def _trigger(window: MainWindow, name: str) -> None:
    action = window.findChild(QAction, name)
    assert action is not None, name
    action.trigger()


def _rows(window: MainWindow) -> list[tuple[str, str, str]]:
    table = window.findChild(QDialog, "shortcuts_dialog").findChild(QTableWidget, "shortcuts_table")
    return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]


def test_help_is_the_last_menu_with_its_four_entries(window) -> None:
    menus = window.menuBar().actions()
    assert menus[-1].text() == "&Help"
    entries = [a.text() for a in menus[-1].menu().actions() if not a.isSeparator()]
    assert entries == ["&User guide", "&Keyboard shortcuts…", "Open the &log folder", "&About the Appeal Workstation…"]


def test_the_shortcuts_listed_are_the_windows_own(window) -> None:
    _trigger(window, "help_shortcuts")
    rows = _rows(window)
    assert ("Ctrl+Z", "Undo", "Edit menu") in rows
    assert ("Ctrl+I", "Import remittance", "File menu") in rows
    assert ("Ctrl+L", "Log a call", "Case: Calls tab") in rows
    assert ("F1", "User guide", "Help menu") in rows
    assert rows.index(("Ctrl+I", "Import remittance", "File menu")) < rows.index(("Ctrl+Z", "Undo", "Edit menu"))


def test_a_shortcut_added_to_the_window_is_listed_and_a_removed_one_is_not(window) -> None:
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    extra = edit_menu.addAction("Select &all cases")
    extra.setShortcut(QKeySequence("Ctrl+Shift+A"))
    window.import_action.setShortcut(QKeySequence())
    _trigger(window, "help_shortcuts")
    rows = _rows(window)
    assert ("Ctrl+Shift+A", "Select all cases", "Edit menu") in rows
    assert not [r for r in rows if r[1] == "Import remittance"]


def test_about_shows_the_one_version_and_the_bundled_licences(window) -> None:
    import workstation

    printed = workstation.__version__
    assert metadata.version("appeal-workstation") == printed  # pyproject says the same
    _trigger(window, "help_about")
    text = window.findChild(QDialog, "about_dialog").findChild(QTextBrowser, "about_text").toPlainText()
    assert f"Appeal Workstation {printed}" in text
    assert "Qt (through PySide6)" in text and "LGPL-3.0" in text and "DejaVu fonts" in text
    libraries = {re.sub(r"[-_.]+", "-", row.name).lower(): row for row in bundled_software()}
    for name in ("pyside6-essentials", "jinja2", "reportlab", "sqlite-utils", "pypdf", "platformdirs", "pillow"):
        row = libraries[name]
        assert f"{row.name}\n{row.version}\n{row.licence}" in text
    assert libraries["reportlab"].licence == "BSD License"  # from its classifiers: its License field is prose
    assert libraries["sqlite-utils"].licence == "Apache-2.0"  # its License-Expression


def test_the_user_guide_opens_from_the_docs_folder(window) -> None:
    assert user_guide_path() == ROOT / "docs" / "user-guide.md"
    _trigger(window, "help_guide")
    guide = window.findChild(QDialog, "user_guide")
    assert guide.isVisible()
    text = guide.findChild(QTextBrowser, "guide_text").toPlainText()
    assert "Deadlines" in text and "Backups" in text


class _Opened(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_open_the_log_folder_opens_where_the_log_is_written(window) -> None:
    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        _trigger(window, "help_logs")
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [Path(u.toLocalFile()) for u in opened.urls] == [log_dir()]
    assert log_dir().is_dir()
