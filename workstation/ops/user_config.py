"""The per-user config file: last and recent workspaces, and who the current user is.

Read by the window and the command line alike; `WORKSTATION_WORKSPACE` overrides the last
workspace, `WORKSTATION_CONFIG_DIR` / `WORKSTATION_DATA_DIR` move the folders (tests, portable use).
"""

from __future__ import annotations

import getpass
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "appeal-workstation"
RECENT_KEPT = 8


def config_dir() -> Path:
    return Path(os.environ.get("WORKSTATION_CONFIG_DIR") or platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    return Path(os.environ.get("WORKSTATION_DATA_DIR") or platformdirs.user_data_dir(APP_NAME))


def default_demo_dir() -> Path:
    return data_dir() / "demo-workspace"


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "biller"


@dataclass
class UserConfig:
    last_workspace: str = ""
    recent: list[str] = field(default_factory=list)
    current_user: str = ""

    @property
    def user(self) -> str:
        """The current user: chosen in Preferences, else the login name."""
        return self.current_user or login_name()

    def remember(self, workspace: Path) -> None:
        text = str(Path(workspace).resolve())
        self.last_workspace = text
        self.recent = [text, *[r for r in self.recent if r != text]][:RECENT_KEPT]


def _config_file() -> Path:
    return config_dir() / "config.json"


def load_config() -> UserConfig:
    """The saved config; a missing or unreadable file gives the defaults (logged)."""
    try:
        raw = json.loads(_config_file().read_text(encoding="utf-8"))
        return UserConfig(str(raw.get("last_workspace", "")), [str(r) for r in raw.get("recent", [])],
                          str(raw.get("current_user", "")))
    except FileNotFoundError:
        return UserConfig()
    except (OSError, ValueError, AttributeError) as error:
        log.warning("config file unreadable, using defaults: %s", error)
        return UserConfig()


def save_config(config: UserConfig) -> None:
    """Write the config aside and rename it into place; failure to save is logged, not fatal."""
    path = _config_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(".tmp")
        temp.write_text(json.dumps(config.__dict__, indent=2), encoding="utf-8")
        os.replace(temp, path)
    except OSError as error:
        log.warning("could not save the config file: %s", error)


def chosen_workspace(explicit: str | Path | None) -> Path | None:
    """-w wins, then WORKSTATION_WORKSPACE, then the last workspace used."""
    for candidate in (explicit, os.environ.get("WORKSTATION_WORKSPACE"), load_config().last_workspace):
        if candidate:
            return Path(candidate).expanduser()
    return None
