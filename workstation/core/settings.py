"""A workspace's settings as one typed object: one reader (`from_stored`), one writer (`stored`).

The settings table keeps text (key, value); nothing else parses it. A missing or unusable
value means the default; a number outside its range is brought inside it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class SettingSpec:
    label: str
    low: int
    high: int
    #: what a stored value below `low` means: "clamp" (the lowest allowed) or "default"
    too_low: str = "clamp"


#: each field of WorkspaceSettings: the words the window shows, and its range
SPECS: dict[str, SettingSpec] = {
    "mailing_buffer_days": SettingSpec("Days allowed for the mail (send-by = due date minus these)", 0, 60),
    "max_attachment_mb": SettingSpec("Largest document that may be attached (MB)", 1, 2000, too_low="default"),
    "portal_max_files": SettingSpec("Portal upload: most files", 1, 500),
    "portal_max_file_mb": SettingSpec("Portal upload: largest file (MB)", 1, 2000),
    "portal_max_total_mb": SettingSpec("Portal upload: all files together (MB)", 1, 10000),
}


@dataclass(frozen=True)
class WorkspaceSettings:
    """The numbers a practice may change (Settings > Workspace settings)."""

    mailing_buffer_days: int = 10
    max_attachment_mb: int = 100
    portal_max_files: int = 10
    portal_max_file_mb: int = 60
    portal_max_total_mb: int = 150

    @classmethod
    def from_stored(cls, stored: Mapping[str, str]) -> WorkspaceSettings:
        """The settings from the table's text; unknown keys are other parts' business."""
        defaults = cls()
        values = {f.name: _number(stored.get(f.name), getattr(defaults, f.name), SPECS[f.name])
                  for f in fields(cls)}
        return cls(**values)

    def stored(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}

    def with_values(self, **values: int) -> WorkspaceSettings:
        """A copy with some values changed, each brought inside its range."""
        defaults = WorkspaceSettings()
        return replace(self, **{k: _number(str(v), getattr(defaults, k), SPECS[k]) for k, v in values.items()})

    @property
    def attachment_limit_bytes(self) -> int:
        return self.max_attachment_mb * 1024 * 1024


def _number(text: str | None, default: int, spec: SettingSpec) -> int:
    try:
        value = float((text or "").strip())
    except ValueError:
        return default
    if value != value or value in (float("inf"), float("-inf")):  # NaN, infinities
        return default
    if value < spec.low:
        return spec.low if spec.too_low == "clamp" else default
    return int(min(value, spec.high))
