"""Triage: which claims on a remittance become cases, with which route and why.

Pure functions over the code book's data (DESIGN.md section 2a), so a rule changes in one place.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from workstation.core.codebook import CodeBook, Decision
from workstation.core.money import ZERO
from workstation.core.remittance import AdjustmentRead, ClaimPayment
from workstation.core.resources import resource_path
from workstation.core.vocabulary import Route, most_actionable

DENIED, REVERSAL, FORWARDED, PREDETERMINATION = "4", "22", "23", "25"
SEQUESTRATION = "253"


@dataclass(frozen=True)
class SequestrationCheck:
    taken: Decimal
    expected: Decimal

    @property
    def difference(self) -> Decimal:
        return self.taken - self.expected

    def is_off(self) -> bool:
        rules = sequestration_rules()
        allowed = max(rules.tolerance_dollars, (self.expected * rules.tolerance_share).quantize(Decimal("0.01")))
        return abs(self.difference) > allowed


@dataclass(frozen=True)
class AdjustmentDecision:
    adjustment: AdjustmentRead
    decision: Decision


@dataclass
class ClaimTriage:
    """The verdict on one claim payment."""

    opens_case: bool
    route: Route | None
    why: str
    decisions: list[AdjustmentDecision] = field(default_factory=list)
    skipped_because: str = ""  # "paid", "forwarded", "predetermination", "reversal", "contractual"
    sequestration: SequestrationCheck | None = None
    stake: Decimal = ZERO  # what the case is worth when it opens (see stake_of)

    @property
    def opening(self) -> list[AdjustmentDecision]:
        return [d for d in self.decisions if d.decision.opens_case]


def stake_of(claim: ClaimPayment, opening: list[AdjustmentDecision],
             sequestration: SequestrationCheck | None) -> Decimal:
    """What a case opened on this claim is worth: its opening adjustments (netted when read), a
    sequestration inquiry only for the excess over the rate, a denial without reason codes for
    what it left unpaid; and never more than the claim left unpaid (CLP03 - CLP04 - CLP05, plus
    the patient's share when that share is what opened the case)."""
    worth = ZERO
    for item in opening:
        if item.adjustment.carc == SEQUESTRATION and item.decision.route is Route.INQUIRY:
            continue
        worth += max(item.adjustment.amount, ZERO)
    if sequestration is not None and any(d.adjustment.carc == SEQUESTRATION for d in opening):
        worth += max(sequestration.difference, ZERO)
    if not opening and claim.status_code == DENIED:
        worth = claim.left_unpaid
    if claim.billed > 0:  # the patient's share counts only where it is what the case is about (PR-204)
        shares = sum((max(d.adjustment.amount, ZERO) for d in opening if d.adjustment.group == "PR"), ZERO)
        worth = min(worth, claim.left_unpaid + min(shares, max(claim.patient_responsibility, ZERO)))
    return max(worth, ZERO)


@dataclass(frozen=True)
class SequestrationRules:
    periods: tuple[tuple[date, date, Decimal], ...]
    tolerance_dollars: Decimal
    tolerance_share: Decimal

    def rate_on(self, day: date | None) -> Decimal:
        if day is None:
            return self.periods[-1][2]
        return next((rate for start, end, rate in self.periods if start <= day <= end), ZERO)


@cache
def sequestration_rules() -> SequestrationRules:
    with resource_path("payers", "sequestration.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    periods = tuple((date.fromisoformat(p["from"]), date.fromisoformat(p["to"]), Decimal(p["rate"]))
                    for p in raw["periods"])
    return SequestrationRules(periods, Decimal(raw["tolerance_dollars"]), Decimal(raw["tolerance_share"]))


def check_sequestration(claim: ClaimPayment) -> SequestrationCheck | None:
    """Compare the claim's CO-253 total with the rate on each date of service."""
    rules = sequestration_rules()
    taken, expected = ZERO, ZERO
    for line in claim.lines:
        cut = sum((a.amount for a in line.adjustments if a.carc == SEQUESTRATION), ZERO)
        if cut:
            taken += cut
            expected += rules.rate_on(line.service_from or claim.first_service_date) * (line.paid + cut)
    claim_cut = sum((a.amount for a in claim.adjustments if a.carc == SEQUESTRATION), ZERO)
    if claim_cut:
        taken += claim_cut
        expected += rules.rate_on(claim.first_service_date) * (claim.paid + claim_cut)
    if not taken:
        return None
    return SequestrationCheck(taken, expected.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def decide_all(claim: ClaimPayment, book: CodeBook) -> list[AdjustmentDecision]:
    """A route, case-opening flag and reason for every adjustment on the claim."""
    line_remarks = {line.line_number: claim.remarks + line.remarks for line in claim.lines}  # one pass: linear
    return [AdjustmentDecision(a, book.decide(a.group, a.carc, a.amount,
                                              line_remarks.get(a.line_number, claim.remarks)))
            for a in claim.all_adjustments()]


def triage_claim(claim: ClaimPayment, book: CodeBook) -> ClaimTriage:
    """Whether this claim opens a case (DESIGN.md 2a, issue 3's rules) and with what route."""
    if claim.status_code in (FORWARDED, PREDETERMINATION, REVERSAL):
        reason = {FORWARDED: "forwarded", PREDETERMINATION: "predetermination", REVERSAL: "reversal"}
        return ClaimTriage(False, None, _SKIP_WHY[reason[claim.status_code]], decide_all(claim, book),
                           skipped_because=reason[claim.status_code])
    decisions = decide_all(claim, book)
    sequestration = check_sequestration(claim)
    if sequestration is not None and sequestration.is_off():
        decisions = [_sequestration_inquiry(d) for d in decisions]
    opening = [d for d in decisions if d.decision.opens_case]
    if opening:
        route = most_actionable([d.decision.route for d in opening])
        why = next(d.decision.why for d in opening if d.decision.route is route)
        return ClaimTriage(True, route, why, decisions, sequestration=sequestration,
                           stake=stake_of(claim, opening, sequestration))
    if claim.status_code == DENIED:
        verdict = _denied_without_actionable_code(claim, decisions, sequestration)
        verdict.stake = stake_of(claim, verdict.opening, sequestration)
        return verdict
    skipped = "contractual" if any(d.adjustment.amount > 0 for d in decisions) else "paid"
    return ClaimTriage(False, None, _SKIP_WHY[skipped], decisions, skipped_because=skipped,
                       sequestration=sequestration)


def _sequestration_inquiry(item: AdjustmentDecision) -> AdjustmentDecision:
    if item.adjustment.carc != SEQUESTRATION or item.adjustment.amount <= 0:
        return item
    why = "The sequestration amount differs from the rate in force on the date of service; ask the payer."
    return AdjustmentDecision(item.adjustment, Decision(Route.INQUIRY, True, why))


def _denied_without_actionable_code(claim: ClaimPayment, decisions: list[AdjustmentDecision],
                                    sequestration: SequestrationCheck | None) -> ClaimTriage:
    """A denied claim always opens a case, even when its codes alone would not."""
    positive = [d for d in decisions if d.adjustment.amount > 0]
    route = most_actionable([d.decision.route for d in positive]) or Route.INQUIRY
    opened = [AdjustmentDecision(d.adjustment, Decision(d.decision.route, True, d.decision.why)) for d in positive]
    rest = [d for d in decisions if d not in positive]
    why = ("The payer denied the claim." if positive else
           "The payer denied the claim without giving a reason code; ask the payer why before deciding.")
    return ClaimTriage(True, route, why, opened + rest, sequestration=sequestration)


_SKIP_WHY = {
    "forwarded": "The payer says the claim is not theirs and sent it on to another payer.",
    "predetermination": "Pricing only (predetermination); nothing was paid or denied.",
    "reversal": "A reversal of an earlier payment, for a claim with no case.",
    "contractual": "Only contractual adjustments and the patient's share: nothing to act on.",
    "paid": "Paid in full.",
}
