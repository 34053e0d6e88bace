"""What an operation changed, so each view refreshes only what it must (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Changes:
    """Flags an op returns; the window's one hub (`gui/operations.py`) reads them.

    `case_path` is the one case an action changed; `cases` the others a bulk action changed.
    `worklist` means rows (status, urgency, amounts) may read differently now; `workspace`
    means settings, payers, users or the practice changed, so every open view may."""

    case_path: Path | None = None
    fields: frozenset[str] = field(default_factory=frozenset)
    worklist: bool = False
    activity: bool = False
    notes: bool = False
    cases: frozenset[Path] = field(default_factory=frozenset)
    workspace: bool = False

    @property
    def nothing(self) -> bool:
        return not (self.fields or self.worklist or self.activity or self.notes or self.cases or self.workspace)

    @property
    def paths(self) -> frozenset[Path]:
        """Every case file this change touched."""
        return self.cases | ({self.case_path} if self.case_path is not None else set())

    def touches(self, path: Path | None) -> bool:
        return path is not None and (self.workspace or Path(path) in self.paths)

    @staticmethod
    def merged(parts: list[Changes]) -> Changes:
        """Several cases' changes as one (a bulk action)."""
        return Changes(fields=frozenset().union(*(p.fields for p in parts)),
                       worklist=any(p.worklist for p in parts), activity=any(p.activity for p in parts),
                       notes=any(p.notes for p in parts), workspace=any(p.workspace for p in parts),
                       cases=frozenset().union(*(p.paths for p in parts)))
