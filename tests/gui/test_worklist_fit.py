"""Issue 11, point 6 (the worklist): at 1366x768 every column that matters is in view without
scrolling sideways, claim numbers are whole, the others are one header menu away, remembered."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from workstation.casefile.case_file import CaseFile
from workstation.gui.main_window import MainWindow
from workstation.gui.worklist_model import COLUMNS, SUMMARY_ROLE

#: What a biller needs at a glance (issue 11.6).
MATTERS = ("Patient", "Payer", "Denial reason", "Status", "Days left", "At stake", "Claim number", "Assignee")
OFFERED = ("Priority", "Review", "Send by", "Age (days)")


def _column(title: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.title == title)


def _laptop_window(qtbot, root: Path) -> MainWindow:
    """The window as on a 1366x768 laptop screen (about 728 pixels below the task bar), split
    as the window splits itself (the case view about 45%)."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    assert window.open_workspace(root)
    expected = len(list((root / "cases").glob("*.appeal")))
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == expected, timeout=10_000)
    return window


def _text_room(table, width: int) -> int:
    """What a cell of this width leaves for its text (the style's margins on each side)."""
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table)
    return width - 2 * (margin + 1)


def _assert_in_view(table, titles) -> None:
    header, room = table.horizontalHeader(), table.viewport().width()
    for title in titles:
        column = _column(title)
        left = header.sectionViewportPosition(column)
        assert not header.isSectionHidden(column), title
        assert left >= 0 and left + header.sectionSize(column) <= room, (title, left, header.sectionSize(column), room)


def test_every_column_that_matters_is_in_view_at_1366x768(qtbot, demo_workspace) -> None:
    window = _laptop_window(qtbot, demo_workspace)
    table = window.worklist.table
    assert 650 < table.viewport().width() < 800  # the splitter gives the worklist about 55%
    _assert_in_view(table, MATTERS)
    assert table.horizontalScrollBar().maximum() == 0  # nothing to scroll to sideways
    header = table.horizontalHeader()
    assert all(header.isSectionHidden(_column(title)) for title in OFFERED)
    metrics = QFontMetrics(table.font())
    claim_width = header.sectionSize(_column("Claim number"))
    for number in ("DEMO7548267588", "ABCDEFGHJK0123", "00000000000000"):  # 14 characters each
        assert metrics.horizontalAdvance(number) <= _text_room(table, claim_width), number
    demo_number = window.worklist.model.rows()[0].claim_number  # 16 characters in the demo: whole too
    assert metrics.horizontalAdvance(demo_number) <= _text_room(table, claim_width)


def test_a_hidden_column_is_offered_in_the_header_menu_and_remembered(qtbot, demo_workspace) -> None:
    window = _laptop_window(qtbot, demo_workspace)
    menu = window.worklist.columns.menu()
    titles = [a.text() for a in menu.actions() if a.isCheckable()]
    assert titles == [c.title for c in COLUMNS]
    age = next(a for a in menu.actions() if a.objectName() == "column_age_days")
    assert not age.isChecked()
    age.trigger()
    header = window.worklist.table.horizontalHeader()
    assert not header.isSectionHidden(_column("Age (days)"))
    title = QFontMetrics(header.font()).horizontalAdvance("Age (days)")
    assert header.sectionSize(_column("Age (days)")) > title  # sized to its title, not left at Qt's default
    assert header.sectionSize(_column("Denial reason")) <= 100  # the widest text column gave way first
    window.close()

    again = _laptop_window(qtbot, demo_workspace)
    header = again.worklist.table.horizontalHeader()
    assert not header.isSectionHidden(_column("Age (days)"))
    assert header.isSectionHidden(_column("Send by"))
    patient = next(a for a in again.worklist.columns.menu().actions() if a.text() == "Patient")
    patient.trigger()
    assert header.isSectionHidden(_column("Patient"))


def test_the_last_shown_column_cannot_be_hidden(qtbot, demo_workspace) -> None:
    window = _laptop_window(qtbot, demo_workspace)
    columns = window.worklist.columns
    for column in columns.shown()[1:]:
        columns.actions[column].trigger()
    last = columns.shown()
    assert len(last) == 1
    columns.actions[last[0]].trigger()
    assert columns.shown() == last and columns.actions[last[0]].isChecked()


def test_a_long_claim_number_is_cut_in_the_middle_with_the_whole_in_its_tooltip(qtbot, demo_workspace) -> None:
    path = sorted((demo_workspace / "cases").glob("*.appeal"))[0]
    long_number = "ICN-2026-0000-1111-2222-3333-4444-5555-END"
    with CaseFile.open(path) as case_file:
        case_file.set_field("claim.payer_claim_number", long_number, actor="dana")
    window = _laptop_window(qtbot, demo_workspace)
    view = window.worklist
    assert view.select_path(path)
    index = view.table.currentIndex().siblingAtColumn(_column("Claim number"))
    assert index.data(SUMMARY_ROLE).claim_number == long_number
    assert index.data(Qt.ItemDataRole.ToolTipRole) == long_number
    option = QStyleOptionViewItem()
    view.table.itemDelegateForColumn(_column("Claim number")).initStyleOption(option, index)
    assert option.textElideMode == Qt.TextElideMode.ElideMiddle
    assert view.table.horizontalHeader().sectionSize(_column("Claim number")) < \
        QFontMetrics(view.table.font()).horizontalAdvance(long_number)  # it is cut, not widened past the window
    _assert_in_view(view.table, MATTERS)


def test_a_column_sized_by_hand_keeps_its_width_when_the_window_changes(qtbot, demo_workspace) -> None:
    window = _laptop_window(qtbot, demo_workspace)
    header = window.worklist.table.horizontalHeader()
    payer = _column("Payer")
    header.resizeSection(payer, 170)  # what dragging the header's edge does
    window.resize(1300, 728)
    qtbot.waitUntil(lambda: window.worklist.table.viewport().width() < 800)
    assert header.sectionSize(payer) == 170
    window.worklist.columns.fit_action.trigger()
    assert header.sectionSize(payer) < 170
    _assert_in_view(window.worklist.table, MATTERS)



def test_surnames_and_the_filters_resting_text_are_whole_at_1366x768(qtbot, demo_workspace) -> None:
    """The payer and the reason give way before the patient (a case is found by its patient's
    name), and a filter box reads "Any status", not "Any statu", when the row has the room."""
    from PySide6.QtWidgets import QStyleOptionComboBox

    window = _laptop_window(qtbot, demo_workspace)
    table = window.worklist.table
    patient = _column("Patient")
    metrics = QFontMetrics(table.font())
    room = _text_room(table, table.horizontalHeader().sectionSize(patient))
    surnames = {window.worklist.model.display_text(row, patient).split(",")[0] + ","
                for row in window.worklist.model.rows()}
    assert [s for s in surnames if metrics.horizontalAdvance(s + "…") > room] == []
    for box in (window.worklist.due_filter, window.worklist.status_filter, window.worklist.payer_filter):
        option = QStyleOptionComboBox()
        box.initStyleOption(option)
        field = box.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                           QStyle.SubControl.SC_ComboBoxEditField, box)
        assert box.currentIndex() == 0 and QFontMetrics(box.font()).horizontalAdvance(box.currentText()) <= \
            field.width(), box.currentText()
    assert window.minimumSizeHint().width() <= 793  # the window still fits the 800-pixel test screen
