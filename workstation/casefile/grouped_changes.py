"""Changes that touch several parts of a case in one transaction (one user action, one activity
entry): a write-off (status, route and the biller's reason), several checklist steps at once."""

from __future__ import annotations

from decimal import Decimal

from workstation.casefile.case_file import CaseFile
from workstation.casefile.case_rows import upsert_step
from workstation.core.changes import Changes
from workstation.core.errors import StaleEdit
from workstation.core.model import StepNote
from workstation.core.money import dollars
from workstation.core.vocabulary import Route, Status

_STATE_WORDS = {"open": "reopened", "done": "done", "na": "not applicable"}


def write_off_case(case_file: CaseFile, *, reason: str, at_stake: Decimal, expected: Status, actor: str) -> Changes:
    """Mark the case written off with the biller's reason, logged in its activity; refused when its
    status changed elsewhere since it was read (`expected`)."""
    with case_file.change(actor, "edit", "") as change:
        status = Status(case_file.conn.execute("SELECT status FROM case_info").fetchone()[0])
        if status is not expected:
            raise StaleEdit(f"{case_file.path.name} was changed in another window (it is now "
                            f"{status.label.lower()}); it was not written off.")
        case_file.conn.execute("UPDATE case_info SET status = ?, route = ?, route_reason = ?",
                               (Status.WRITTEN_OFF.value, Route.WRITE_OFF.value, reason))
        change.message = (f"Status: {status.label} -> {Status.WRITTEN_OFF.label} "
                          f"({dollars(at_stake)} at stake); reason: {reason}")
    return Changes(case_path=case_file.path, fields=frozenset({"case.status", "case.route"}),
                   worklist=True, activity=True)


def record_steps(case_file: CaseFile, records: list[tuple[StepNote, str]], *, actor: str) -> Changes:
    """Record several checklist steps (each with its text) in one transaction and one log entry."""
    if not records:
        return Changes(case_path=case_file.path)
    word = _STATE_WORDS[records[0][0].state]
    texts = "; ".join(text for _record, text in records)
    message = f"Step {word}: {texts}" if len(records) == 1 else f"{len(records)} steps {word}: {texts}"
    with case_file.change(actor, "review", message):
        for record, _text in records:
            upsert_step(case_file.conn, record)
    return Changes(case_path=case_file.path, activity=True, worklist=True)
