"""The case and its parts as plain dataclasses: what one case file holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from workstation.core.money import ZERO
from workstation.core.vocabulary import EvidenceKind, PayerKind, Route, Status, most_actionable


@dataclass
class Address:
    line1: str = ""
    line2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""

    def lines(self) -> list[str]:
        """The address as it prints on an envelope, empty parts left out."""
        city_line = " ".join(p for p in (f"{self.city}," if self.city else "", self.state, self.zip) if p)
        return [line for line in (self.line1, self.line2, city_line) if line]


@dataclass
class Person:
    """A patient or an insured person."""

    last_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    date_of_birth: date | None = None
    member_id: str = ""
    group_number: str = ""

    @property
    def display_name(self) -> str:
        """"LAST, FIRST" as billers and the command line write it."""
        if not self.first_name:
            return self.last_name
        return f"{self.last_name}, {self.first_name}"


@dataclass
class Payer:
    name: str = ""
    payer_id: str = ""
    kind: PayerKind = PayerKind.OTHER
    kind_needs_check: bool = False
    address: Address = field(default_factory=Address)
    phone: str = ""


@dataclass
class Provider:
    name: str = ""
    npi: str = ""
    tin: str = ""
    ptan: str = ""
    address: Address = field(default_factory=Address)


@dataclass
class Adjustment:
    """One CAS triplet: group, reason code, amount; on the claim (line_number None) or a line."""

    group: str
    carc: str
    amount: Decimal
    quantity: Decimal | None = None
    line_number: int | None = None
    route: Route | None = None
    opens_case: bool = False

    @property
    def code(self) -> str:
        """"CO-50": group and reason as billers say them."""
        return f"{self.group}-{self.carc}"


@dataclass
class Remark:
    """A remittance advice remark code (RARC) on the claim or a line."""

    code: str
    line_number: int | None = None


@dataclass
class ServiceLine:
    line_number: int
    procedure_code: str
    modifiers: list[str] = field(default_factory=list)
    units: Decimal = Decimal("1")
    service_from: date | None = None
    service_to: date | None = None
    billed: Decimal = ZERO
    allowed: Decimal | None = None
    paid: Decimal = ZERO


@dataclass
class Claim:
    account_number: str = ""
    payer_claim_number: str = ""
    status_code: str = ""
    filing_indicator: str = ""
    facility_code: str = ""
    frequency_code: str = ""
    service_from: date | None = None
    service_to: date | None = None
    billed: Decimal = ZERO
    allowed: Decimal | None = None
    paid: Decimal = ZERO
    patient_responsibility: Decimal = ZERO
    diagnosis_codes: list[str] = field(default_factory=list)


@dataclass
class RemittanceSeen:
    """A remittance the claim appeared on; how the case learned of it."""

    file_sha256: str
    file_name: str
    notice_date: date | None
    payer_claim_number: str
    status_code: str
    paid: Decimal
    check_number: str = ""
    transaction_id: str = ""
    imported_at: datetime | None = None


@dataclass
class Note:
    text: str
    author: str
    created_at: datetime


@dataclass
class Activity:
    """One entry in the append-only log of what happened to the case."""

    at: datetime
    actor: str
    kind: str
    message: str


@dataclass
class EvidenceDoc:
    """A document stored in the case file (its bytes stay in the file until asked for)."""

    id: int
    title: str
    kind: EvidenceKind
    file_name: str
    media_type: str
    size: int
    sha256: str
    included: bool = True
    position: int = 0
    document_date: date | None = None
    added_at: datetime | None = None
    added_by: str = ""


@dataclass
class CallRecord:
    """One phone call with a payer, as a biller logs it."""

    at: datetime
    party: str  # payer or office called
    department: str = ""
    person: str = ""
    phone: str = ""
    reference: str = ""
    summary: str = ""
    follow_up: date | None = None
    by: str = ""
    id: int | None = None


@dataclass
class StepNote:
    """A checklist step's recorded state (see core/review.py)."""

    key: str
    state: str
    by: str = ""
    at: datetime | None = None
    note: str = ""


