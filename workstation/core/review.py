"""The review checklist a case's denial reasons call for, and the evidence they need.

Steps come from each reason code's own review steps in the code book, or from its category's
(`resources/codes/review_steps.toml`); several reasons merge their steps without duplicates.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache

from workstation.core.codebook import CodeBook
from workstation.core.model import Case
from workstation.core.resources import resource_path
from workstation.core.vocabulary import EvidenceKind


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
    with resource_path("codes", "review_steps.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    return {name: CategoryDefaults(tuple(v["steps"]), tuple(EvidenceKind(k) for k in v["evidence"]))
            for name, v in raw.items()}


def step_key(text: str) -> str:
    """A stable key for a step's state: its words, lower case, without punctuation."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def _steps_for(carc: str, book: CodeBook) -> tuple[str, ...]:
    entry = book.reason(carc)
    if entry.review:
        return entry.review
    defaults = category_defaults()
    return defaults.get(entry.category, defaults["other"]).steps


def checklist(case: Case, book: CodeBook, records: dict[str, StepRecord]) -> list[ChecklistStep]:
    """The merged steps for every reason that opened the case, with what was recorded."""
    order: dict[str, tuple[str, list[str]]] = {}
    for adjustment in (a for a in case.adjustments if a.opens_case):
        for text in _steps_for(adjustment.carc, book):
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
    """The kinds of document the case's reasons call for, in the order they first appear."""
    needed: dict[EvidenceKind, None] = {}
    for adjustment in (a for a in case.adjustments if a.opens_case):
        entry = book.reason(adjustment.carc)
        kinds = entry.evidence or category_defaults().get(entry.category, category_defaults()["other"]).evidence
        for kind in kinds:
            if kind is not EvidenceKind.OTHER:  # "anything else" is not a need to report
                needed.setdefault(kind, None)
    return list(needed)
