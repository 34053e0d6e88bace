"""Denial and appeal measures over the claims ledger and the worklist rows (issue 13).

Pure functions: the definitions live here and in the README, in one place each.
- A claim is *denied* on a remittance (in full or in part) when one of its adjustments is one the
  code book treats as a denial (it would open a case: not a contractual write-down such as CO-45,
  not the patient's share PR-1/2/3, not sequestration CO-253), or its status is 4 (denied).
- A claim's *first remittance* is the earliest ledger row of its claim identity (payer, account
  number, first date of service); the initial denial rate counts claims whose first remittance
  falls in the period (HFMA's Claim Integrity Task Force counts initial denials the same way, by
  number and by dollars).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from statistics import median

from workstation.core.codebook import CodeBook
from workstation.core.deadlines import Outcome
from workstation.core.ledger import LedgerAdjustment, LedgerClaim
from workstation.core.money import ZERO
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import Status

DENIED_STATUS = "4"
SEQUESTRATION = "253"
RATE_PLACES = Decimal("0.0001")
AGE_BUCKETS = ((0, 30, "0-30"), (31, 60, "31-60"), (61, 90, "61-90"), (91, 120, "91-120"), (121, None, "over 120"))


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def holds(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def rate(part: Decimal | int, whole: Decimal | int) -> Decimal:
    """A share with 4 places ("0.1250"); 0 of nothing is 0."""
    return (Decimal(part) / Decimal(whole)).quantize(RATE_PLACES) if whole else Decimal("0.0000")


#: (code book, group, reason) -> whether such an adjustment is a denial. With a positive amount and
#: no remarks the code book's decision depends on group and reason alone; a report asks millions of
#: times (100,000 claims, several passes), so each pair is decided once.
#: The book is kept in the value, so its id is never reused by another book while cached.
_DENIES: dict[tuple[int, str, str], tuple[CodeBook, bool]] = {}


def _denies(book: CodeBook, group: str, carc: str) -> bool:
    key = (id(book), group, carc)
    if key not in _DENIES:
        _DENIES[key] = (book, book.decide(group, carc, Decimal("1.00"), []).opens_case)
    return _DENIES[key][1]


def denial_adjustments(claim: LedgerClaim, book: CodeBook) -> list[LedgerAdjustment]:
    """The claim's adjustments that are denials (worked out once per claim: a report asks for
    each claim's several times; kept on the claim object, which is frozen but has a __dict__)."""
    key = ("denials", id(book))
    known = claim.__dict__.get(key)
    if known is None:
        known = [a for a in claim.adjustments if a.amount > 0 and _denies(book, a.group, a.carc)]
        claim.__dict__[key] = known
    return known


def is_denied(claim: LedgerClaim, book: CodeBook) -> bool:
    return claim.status_code == DENIED_STATUS or bool(denial_adjustments(claim, book))


def first_remittances(ledger: Iterable[LedgerClaim]) -> list[LedgerClaim]:
    """Each claim identity's earliest row (the ledger is read oldest first)."""
    first: dict[str, LedgerClaim] = {}
    for claim in ledger:
        first.setdefault(claim.claim_key, claim)
    return list(first.values())


@dataclass(frozen=True)
class InitialDenials:
    claims: int
    denied_claims: int
    billed: Decimal
    denied_billed: Decimal

    @property
    def rate(self) -> Decimal:
        return rate(self.denied_claims, self.claims)

    @property
    def rate_dollars(self) -> Decimal:
        return rate(self.denied_billed, self.billed)


def initial_denials(ledger: list[LedgerClaim], period: Period, book: CodeBook) -> InitialDenials:
    firsts = [c for c in first_remittances(ledger) if period.holds(c.remittance_date)]
    denied = [c for c in firsts if is_denied(c, book)]
    return InitialDenials(len(firsts), len(denied), sum((c.billed for c in firsts), ZERO),
                          sum((c.billed for c in denied), ZERO))


