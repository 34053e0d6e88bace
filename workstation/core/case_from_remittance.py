"""A new case built from a claim payment on a remittance, and what a later remittance changes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from workstation.core.deadlines import Outcome, facts_of, pending_submission
from workstation.core.model import (
    Activity,
    Address,
    Adjustment,
    Case,
    Claim,
    DecisionRecord,
    Payer,
    Provider,
    Remark,
    RemittanceSeen,
    ServiceLine,
)
from workstation.core.money import ZERO
from workstation.core.remittance import ClaimPayment, Transaction
from workstation.core.triage import ClaimTriage
from workstation.core.vocabulary import PayerKind, Route, Status


@dataclass(frozen=True)
class SourceFile:
    """The remittance file a claim came from."""

    name: str
    sha256: str


def remittance_seen(claim: ClaimPayment, transaction: Transaction, source: SourceFile,
                    now: datetime) -> RemittanceSeen:
    return RemittanceSeen(source.sha256, source.name, transaction.notice_date, claim.payer_claim_number,
                          claim.status_code, claim.paid, transaction.check_number, transaction.control_number, now)


def case_payer(transaction: Transaction, *, name: str, kind: PayerKind, needs_check: bool,
               appeals_address: Address | None = None, phone: str = "") -> Payer:
    """The case's payer: the directory's name, kind and appeals address, else the remittance's."""
    read = transaction.payer
    address = appeals_address if appeals_address and appeals_address.line1 else replace(read.address)
    return Payer(name or read.name, read.identifier, kind, needs_check, address, phone or read.phone)


def case_from_claim(claim: ClaimPayment, transaction: Transaction, triage: ClaimTriage, *,
                    source: SourceFile, payer: Payer, now: datetime, actor: str = "import") -> Case:
    """Everything the remittance says about the claim, with each adjustment's route."""
    payee = transaction.payee
    return Case(
        case_id=str(uuid.uuid4()), created_at=now, status=Status.NEW, route=triage.route,
        route_reason=triage.why, notice_date=transaction.notice_date,
        claim=_claim(claim),
        patient=replace(claim.patient),
        insured=replace(claim.insured or claim.patient),
        payer=payer,
        provider=Provider(claim.rendering_name or payee.name, claim.rendering_npi or _npi(payee.id_qualifier,
                          payee.identifier), payee.tax_id or _tin(payee.id_qualifier, payee.identifier), "",
                          replace(payee.address)),
        lines=[ServiceLine(ln.line_number, ln.procedure_code, list(ln.modifiers), ln.units, ln.service_from,
                           ln.service_to, ln.billed, ln.allowed, ln.paid) for ln in claim.lines],
        adjustments=_adjustments(claim, triage),
        remarks=[Remark(code) for code in claim.remarks]
        + [Remark(code, ln.line_number) for ln in claim.lines for code in ln.remarks],
        remittances=[remittance_seen(claim, transaction, source, now)],
        activity=[Activity(now, actor, "imported",
                           f"Opened from remittance {source.name} ({transaction.check_number or 'no trace number'})")],
        opened_amount=triage.stake, warnings=claim.balance_problems() + list(claim.warnings),
    )


def _claim(claim: ClaimPayment) -> Claim:
    dates = [d for ln in claim.lines for d in (ln.service_from, ln.service_to) if d]
    return Claim(
        account_number=claim.account_number, payer_claim_number=claim.payer_claim_number,
        status_code=claim.status_code, filing_indicator=claim.filing_indicator,
        facility_code=claim.facility_code, frequency_code=claim.frequency_code,
        service_from=claim.statement_from or (min(dates) if dates else None),
        service_to=claim.statement_to or (max(dates) if dates else None),
        billed=claim.billed, allowed=None, paid=claim.paid, patient_responsibility=claim.patient_responsibility,
    )


def _npi(qualifier: str, identifier: str) -> str:
    return identifier if qualifier == "XX" else ""


def _tin(qualifier: str, identifier: str) -> str:
    return identifier if qualifier == "FI" else ""


@dataclass(frozen=True)
class LaterRemittance:
    """What a later remittance for the same claim does to its case."""

    seen: RemittanceSeen
    status: Status | None
    recovered: Decimal
    message: str
    adjustments: tuple[Adjustment, ...] = ()
    #: When the later remittance still leaves something to act on, the case is as it now says:
    #: these reasons (its adjustments that open a case), its notice date, its worth and route.
    current: CurrentDenial | None = None
    lines_paid: tuple[tuple[int, Decimal], ...] = ()
    warnings: tuple[str, ...] = ()  # what the biller should check on this remittance (it does not balance)
    #: An appeal (or corrected claim) was pending at a level and this remittance settles it: the
    #: payer's decision at that level, as if the biller had recorded it (issue 13: appeals decided
    #: by a later remittance counted as never decided in the report).
    decision: DecisionRecord | None = None


@dataclass(frozen=True)
class CurrentDenial:
    """The denial as the latest remittance that decided it states it (issue 10: letters state the
    case as it is now, not as the first notice had it)."""

    notice_date: date | None
    opened_amount: Decimal
    route: Route | None
    route_reason: str


