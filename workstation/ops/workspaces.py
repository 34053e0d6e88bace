"""Creating, opening and checking workspaces."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workstation.casefile.case_file import CASE_SUFFIX, CaseFile
from workstation.casefile.index import Cancelled, Progress
from workstation.casefile.workspace import Workspace, is_workspace, restore_backup
from workstation.core.errors import NotAWorkspace, UserError
from workstation.core.summary import CaseSummary
from workstation.ops.deadlines import with_deadlines
from workstation.ops.user_config import chosen_workspace, default_demo_dir, load_config, save_config


def init_workspace(root: Path) -> Workspace:
    """An empty workspace (File > New workspace, `workstation init`)."""
    return Workspace.create(Path(root))


def open_workspace(root: Path, *, remember: bool = True) -> Workspace:
    """Open a workspace and make it the last one used."""
    workspace = Workspace.open(Path(root))
    if remember:
        config = load_config()
        config.remember(workspace.root)
        save_config(config)
    return workspace


def workspace_for_command(explicit: str | Path | None) -> Workspace:
    """The workspace a command works on: -w, WORKSTATION_WORKSPACE or the last one used."""
    root = chosen_workspace(explicit)
    if root is None:
        raise NotAWorkspace("No workspace chosen; give one with -w DIR, or create one with "
                            "`workstation init DIR` or `workstation demo DIR`.")
    return Workspace.open(root)


def startup_workspace(explicit: str | Path | None) -> Path:
    """The workspace the window opens: the chosen one, or a demo made on first run."""
    root = chosen_workspace(explicit)
    if root is not None:
        return root
    demo = default_demo_dir()
    if not is_workspace(demo):
        from workstation.ops.demo import create_demo_workspace

        create_demo_workspace(demo)
    return demo


def restore_workspace_backup(root: Path) -> Path:
    """Replace a damaged workspace.sqlite with its newest backup; returns the backup used."""
    return restore_backup(Path(root))


@dataclass(frozen=True)
class CheckReport:
    """What `workstation check` found: one line per file, and whether all were sound."""

    lines: list[str]
    problems: int


def check_path(path: Path) -> CheckReport:
    """Verify a case file or a whole workspace (integrity check of every file)."""
    path = Path(path)
    if path.is_dir():
        if not is_workspace(path):
            raise NotAWorkspace(f"{path} is not a workspace or a case file; "
                                "give a *.appeal file or a workspace folder.")
        with Workspace.open(path) as workspace:
            files = sorted(workspace.cases_dir.glob(f"*{CASE_SUFFIX}"))
            lines = [f"{workspace.db_path.name}: ok"] + [_check_case(f) for f in files]
    else:
        lines = [_check_case(path)]
    return CheckReport(lines, sum(1 for line in lines if not line.endswith(": ok")))


def _check_case(path: Path) -> str:
    try:
        with CaseFile.open(path, read_only=True) as case_file:
            problems = case_file.integrity_problems()
    except UserError as error:
        message = str(error)
        return message if message.startswith(path.name) else f"{path.name}: {message}"
    return f"{path.name}: ok" if not problems else f"{path.name}: damaged ({'; '.join(problems[:3])})"


def load_worklist(root: Path, *, progress: Progress | None = None,
                  cancelled: Cancelled | None = None) -> list[CaseSummary]:
    """Rescan and read every worklist row; runs on a worker thread with its own connections."""
    with Workspace.open(Path(root), backup=False) as workspace:
        workspace.index.rescan(progress=progress, cancelled=cancelled)
        return with_deadlines(workspace, workspace.index.rows())


def worklist_row(workspace: Workspace, path: Path) -> CaseSummary | None:
    """The worklist row of one case as its file now says (the index row is refreshed from the
    file first: an op changes the case file, and the row must never lag behind it)."""
    path = Path(path)
    if not path.exists():
        return None
    return with_deadlines(workspace, [workspace.index.refresh(path)])[0]
