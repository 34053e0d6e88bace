"""The letter body as formatted text (headings, paragraphs, bullet and numbered lists, bold and
italic) instead of raw markup, and a several-line box for the letter fields people write
paragraphs in.

The editor reads and writes our letter markup through `documents.letter_markup` (rich_blocks /
markup_of) by walking the document's blocks, not through Qt's Markdown: Markdown would read a
typed "<Sons>" as HTML, "&copy;" as ©, "_a_" as emphasis, and re-wrap list items; here every
character typed prints as typed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QFont,
    QKeyEvent,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextListFormat,
)
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QTextEdit, QToolButton, QWidget

from workstation.documents.letter_markup import RichBlock, Run, markup_of, merged_runs, rich_blocks

LINE_BREAK = "\u2028"  # what Shift+Enter puts in a block: a line break inside the paragraph
HEADING_SCALE = 1.25
BLOCK_GAP = 6  # pixels between paragraphs, as the PDF spaces them
_LIST_STYLES = {"ul": QTextListFormat.Style.ListDisc, "ol": QTextListFormat.Style.ListDecimal}
_NUMBERED = {QTextListFormat.Style.ListDecimal, QTextListFormat.Style.ListLowerAlpha,
             QTextListFormat.Style.ListUpperAlpha, QTextListFormat.Style.ListLowerRoman,
             QTextListFormat.Style.ListUpperRoman}


class LetterEditor(QTextEdit):
    """Formatted letter text; `markup()` is what the PDF prints, `set_markup()` fills it."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("letter_text")
        self.setAcceptRichText(False)  # pasted text comes in plain: only what a letter can print

    # -- markup in and out -------------------------------------------------------------------

    def set_markup(self, markup: str) -> None:
        """Show the markup as formatted text (one undo history starts here)."""
        self.blockSignals(True)
        try:
            self.document().clear()
            _fill(QTextCursor(self.document()), rich_blocks(markup), self._base_size())
            self.document().clearUndoRedoStacks()
            self.moveCursor(QTextCursor.MoveOperation.Start)
        finally:
            self.blockSignals(False)
        self.textChanged.emit()

    def markup(self) -> str:
        return markup_of(blocks_of(self))

    def append_paragraph(self, text: str) -> None:
        """Add a plain paragraph at the end (as typing it there would)."""
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        cursor.insertText(text.replace("\n", LINE_BREAK))

    def _base_size(self) -> float:
        return self.font().pointSizeF() if self.font().pointSizeF() > 0 else 10.0

    # -- formatting (the bar's buttons and shortcuts) ------------------------------------------

    def toggle_bold(self) -> None:
        bold = self.fontWeight() < QFont.Weight.DemiBold
        self._merge_char(lambda f: f.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal))

    def toggle_italic(self) -> None:
        italic = not self.fontItalic()
        self._merge_char(lambda f: f.setFontItalic(italic))

    def _merge_char(self, change) -> None:
        char = QTextCharFormat()
        change(char)
        cursor = self.textCursor()
        if not cursor.hasSelection():
            self.mergeCurrentCharFormat(char)  # what is typed next
            return
        cursor.mergeCharFormat(char)

    def make_heading(self) -> None:
        self._set_kind("h")

    def make_paragraph(self) -> None:
        self._set_kind("p")

    def make_list(self, kind: str) -> None:
        """Bullets ("ul") or numbers ("ol"); pressed again on such a list, the items become paragraphs."""
        block = self.textCursor().block()
        if _kind_of(block)[0] == kind:
            self._set_kind("p")
        else:
            self._set_kind(kind)

    def _set_kind(self, kind: str) -> None:
        cursor = self.textCursor()
        cursor.beginEditBlock()
        start, end = sorted((cursor.position(), cursor.anchor()))
        blocks = _blocks_between(self, start, end)
        for block in blocks:
            _leave_list(block)
            _set_block_kind(QTextCursor(block), kind, self._base_size())
        if kind in _LIST_STYLES:
            made = QTextCursor(blocks[0]).createList(_LIST_STYLES[kind])
            for block in blocks[1:]:
                made.add(block)
        cursor.endEditBlock()

    def event(self, event: QEvent) -> bool:
        """Ctrl+B and Ctrl+I belong to the text while it has the focus (the window's Ctrl+I,
        Import remittance, works everywhere else)."""
        if event.type() == QEvent.Type.ShortcutOverride and _formatting_key(event) is not None:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Ctrl+B, Ctrl+I; Enter at the end of a heading starts a paragraph; Enter on an empty
        list item ends the list."""
        toggle = _formatting_key(event)
        if toggle is not None:
            if toggle == "bold":
                self.toggle_bold()
            else:
                self.toggle_italic()
            return
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            cursor = self.textCursor()
            block = cursor.block()
            if block.textList() is not None and not block.text():
                _leave_list(block)
                return
            if _kind_of(block)[0] == "h" and cursor.atBlockEnd():
                cursor.insertBlock(QTextBlockFormat(), _char_format("p", self._base_size()))
                self.setTextCursor(cursor)
                return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Pasted text arrives plain; its line breaks start paragraphs as typing Enter would."""
        if source.hasText():
            self.textCursor().insertText(source.text())


def _formatting_key(event: QKeyEvent) -> str | None:
    if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier != Qt.KeyboardModifier.ControlModifier:
        return None
    return {Qt.Key.Key_B: "bold", Qt.Key.Key_I: "italic"}.get(Qt.Key(event.key()))


