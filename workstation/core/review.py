"""The review checklist a case's denial reasons call for, and the evidence they need.

Each adjustment's steps follow the route it took (`CodeBook.review_for`): a reason on its own route
has its own review steps in the code book, or its category's (`resources/codes/review_steps.toml`);
a reason whose group or remark changed the route has that route's steps
(`resources/codes/route_steps.toml`). Several reasons merge their steps without duplicates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache

from workstation.core.codebook import CodeBook, shipped_categories
from workstation.core.model import Adjustment, Case
from workstation.core.vocabulary import EvidenceKind, Route


class StepState(StrEnum):
    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "na"

    @property
    def label(self) -> str:
        return {"open": "Open", "done": "Done", "na": "Not applicable"}[self.value]


@dataclass(frozen=True)
class StepRecord:
    """What the biller recorded for a step: state, who, when, a note."""

    key: str
    state: StepState
    by: str = ""
    at: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class ChecklistStep:
    key: str
    text: str
    codes: tuple[str, ...]  # the reasons that call for it
    record: StepRecord

    @property
    def state(self) -> StepState:
        return self.record.state


@dataclass(frozen=True)
class CategoryDefaults:
    steps: tuple[str, ...]
    evidence: tuple[EvidenceKind, ...]


@cache
def category_defaults() -> dict[str, CategoryDefaults]:
    return {name: CategoryDefaults(review.steps, review.evidence) for name, review in shipped_categories().items()}


def step_key(text: str) -> str:
    """A stable key for a step's state: its words, lower case, without punctuation."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def adjustment_route(adjustment: Adjustment, case: Case, book: CodeBook) -> Route:
    """The route the adjustment took: the one intake stored, else the one the code book decides."""
    if adjustment.route is not None:
        return adjustment.route
    remarks = [r.code for r in case.remarks if r.line_number is None or r.line_number == adjustment.line_number]
    return book.decide(adjustment.group, adjustment.carc, adjustment.amount, remarks).route


def _steps_for(adjustment: Adjustment, case: Case, book: CodeBook) -> tuple[str, ...]:
    return book.review_for(adjustment.carc, adjustment_route(adjustment, case, book)).steps


def checklist(case: Case, book: CodeBook, records: dict[str, StepRecord]) -> list[ChecklistStep]:
    """The merged steps for every reason that opened the case, each for the route it took."""
    order: dict[str, tuple[str, list[str]]] = {}
    for adjustment in (a for a in case.adjustments if a.opens_case):
        for text in _steps_for(adjustment, case, book):
            key = step_key(text)
            entry = order.setdefault(key, (text, []))
            if adjustment.code not in entry[1]:
                entry[1].append(adjustment.code)
    return [ChecklistStep(key, text, tuple(codes), records.get(key, StepRecord(key, StepState.OPEN)))
            for key, (text, codes) in order.items()]


def case_checklist(case: Case, book: CodeBook) -> list[ChecklistStep]:
    """The checklist with the states recorded in the case."""
    records = {s.key: StepRecord(s.key, StepState(s.state), s.by, s.at, s.note) for s in case.steps}
    return checklist(case, book, records)


def progress(steps: list[ChecklistStep]) -> tuple[int, int]:
    """(settled, total): done or not applicable, out of all steps."""
    return sum(1 for s in steps if s.state is not StepState.OPEN), len(steps)


def evidence_needed(case: Case, book: CodeBook) -> list[EvidenceKind]:
    """The kinds of document the case's reasons call for (on the routes they took), in first-seen order."""
    needed: dict[EvidenceKind, None] = {}
    for adjustment in (a for a in case.adjustments if a.opens_case):
        for kind in book.review_for(adjustment.carc, adjustment_route(adjustment, case, book)).evidence:
            if kind is not EvidenceKind.OTHER:  # "anything else" is not a need to report
                needed.setdefault(kind, None)
    return list(needed)


def evidence_held(case: Case) -> set[EvidenceKind]:
    """The kinds of evidence the case holds: its documents' kinds, and the remittance when the case
    came from an 835 (its facts are in the case; the packet encloses them as the remittance advice)."""
    held = {doc.kind for doc in case.evidence}
    if case.remittances:
        held.add(EvidenceKind.REMITTANCE)
    return held
