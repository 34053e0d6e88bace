"""The Help menu: the user guide (offline), the keyboard shortcuts the window really has, the
log folder, and About (the version and the licences of everything bundled with the program)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, qVersion
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QImage,
    QKeySequence,
    QPixmap,
    QShortcut,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workstation.core.resources import data_root
from workstation.gui.widgets import plain_label
from workstation.ops.about import OUR_LICENCE, Bundled, bundled_software, fonts_licence, python_runtime, version
from workstation.ops.logs import log_dir
from workstation.ops.user_config import config_dir

GUIDE_NAME = "user-guide.md"
GUIDE_IMAGE_WIDTH = 700


def install_help_menu(window: QMainWindow) -> QMenu:
    """Add "&Help" to the window's menu bar (after the others) and return it."""
    menu = window.menuBar().addMenu("&Help")
    menu.setObjectName("help_menu")
    helper = HelpActions(window, menu)
    _add(menu, "&User guide", helper.show_guide, QKeySequence.StandardKey.HelpContents, "help_guide")
    _add(menu, "&Keyboard shortcuts…", helper.show_shortcuts, None, "help_shortcuts")
    _add(menu, "Open the &log folder", helper.open_log_folder, None, "help_logs")
    menu.addSeparator()
    _add(menu, "&About the Appeal Workstation…", helper.show_about, None, "help_about")
    return menu


def _add(menu: QMenu, text: str, slot, keys: QKeySequence.StandardKey | None, name: str) -> QAction:
    action = QAction(text, menu)
    action.setObjectName(name)
    if keys is not None:
        action.setShortcut(QKeySequence(keys))
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


class HelpActions(QObject):
    """What the Help menu's entries do; keeps the windows it opens alive."""

    def __init__(self, window: QMainWindow, menu: QMenu) -> None:
        super().__init__(menu)
        self.setObjectName("help_actions")
        self.window = window
        self.guide: QDialog | None = None
        self.shortcuts: QDialog | None = None
        self.about: QDialog | None = None

    def show_guide(self) -> None:
        path = user_guide_path()
        if path is None:
            QMessageBox.information(self.window, "User guide", "The user guide is not installed with this copy of "
                                    f"the program (it is {GUIDE_NAME} in the docs folder of the source).")
            return
        if self.guide is None:
            self.guide = guide_window(path, self.window)
        if self.guide.isVisible():
            self.guide.raise_()  # already open behind the window: bring it forward
        self.guide.show()

    def show_shortcuts(self) -> None:
        self.shortcuts = shortcuts_dialog(window_shortcuts(self.window), self.window)
        self.shortcuts.show()

    def show_about(self) -> None:
        self.about = about_dialog(self.window)
        self.about.show()

    def open_log_folder(self) -> None:
        """Open the folder the log is written to (made first, so there is something to open)."""
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


# -- the user guide ------------------------------------------------------------------------------

def user_guide_path() -> Path | None:
    """docs/user-guide.md beside resources/ (a checkout, the wheel's _data, a frozen build)."""
    path = data_root() / "docs" / GUIDE_NAME
    return path if path.is_file() else None


def guide_window(path: Path, parent: QWidget) -> QDialog:
    """The guide in a window of its own, read from the Markdown file with its screenshots."""
    dialog = QDialog(parent)
    dialog.setObjectName("user_guide")
    dialog.setWindowTitle("Appeal Workstation — User guide")
    browser = QTextBrowser()
    browser.setObjectName("guide_text")
    browser.setOpenExternalLinks(True)
    browser.setSearchPaths([str(path.parent)])
    browser.setSource(QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource)
    _fit_images(browser.document(), GUIDE_IMAGE_WIDTH)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    room = parent.screen().availableGeometry() if parent.screen() else None
    dialog.resize(min(980, room.width() - 40) if room else 980, min(720, room.height() - 80) if room else 720)
    return dialog


def _fit_images(document: QTextDocument, widest: int) -> None:
    """Show each screenshot at most `widest` pixels wide (Markdown cannot say a width)."""
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            form = fragment.charFormat()
            if form.isImageFormat():
                _shrink(document, fragment.position(), form.toImageFormat(), widest)
            iterator += 1
        block = block.next()


def _shrink(document: QTextDocument, position: int, image: QTextImageFormat, widest: int) -> None:
    picture = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(image.name()))
    width = picture.width() if isinstance(picture, QImage | QPixmap) else 0
    if width <= widest:
        return
    image.setWidth(widest)
    image.setHeight(picture.height() * widest / width)
    cursor = QTextCursor(document)
    cursor.setPosition(position)
    cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
    cursor.setCharFormat(image)


# -- keyboard shortcuts --------------------------------------------------------------------------

@dataclass(frozen=True)
class Shortcut:
    keys: str
    what: str
    where: str


