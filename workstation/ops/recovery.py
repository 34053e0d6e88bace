"""What the biller is told after a crash: a change the program was making when it stopped is
rolled back when the case is next opened, and the case's activity log says so."""

from __future__ import annotations

from workstation.casefile.sqlite_file import INTERRUPTED_KIND, INTERRUPTED_MESSAGE
from workstation.core.model import Case


def interrupted_notice(case: Case) -> str:
    """The sentence to show above the case while its last entry says an interrupted change was
    undone (nothing has been done to it since); empty otherwise."""
    if case.activity and case.activity[-1].kind == INTERRUPTED_KIND:
        return INTERRUPTED_MESSAGE
    return ""