def later_remittance(case: Case, claim: ClaimPayment, transaction: Transaction, source: SourceFile,
                     now: datetime, triage: ClaimTriage | None = None) -> LaterRemittance | None:
    """None when this remittance was already recorded on the case (idempotent import). With the
    later claim's triage, a remittance that still denies something makes its reasons the case's."""
    seen = remittance_seen(claim, transaction, source, now)
    update = _later_update(case, claim, seen)
    if update is None:
        return None
    lines_paid = tuple((ln.line_number, ln.paid) for ln in claim.lines)
    noted = tuple(f"Remittance {source.name}: {w}" for w in [*claim.balance_problems(), *claim.warnings])
    update = replace(update, warnings=noted)
    if triage is None or not triage.opens_case or claim.status_code == "22":
        history = tuple(Adjustment(a.group, a.carc, a.amount, a.quantity, a.line_number)
                        for a in claim.all_adjustments())
        return _decided(case, claim, seen, now, replace(update, adjustments=history, lines_paid=lines_paid))
    current = CurrentDenial(transaction.notice_date or case.notice_date, triage.stake + update.recovered,
                            triage.route, triage.why)
    status = update.status
    if status in (Status.WON, Status.PARTIALLY_WON) and triage.stake > 0:
        status = Status.PARTIALLY_WON
    update = replace(update, status=status, adjustments=tuple(_adjustments(claim, triage)), current=current,
                     lines_paid=lines_paid)
    return _decided(case, claim, seen, now, update)


_OUTCOMES = {Status.WON: Outcome.WON, Status.PARTIALLY_WON: Outcome.PARTIALLY_WON, Status.LOST: Outcome.LOST}


def _decided(case: Case, claim: ClaimPayment, seen: RemittanceSeen, now: datetime,
             update: LaterRemittance) -> LaterRemittance:
    """The update with the decision it makes on a sending still waiting for an answer, if any."""
    pending = pending_submission(facts_of(case))
    outcome = _OUTCOMES.get(update.status) if update.status is not None else None
    if pending is None or outcome is None:
        return update
    level = pending[1]
    decision = DecisionRecord(seen.notice_date or now.date(), level, outcome.value, max(claim.paid, ZERO),
                              claim.payer_claim_number)
    return replace(update, decision=decision,
                   message=f"{update.message} Recorded as the decision at level {level}: "
                           f"{outcome.value.replace('_', ' ')}.")


def _adjustments(claim: ClaimPayment, triage: ClaimTriage) -> list[Adjustment]:
    """Every adjustment of the claim with the route triage gave it and whether it opens the case."""
    opened = {id(d.adjustment) for d in triage.opening}
    routes = {id(d.adjustment): d.decision.route for d in triage.decisions}
    return [Adjustment(a.group, a.carc, a.amount, a.quantity, a.line_number, routes.get(id(a)), id(a) in opened)
            for a in claim.all_adjustments()]


def already_recorded(case: Case, seen: RemittanceSeen) -> bool:
    """The same payment seen before on this case: from the same file and transaction, or
    delivered again (another envelope, a re-sent file) with the same trace, claim number,
    status and amount."""
    return any((r.file_sha256 == seen.file_sha256 and r.transaction_id == seen.transaction_id
                and r.payer_claim_number == seen.payer_claim_number)
               or (r.check_number == seen.check_number and r.payer_claim_number == seen.payer_claim_number
                   and r.status_code == seen.status_code and r.paid == seen.paid)
               for r in case.remittances)


class Identity(Enum):
    """Whether a remittance's patient is the case's patient."""

    SAME = "same"
    DIFFERENT = "different"
    UNKNOWN = "unknown"  # nothing to compare: neither a member ID nor a name on both sides


def patient_identity(case: Case, claim: ClaimPayment) -> Identity:
    """Claim identity never joins two patients: the member ID and the name, where both sides
    carry them, must agree (de-identified and sample files reuse account numbers and dates)."""
    ours, theirs = case.patient, claim.patient
    pairs = [(_id_text(ours.member_id), _id_text(theirs.member_id)),
             (_name_text(ours.last_name), _name_text(theirs.last_name)),
             (_name_text(ours.first_name)[:1], _name_text(theirs.first_name)[:1])]
    compared = [(a, b) for a, b in pairs if a and b]
    if not compared:
        return Identity.UNKNOWN
    return Identity.SAME if all(a == b for a, b in compared) else Identity.DIFFERENT


def _id_text(value: str) -> str:
    return "".join(c for c in value.upper() if c.isalnum())


def _name_text(value: str) -> str:
    return "".join(c for c in value.upper() if c.isalpha())


def _later_update(case: Case, claim: ClaimPayment, seen: RemittanceSeen) -> LaterRemittance | None:
    if already_recorded(case, seen):
        return None
    if claim.status_code == "22":  # takes back what it reverses (CLP04 negated): the correction follows
        return LaterRemittance(seen, None, case.recovered + claim.paid,
                               f"The payer reversed its payment of {claim.payer_claim_number or 'the claim'}.")
    if claim.status_code == "4" or claim.paid <= 0:
        status = Status.LOST if case.status is Status.SUBMITTED else None
        return LaterRemittance(seen, status, case.recovered, "The payer denied the claim again.")
    recovered = case.recovered + claim.paid
    opened = case.amount_at_stake + case.recovered
    status = Status.WON if recovered >= opened else Status.PARTIALLY_WON
    return LaterRemittance(seen, status, recovered, f"The payer paid {claim.paid} on a later remittance.")
