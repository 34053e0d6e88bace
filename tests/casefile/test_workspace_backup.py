"""The rolling backup of workspace.sqlite follows the workspace through the day."""

from __future__ import annotations

from pathlib import Path

from workstation.casefile.workspace import Workspace, latest_backup, restore_backup
from workstation.core.workspace_model import User


def test_backup_taken_at_each_open_keeps_earlier_changes_of_the_day(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    with Workspace.create(root) as workspace:
        workspace.set_users([User("dana", "Dana Ñ & Co")])
    Workspace.open(root).close()  # the second open of the day refreshes today's copy
    (root / "workspace.sqlite").write_bytes(b"garbage" * 100)
    restore_backup(root)
    with Workspace.open(root) as restored:
        assert restored.users() == [User("dana", "Dana Ñ & Co")]
    assert not list((root / "backups").glob("*.partial"))
    assert latest_backup(root) is not None
