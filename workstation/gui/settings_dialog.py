"""Settings > Workspace settings: the numbers a practice may want to change."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QSpinBox, QWidget

from workstation.core.settings import SPECS, WorkspaceSettings
from workstation.gui.widgets import FormDialog


class WorkspaceSettingsDialog(FormDialog):
    """Shows `settings`; Save hands the chosen ones to `save` (an op through the window's hub,
    which raises UserError to keep the dialog open with the reason)."""

    def __init__(self, settings: WorkspaceSettings, save: Callable[[WorkspaceSettings], object],
                 parent: QWidget | None = None) -> None:
        super().__init__("Workspace settings", parent)
        self.settings, self._save = settings, save
        self.spins: dict[str, QSpinBox] = {}
        for key, spec in SPECS.items():
            spin = QSpinBox()
            spin.setObjectName(key)
            spin.setRange(spec.low, spec.high)
            spin.setValue(getattr(settings, key))
            self.spins[key] = spin
            self.form.addRow(spec.label, spin)

    def chosen(self) -> WorkspaceSettings:
        return self.settings.with_values(**{key: spin.value() for key, spin in self.spins.items()})

    def save(self) -> None:
        self.try_accept()

    def validate(self) -> None:
        self._save(self.chosen())