def window_shortcuts(window: QWidget) -> list[Shortcut]:
    """Every shortcut the window has right now: its actions' (menus), its buttons' and QShortcuts'."""
    areas = [(part, label) for name, label in (("case_view", "Case"), ("worklist", "Worklist"))
             if isinstance(part := getattr(window, name, None), QWidget)]
    found: set[Shortcut] = set()
    for action in window.findChildren(QAction):
        keys = _keys(action.shortcuts())
        if keys and action.text():
            where = _menu_of(action) or _place_of(action.parent(), areas)
            found.add(Shortcut(keys, _clean(action.text(), keys), where))
    for button in window.findChildren(QAbstractButton):
        keys = _keys([button.shortcut()])
        if keys:
            found.add(Shortcut(keys, _clean(button.text() or button.toolTip(), keys), _place_of(button, areas)))
    for shortcut in window.findChildren(QShortcut):
        keys = _keys(shortcut.keys())
        if keys:
            what = shortcut.whatsThis() or shortcut.objectName()
            found.add(Shortcut(keys, what, _place_of(shortcut.parent(), areas)))
    bar = window.findChild(QMenuBar)
    order = [f"{_clean(a.text(), '')} menu" for a in bar.actions()] if bar is not None else []
    order += ["Worklist", "Case"]
    return sorted(found, key=lambda s: (_rank(s.where, order), s.where, s.what))


def _rank(where: str, order: list[str]) -> int:
    area = where.split(":")[0]
    return order.index(area) if area in order else len(order)


def _keys(sequences: list[QKeySequence]) -> str:
    return " or ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in sequences if not k.isEmpty())


def _clean(text: str, keys: str) -> str:
    """A label without its mnemonic, ellipsis or key hint ("Log a call… (Ctrl+L)" reads "Log a call")."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    text = re.sub(rf"\s*\({re.escape(keys)}\)", "", text)
    return text.replace("…", "").strip()


def _menu_of(action: QAction) -> str:
    menus = [o for o in action.associatedObjects() if isinstance(o, QMenu) and o.title()]
    return f"{_clean(menus[0].title(), '')} menu" if menus else ""


def _place_of(widget: QObject | None, areas: list[tuple[QWidget, str]]) -> str:
    """Where a widget sits: the window's part holding it and its tabs ("Case: Review tab")."""
    tabs: list[str] = []
    area = ""
    while isinstance(widget, QWidget):
        area = area or next((label for part, label in areas if part is widget), "")
        stack = widget.parentWidget()
        if isinstance(stack, QStackedWidget) and isinstance(stack.parentWidget(), QTabWidget):
            tab_widget = stack.parentWidget()
            tabs.append(_clean(tab_widget.tabText(tab_widget.indexOf(widget)), ""))
        widget = stack
    area = area or "Window"
    return f"{area}: {' › '.join(reversed(tabs))} tab" if tabs else area


def shortcuts_dialog(shortcuts: list[Shortcut], parent: QWidget) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName("shortcuts_dialog")
    dialog.setWindowTitle("Keyboard shortcuts")
    table = QTableWidget(len(shortcuts), 3)
    table.setObjectName("shortcuts_table")
    table.setHorizontalHeaderLabels(["Keys", "What it does", "Where"])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    for row, shortcut in enumerate(shortcuts):
        for column, text in enumerate((shortcut.keys, shortcut.what, shortcut.where)):
            table.setItem(row, column, QTableWidgetItem(text))
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    close.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(plain_label("Alt with the underlined letter opens a menu; Tab moves between fields."))
    layout.addWidget(close)
    dialog.resize(620, min(120 + 32 * len(shortcuts), 640))
    return dialog


# -- about ---------------------------------------------------------------------------------------

def about_dialog(parent: QWidget) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName("about_dialog")
    dialog.setWindowTitle("About the Appeal Workstation")
    text = QTextBrowser()
    text.setObjectName("about_text")
    text.setOpenExternalLinks(True)
    text.setMarkdown(about_text())
    close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    close.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(close)
    dialog.resize(640, 560)
    return dialog


def about_text() -> str:
    """The version, where the program keeps its files, and every bundled piece with its licence."""
    rows = [Bundled("Qt (through PySide6)", qVersion(), "LGPL-3.0"), python_runtime()]
    fonts = fonts_licence()
    if fonts:
        rows.append(Bundled("DejaVu fonts (letters and packets)", "", f"Bitstream Vera licence ({fonts})"))
    libraries = bundled_software()
    table = "\n".join(f"| {r.name} | {r.version} | {r.licence} |" for r in [*rows, *libraries])
    missing = "" if libraries else "\n\nThis copy carries no package metadata, so its libraries cannot be listed."
    return (f"# Appeal Workstation {version()}\n\n"
            "Case files, a worklist and appeal letters for insurance claim denials, kept on this computer: "
            "nothing is sent anywhere.\n\n"
            f"Our own code is under the {OUR_LICENCE} licence. Qt and PySide6 are used under the GNU LGPL "
            "version 3: they are separate libraries in the install, and may be replaced by another build of "
            "the same version.\n\n"
            f"Settings: `{config_dir()}`  \nLogs: `{log_dir()}`\n\n"
            "## Bundled software\n\n| Software | Version | Licence |\n|---|---|---|\n" + table + missing)
