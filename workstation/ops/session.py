"""CaseSession: the case open in the window, with what the window needs from its workspace
read once (like Anki's `mw.col`), so one typed field costs one case write and one reload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.audit import AuditAction
from workstation.core.changes import Changes
from workstation.core.model import Case
from workstation.core.payer_kinds import Ladder, default_ladders
from workstation.core.settings import WorkspaceSettings
from workstation.ops.audit import case_id, record
from workstation.ops.cases import edit_case_field
from workstation.ops.deadlines import LadderBook


class CaseSession:
    """One open case file; `workspace` is None for a case file opened on its own."""

    def __init__(self, path: Path, workspace: Workspace | None, actor: str) -> None:
        self.case_file = CaseFile.open(Path(path))
        self.workspace = workspace
        self.actor = actor
        self.case: Case | None = None
        self.revision = -1
        self._settings: WorkspaceSettings | None = None
        self._ladders: LadderBook | None = None
        record(workspace if workspace is not None else self.case_file.path, AuditAction.OPEN_CASE,
               case_id=case_id(self.case_file), detail="opened in the window", actor=actor)

    @property
    def path(self) -> Path:
        return self.case_file.path

    @property
    def read_only(self) -> bool:
        return self.case_file.read_only

    def load(self) -> Case:
        """Read the case from its file (and remember the revision read)."""
        self.case = self.case_file.load()
        self.revision = self.case_file.revision()
        return self.case

    def changed_elsewhere(self) -> bool:
        """Another window or program wrote the file since it was last read here."""
        return self.case_file.revision() != self.revision

    # -- what the workspace says, read once --------------------------------------------------

    @property
    def settings(self) -> WorkspaceSettings:
        if self._settings is None:
            self._settings = self.workspace.settings() if self.workspace is not None else WorkspaceSettings()
        return self._settings

    def ladder(self, case: Case) -> Ladder:
        """The payer's ladder from the workspace's directory, or the default for its kind."""
        if self.workspace is None:
            return default_ladders()[case.payer.kind]
        if self._ladders is None:
            self._ladders = LadderBook(self.workspace.payers())
        return self._ladders.ladder(case.payer.payer_id, case.payer.name, case.payer.kind.value)

    def forget_workspace(self) -> None:
        """Settings or payers changed: read them again when next needed."""
        self._settings, self._ladders = None, None

    # -- changing ----------------------------------------------------------------------------

    def edit(self, key: str, value: Any, *, expected: Any = ...) -> Changes:
        """One field typed in the window; the workflow check uses the case as last read (the
        `expected` guard refuses the edit if the file says otherwise)."""
        return edit_case_field(self.case_file, key=key, value=value, actor=self.actor, expected=expected,
                               case=self.case)

    def close(self) -> None:
        self.case_file.close()
