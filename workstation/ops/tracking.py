"""Tracking a case after it is sent: submissions, decisions, escalation to the next level."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.core.changes import Changes
from workstation.core.deadlines import Deadline, Outcome, current_level, deadline_for, facts_of
from workstation.core.errors import InvalidValue, UserError
from workstation.core.model import DecisionRecord, Submission
from workstation.core.payer_kinds import Ladder
from workstation.core.vocabulary import EvidenceKind, Route, Status
from workstation.ops.evidence import attach_one, attachment_limit, title_from_file_name

METHODS = ("mail", "fax", "portal", "other")


class NeedsConfirmation(UserError):
    """Something looks wrong (a decision dated before its submission); ask before saving."""


class NothingSent(UserError):
    """A decision at a level with no sending recorded there; ask for the reason before saving."""


@dataclass(frozen=True)
class DecisionResult:
    changes: Changes
    next_level: Deadline | None  # after a loss: the next level and its new deadline


def record_submission(case_file: CaseFile, *, sent: date, method: str, actor: str, tracking: str = "",
                      level: int | None = None, packet: Path | None = None, today: date | None = None) -> Changes:
    """Record what was sent; a corrected claim makes the case `resubmitted`, an appeal `submitted`."""
    if method not in METHODS:
        raise InvalidValue(f"'{method}' is not a way of sending; choose one of {', '.join(METHODS)}.")
    if sent > (today or date.today()):
        raise InvalidValue(f"The date sent ({sent.isoformat()}) is in the future; enter the day it went out.")
    case = case_file.load()
    level = level or current_level(facts_of(case))[0]
    status = Status.RESUBMITTED if case.route is Route.RESUBMIT else Status.SUBMITTED
    with _one_action(case_file, actor, "submission", f"Sent at level {level} with the packet kept in the case",
                     several=packet is not None):
        packet_id = _attach(case_file, packet, EvidenceKind.CORRESPONDENCE, "Packet sent", actor, included=False)
        return case_file.record_submission(Submission(sent, level, method, tracking.strip(), packet_id, actor),
                                           actor=actor, status=status)


def record_decision(case_file: CaseFile, ladder: Ladder, *, decided: date, outcome: Outcome, actor: str,
                    recovered: Decimal = Decimal("0.00"), reference: str = "", letter: Path | None = None,
                    confirmed: bool = False, without_submission_reason: str = "",
                    today: date | None = None) -> DecisionResult:
    """Record the payer's decision; a loss offers the next level with its deadline from this decision.

    A decision answers what was sent at its level: with nothing sent there it is refused unless the
    biller says why the payer decided without one (the reason goes into the case's notes)."""
    case = case_file.load()
    if recovered < 0:
        raise InvalidValue("The amount recovered cannot be negative.")
    level = max(current_level(facts_of(case))[0], max((s.level for s in case.submissions), default=0))
    reason = without_submission_reason.strip()
    sent_here = any(s.level == level for s in case.submissions)
    if not sent_here and not reason:
        raise NothingSent(_nothing_sent(case.route, ladder, level))
    last_sent = max((s.date for s in case.submissions), default=None)
    answered = [d for d in case.decisions if d.level == level and last_sent and d.date >= last_sent]
    if answered and not confirmed:  # e.g. decided by the later remittance that paid the claim
        earlier = answered[-1]
        raise NeedsConfirmation(f"A decision at level {level} is already recorded "
                                f"({earlier.outcome.replace('_', ' ')}, {earlier.date.isoformat()}) for what was "
                                f"sent on {last_sent.isoformat()}; confirm to record another.")
    if last_sent and decided < last_sent and not confirmed:
        raise NeedsConfirmation(f"The decision date {decided.isoformat()} is before the case was sent "
                                f"({last_sent.isoformat()}); check the date, or confirm it is right.")
    words = outcome.value.replace("_", " ")
    with _one_action(case_file, actor, "decision", f"Decision recorded at level {level}: {words}",
                     several=letter is not None or not sent_here):
        letter_id = _attach(case_file, letter, EvidenceKind.DECISION_LETTER, "Decision letter", actor,
                            included=True)
        decision = DecisionRecord(decided, level, outcome.value, recovered, reference.strip(), letter_id, actor)
        changes = case_file.record_decision(decision, actor=actor, status=outcome.status)
        if not sent_here:
            case_file.add_note(f"Decision at level {level} recorded with nothing sent at that level: {reason}",
                               actor=actor)
            changes = replace(changes, notes=True)
    after = case_file.load()
    next_level = deadline_for(facts_of(after), ladder, today=today or date.today()) if outcome.adverse else None
    return DecisionResult(changes, next_level)


def _nothing_sent(route: Route | None, ladder: Ladder, level: int) -> str:
    if route is Route.RESUBMIT:
        what = "No corrected claim was recorded as sent"
    else:
        name = f" ({ladder.levels[level - 1].name})" if level <= len(ladder.levels) else ""
        what = f"No appeal was recorded as sent at level {level}{name}"
    return (f"{what}; record the sending first, with its date and method, or confirm that the payer "
            "decided without one.")


def escalate(case_file: CaseFile, next_level: Deadline, *, actor: str) -> Changes:
    """Start work on the next level of the ladder (the case goes back to in review)."""
    with case_file.change(actor, "escalate", f"Escalated to level {next_level.level} ({next_level.level_name})"):
        changes = case_file.set_field("case.status", Status.IN_REVIEW, actor=actor)
        case_file.add_note(f"Escalated to level {next_level.level} ({next_level.level_name}): {next_level.basis}",
                           actor=actor)
    return replace(changes, notes=True)


def _one_action(case_file: CaseFile, actor: str, kind: str, message: str, *,
                several: bool) -> contextlib.AbstractContextManager:
    """Several writes that are one user action: one transaction and one undo step, logged under
    `message` as well as each part; a single write needs no wrapping."""
    return case_file.change(actor, kind, message) if several else contextlib.nullcontext()


def _attach(case_file: CaseFile, path: Path | None, kind: EvidenceKind, title: str, actor: str, *,
            included: bool) -> int | None:
    if path is None:
        return None
    attach_one(case_file, Path(path), actor=actor, kind=kind, title=f"{title}: {title_from_file_name(Path(path))}",
               document_date=None, limit=attachment_limit(case_file.path))
    doc = case_file.evidence.list()[-1]
    if not included:
        case_file.evidence.set_included(doc.id, False, actor=actor)
    return doc.id
