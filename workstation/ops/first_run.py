"""What the first-run welcome does: a workspace of one's own, its letterhead, and who is working.

Each step is its own op, so a step the biller skips leaves nothing behind, and every step can be
done again later in Settings (Practice profile, Workspace users, Preferences)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from workstation.casefile.workspace import Workspace, is_workspace
from workstation.core.changes import Changes
from workstation.core.errors import UserError
from workstation.core.workspace_model import PracticeProfile, User
from workstation.ops.settings import save_practice, save_users
from workstation.ops.user_config import load_config, save_config

IMAGE_LIMIT = 2 * 1024 * 1024
IMAGE_NAMES = ("logo", "signature")
_INITIALS = re.compile(r"[A-Za-z]{1,4}")


@dataclass(frozen=True)
class OwnWorkspace:
    root: Path
    created: bool  # False: the folder was a workspace already (its profile and users are kept)


def own_workspace(root: Path) -> OwnWorkspace:
    """The biller's workspace in `root`: made there if the folder is new or empty, opened if it
    is one already; remembered as the one to open either way."""
    root = Path(root).expanduser()
    created = not is_workspace(root)
    with Workspace.create(root) if created else Workspace.open(root, backup=False) as workspace:
        folder = workspace.root.resolve()
    config = load_config()
    config.remember(folder)
    save_config(config)
    return OwnWorkspace(folder, created)


def save_practice_profile(root: Path, profile: PracticeProfile, images: Mapping[str, bytes | None]) -> Changes:
    """The letterhead of the workspace in `root`: the profile and any logo or signature given."""
    chosen = {name: data for name, data in images.items() if name in IMAGE_NAMES and data}
    with Workspace.open(Path(root), backup=False) as workspace:
        workspace.require_writable()
        return save_practice(workspace, profile, chosen)


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
    config.current_user, config.display_name, config.asked_who = initials, name, True
    save_config(config)
    if workspace is None:
        return Changes()
    with Workspace.open(Path(workspace), backup=False) as opened:
        opened.require_writable()
        others = [u for u in opened.users() if u.login != initials]
        return save_users(opened, [*others, User(initials, name)])


def finish_welcome(*, asked_who: bool) -> None:
    """The welcome ran (finished or skipped): it is not shown again; with `asked_who` (its "who
    are you?" step was shown), neither is that question."""
    config = load_config()
    config.welcomed = True
    config.asked_who = config.asked_who or asked_who
    save_config(config)


def decline_to_say_who() -> None:
    """The biller skipped "who is working here?": changes stay signed with the login name, and
    the question is not put again (Preferences sets a name later)."""
    config = load_config()
    config.asked_who = True
    save_config(config)
