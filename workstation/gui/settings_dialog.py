"""Settings > Workspace settings: the numbers a practice may want to change."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox, QWidget

from workstation.casefile.workspace import Workspace
from workstation.core.deadlines import DEFAULT_BUFFER_DAYS
from workstation.gui.widgets import FormDialog
from workstation.ops.deadlines import BUFFER_SETTING
from workstation.ops.evidence import DEFAULT_LIMIT_MB, LIMIT_SETTING
from workstation.ops.letters import PORTAL_DEFAULTS

#: (setting, label, lowest, highest, default)
SETTINGS = (
    (BUFFER_SETTING, "Days allowed for the mail (send-by = due date minus these)", 0, 60, DEFAULT_BUFFER_DAYS),
    (LIMIT_SETTING, "Largest document that may be attached (MB)", 1, 2000, DEFAULT_LIMIT_MB),
    ("portal_max_files", "Portal upload: most files", 1, 500, PORTAL_DEFAULTS["portal_max_files"]),
    ("portal_max_file_mb", "Portal upload: largest file (MB)", 1, 2000, PORTAL_DEFAULTS["portal_max_file_mb"]),
    ("portal_max_total_mb", "Portal upload: all files together (MB)", 1, 10000, PORTAL_DEFAULTS["portal_max_total_mb"]),
)


class WorkspaceSettingsDialog(FormDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__("Workspace settings", parent)
        self.workspace = workspace
        self.spins: dict[str, QSpinBox] = {}
        form = self.form
        for key, label, low, high, default in SETTINGS:
            spin = QSpinBox()
            spin.setObjectName(key)
            spin.setRange(low, high)
            spin.setValue(_current(workspace, key, default, low, high))
            self.spins[key] = spin
            form.addRow(label, spin)

    def save(self) -> None:
        self.try_accept()

    def validate(self) -> None:
        for key, spin in self.spins.items():
            self.workspace.set_setting(key, str(spin.value()))


def _current(workspace: Workspace, key: str, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(workspace.setting(key, str(default))), low), high)
    except ValueError:
        return default
