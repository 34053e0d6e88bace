"""Creating, opening and checking workspaces."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workstation.casefile.case_file import CASE_SUFFIX, CaseFile
from workstation.casefile.index import Cancelled, Progress
from workstation.casefile.schema_check import case_problems, in_words, workspace_problems
from workstation.casefile.sqlite_file import recover_interrupted
from workstation.casefile.workspace import Workspace, is_workspace, restore_backup
from workstation.core.errors import NotAWorkspace, UserError
from workstation.core.summary import CaseSummary
from workstation.ops.deadlines import rows_with_deadlines, with_deadlines
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


def workspace_for_command(explicit: str | Path | None, *, reads_only: bool = False,
                          check_later: bool = False) -> Workspace:
    """The workspace a command works on: -w, WORKSTATION_WORKSPACE or the last one used.

    The day's backup is refreshed before a command that changes the workspace; one that only reads
    it (and notes in the audit trail that it did) takes none: on a workspace of 100,000 ledger
    claims the checks and the copy took 1.1 s, more than the report itself. `check_later`: see
    Workspace.open (only for a command that only reads)."""
    root = chosen_workspace(explicit)
    if root is None:
        raise NotAWorkspace("No workspace chosen; give one with -w DIR, or create one with "
                            "`workstation init DIR` or `workstation demo DIR`.")
    return Workspace.open(root, backup=not reads_only, check_later=check_later and reads_only)


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
class FileCheck:
    """One file's verdict: sound, or the problems found (or why it could not be opened)."""

    path: Path
    problems: tuple[str, ...] = ()
    unreadable: str = ""  # the sentence of a file that could not be opened at all
    undone: bool = False  # its last change was interrupted (a crash) and has been rolled back

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unreadable

    @property
    def line(self) -> str:
        if self.unreadable:
            return self.unreadable if self.unreadable.startswith(self.path.name) else \
                f"{self.path.name}: {self.unreadable}"
        if self.problems:
            return f"{self.path.name}: damaged ({in_words(self.problems)})"
        return f"{self.path.name}: ok"

    def to_json(self) -> dict[str, object]:
        return {"path": str(self.path.resolve()), "ok": self.ok,
                "problems": [self.unreadable] if self.unreadable else list(self.problems),
                "interrupted_change_undone": self.undone}


@dataclass(frozen=True)
class CheckReport:
    """What `workstation check` found: a verdict per file, and what it repaired or removed."""

    files: list[FileCheck]
    removed: list[str] = field(default_factory=list)  # unfinished files an interrupted import left

    @property
    def lines(self) -> list[str]:
        return [f.line for f in self.files]

    @property
    def problems(self) -> int:
        return sum(1 for f in self.files if not f.ok)

    @property
    def notes(self) -> list[str]:
        """What the check repaired or cleaned, one sentence each."""
        undone = [f"{f.path.name}: its last change was interrupted (the program stopped during it) and has been "
                  "undone; check that case and make the change again." for f in self.files if f.undone]
        return undone + [f"Removed {name}, an unfinished file an interrupted import or backup left behind."
                         for name in self.removed]

    def to_json(self) -> dict[str, object]:
        return {"ok": self.problems == 0, "files": [f.to_json() for f in self.files], "removed": self.removed}


def check_path(path: Path) -> CheckReport:
    """Verify a case file or a whole workspace: SQLite's integrity and foreign key checks and our
    own schema check of every file; a crash's half-done change is rolled back, and the unfinished
    files an interrupted import left are removed (opening the workspace does that)."""
    path = Path(path)
    if not path.is_dir():
        return CheckReport([_check_case(path)])
    if not is_workspace(path):
        raise NotAWorkspace(f"{path} is not a workspace or a case file; "
                            "give a *.appeal file or a workspace folder.")
    with Workspace.open(path) as workspace:
        files = sorted(workspace.cases_dir.glob(f"*{CASE_SUFFIX}"))
        checks = [FileCheck(workspace.db_path, tuple(workspace_problems(workspace.conn)))]
        return CheckReport(checks + [_check_case(f) for f in files], workspace.cleaned)


def _check_case(path: Path) -> FileCheck:
    try:
        undone = recover_interrupted(path)
        with CaseFile.open(path, read_only=True) as case_file:
            problems = case_problems(case_file.conn)
            if not problems:
                case_file.load()
    except UserError as error:
        return FileCheck(path, unreadable=str(error))
    return FileCheck(path, tuple(problems), undone=undone)


def load_worklist(root: Path, *, progress: Progress | None = None,
                  cancelled: Cancelled | None = None) -> list[CaseSummary]:
    """Rescan and read every worklist row; runs on a worker thread with its own connections."""
    with Workspace.open(Path(root), backup=False) as workspace:
        workspace.index.rescan(progress=progress, cancelled=cancelled)
        return rows_with_deadlines(workspace)


def worklist_rows_at(root: Path, paths: frozenset[Path]) -> list[CaseSummary]:
    """The rows of several cases, fresh from their files, in a workspace opened here (a worker
    thread needs its own connections)."""
    with Workspace.open(Path(root), backup=False) as workspace:
        fresh = [workspace.index.refresh(path) for path in sorted(paths) if Path(path).exists()]
        return with_deadlines(workspace, fresh)


def worklist_row(workspace: Workspace, path: Path) -> CaseSummary | None:
    """The worklist row of one case as its file now says (the index row is refreshed from the
    file first: an op changes the case file, and the row must never lag behind it)."""
    path = Path(path)
    if not path.exists():
        return None
    return with_deadlines(workspace, [workspace.index.refresh(path)])[0]
