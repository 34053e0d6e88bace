"""The payer directory: editing a payer and its appeal ladder (checked before it is saved)."""

from __future__ import annotations

from pathlib import Path

from workstation.casefile.workspace import Workspace, forget_left_out_payers, left_out_payer_rows
from workstation.core.errors import InvalidValue
from workstation.core.payer_kinds import ladder_problems
from workstation.core.workspace_model import PayerEntry


def save_payer(workspace: Workspace, payer: PayerEntry) -> PayerEntry:
    """Add or update a directory entry; a ladder edited into nonsense is refused with why."""
    if not payer.name.strip():
        raise InvalidValue("A payer needs a name.")
    if payer.ladder is not None:
        problems = ladder_problems(payer.ladder)
        if problems:
            raise InvalidValue(" ".join(problems))
    if payer.id is None:
        return workspace.add_payer(payer)
    workspace.update_payer(payer)
    return payer


def forget_left_out() -> None:
    """A new command: no directory entry left out yet."""
    forget_left_out_payers()


def left_out_notice(root: Path | None = None) -> str:
    """One sentence when entries of the payer directory (of the workspace at `root`, or any) could
    not be read and were left out in this process, else "": their cases' dates then follow their
    payer kind's usual ladder, which must not change unsaid."""
    left_out = left_out_payer_rows()
    if root is not None:
        left_out = {where: rows for where, rows in left_out.items() if where == Path(root).resolve()}
    count = sum(len(rows) for rows in left_out.values())
    if not count:
        return ""
    which = ("An entry of the workspace's payer directory could not be read and was left out" if count == 1 else
             f"{count} entries of the workspace's payer directory could not be read and were left out")
    return (f"{which}, so the deadlines and letters of its cases follow their payer kind's usual ladder; "
            f"`workstation check` names {'it' if count == 1 else 'them'}.")
