"""Writing a file the user asked for: aside first, then renamed into place, never half-written."""

from __future__ import annotations

from pathlib import Path

from workstation.core.errors import UserError


def write_file(target: Path, data: bytes) -> Path:
    """Write `data` to `target` through a hidden partial file; a failure says why in one sentence."""
    target = Path(target)
    temp = target.with_name(f".{target.name}.partial")
    try:
        temp.write_bytes(data)
        temp.replace(target)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise UserError(f"{target} could not be written ({error.strerror}); choose another folder.") from None
    return target
