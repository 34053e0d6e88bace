"""Payer kinds, their default appeal ladders and how a payer's kind is guessed from a remittance."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import cache

from workstation.core.resources import resource_path
from workstation.core.vocabulary import PayerKind


@dataclass(frozen=True)
class Window:
    """A length of time: days or calendar months."""

    days: int = 0
    months: int = 0

    def describe(self) -> str:
        if self.months:
            return f"{self.months} months"
        return f"{self.days} days"


@dataclass(frozen=True)
class AppealLevel:
    name: str
    who: str
    window: Window
    counts_from: str  # "notice" or "previous_decision"
    decision_days: int
    address: str = ""  # where this level's requests go, lines joined by " / " (a QIC, say); "" = the payer's

    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.split(" / ") if line.strip()]


@dataclass(frozen=True)
class Ladder:
    """A payer kind's default appeal ladder and corrected-claim limit."""

    kind: PayerKind
    label: str
    levels: tuple[AppealLevel, ...]
    presumed_receipt_days: int
    timely_filing: Window
    needs_check: bool = False

    @property
    def first_window_days(self) -> int:
        first = self.levels[0].window
        return first.days or first.months * 30


def with_level_address(ladder: Ladder, level: int, address: str) -> Ladder:
    """The ladder with one level's own office ("name / street / city, ST ZIP")."""
    levels = list(ladder.levels)
    levels[level - 1] = replace(levels[level - 1], address=address)
    return replace(ladder, levels=tuple(levels))


def ladder_to_dict(ladder: Ladder) -> dict:
    """A payer's own ladder as stored in the workspace (JSON-ready)."""
    return {
        "presumed_receipt_days": ladder.presumed_receipt_days,
        "timely_filing": {"days": ladder.timely_filing.days, "months": ladder.timely_filing.months},
        "levels": [{"name": lv.name, "who": lv.who, "window_days": lv.window.days,
                    "window_months": lv.window.months, "counts_from": lv.counts_from,
                    "decision_days": lv.decision_days, "address": lv.address} for lv in ladder.levels],
    }


def ladder_from_dict(kind: PayerKind, raw: dict) -> Ladder:
    """The inverse of ladder_to_dict; the label comes from the kind."""
    return Ladder(kind=kind, label=default_ladders()[kind].label,
                  levels=tuple(_level(level) for level in raw["levels"]),
                  presumed_receipt_days=int(raw.get("presumed_receipt_days", 0)),
                  timely_filing=Window(raw["timely_filing"].get("days", 0), raw["timely_filing"].get("months", 0)))


def ladder_problems(ladder: Ladder) -> list[str]:
    """Why a ladder edited by hand cannot be used; empty when it is sound."""
    problems = []
    if not ladder.levels:
        problems.append("A ladder needs at least one appeal level.")
    for number, level in enumerate(ladder.levels, start=1):
        window = level.window
        if window.days < 0 or window.months < 0 or not (window.days or window.months):
            problems.append(f"Level {number} ({level.name or 'unnamed'}) needs a window of more than zero days "
                            "or months.")
        if window.days and window.months:
            problems.append(f"Level {number} gives both days and months; choose one.")
        if not level.name.strip():
            problems.append(f"Level {number} needs a name.")
        if level.counts_from not in ("notice", "previous_decision"):
            problems.append(f"Level {number} must count from the notice or the previous decision.")
        elif number == 1 and level.counts_from != "notice":
            problems.append("Level 1 has no previous decision to count from; it counts from the notice.")
        if level.decision_days < 0:
            problems.append(f"Level {number}'s decision time cannot be negative.")
    if ladder.presumed_receipt_days < 0 or ladder.presumed_receipt_days > 30:
        problems.append("Presumed receipt must be between 0 and 30 days.")
    if ladder.timely_filing.days < 0 or ladder.timely_filing.months < 0:
        problems.append("The timely-filing limit cannot be negative.")
    elif not (ladder.timely_filing.days or ladder.timely_filing.months):
        problems.append("The timely-filing limit needs more than zero days or months.")
    if ladder.timely_filing.days and ladder.timely_filing.months:
        problems.append("The timely-filing limit gives both days and months; choose one.")
    return problems


def _level(raw: dict) -> AppealLevel:
    return AppealLevel(
        name=raw["name"], who=raw.get("who", ""),
        window=Window(int(raw.get("window_days", 0)), int(raw.get("window_months", 0))),
        counts_from=raw["counts_from"], decision_days=int(raw.get("decision_days", 0)),
        address=str(raw.get("address", "")),
    )


@cache
def default_ladders() -> dict[PayerKind, Ladder]:
    """Every payer kind's default ladder from `resources/payers/kinds.toml`."""
    with resource_path("payers", "kinds.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    return {
        PayerKind(kind): Ladder(
            kind=PayerKind(kind), label=data["label"],
            levels=tuple(_level(level) for level in data["levels"]),
            presumed_receipt_days=data["presumed_receipt_days"],
            timely_filing=Window(data["timely_filing"].get("days", 0), data["timely_filing"].get("months", 0)),
            needs_check=data.get("needs_check", False),
        )
        for kind, data in raw.items()
    }


#: Claim filing indicator (CLP06) values that name a kind outright.
FILING_INDICATOR_KINDS = {
    "MA": PayerKind.MEDICARE, "MB": PayerKind.MEDICARE, "16": PayerKind.MEDICARE_ADVANTAGE,
    "MC": PayerKind.MEDICAID, "CH": PayerKind.TRICARE, "VA": PayerKind.VA,
    "WC": PayerKind.WORKERS_COMP,
}

#: CLP06 values of private plans: a Medicare Advantage plan or an ERISA plan may send these too.
PRIVATE_PLAN_INDICATORS = frozenset({"12", "13", "14", "15", "HM", "CI", "BL"})


def kind_from_name(name: str) -> PayerKind | None:
    """What a payer's name says of its kind, when it says anything."""
    upper = name.upper()
    if "MEDICARE" in upper:
        if re.search(r"\b(ADVANTAGE|HMO|PLAN)\b", upper):
            return PayerKind.MEDICARE_ADVANTAGE
        return PayerKind.MEDICARE
    if "MEDICAID" in upper or "MEDI-CAL" in upper:
        return PayerKind.MEDICAID
    if "TRICARE" in upper:
        return PayerKind.TRICARE
    return None


def guess_payer_kind(filing_indicator: str, name: str) -> tuple[PayerKind, bool]:
    """Kind of a payer first seen on a remittance, and whether the biller must check it.

    CLP06 first, then the name; where they are missing or disagree, the candidate with the
    shorter first-level window, flagged (DESIGN.md section 2a).
    """
    by_indicator = FILING_INDICATOR_KINDS.get(filing_indicator.strip().upper())
    by_name = kind_from_name(name)
    if by_indicator and by_name in (None, by_indicator):
        return by_indicator, by_indicator is PayerKind.OTHER
    candidates = {k for k in (by_indicator, by_name) if k}
    if not by_indicator and filing_indicator.strip().upper() in PRIVATE_PLAN_INDICATORS:
        candidates |= {PayerKind.COMMERCIAL, PayerKind.ERISA, PayerKind.MEDICARE_ADVANTAGE}
    if not candidates:
        candidates = {PayerKind.COMMERCIAL, PayerKind.OTHER}
    ladders = default_ladders()
    return min(candidates, key=lambda k: (ladders[k].first_window_days, k.value)), True
