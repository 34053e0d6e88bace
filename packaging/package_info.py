"""What the build scripts need to know about the program: its version (read from
workstation/__init__.py, the one place it is written), its ids and the names the build's files carry."""

from __future__ import annotations

import ast
import platform
import re
import sys
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "packaging"

APP_NAME = "Appeal Workstation"
DISTRIBUTION = "appeal-workstation"
#: the reverse-DNS id of the desktop entry, the AppStream metadata and the icon on Linux
APP_ID = "org.appealworkstation.AppealWorkstation"
EXECUTABLE = "workstation"


def program_version(init: Path = ROOT / "workstation" / "__init__.py") -> str:
    """`__version__` as workstation/__init__.py writes it, read without importing the program."""
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__version__" for t in node.targets):
            return str(ast.literal_eval(node.value))
    raise SystemExit(f"{init} does not set __version__.")


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """The four numbers Windows wants ("0.2.0rc1" -> (0, 2, 0, 0)): the leading numeric parts."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0].split("-")[0])[:3]]
    major, minor, patch = [*numbers, 0, 0, 0][:3]
    return major, minor, patch, 0


def platform_tag() -> str:
    """linux-x86_64, windows-x64, macos-arm64...: the platform part of the archive names."""
    machine = platform.machine().lower() or "unknown"
    if sys.platform == "win32":
        return "windows-x64" if machine in ("amd64", "x86_64") else f"windows-{machine}"
    if sys.platform == "darwin":
        return f"macos-{machine}"
    return f"linux-{machine}"


def release_name(version: str | None = None, tag: str | None = None) -> str:
    """appeal-workstation-VERSION-PLATFORM: the name of the tarball, zip and installer."""
    return f"{DISTRIBUTION}-{version or program_version()}-{tag or platform_tag()}"


def write_windows_version_file(dest: Path, version: str | None = None) -> Path:
    """PyInstaller's version-file text (windows/version_info.txt.in) filled with the version."""
    version = version or program_version()
    template = Template((HERE / "windows" / "version_info.txt.in").read_text(encoding="utf-8"))
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(template.substitute(version=version, version_tuple=repr(version_tuple(version)),
                                        app_name=APP_NAME, executable=EXECUTABLE), encoding="utf-8")
    return dest
