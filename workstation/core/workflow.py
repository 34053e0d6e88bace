"""Which status may follow which, and when choosing a route needs a reason."""

from __future__ import annotations

from workstation.core.codebook import CodeBook
from workstation.core.model import Case
from workstation.core.vocabulary import Appealable, Route, Status

S = Status
_WORKING = {S.IN_REVIEW, S.GATHERING_EVIDENCE, S.READY_TO_SEND}
_GIVE_UP = {S.RESUBMITTED, S.WRITTEN_OFF, S.CLOSED}

#: What a biller may move a case to from each status (a case is not won before it is submitted).
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.NEW: frozenset(_WORKING | _GIVE_UP),
    S.IN_REVIEW: frozenset({S.NEW, S.GATHERING_EVIDENCE, S.READY_TO_SEND} | _GIVE_UP),
    S.GATHERING_EVIDENCE: frozenset({S.IN_REVIEW, S.READY_TO_SEND} | _GIVE_UP),
    S.READY_TO_SEND: frozenset({S.SUBMITTED, S.IN_REVIEW, S.GATHERING_EVIDENCE} | _GIVE_UP),
    S.SUBMITTED: frozenset({S.WON, S.PARTIALLY_WON, S.LOST, S.DISMISSED, S.READY_TO_SEND, S.CLOSED}),
    S.WON: frozenset({S.CLOSED}),
    S.PARTIALLY_WON: frozenset({S.IN_REVIEW, S.READY_TO_SEND, S.WRITTEN_OFF, S.CLOSED}),
    S.LOST: frozenset({S.IN_REVIEW, S.READY_TO_SEND, S.WRITTEN_OFF, S.CLOSED}),
    S.DISMISSED: frozenset({S.IN_REVIEW, S.READY_TO_SEND, S.WRITTEN_OFF, S.CLOSED}),
    S.RESUBMITTED: frozenset({S.WON, S.PARTIALLY_WON, S.LOST, S.IN_REVIEW, S.WRITTEN_OFF, S.CLOSED}),
    S.WRITTEN_OFF: frozenset({S.IN_REVIEW, S.CLOSED}),
    S.CLOSED: frozenset({S.IN_REVIEW}),
}


def allowed_next(status: Status) -> list[Status]:
    """The statuses a biller may choose from here, in the vocabulary's order (current first)."""
    return [status] + [s for s in Status if s in TRANSITIONS[status]]


def transition_problem(old: Status, new: Status) -> str:
    """Why a move is not allowed, or "" when it is."""
    if new is old or new in TRANSITIONS[old]:
        return ""
    choices = ", ".join(s.label.lower() for s in allowed_next(old)[1:])
    return f"A case cannot go from {old.label.lower()} to {new.label.lower()}; from here choose {choices}."


def appeal_blockers(case: Case, book: CodeBook) -> list[str]:
    """Codes on the case that say an appeal is not possible (CO-253, MA130, N211 ...)."""
    blockers = [a.code for a in case.adjustments
                if a.opens_case and a.amount > 0 and book.reason(a.carc).appealable is Appealable.NO]
    blockers += [r.code for r in case.remarks if book.remark(r.code).effect in ("no_appeal", "no_appeal_resubmit")]
    return list(dict.fromkeys(blockers))


def route_needs_reason(case: Case, route: Route | None, book: CodeBook) -> list[str]:
    """The blocking codes when the chosen route is an appeal the code book advises against."""
    return appeal_blockers(case, book) if route is Route.APPEAL else []
