"""Bulk actions on the cases chosen in the worklist: assign, change status, write off small balances.

Each case is changed in its own transaction. A case that cannot be changed (the workflow refuses,
another window holds it, its file is read-only or unreadable) is skipped and named in one
sentence; the others are done. The result carries every case's `Changes` merged into one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.casefile.grouped_changes import record_steps, write_off_case
from workstation.casefile.workspace import Workspace
from workstation.core.changes import Changes
from workstation.core.errors import InvalidValue, StaleEdit, UserError
from workstation.core.model import Case, StepNote
from workstation.core.money import dollars, money
from workstation.core.review import ChecklistStep, StepState
from workstation.core.vocabulary import Status
from workstation.ops.review import check_status_change

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
CaseChange = Callable[[CaseFile, Case], Changes]

#: The write-off limit offered first: balances at or under it are "small".
DEFAULT_WRITE_OFF_LIMIT = Decimal("25.00")


@dataclass(frozen=True)
class Refusal:
    """A case left as it was, and the one sentence that says why."""

    path: Path
    sentence: str


@dataclass(frozen=True)
class BulkResult:
    """What a bulk action did: the cases changed, those already so, those refused, those not reached."""

    verb: str  # "assigned to dana", "moved to In review", "written off"
    done: tuple[Path, ...]
    unchanged: tuple[Path, ...]
    refusals: tuple[Refusal, ...]
    changes: Changes
    not_reached: int = 0  # cancelled before these were tried

    def summary(self) -> str:
        """One line for the biller: "3 cases written off; 1 already was; 2 not changed"."""
        parts = [f"{_cases(len(self.done))} {self.verb}"]
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} already {'was' if len(self.unchanged) == 1 else 'were'}")
        if self.refusals:
            parts.append(f"{len(self.refusals)} not changed")
        if self.not_reached:
            parts.append(f"cancelled before the last {_cases(self.not_reached)}, left as they were")
        return "; ".join(parts) + "."


def _cases(count: int) -> str:
    return f"{count} case" if count == 1 else f"{count} cases"


def assign_cases(workspace: Workspace, paths: Sequence[Path], *, assignee: str, actor: str,
                 progress: Progress | None = None, cancelled: Cancelled | None = None) -> BulkResult:
    """Give every chosen case to one person ("" for nobody)."""
    login = assignee.strip()

    def assign(case_file: CaseFile, case: Case) -> Changes:
        return case_file.set_field("case.assignee", login, actor=actor, expected=case.assignee)

    verb = f"assigned to {login}" if login else "left with nobody assigned"
    return _each_case(workspace, paths, assign, verb=verb, progress=progress, cancelled=cancelled)


def set_cases_status(workspace: Workspace, paths: Sequence[Path], *, status: Status | str, actor: str,
                     progress: Progress | None = None, cancelled: Cancelled | None = None) -> BulkResult:
    """Move every chosen case to one status where the workflow allows it (a case is not won
    before it is submitted); the others are named."""
    target = Status(status)

    def move(case_file: CaseFile, case: Case) -> Changes:
        check_status_change(case, target)
        return case_file.set_field("case.status", target, actor=actor, expected=case.status)

    return _each_case(workspace, paths, move, verb=f"moved to {target.label.lower()}",
                      progress=progress, cancelled=cancelled)


def write_off_small_balances(workspace: Workspace, paths: Sequence[Path], *, limit: Decimal | str, reason: str,
                             actor: str, progress: Progress | None = None,
                             cancelled: Cancelled | None = None) -> BulkResult:
    """Write off the chosen cases with no more than `limit` at stake, the reason logged in each;
    a case over the limit, or one the workflow keeps from a write-off, is named."""
    ceiling, why = write_off_terms(limit, reason)

    def write_off(case_file: CaseFile, case: Case) -> Changes:
        if case.status is Status.WRITTEN_OFF:
            return Changes(case_path=case_file.path)
        if case.amount_at_stake > ceiling:
            raise InvalidValue(f"{dollars(case.amount_at_stake)} at stake is over the {dollars(ceiling)} limit, "
                               "so it was not written off.")
        check_status_change(case, Status.WRITTEN_OFF)
        return write_off_case(case_file, reason=why, at_stake=case.amount_at_stake, expected=case.status,
                              actor=actor)

    return _each_case(workspace, paths, write_off, verb="written off", progress=progress, cancelled=cancelled)


def set_steps(case_file: CaseFile, steps: Sequence[ChecklistStep], state: StepState, *, actor: str,
              note: str = "") -> Changes:
    """Mark several review steps of one case done / not applicable / open, with who, when and a
    note, as one action (one transaction, one activity entry)."""
    at = datetime.now().replace(microsecond=0)
    return record_steps(case_file, [(StepNote(step.key, state.value, actor, at, note.strip()), step.text)
                                    for step in steps], actor=actor)


def write_off_terms(limit: Decimal | str, reason: str) -> tuple[Decimal, str]:
    """The limit as money and the reason, or a sentence saying what is missing."""
    ceiling = money(limit)
    if ceiling < 0:
        raise InvalidValue("The write-off limit cannot be below zero; type an amount such as 25.00.")
    why = " ".join(reason.split())
    if not why:
        raise InvalidValue("Give a reason for the write-off; it goes into each case's activity log.")
    return ceiling, why


def _each_case(workspace: Workspace, paths: Sequence[Path], change: CaseChange, *, verb: str,
               progress: Progress | None, cancelled: Cancelled | None) -> BulkResult:
    """Apply `change` to each case in turn; refusals are collected, never raised."""
    workspace.require_writable()
    done: list[Path] = []
    unchanged: list[Path] = []
    refusals: list[Refusal] = []
    parts: list[Changes] = []
    for number, path in enumerate(paths):
        if cancelled is not None and cancelled():
            break
        outcome = _change_one(Path(path), change)
        if isinstance(outcome, Refusal):
            refusals.append(outcome)
        elif outcome.nothing:
            unchanged.append(Path(path))
        else:
            done.append(Path(path))
            parts.append(outcome)
        if progress is not None:
            progress(number + 1, len(paths))
    tried = len(done) + len(unchanged) + len(refusals)
    return BulkResult(verb, tuple(done), tuple(unchanged), tuple(refusals), Changes.merged(parts),
                      not_reached=len(paths) - tried)


def _change_one(path: Path, change: CaseChange) -> Changes | Refusal:
    """One case in its own transaction; a refusal names the case (patient and claim, else the file)."""
    who = path.name
    try:
        with CaseFile.open(path) as case_file:
            case = case_file.load()
            who = case_label(case, path)
            return change(case_file, case)
    except StaleEdit:
        return Refusal(path, f"{who}: it was changed in another window at the same moment, so it was left "
                             "as it is; try again.")
    except UserError as error:
        message = str(error)
        return Refusal(path, message if message.startswith(path.name) and who == path.name else f"{who}: {message}")


def case_label(case: Case, path: Path) -> str:
    """How a refusal names a case: "VAN DÉMO, AVERY (claim 123)", or the file name."""
    name = case.patient.display_name or path.name
    number = case.claim.payer_claim_number
    return f"{name} (claim {number})" if number else name
