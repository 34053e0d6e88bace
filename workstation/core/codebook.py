"""The code book: our own plain-language meaning, route and review advice for every code.

The data lives in `resources/codes/*.toml`; this module only loads and looks it up, so a rule
is changed in one place (the data).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from workstation.core.resources import resource_path
from workstation.core.vocabulary import Appealable, EvidenceKind, Route

CATEGORIES = frozenset({
    "eligibility", "authorization", "coding", "medical_necessity", "timely_filing",
    "duplicate", "coordination_of_benefits", "coverage", "contractual",
    "patient_responsibility", "information_requested", "provider_enrollment",
    "benefit_limit", "payment_adjustment", "informational", "other",
})

#: Remark effects that change what the biller may do.
REMARK_EFFECTS = frozenset({"", "no_appeal", "no_appeal_resubmit"})


@dataclass(frozen=True)
class ReasonCode:
    """A Claim Adjustment Reason Code (CARC) as the workstation explains it."""

    code: str
    description: str
    category: str
    appealable: Appealable
    route: Route
    opens_case: bool
    fallback_route: Route = Route.WRITE_OFF
    review: tuple[str, ...] = ()
    evidence: tuple[EvidenceKind, ...] = ()
    template: str = ""
    retired: str = ""  # ISO date the code stopped, empty while active

    @property
    def is_retired(self) -> bool:
        return bool(self.retired)


@dataclass(frozen=True)
class RemarkCode:
    """A Remittance Advice Remark Code (RARC)."""

    code: str
    description: str
    effect: str = ""
    retired: str = ""


@dataclass(frozen=True)
class GroupCode:
    code: str
    name: str
    description: str


@dataclass(frozen=True)
class Decision:
    """What the code book says about one adjustment: route, whether it opens a case, why."""

    route: Route
    opens_case: bool
    why: str


@dataclass(frozen=True)
class CodeBook:
    groups: dict[str, GroupCode]
    reasons: dict[str, ReasonCode]
    remarks: dict[str, RemarkCode]
    claim_statuses: dict[str, str] = field(default_factory=dict)

    def reason(self, carc: str) -> ReasonCode:
        """The entry for a CARC; an unknown code is an inquiry so a person looks at it."""
        known = self.reasons.get(carc.strip().upper())
        if known:
            return known
        return ReasonCode(
            code=carc, description="Code not in the code book; look it up before acting",
            category="other", appealable=Appealable.SOMETIMES, route=Route.INQUIRY,
            opens_case=True,
        )

    def remark(self, code: str) -> RemarkCode:
        known = self.remarks.get(code.strip().upper())
        return known or RemarkCode(code=code, description="Remark not in the code book")

    def reason_in_words(self, group: str, carc: str) -> str:
        """"CO-50 not medically necessary": code and our short description."""
        return f"{group}-{carc} {self.reason(carc).description}"

    def decide(self, group: str, carc: str, amount: Decimal, remarks: list[str]) -> Decision:
        """Route, case-opening and reason for one adjustment (DESIGN.md section 2a)."""
        entry = self.reason(carc)
        if amount <= 0:
            return Decision(entry.route, False, "A zero or negative amount is a correction, not a denial.")
        if group == "PR":
            return _patient_decision(entry)
        effects = {self.remark(code).effect for code in remarks}
        if "no_appeal_resubmit" in effects:
            return Decision(Route.RESUBMIT, True,
                            "Unprocessable with no appeal rights: correct the claim and submit it again.")
        if "no_appeal" in effects and entry.route is Route.APPEAL:
            return Decision(entry.fallback_route, True, "The payer's remark says this may not be appealed.")
        return Decision(entry.route, entry.opens_case, entry.description)


def _patient_decision(entry: ReasonCode) -> Decision:
    if entry.category == "patient_responsibility":
        return Decision(Route.BILL_PATIENT, False, entry.description)
    if not entry.opens_case:  # a contractual or informational code (PR-253) is not the patient's
        return Decision(entry.route, False, entry.description)
    return Decision(
        Route.BILL_PATIENT, True,
        f"{entry.description}; confirm a signed waiver or ABN is on file before billing the patient.",
    )


def _load_toml(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _reason_from(code: str, raw: dict) -> ReasonCode:
    return ReasonCode(
        code=code,
        description=raw["description"],
        category=raw["category"],
        appealable=Appealable(raw["appealable"]),
        route=Route(raw["route"]),
        opens_case=bool(raw["opens_case"]),
        fallback_route=Route(raw.get("fallback_route", "write_off")),
        review=tuple(raw.get("review", ())),
        evidence=tuple(EvidenceKind(kind) for kind in raw.get("evidence", ())),
        template=raw.get("template", ""),
        retired=raw.get("retired", ""),
    )


def load_codebook(folder: Path) -> CodeBook:
    """Read a code book folder (groups, claim statuses, CARCs, RARCs)."""
    groups = {c: GroupCode(c, r["name"], r["description"]) for c, r in _load_toml(folder / "groups.toml").items()}
    reasons = {c: _reason_from(c, r) for c, r in _load_toml(folder / "carc.toml").items()}
    remarks = {
        c: RemarkCode(c, r["description"], r.get("effect", ""), r.get("retired", ""))
        for c, r in _load_toml(folder / "rarc.toml").items()
    }
    statuses = {c: r["description"] for c, r in _load_toml(folder / "claim_status.toml").items()}
    return CodeBook(groups=groups, reasons=reasons, remarks=remarks, claim_statuses=statuses)


@cache
def codebook() -> CodeBook:
    """The shipped code book, loaded once."""
    return load_codebook(resource_path("codes"))
