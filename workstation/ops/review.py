"""Guided review: the checklist, the route decision, the status workflow and the call log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workstation.casefile.case_file import CaseFile
from workstation.core.changes import Changes
from workstation.core.codebook import codebook
from workstation.core.errors import InvalidValue, UserError
from workstation.core.fields import editable_field
from workstation.core.model import CallRecord, Case, StepNote
from workstation.core.review import (
    ChecklistStep,
    StepState,
    case_checklist,
    evidence_held,
    evidence_needed,
    progress,
)
from workstation.core.vocabulary import EvidenceKind, Route, Status
from workstation.core.workflow import route_needs_reason, transition_problem


class ReasonRequired(UserError):
    """An appeal the code book advises against needs the biller's reason."""

    def __init__(self, blockers: list[str]) -> None:
        super().__init__(f"The code book says {', '.join(blockers)} cannot be appealed; give a reason to appeal "
                         "anyway (it goes into the activity log).")
        self.blockers = blockers


@dataclass(frozen=True)
class ReviewState:
    steps: list[ChecklistStep]
    needed: list[EvidenceKind]
    missing: list[EvidenceKind]

    @property
    def progress(self) -> tuple[int, int]:
        return progress(self.steps)


def review_state(case: Case) -> ReviewState:
    """The checklist with what was recorded, and which kinds of evidence are still missing (a
    case from an 835 holds its remittance)."""
    steps = case_checklist(case, codebook())
    needed = evidence_needed(case, codebook())
    present = evidence_held(case)
    return ReviewState(steps, needed, [kind for kind in needed if kind not in present])


def set_step(case_file: CaseFile, step: ChecklistStep, state: StepState, *, actor: str, note: str = "") -> Changes:
    """Tick a step done / not applicable / open again, with who, when and a note."""
    record = StepNote(step.key, state.value, actor, datetime.now().replace(microsecond=0), note.strip())
    return case_file.checklist.record(record, text=step.text, actor=actor)


def choose_route(case_file: CaseFile, route: Route | None, *, actor: str, reason: str = "") -> Changes:
    """Set the route; an appeal of a code the book says cannot be appealed needs a reason."""
    case = case_file.load()
    blockers = route_needs_reason(case, route, codebook())
    if blockers and not reason.strip():
        raise ReasonRequired(blockers)
    if not reason.strip() and route is not None:
        reason = _default_reason(case, route)
    return case_file.choose_route(route, reason.strip(), actor=actor)


def _default_reason(case: Case, route: Route) -> str:
    """The code book's reason for the route it advises; a reason given for another route is not kept."""
    if route is not case.derived_route():
        return ""
    if case.route is route:
        return case.route_reason
    remarks = [r.code for r in case.remarks]
    return next(codebook().decide(a.group, a.carc, a.amount, remarks).why
                for a in case.adjustments if a.opens_case and a.route is route)


def check_status_change(case: Case, new: Status | str) -> None:
    """Refuse a move the workflow does not allow (a case is not won before it is submitted)."""
    problem = transition_problem(case.status, editable_field("case.status").parse(new))
    if problem:
        raise InvalidValue(problem)


def check_route_change(case: Case, new: Route | str | None) -> None:
    """An appeal of a code the book says cannot be appealed goes through choose_route, with a reason."""
    route = Route(new) if new else None
    blockers = route_needs_reason(case, route, codebook())
    if blockers:
        raise ReasonRequired(blockers)


def log_call(case_file: CaseFile, call: CallRecord, *, actor: str) -> Changes:
    if not call.party.strip():
        raise InvalidValue("Say who was called (the payer or office); the rest may stay empty.")
    return case_file.calls.add(CallRecord(**{**vars(call), "by": call.by or actor}), actor=actor)
