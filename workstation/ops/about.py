"""What Help > About says: the program's version and the software bundled with it, each with its
licence as its installed package metadata states it (so the list follows the real install)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import workstation
from workstation.core.resources import resource_path

DISTRIBUTION = "appeal-workstation"
OUR_LICENCE = "MIT"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

if TYPE_CHECKING:
    from importlib import metadata


@dataclass(frozen=True)
class Bundled:
    name: str
    version: str
    licence: str


def version() -> str:
    """The program's version: `workstation.__version__`, the one place it is written."""
    return workstation.__version__


def bundled_software() -> list[Bundled]:
    """Every library the program runs on (its dependencies and theirs), sorted by name; empty
    when the install carries no package metadata."""
    from importlib import metadata  # here, not at the top: every command asks version() (0.03 s to import)

    found: dict[str, metadata.Distribution] = {}
    waiting = _runtime_requirements(DISTRIBUTION)
    while waiting:
        name = waiting.pop()
        key = _key(name)
        if key in found:
            continue
        try:
            found[key] = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a requirement for another platform or Python version
        waiting += _runtime_requirements(name)
    rows = [Bundled(d.metadata["Name"], d.version, licence_of(d)) for d in found.values()]
    return sorted(rows, key=lambda row: row.name.lower())


def python_runtime() -> Bundled:
    return Bundled("Python", ".".join(map(str, sys.version_info[:3])), "PSF-2.0")


def fonts_licence() -> str | None:
    """The licence file of the bundled DejaVu fonts, if the fonts are shipped."""
    path = resource_path("fonts", "LICENSE-DejaVu.txt")
    return path.name if path.is_file() else None


def licence_of(distribution: metadata.Distribution) -> str:
    """The SPDX expression if given, else the licence classifiers, else a short License field."""
    meta = distribution.metadata
    if meta.get("License-Expression"):
        return str(meta["License-Expression"])
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return ", ".join(classifiers)
    text = (meta.get("License") or "").strip()
    first = text.splitlines()[0] if text else ""
    return first[:80] if first else "not stated in its package"


def _runtime_requirements(name: str) -> list[str]:
    from importlib import metadata

    try:
        requirements = metadata.requires(name) or []
    except metadata.PackageNotFoundError:
        return []
    names = []
    for requirement in requirements:
        spec, _, marker = requirement.partition(";")
        match = _NAME.match(spec.strip())
        if match and "extra" not in marker:
            names.append(match.group(0))
    return names


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
