"""Prevention patterns (issue 13): the same payer, reason and procedure (with modifier) denied
again and again, with the check before billing that would have caught it, and whether a change
the practice adopted worked (denials of the pattern before and after)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from workstation.core.codebook import CodeBook
from workstation.core.ledger import CLAIM_LEVEL, LedgerDenial
from workstation.core.money import ZERO
from workstation.core.resources import resource_path

DEFAULT_LEAST = 3
DEFAULT_DAYS = 90


@dataclass(frozen=True)
class PatternKey:
    payer: str
    code: str  # "CO-97"
    procedure: str  # "97110", or "(claim level)"
    modifier: str = ""

    @property
    def label(self) -> str:
        procedure = f"{self.procedure}-{self.modifier}" if self.modifier else self.procedure
        return f"{self.payer} · {self.code} · {procedure}"


@dataclass(frozen=True)
class Adoption:
    """A change the practice made against a pattern, from a date."""

    key: PatternKey
    adopted_on: date
    note: str = ""


@dataclass(frozen=True)
class Pattern:
    key: PatternKey
    count: int
    denied: Decimal
    check: str
    adoption: Adoption | None = None
    before: int = 0  # denials of the pattern in the same number of days before it was adopted
    after: int = 0  # and since


@cache
def _prevention() -> dict[str, dict[str, str]]:
    with resource_path("codes", "prevention.toml").open("rb") as handle:
        return tomllib.load(handle)


def prevention_check(carc: str, book: CodeBook) -> str:
    """The check before billing for a reason code: its own, else its category's."""
    texts = _prevention()
    return texts["codes"].get(carc) or texts["categories"].get(book.reason(carc).category) \
        or texts["categories"]["other"]


def denial_events(denials: Iterable[LedgerDenial]) -> list[tuple[PatternKey, date, Decimal]]:
    """Every denial as (pattern, remittance date, amount)."""
    return [(PatternKey(d.payer, d.code, d.procedure_code or CLAIM_LEVEL, d.modifiers), d.remittance_date, d.amount)
            for d in denials]


def patterns_since(today: date, adoptions: list[Adoption], days: int = DEFAULT_DAYS) -> date:
    """The first remittance day `find_patterns` looks at: `days` back from today, or further for
    an adopted change, whose denials are counted in as many days before it as since."""
    return min([today - timedelta(days=days),
                *(a.adopted_on - timedelta(days=max((today - a.adopted_on).days, 1)) for a in adoptions)])


def find_patterns(denials: Iterable[LedgerDenial], book: CodeBook, *, today: date, least: int = DEFAULT_LEAST,
                  days: int = DEFAULT_DAYS, adoptions: list[Adoption] | None = None) -> list[Pattern]:
    """Patterns denied at least `least` times in the last `days` days, most dollars first; an
    adopted pattern is always listed, with its denials in equal spans before and after adoption."""
    events = denial_events(denials)
    since = today - timedelta(days=days)
    recent: dict[PatternKey, list[Decimal]] = {}
    for key, day, amount in events:
        if since < day <= today:
            recent.setdefault(key, []).append(amount)
    adopted = {a.key: a for a in adoptions or []}
    keys = {k for k, amounts in recent.items() if len(amounts) >= least} | set(adopted)
    patterns = [_pattern(key, recent.get(key, []), adopted.get(key), events, book, today) for key in keys]
    return sorted(patterns, key=lambda p: (-p.denied, -p.count, p.key.label))


def _pattern(key: PatternKey, amounts: list[Decimal], adoption: Adoption | None,
             events: list[tuple[PatternKey, date, Decimal]], book: CodeBook, today: date) -> Pattern:
    check = prevention_check(key.code.split("-", 1)[-1], book)
    if adoption is None:
        return Pattern(key, len(amounts), sum(amounts, ZERO), check)
    span = max((today - adoption.adopted_on).days, 1)
    start = adoption.adopted_on - timedelta(days=span)
    days = [day for k, day, _a in events if k == key]
    before = sum(1 for day in days if start <= day < adoption.adopted_on)
    after = sum(1 for day in days if adoption.adopted_on <= day <= today)
    return Pattern(key, len(amounts), sum(amounts, ZERO), check, adoption, before, after)
