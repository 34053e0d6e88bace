"""A remittance (835 ERA) as read from a file: transactions, claim payments, lines, adjustments.

These are what the readers produce and triage consumes; they are not yet cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from workstation.core.model import Address, Person, claim_identity, notice_date_of
from workstation.core.money import ZERO, dollars


@dataclass
class AdjustmentRead:
    """One CAS triplet; `line_number` None for a claim-level adjustment."""

    group: str
    carc: str
    amount: Decimal
    quantity: Decimal | None = None
    line_number: int | None = None

    @property
    def code(self) -> str:
        return f"{self.group}-{self.carc}"


def add_netted(adjustments: list[AdjustmentRead], adjustment: AdjustmentRead) -> None:
    """Add an adjustment, summed into one of the same group and code: a payer may take and give
    back the same code (CAS*OA*23*57.6*0*23*-1.08 is OA-23 56.52)."""
    for known in adjustments:
        if (known.group, known.carc) == (adjustment.group, adjustment.carc):
            known.amount += adjustment.amount
            if adjustment.quantity is not None:
                known.quantity = (known.quantity or ZERO) + adjustment.quantity
            return
    adjustments.append(adjustment)


@dataclass
class LinePayment:
    line_number: int
    procedure_code: str
    qualifier: str = "HC"
    modifiers: list[str] = field(default_factory=list)
    billed: Decimal = ZERO
    paid: Decimal = ZERO
    units: Decimal = Decimal("1")
    revenue_code: str = ""
    service_from: date | None = None
    service_to: date | None = None
    allowed: Decimal | None = None
    control_number: str = ""
    adjustments: list[AdjustmentRead] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


@dataclass
class ClaimPayment:
    """One CLP loop: what the payer did with one claim."""

    account_number: str
    status_code: str
    billed: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    filing_indicator: str
    payer_claim_number: str
    facility_code: str = ""
    frequency_code: str = ""
    segment_number: int = 0
    patient: Person = field(default_factory=Person)
    insured: Person | None = None
    rendering_name: str = ""
    rendering_npi: str = ""
    statement_from: date | None = None
    statement_to: date | None = None
    received: date | None = None
    adjustments: list[AdjustmentRead] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    lines: list[LinePayment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what was read around (a bad service date...)

    def all_adjustments(self) -> list[AdjustmentRead]:
        """Claim-level adjustments first, then each line's."""
        return self.adjustments + [a for line in self.lines for a in line.adjustments]

    @property
    def left_unpaid(self) -> Decimal:
        """What the claim left unpaid that the patient does not owe: CLP03 - CLP04 - CLP05."""
        return self.billed - self.paid - self.patient_responsibility

    @property
    def adjusted(self) -> Decimal:
        """Every adjustment on the claim and its lines."""
        return sum((a.amount for a in self.all_adjustments()), ZERO)

    def balance_problems(self) -> list[str]:
        """Sentences for each way the claim's arithmetic does not add up (5010 balancing rules:
        CLP03 - CLP04 = every CAS amount; on a line SVC02 - SVC03 = the line's CAS amounts)."""
        problems = []
        if not self.all_adjustments() and self.billed != self.paid:
            problems.append(f"The remittance gives no adjustment and no reason code for the "
                            f"{dollars(self.billed - self.paid)} it left unpaid; ask the payer why.")
        elif self.billed - self.paid != self.adjusted:
            problems.append(f"The remittance does not balance: billed {dollars(self.billed)} less paid "
                            f"{dollars(self.paid)} is {dollars(self.billed - self.paid)}, but its adjustments add up "
                            f"to {dollars(self.adjusted)}; check the amounts against the payer's paper remittance.")
        for line in self.lines:
            adjusted = sum((a.amount for a in line.adjustments), ZERO)
            if line.billed - line.paid != adjusted:
                problems.append(f"Service line {line.line_number} ({line.procedure_code}) does not balance: "
                                f"billed {dollars(line.billed)} less paid {dollars(line.paid)} is "
                                f"{dollars(line.billed - line.paid)}, but its adjustments add up to "
                                f"{dollars(adjusted)}.")
        return problems

    def remarks_for(self, line_number: int | None) -> list[str]:
        """Remarks that apply to a line: its own and the claim's."""
        line = next((ln for ln in self.lines if ln.line_number == line_number), None)
        return self.remarks + (line.remarks if line else [])

    @property
    def first_service_date(self) -> date | None:
        dates = [ln.service_from for ln in self.lines if ln.service_from]
        return min(dates) if dates else self.statement_from


@dataclass
class PartyRead:
    name: str = ""
    id_qualifier: str = ""
    identifier: str = ""
    address: Address = field(default_factory=Address)
    phone: str = ""
    tax_id: str = ""


@dataclass
class ProviderAdjustment:
    """A PLB entry: money taken or given at the provider level, not tied to a claim."""

    reason: str
    reference: str
    amount: Decimal


@dataclass
class Transaction:
    """One ST..SE remittance: one payment (check or EFT) from one payer."""

    control_number: str
    segment_number: int
    version: str = ""
    total_paid: Decimal = ZERO
    payment_method: str = ""
    payment_date: date | None = None
    check_number: str = ""
    production_date: date | None = None
    group_date: date | None = None
    payer: PartyRead = field(default_factory=PartyRead)
    payee: PartyRead = field(default_factory=PartyRead)
    claims: list[ClaimPayment] = field(default_factory=list)
    provider_adjustments: list[ProviderAdjustment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fingerprint: str = ""  # SHA-256 of its segments between ST and SE: the same payment delivered again
    complete: bool = True  # False when the file ended inside it or one of its claims was refused

    @property
    def notice_date(self) -> date | None:
        return notice_date_of(self.production_date, self.payment_date, self.group_date)

    @property
    def payer_key(self) -> str:
        """The payer as claim identity knows it: its ID, else its name."""
        return (self.payer.identifier or self.payer.name).strip().upper()

    def claim_key(self, claim: ClaimPayment) -> str:
        return claim_identity(self.payer.identifier, self.payer.name, claim.account_number,
                              claim.first_service_date)


@dataclass(frozen=True)
class ReadProblem:
    """Why a file or a transaction was refused: file, segment number, one sentence."""

    file: str
    segment: int | None
    message: str


@dataclass
class RemittanceRead:
    """Everything read from one file; refused transactions are in `problems`, not `transactions`."""

    file_name: str
    sha256: str
    transactions: list[Transaction] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refused: bool = False  # the whole file was refused