@dataclass
class DenialGroup:
    """Denials sharing one key (a reason, a payer, a procedure...)."""

    key: str
    claims: set[str] = field(default_factory=set)  # claim identities
    denied: Decimal = ZERO  # dollars of the denial adjustments
    cases: set[str] = field(default_factory=set)  # case ids, for what is still at stake


#: what a denial adjustment is grouped by: (claim, adjustment, book) -> key
GroupKey = Callable[[LedgerClaim, LedgerAdjustment, CodeBook], str]


def by_reason(claim: LedgerClaim, adj: LedgerAdjustment, book: CodeBook) -> str:
    return adj.code


def by_category(claim: LedgerClaim, adj: LedgerAdjustment, book: CodeBook) -> str:
    return book.reason(adj.carc).category


def by_payer(claim: LedgerClaim, adj: LedgerAdjustment, book: CodeBook) -> str:
    return claim.payer


def by_procedure(claim: LedgerClaim, adj: LedgerAdjustment, book: CodeBook) -> str:
    lines = [li for n, li in enumerate(claim.lines, start=1) if n == adj.line_number]
    return lines[0].procedure if lines else "(claim level)"


def by_provider(claim: LedgerClaim, adj: LedgerAdjustment, book: CodeBook) -> str:
    return claim.rendering_npi or "(not on the remittance)"


def by_month(claim: LedgerClaim, adj: LedgerAdjustment, book: CodeBook) -> str:
    return f"{claim.remittance_date:%Y-%m}" if claim.remittance_date else "(no date)"


def denials_by(ledger: list[LedgerClaim], period: Period, book: CodeBook, key: GroupKey) -> list[DenialGroup]:
    """Denial adjustments on remittances in the period, grouped; largest dollars first."""
    groups: dict[str, DenialGroup] = {}
    for claim in ledger:
        if not period.holds(claim.remittance_date):
            continue
        for adj in denial_adjustments(claim, book):
            group = groups.setdefault(key(claim, adj, book), DenialGroup(key(claim, adj, book)))
            group.claims.add(claim.claim_key)
            group.denied += adj.amount
            if claim.case_id:
                group.cases.add(claim.case_id)
    return sorted(groups.values(), key=lambda g: (-g.denied, g.key))


def at_stake(group: DenialGroup, rows_by_case: dict[str, CaseSummary]) -> Decimal:
    """What the group's open cases still have at stake (a case counts in each of its groups)."""
    return sum((rows_by_case[c].amount_at_stake for c in group.cases
                if c in rows_by_case and Status(rows_by_case[c].status).is_open), ZERO)


@dataclass(frozen=True)
class AppealOutcomes:
    sent: int
    decided: int
    won: int
    partially_won: int
    lost: int
    days_to_appeal: list[int]
    days_to_resolution: list[int]

    @property
    def overturn_rate(self) -> Decimal:
        """(won + partially won) / decided."""
        return rate(self.won + self.partially_won, self.decided)


def appeal_outcomes(rows: list[CaseSummary], period: Period) -> AppealOutcomes:
    """Appeals sent and decisions made in the period, from each case's dated events."""
    sent = decided = won = partly = lost = 0
    to_appeal: list[int] = []
    to_resolution: list[int] = []
    for row in rows:
        facts = row.facts
        if facts is None:
            continue
        sendings = [day for day, _level in facts.submissions if period.holds(day)]
        decisions = [(day, outcome) for day, _level, outcome in facts.decisions if period.holds(day)]
        sent += len(sendings)
        decided += len(decisions)
        won += sum(1 for _d, o in decisions if o is Outcome.WON)
        partly += sum(1 for _d, o in decisions if o is Outcome.PARTIALLY_WON)
        lost += sum(1 for _d, o in decisions if o in (Outcome.LOST, Outcome.DISMISSED))
        # the first denial: a later remittance moves the notice date forward, the case's making does not
        denial = min((d for d in (facts.notice_date, row.created) if d is not None), default=None)
        if denial is not None and facts.submissions and period.holds(min(d for d, _l in facts.submissions)):
            to_appeal.append((min(d for d, _l in facts.submissions) - denial).days)
        if denial is not None and decisions and not Status(row.status).is_open:
            to_resolution.append((max(d for d, _o in decisions) - denial).days)
    return AppealOutcomes(sent, decided, won, partly, lost, to_appeal, to_resolution)


