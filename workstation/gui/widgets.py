"""Small widgets every window uses: a label that shows text as typed, and a form dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workstation.core.errors import UserError


def plain_label(text: str = "") -> QLabel:
    """A label that shows text exactly as typed (`<`, `&` never read as markup)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class FormDialog(QDialog):
    """A form, a line for the reason a value was refused, and Save/Cancel (or OK/Cancel).

    Subclasses override `validate()`: raising UserError keeps the dialog open with the
    sentence shown; returning accepts it."""

    def __init__(self, title: str, parent: QWidget | None, *, save: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.problem = plain_label()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color: #8c1d18;")
        ok = QDialogButtonBox.StandardButton.Save if save else QDialogButtonBox.StandardButton.Ok
        self.buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)
        self.body.addWidget(self.problem)
        self.body.addWidget(self.buttons)

    def line(self, label: str, name: str, text: str = "", placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(text)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        self.form.addRow(label, edit)
        return edit

    def combo(self, label: str, name: str, choices: list[tuple[str, str]]) -> QComboBox:
        box = QComboBox()
        box.setObjectName(name)
        for text, value in choices:
            box.addItem(text, value)
        self.form.addRow(label, box)
        return box

    def try_accept(self) -> None:
        try:
            self.validate()
        except UserError as error:
            self.problem.setText(str(error))
            return
        self.accept()

    def validate(self) -> None:
        """Raise UserError with a sentence when a value is not acceptable."""
