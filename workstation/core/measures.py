"""Denial and appeal measures over the claims ledger and the worklist rows (issue 13).

Pure functions: the definitions live here and in the README, in one place each.
- A claim is *denied* on a remittance (in full or in part) when one of its adjustments is one the
  code book treats as a denial (it would open a case: not a contractual write-down such as CO-45,
  not the patient's share PR-1/2/3, not sequestration CO-253), or its status is 4 (denied).
- A claim's *first remittance* is the earliest ledger row of its claim identity (payer, account
  number, first date of service); the initial denial rate counts claims whose first remittance
  falls in the period (HFMA's Claim Integrity Task Force counts initial denials the same way, by
  number and by dollars).

Over a ledger of 100,000 claims the counting that touches every claim (first remittances,
sequestration) and the choice of the denial adjustments run in SQL (casefile/ledger_store.py),
with the denying codes decided here (`denying_codes`); so is the grouping of the denials by
reason, category, payer, procedure, rendering provider and month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import median

from workstation.core.codebook import CodeBook
from workstation.core.deadlines import Outcome
from workstation.core.money import ZERO
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import Status, is_open_status

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


def denying_codes(book: CodeBook, pairs: Iterable[tuple[str, str]]) -> list[str]:
    """Of the (group, reason) pairs a ledger holds, the codes ("CO-50") of those that are denials.
    With a positive amount and no remarks the code book's decision depends on group and reason
    alone, so the ledger's SQL asks once per pair, never once per adjustment."""
    return [f"{group}-{carc}" for group, carc in pairs
            if book.decide(group, carc, Decimal("1.00"), []).opens_case]


@dataclass(frozen=True)
class InitialDenials:
    """Claims with a first remittance in the period, and those of them denied in full or in part
    (counted by the ledger's SQL: casefile/ledger_store.py)."""

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


@dataclass(frozen=True)
class DenialGroup:
    """Denials sharing one key (a reason, a payer, a procedure...), grouped by the ledger's SQL
    (casefile/ledger_store.py `DENIAL_GROUPINGS`: each key is defined there)."""

    key: str
    claims: int  # distinct claim identities
    denied: Decimal = ZERO  # dollars of the denial adjustments
    cases: tuple[str, ...] = ()  # case ids, for what is still at stake


#: the rendering provider of a denial whose remittance names none
NO_PROVIDER = "(not on the remittance)"


def at_stake(group: DenialGroup, open_at_stake: dict[str, Decimal]) -> Decimal:
    """What the group's open cases still have at stake (a case counts in each of its groups);
    `open_at_stake` holds each open case's amount by case id."""
    return sum((open_at_stake.get(case, ZERO) for case in group.cases), ZERO)


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
        denial = facts.first_notice or facts.notice_date or row.created  # the first denial
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


def fold_totals(rows: Iterable[tuple[str | None, str, Decimal]], key: Callable[[str | None, str], str]
                ) -> dict[str, Decimal]:
    """(month, payer, amount) rows summed by month, by payer or (a constant key) in all."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for month, payer, amount in rows:
        totals[key(month, payer)] += amount
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
    return [r for r in rows if not r.problem and is_open_status(r.status)]