def outcomes_by_level(rows: list[CaseSummary], period: Period) -> dict[int, dict[str, int]]:
    """Decisions made in the period by appeal level: how many were won, partly won, lost."""
    levels: dict[int, dict[str, int]] = {}
    for row in rows:
        for day, level, outcome in row.facts.decisions if row.facts is not None else ():
            if period.holds(day):
                counts = levels.setdefault(level, {"decided": 0, "won": 0, "partially_won": 0, "lost": 0})
                counts["decided"] += 1
                counts["lost" if outcome in (Outcome.LOST, Outcome.DISMISSED) else outcome.value] += 1
    return dict(sorted(levels.items()))


def median_days(days: list[int]) -> Decimal | None:
    return Decimal(str(median(days))) if days else None


def percentile_days(days: list[int], share: float) -> int | None:
    """The nearest-rank percentile (90th: share 0.9)."""
    if not days:
        return None
    ordered = sorted(days)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))  # ceil(share * n)
    return ordered[rank - 1]


def backlog_by_age(rows: list[CaseSummary], today: date) -> dict[str, dict[str, object]]:
    """Open cases by days since the payer's notice: count and dollars at stake per bucket."""
    buckets: dict[str, dict[str, object]] = {label: {"cases": 0, "at_stake": ZERO} for *_r, label in AGE_BUCKETS}
    for row in _open(rows):
        age = row.age_days(today)
        for low, high, label in AGE_BUCKETS:
            if age is not None and age >= low and (high is None or age <= high):
                buckets[label]["cases"] += 1  # type: ignore[operator]
                buckets[label]["at_stake"] += row.amount_at_stake  # type: ignore[operator]
    return buckets


def backlog_by_deadline(rows: list[CaseSummary], today: date) -> dict[str, int]:
    """Open cases whose date to act is past, within 7 days, within the month; or unknown."""
    counts = {"overdue": 0, "this_week": 0, "this_month": 0, "later": 0, "unknown": 0}
    for row in _open(rows):
        when = row.deadline.reminder_date if row.deadline is not None else None
        if when is None:
            counts["unknown"] += 1
        elif when < today:
            counts["overdue"] += 1
        elif when <= today + timedelta(days=7):
            counts["this_week"] += 1
        elif when <= today + timedelta(days=30):
            counts["this_month"] += 1
        else:
            counts["later"] += 1
    return counts


def sequestration_by(ledger: list[LedgerClaim], period: Period,
                     key: Callable[[LedgerClaim], str]) -> dict[str, Decimal]:
    """CO-253 taken on remittances in the period, by month or payer."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for claim in ledger:
        if period.holds(claim.remittance_date):
            for adj in claim.adjustments:
                if adj.carc == SEQUESTRATION:
                    totals[key(claim)] += adj.amount
    return dict(sorted(totals.items()))


def write_offs_by_reason(rows: list[CaseSummary]) -> dict[str, dict[str, object]]:
    """Cases written off, by the reason codes that opened them: count and what was given up."""
    totals: dict[str, dict[str, object]] = {}
    for row in rows:
        if row.status != Status.WRITTEN_OFF.value:
            continue
        for reason in row.reasons or ("(no reason code)",):
            entry = totals.setdefault(reason, {"cases": 0, "amount": ZERO})
            entry["cases"] += 1  # type: ignore[operator]
            entry["amount"] += row.amount_at_stake  # type: ignore[operator]
    return totals


def _open(rows: list[CaseSummary]) -> list[CaseSummary]:
    return [r for r in rows if not r.problem and r.status and Status(r.status).is_open]
