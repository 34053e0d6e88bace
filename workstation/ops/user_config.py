"""The per-user config file: last and recent workspaces, who the current user is, whether the welcome ran.

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


def default_workspace_dir() -> Path:
    """Where the welcome proposes a new workspace: a free folder under the user's documents."""
    documents = Path(platformdirs.user_documents_dir())
    for number in range(1, 100):
        candidate = documents / ("Appeal workspace" if number == 1 else f"Appeal workspace {number}")
        if not candidate.exists() or (candidate.is_dir() and not any(candidate.iterdir())):
            return candidate
    return documents / "Appeal workspace"


@dataclass
class UserConfig:
    last_workspace: str = ""
    recent: list[str] = field(default_factory=list)
    #: the actor written into activity entries (the initials given on first run, or a login)
    current_user: str = ""
    #: the current user's full name, as given on first run
    display_name: str = ""
    #: the first-run welcome has been shown (finished or skipped): never again
    welcomed: bool = False
    #: "who is working here?" was put once (answered or skipped), by the welcome or on the first
    #: start with a workspace given or known: never again
    asked_who: bool = False

    @property
    def user(self) -> str:
        """The current user: chosen on first run or in Preferences, else the login name."""
        return self.current_user or login_name()

    @property
    def must_ask_who(self) -> bool:
        """No name was chosen (the activity log would say the login name) and nobody was asked yet."""
        return not (self.current_user or self.asked_who)

    @property
    def knows_a_workspace(self) -> bool:
        return bool(self.last_workspace or self.recent)

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
        return UserConfig(last_workspace=str(raw.get("last_workspace", "")),
                          recent=[str(r) for r in raw.get("recent", [])],
                          current_user=str(raw.get("current_user", "")),
                          display_name=str(raw.get("display_name", "")),
                          welcomed=raw.get("welcomed") is True,
                          # a config from before the question was kept: a welcome that ran had put it
                          asked_who=raw.get("asked_who", raw.get("welcomed")) is True)
    except FileNotFoundError:
        return UserConfig()
    except (OSError, ValueError, AttributeError, TypeError) as error:
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


def is_first_start(explicit: str | Path | None) -> bool:
    """No workspace given or known, and the welcome never ran: the start the welcome is for."""
    if explicit or os.environ.get("WORKSTATION_WORKSPACE"):
        return False
    config = load_config()
    return not (config.knows_a_workspace or config.welcomed)
