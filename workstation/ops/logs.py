"""Logging to a file in the user's log folder. Messages name files and counts, never patients:
case file names carry no patient data, and no code here logs case contents."""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from workstation.ops.user_config import APP_NAME


def log_dir() -> Path:
    return Path(os.environ.get("WORKSTATION_LOG_DIR") or platformdirs.user_log_dir(APP_NAME))


def configure_logging() -> Path | None:
    """Send warnings and above to a rotating file; without a writable folder, stay silent."""
    root = logging.getLogger()
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return None
    path = log_dir() / "workstation.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