def formatting_bar(editor: LetterEditor) -> QWidget:
    """Bold, italic, heading, paragraph, bullets, numbers (Ctrl+B and Ctrl+I work in the text)."""
    bar = QWidget()
    row = QHBoxLayout(bar)
    row.setContentsMargins(0, 0, 0, 0)
    for name, text, tip, slot in (
            ("bold", "B", "Bold (Ctrl+B)", editor.toggle_bold),
            ("italic", "I", "Italic (Ctrl+I)", editor.toggle_italic),
            ("heading", "Heading", "Make the line a heading", editor.make_heading),
            ("paragraph", "Paragraph", "Make the line plain text", editor.make_paragraph),
            ("bullets", "• List", "Bulleted list (again: plain paragraphs)", lambda: editor.make_list("ul")),
            ("numbers", "1. List", "Numbered list (again: plain paragraphs)", lambda: editor.make_list("ol"))):
        button = QToolButton()
        button.setObjectName(f"format_{name}")
        button.setText(text)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the text keeps its cursor
        button.clicked.connect(slot)
        row.addWidget(button)
    row.addStretch(1)
    return bar


# -- the document, block by block ------------------------------------------------------------------


def blocks_of(editor: QTextEdit) -> list[RichBlock]:
    """What the editor holds, as the letter markup's blocks (a heading's own boldness is its style)."""
    found: list[RichBlock] = []
    block = editor.document().begin()
    while block.isValid():
        kind, group = _kind_of(block)
        found.append(RichBlock(kind, merged_runs(_runs(block, heading=kind == "h")), group))
        block = block.next()
    return found


def _runs(block: QTextBlock, *, heading: bool) -> list[Run]:
    runs = []
    fragments = block.begin()
    while not fragments.atEnd():
        fragment = fragments.fragment()
        if fragment.isValid():
            char = fragment.charFormat()
            bold = char.fontWeight() >= QFont.Weight.DemiBold and not heading
            runs.append(Run(fragment.text().replace(LINE_BREAK, "\n"), bold, char.fontItalic()))
        fragments += 1
    return runs


def _kind_of(block: QTextBlock) -> tuple[str, int]:
    """("h" | "p" | "ul" | "ol", the list it belongs to)."""
    listed = block.textList()
    if listed is not None:
        numbered = listed.format().style() in _NUMBERED
        return ("ol" if numbered else "ul"), listed.objectIndex()
    return ("h" if block.blockFormat().headingLevel() > 0 else "p"), -1


def _fill(cursor: QTextCursor, rich: list[RichBlock], size: float) -> None:
    lists: dict[int, object] = {}
    for number, block in enumerate(rich):
        if number:
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        _set_block_kind(cursor, block.kind, size)
        if block.kind in _LIST_STYLES:
            if block.group in lists:
                lists[block.group].add(cursor.block())
            else:
                lists[block.group] = cursor.createList(_LIST_STYLES[block.kind])
        for run in block.runs:
            char = _char_format(block.kind, size)
            if run.bold:
                char.setFontWeight(QFont.Weight.Bold)
            char.setFontItalic(run.italic)
            cursor.insertText(run.text.replace("\n", LINE_BREAK), char)


def _char_format(kind: str, size: float) -> QTextCharFormat:
    char = QTextCharFormat()
    char.setFontWeight(QFont.Weight.Bold if kind == "h" else QFont.Weight.Normal)
    char.setFontPointSize(size * HEADING_SCALE if kind == "h" else size)
    char.setFontItalic(False)
    return char


def _set_block_kind(cursor: QTextCursor, kind: str, size: float) -> None:
    """Make the block a heading or a plain paragraph: its level, its text's size, and its weight
    when it turns from one into the other (a paragraph's own bold words stay bold)."""
    heading = kind == "h"
    was_heading = cursor.blockFormat().headingLevel() > 0
    block_format = cursor.blockFormat()
    block_format.setHeadingLevel(1 if heading else 0)
    block_format.setTopMargin(BLOCK_GAP if heading else 0)
    block_format.setBottomMargin(BLOCK_GAP if kind in ("h", "p") else BLOCK_GAP / 3)
    cursor.setBlockFormat(block_format)
    char = QTextCharFormat()
    char.setFontPointSize(size * HEADING_SCALE if heading else size)
    if heading != was_heading:
        char.setFontWeight(QFont.Weight.Bold if heading else QFont.Weight.Normal)
    whole = QTextCursor(cursor.block())
    whole.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    if whole.hasSelection():
        whole.mergeCharFormat(char)
    cursor.mergeBlockCharFormat(char)


def _leave_list(block: QTextBlock) -> None:
    listed = block.textList()
    if listed is None:
        return
    listed.remove(block)
    cursor = QTextCursor(block)
    block_format = cursor.blockFormat()
    block_format.setIndent(0)
    cursor.setBlockFormat(block_format)


def _blocks_between(editor: QTextEdit, start: int, end: int) -> list[QTextBlock]:
    block = editor.document().findBlock(start)
    found = [block]
    while block.isValid() and block.position() + block.length() <= end:
        block = block.next()
        if block.isValid():
            found.append(block)
    return found


class ParagraphEdit(QPlainTextEdit):
    """A letter field of several lines (a clinical summary): `text()`/`setText()` like a line
    edit, and `editingFinished` when the biller leaves it having changed it."""

    editingFinished = Signal()

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setTabChangesFocus(True)  # Tab moves on, as in the rest of the form
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self._shown = text

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)
        self._shown = text

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.toPlainText() != self._shown:
            self._shown = self.toPlainText()
            self.editingFinished.emit()