@dataclass
class Submission:
    """An appeal (or corrected claim) sent to the payer at a level of its ladder."""

    date: date
    level: int
    method: str  # mail, fax, portal, other
    tracking: str = ""
    packet_doc_id: int | None = None
    by: str = ""
    id: int | None = None


@dataclass
class DecisionRecord:
    """What the payer decided at a level."""

    date: date
    level: int
    outcome: str  # won, partially_won, lost, dismissed
    amount_recovered: Decimal = ZERO
    reference: str = ""
    letter_doc_id: int | None = None
    by: str = ""
    id: int | None = None


@dataclass
class Case:
    """One denial: everything a case file holds."""

    case_id: str
    created_at: datetime
    status: Status = Status.NEW
    route: Route | None = None
    route_reason: str = ""
    assignee: str = ""
    notice_date: date | None = None
    notice_date_override: date | None = None
    recovered: Decimal = ZERO
    claim: Claim = field(default_factory=Claim)
    patient: Person = field(default_factory=Person)
    insured: Person = field(default_factory=Person)
    insured_relationship: str = ""
    payer: Payer = field(default_factory=Payer)
    provider: Provider = field(default_factory=Provider)
    lines: list[ServiceLine] = field(default_factory=list)
    adjustments: list[Adjustment] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)
    remittances: list[RemittanceSeen] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    activity: list[Activity] = field(default_factory=list)
    evidence: list[EvidenceDoc] = field(default_factory=list)
    calls: list[CallRecord] = field(default_factory=list)
    steps: list[StepNote] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    decisions: list[DecisionRecord] = field(default_factory=list)
    #: What was at stake when the remittance opened the case (core/triage.py decides it); None
    #: for cases typed by hand and files older than schema 5, which sum their opening adjustments.
    opened_amount: Decimal | None = None
    #: What the biller should know about the remittance behind the case (it does not balance...).
    warnings: list[str] = field(default_factory=list)

    @property
    def amount_at_stake(self) -> Decimal:
        """What opened the case (netted, never more than the claim left unpaid), less what was recovered."""
        opened = self.opened_amount
        if opened is None:
            opened = sum((a.amount for a in self.adjustments if a.opens_case and a.amount > 0), ZERO)
        return max(opened - self.recovered, ZERO)

    @property
    def reasons(self) -> list[str]:
        """The distinct codes that opened the case, in order ("CO-50", ...)."""
        seen: dict[str, None] = {}
        for adjustment in self.adjustments:
            if adjustment.opens_case:
                seen.setdefault(adjustment.code, None)
        return list(seen)

    @property
    def effective_notice_date(self) -> date | None:
        """The user's override (a paper notice's date) wins over the remittance's."""
        return self.notice_date_override or self.notice_date

    @property
    def first_service_date(self) -> date | None:
        dates = [line.service_from for line in self.lines if line.service_from]
        return min(dates) if dates else self.claim.service_from

    def missing_fields(self) -> list[str]:
        """What an appeal letter needs that this case lacks (a remittance never carries some of it)."""
        wanted = [
            ("patient's date of birth", self.patient.date_of_birth), ("member ID", self.patient.member_id),
            ("payer claim number", self.claim.payer_claim_number), ("diagnosis codes", self.claim.diagnosis_codes),
            ("provider NPI", self.provider.npi), ("provider TIN", self.provider.tin),
            ("payer address", self.payer.address.line1),
        ]
        return [label for label, value in wanted if not value]

    def derived_route(self) -> Route | None:
        """The most actionable route among the adjustments that opened the case."""
        return most_actionable([a.route for a in self.adjustments if a.opens_case and a.route])


def claim_identity(payer_id: str, payer_name: str, account_number: str, first_service: date | None) -> str:
    """The key that matches a remittance's claim to an existing case (DESIGN.md section 2a)."""
    payer_key = (payer_id or payer_name).strip().upper()
    service = first_service.isoformat() if first_service else ""
    return f"{payer_key}|{account_number.strip().upper()}|{service}"


def notice_date_of(production_date: date | None, payment_date: date | None, group_date: date | None) -> date | None:
    """Notice date of a remittance: DTM*405, else BPR16, else GS04."""
    return production_date or payment_date or group_date
