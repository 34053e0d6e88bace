"""What the first-run welcome does: a workspace of one's own, its letterhead, and who is working.

Each step is its own op, so a step the biller skips leaves nothing behind, and every step can be
done again later in Settings (Practice profile, Workspace users, Preferences)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from workstation.casefile.workspace import Workspace
from workstation.core.changes import Changes
from workstation.core.errors import UserError
from workstation.core.workspace_model import PracticeProfile, User
from workstation.ops.user_config import load_config, save_config

IMAGE_LIMIT = 2 * 1024 * 1024
IMAGE_NAMES = ("logo", "signature")
_INITIALS = re.compile(r"[A-Za-z]{1,4}")


def create_own_workspace(root: Path) -> Path:
    """An empty workspace in `root`, remembered as the one to open; returns its folder."""
    with Workspace.create(Path(root).expanduser()) as workspace:
        folder = workspace.root.resolve()
    config = load_config()
    config.remember(folder)
    save_config(config)
    return folder


def save_practice_profile(root: Path, profile: PracticeProfile, images: Mapping[str, bytes | None]) -> Changes:
    """The letterhead of the workspace in `root`: the profile and any logo or signature given."""
    with Workspace.open(Path(root), backup=False) as workspace:
        workspace.require_writable()
        workspace.set_practice(profile)
        for name in IMAGE_NAMES:
            if images.get(name):
                workspace.set_practice_image(name, images[name])
    return Changes(workspace=True)


def read_practice_image(path: Path) -> bytes:
    """A PNG or JPEG of at most 2 MB (a logo, a scanned signature)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise UserError(f"{Path(path).name} cannot be read ({error.strerror}).") from None
    if not data.startswith((b"\x89PNG", b"\xff\xd8\xff")):
        raise UserError(f"{Path(path).name} is not a PNG or JPEG image; save the logo or signature as one of those.")
    if len(data) > IMAGE_LIMIT:
        raise UserError(f"{Path(path).name} is larger than 2 MB; use a smaller image for the letterhead.")
    return data


def initials_of(name: str) -> str:
    """The first letter of each word of a name, at most four ("Dana Q. Example" gives DQE)."""
    return "".join(word[0] for word in re.findall(r"[^\W\d_]+", name))[:4].upper()


def introduce_user(*, name: str, initials: str, workspace: Path | None = None) -> Changes:
    """Remember who is working here (the initials sign every activity entry); with `workspace`,
    also make them one of its users, so cases can be assigned to them."""
    name, initials = " ".join(name.split()), initials.strip().upper() or initials_of(name)
    if not _INITIALS.fullmatch(initials):
        raise UserError("Type your initials as one to four letters (for example DE); they sign every "
                        "change you make to a case.")
    config = load_config()
    config.current_user, config.display_name = initials, name
    save_config(config)
    if workspace is None:
        return Changes()
    with Workspace.open(Path(workspace), backup=False) as opened:
        opened.require_writable()
        others = [u for u in opened.users() if u.login != initials]
        opened.set_users([*others, User(initials, name)])
    return Changes(workspace=True)


def finish_welcome() -> None:
    """The welcome ran (finished or skipped): it is not shown again."""
    config = load_config()
    config.welcomed = True
    save_config(config)
