"""The payer directory: editing a payer and its appeal ladder (checked before it is saved)."""

from __future__ import annotations

from workstation.casefile.workspace import Workspace
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
