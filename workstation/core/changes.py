"""What an operation changed, so each view refreshes only what it must (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Changes:
    case_path: Path | None = None
    fields: frozenset[str] = field(default_factory=frozenset)
    worklist: bool = False
    activity: bool = False
    notes: bool = False

    @property
    def nothing(self) -> bool:
        return not (self.fields or self.worklist or self.activity or self.notes)
