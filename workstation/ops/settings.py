"""Changing a workspace's settings, users and practice profile: ops, so the window's hub
refreshes whatever they move (the mailing buffer moves every send-by date)."""

from __future__ import annotations

from pathlib import Path

from workstation.casefile.workspace import Workspace, workspace_of_case
from workstation.core.changes import Changes
from workstation.core.settings import WorkspaceSettings
from workstation.core.workspace_model import PracticeProfile, User

__all__ = ["WorkspaceSettings", "case_settings", "save_practice", "save_settings", "save_users"]


def case_settings(case_path: Path) -> WorkspaceSettings:
    """The settings of the workspace a case file is in; the defaults for a lone case file."""
    root = workspace_of_case(Path(case_path))
    if root is None:
        return WorkspaceSettings()
    with Workspace.open(root, backup=False) as workspace:
        return workspace.settings()


def save_settings(workspace: Workspace, settings: WorkspaceSettings) -> Changes:
    """Deadlines count the mailing buffer, so every row may read differently afterwards."""
    if settings == workspace.settings():
        return Changes()
    workspace.save_settings(settings)
    return Changes(workspace=True, worklist=True)


def save_users(workspace: Workspace, users: list[User]) -> Changes:
    workspace.set_users(users)
    return Changes(workspace=True)


def save_practice(workspace: Workspace, profile: PracticeProfile,
                  images: dict[str, bytes | None]) -> Changes:
    """The letterhead, and its logo and signature images (None removes one)."""
    workspace.set_practice(profile, images)
    return Changes(workspace=True)
