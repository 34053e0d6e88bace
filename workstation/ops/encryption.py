"""Encryption at rest for the window and the command line: who is asked for the passphrase, making
an encrypted workspace, encrypting a plain one in place, and what to say about plain exports."""

from __future__ import annotations

from pathlib import Path

from workstation.casefile import encryption
from workstation.casefile.encrypt_in_place import EncryptResult, Progress, encrypt_workspace
from workstation.casefile.encryption import PassphraseRequest, PassphraseSource
from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError

__all__ = ["EncryptResult", "PassphraseRequest", "PassphraseSource", "create_encrypted_workspace",
           "encrypt_in_place", "export_notice", "is_encrypted", "needs_passphrase", "start_session", "unlock"]

#: The words the window shows when a letter, packet or CSV leaves an encrypted workspace.
EXPORT_NOTICE = ("This workspace is encrypted, but the file you save is not: keep it on an encrypted disk, "
                 "and delete it once it has been sent.")
PASSPHRASE_ENV = "WORKSTATION_PASSPHRASE"


def start_session(source: PassphraseSource | None) -> None:
    """A new session: no key is held, and `source` is asked for passphrases from now on."""
    encryption.forget_keys()
    encryption.set_passphrase_source(source)


def is_encrypted(root: Path) -> bool:
    """Whether the workspace at `root` is encrypted (its marker file is there)."""
    return encryption.is_encrypted_workspace(Path(root))


def needs_passphrase(root: Path) -> bool:
    """An encrypted workspace whose key this session does not hold yet."""
    return is_encrypted(root) and not encryption.is_unlocked(Path(root))


def unlock(root: Path, passphrase: str) -> None:
    """Check the passphrase against the workspace's marker and hold its key for the session;
    WrongPassphrase (one sentence) when it is not the one, with nothing read or written."""
    encryption.unlock_workspace(Path(root), passphrase)


def create_encrypted_workspace(root: Path, passphrase: str) -> Workspace:
    """An empty encrypted workspace (`workstation init --encrypt`, File > New workspace)."""
    _check_new_passphrase(passphrase)
    return Workspace.create(Path(root), passphrase=passphrase)


def encrypt_in_place(root: Path, passphrase: str, *, progress: Progress | None = None) -> EncryptResult:
    """Encrypt a plain workspace file by file (`workstation encrypt`); run again, it finishes the job."""
    if not is_encrypted(root):
        _check_new_passphrase(passphrase)
    return encrypt_workspace(Path(root), passphrase, progress=progress)


def export_notice(root: Path | None) -> str | None:
    """What to tell the user before a file leaves an encrypted workspace (None for a plain one)."""
    return EXPORT_NOTICE if root is not None and is_encrypted(root) else None


def _check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < 8:
        raise UserError("A passphrase needs at least 8 characters (a few words are easiest to remember); "
                        "nothing was changed.")
