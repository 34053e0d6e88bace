"""The shared vocabulary of DESIGN.md section 2a, defined once for every layer."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where a case stands in the biller's workflow."""

    NEW = "new"
    IN_REVIEW = "in_review"
    GATHERING_EVIDENCE = "gathering_evidence"
    READY_TO_SEND = "ready_to_send"
    SUBMITTED = "submitted"
    WON = "won"
    PARTIALLY_WON = "partially_won"
    LOST = "lost"
    DISMISSED = "dismissed"
    RESUBMITTED = "resubmitted"
    WRITTEN_OFF = "written_off"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_open(self) -> bool:
        return self not in CLOSED_STATUSES


CLOSED_STATUSES = frozenset({Status.WON, Status.WRITTEN_OFF, Status.CLOSED})


def is_open_status(value: str) -> bool:
    """Whether a status as stored ("new", "won") is an open one, without making its Status (the
    report asks it of every worklist row, three times over)."""
    return bool(value) and value not in CLOSED_STATUSES  # a StrEnum member hashes as its value


class Route(StrEnum):
    """What the biller does about a denial, most actionable first."""

    APPEAL = "appeal"
    RESUBMIT = "resubmit"
    OTHER_PAYER = "other_payer"
    INQUIRY = "inquiry"
    BILL_PATIENT = "bill_patient"
    WRITE_OFF = "write_off"

    @property
    def label(self) -> str:
        return ROUTE_LABELS[self]


ROUTE_LABELS = {
    Route.APPEAL: "Appeal",
    Route.RESUBMIT: "Corrected claim",
    Route.OTHER_PAYER: "Bill another payer",
    Route.INQUIRY: "Inquiry",
    Route.BILL_PATIENT: "Bill patient",
    Route.WRITE_OFF: "Write off",
}

#: Order of DESIGN.md section 2a: the case's route is the first of these any adjustment has.
ROUTE_PRIORITY: tuple[Route, ...] = tuple(Route)


def most_actionable(routes: list[Route]) -> Route | None:
    """The route a case takes from its adjustments' routes (appeal beats resubmit ...)."""
    present = set(routes)
    return next((route for route in ROUTE_PRIORITY if route in present), None)


class EvidenceKind(StrEnum):
    """What a document in the case proves."""

    MEDICAL_RECORDS = "medical_records"
    AUTHORIZATION = "authorization"
    REMITTANCE = "remittance"
    NECESSITY_LETTER = "necessity_letter"
    TIMELY_FILING_PROOF = "timely_filing_proof"
    CORRESPONDENCE = "correspondence"
    POLICY = "policy"
    DECISION_LETTER = "decision_letter"
    OTHER = "other"


class PayerKind(StrEnum):
    """The kind of payer, which decides the default appeal ladder."""

    MEDICARE = "medicare"
    MEDICARE_ADVANTAGE = "medicare_advantage"
    MEDICAID = "medicaid"
    ERISA = "erisa"
    COMMERCIAL = "commercial"
    WORKERS_COMP = "workers_comp"
    TRICARE = "tricare"
    VA = "va"
    OTHER = "other"


class Appealable(StrEnum):
    """Practice guidance on whether a code is worth appealing (not X12 text)."""

    YES = "yes"
    SOMETIMES = "sometimes"
    NO = "no"
