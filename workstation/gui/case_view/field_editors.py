"""Editors bound to case fields: each commits its value when the user finishes editing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from workstation.core.fields import editable_field

Commit = Callable[[str, Any], None]


class FieldEditor:
    """Binds one widget to one case field; `shown` is the value last read from the file."""

    def __init__(self, key: str, widget: QWidget) -> None:
        self.key = key
        self.widget = widget
        self.shown: Any = None
        self.field = editable_field(key)

    def show_value(self, value: Any) -> None:
        raise NotImplementedError

    def current_value(self) -> Any:
        raise NotImplementedError

    def set_enabled(self, enabled: bool) -> None:
        self.widget.setEnabled(enabled)


class LineFieldEditor(FieldEditor):
    """A text or date field; commits on Enter or when focus leaves the box."""

    def __init__(self, key: str, commit: Commit, *, placeholder: str = "") -> None:
        self.line = QLineEdit()
        self.line.setObjectName(key)
        self.line.setPlaceholderText(placeholder)
        super().__init__(key, self.line)
        self.line.editingFinished.connect(lambda: self._finished(commit))

    def _finished(self, commit: Commit) -> None:
        if self.line.isModified():
            self.line.setModified(False)
            commit(self.key, self.current_value())

    def show_value(self, value: Any) -> None:
        self.shown = value
        if isinstance(value, list):
            value = ", ".join(value)
        self.line.setText("" if value is None else str(value))
        self.line.setModified(False)

    def current_value(self) -> Any:
        return self.line.text()


class ComboFieldEditor(FieldEditor):
    """A choice (status, route, assignee); commits as soon as the user picks."""

    def __init__(self, key: str, commit: Commit, choices: list[tuple[str, Any]]) -> None:
        self.combo = QComboBox()
        self.combo.setObjectName(key)
        super().__init__(key, self.combo)
        self.set_choices(choices)
        self.combo.activated.connect(lambda _i: commit(self.key, self.current_value()))

    def set_choices(self, choices: list[tuple[str, Any]]) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        for label, value in choices:
            self.combo.addItem(label, value)
        self.combo.blockSignals(False)

    def show_value(self, value: Any) -> None:
        self.shown = value
        stored = getattr(value, "value", value) or ""
        position = self.combo.findData(stored)
        if position < 0:
            self.combo.addItem(str(stored), stored)
            position = self.combo.count() - 1
        self.combo.setCurrentIndex(position)

    def current_value(self) -> Any:
        return self.combo.currentData()
