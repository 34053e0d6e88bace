"""Finds the shipped resources and letter templates from a checkout, a wheel or a frozen build."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


@cache
def data_root() -> Path:
    """The folder holding `resources/` and `templates/`, wherever the program runs from."""
    candidates = [
        _PACKAGE_DIR / "_data",  # installed wheel (force-included package data)
        _PACKAGE_DIR.parent,  # source checkout or editable install
    ]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.insert(0, Path(frozen))
    for root in candidates:
        if (root / "resources" / "codes").is_dir():
            return root
    raise FileNotFoundError(
        "The program's resources folder is missing; reinstall the Appeal Workstation."
    )


def resource_path(*parts: str) -> Path:
    """A file or folder under `resources/`."""
    return data_root().joinpath("resources", *parts)


def letter_templates_dir() -> Path:
    """The shipped letter templates (`templates/letters/`)."""
    return data_root() / "templates" / "letters"
