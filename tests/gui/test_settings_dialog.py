"""Workspace settings edited in the window reach the rules that use them."""

from __future__ import annotations

from pathlib import Path

from workstation.casefile.workspace import Workspace
from workstation.gui.settings_dialog import WorkspaceSettingsDialog
from workstation.ops.deadlines import buffer_days
from workstation.ops.settings import save_settings


def test_settings_are_saved_and_used(qtbot, tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "ws") as workspace:
        workspace.set_setting("mailing_buffer_days", "nonsense")
        dialog = WorkspaceSettingsDialog(workspace.settings(), lambda chosen: save_settings(workspace, chosen))
        qtbot.addWidget(dialog)
        assert dialog.spins["mailing_buffer_days"].value() == 10  # a bad stored value shows the default
        dialog.spins["mailing_buffer_days"].setValue(14)
        dialog.spins["max_attachment_mb"].setValue(25)
        dialog.save()
        assert buffer_days(workspace) == 14
        assert workspace.setting("max_attachment_mb") == "25"
