"""Errors with owners: a UserError is something a biller can fix; anything else is a bug."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can act on; the message is one plain sentence saying what to do."""


class NotACaseFile(UserError):
    """The file is not SQLite, or is SQLite written by another program."""


class NewerCaseFile(UserError):
    """The file was written by a newer version of the workstation."""


class DamagedCaseFile(UserError):
    """The file is ours but cannot be read completely (truncated, corrupt)."""


class CaseInUse(UserError):
    """Another window or program holds the case right now."""


class StaleEdit(UserError):
    """The case changed elsewhere since it was shown; the edit was not applied."""


class ReadOnly(UserError):
    """The case or workspace is in a place the program may not write."""


class NotAWorkspace(UserError):
    """A folder given as a workspace is not one."""


class DamagedWorkspace(UserError):
    """workspace.sqlite cannot be read; a backup may be restored."""

    def __init__(self, message: str, *, backup: str | None = None) -> None:
        super().__init__(message)
        self.backup = backup


class InvalidValue(UserError):
    """A value typed by the user does not parse (a date, an amount)."""


class DiskFull(UserError):
    """The disk filled up while writing; nothing was changed."""


class WorkspaceBusy(UserError):
    """Another import holds the workspace's import lock for longer than we wait."""


class PassphraseNeeded(UserError):
    """An encrypted workspace or case file was reached and nobody gave its passphrase."""


class WrongPassphrase(UserError):
    """The passphrase given does not open the encrypted workspace or case file; nothing was read or written."""
