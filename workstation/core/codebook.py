"""The code book: our own plain-language meaning, route and review advice for every code.

The data lives in `resources/codes/*.toml`; this module only loads and looks it up, so a rule
is changed in one place (the data).

Route and review steps come from the same decision: `decide` gives an adjustment its route (reason
code, then group code rules, then remarks) and `review_for` gives the steps for the reason on that
route. A reason on its own route keeps its own steps; one whose route was changed (PR-50 billed to
the patient, CO-50 with N211 written off) gets the steps of the route it took, so a checklist never
tells the biller to do something the route does not.
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
    letter: str = ""  # the wording a letter to the payer uses ("the service was judged not medically necessary")

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
class GroupRule:
    """How a group code changes the route of a reason, and the words that say why."""

    route: Route
    why: str


@dataclass(frozen=True)
class GroupCode:
    code: str
    name: str
    description: str
    #: (reason's own route, rule) pairs from groups.toml; a route not listed stays the reason's own.
    routes: tuple[tuple[Route, GroupRule], ...] = ()

    def rule_for(self, route: Route) -> GroupRule | None:
        return next((rule for own, rule in self.routes if own is route), None)


@dataclass(frozen=True)
class Review:
    """The review steps and the kinds of evidence for a reason on one route."""

    steps: tuple[str, ...]
    evidence: tuple[EvidenceKind, ...]


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
    #: Steps by category for reasons without their own (review_steps.toml), over the shipped ones.
    categories: dict[str, Review] = field(default_factory=dict)
    #: Steps for a reason on a route other than its own (route_steps.toml), over the shipped ones.
    route_reviews: dict[Route, Review] = field(default_factory=dict)

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
        """Route, case-opening and reason for one adjustment (DESIGN.md section 2a).

        The reason code gives its own route; the group code may change it (groups.toml: PR bills the
        patient for a denial the patient can owe, but a claim error is still corrected); a remark
        may then forbid the appeal (N211) or ask for a new claim (MA130).
        """
        entry = self.reason(carc)
        if amount <= 0:
            return Decision(entry.route, False, "A zero or negative amount is a correction, not a denial.")
        group = group.strip().upper()
        if group == "PR" and entry.category == "patient_responsibility":
            return Decision(Route.BILL_PATIENT, False, entry.description)
        if group == "PR" and not entry.opens_case:  # a contractual or informational code (PR-253) is not the patient's
            return Decision(entry.route, False, entry.description)
        effects = {self.remark(code).effect for code in remarks}
        if "no_appeal_resubmit" in effects:
            return Decision(Route.RESUBMIT, True,
                            "Unprocessable with no appeal rights: correct the claim and submit it again.")
        route, why = self.grouped_route(group, carc)
        if "no_appeal" in effects and route is Route.APPEAL:
            blocked = "The payer's remark says this may not be appealed"
            rule = self._group_rule(group, entry.fallback_route)  # CO-119 falls back to the patient: not under CO
            if rule is None:
                return Decision(entry.fallback_route, True, f"{blocked}.")
            return Decision(rule.route, True, f"{blocked}; {rule.why}.")
        return Decision(route, entry.opens_case, why)

    def grouped_route(self, group: str, carc: str) -> tuple[Route, str]:
        """The reason's route under this group code (no remarks), and why."""
        entry = self.reason(carc)
        rule = self._group_rule(group, entry.route)
        if rule is None:
            return entry.route, entry.description
        return rule.route, f"{entry.description}; {rule.why}."

    def _group_rule(self, group: str, route: Route) -> GroupRule | None:
        known = self.groups.get(group.strip().upper())
        return known.rule_for(route) if known else None

    def review_for(self, carc: str, route: Route | None = None) -> Review:
        """The review steps and evidence for a reason taking `route` (its own route when None).

        On its own route a reason has its own steps, or its category's; on another route it has
        that route's steps, so the steps never contradict the route the adjustment took.
        """
        entry = self.reason(carc)
        if route is None or route is entry.route:
            categories = {**shipped_categories(), **self.categories}
            default = categories.get(entry.category) or categories["other"]
            return Review(entry.review or default.steps, entry.evidence or default.evidence)
        return self.route_reviews.get(route) or shipped_route_reviews()[route]


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
        letter=raw.get("letter", ""),
    )


def _group_from(code: str, raw: dict) -> GroupCode:
    routes = tuple((Route(own), GroupRule(Route(rule["route"]), rule["why"]))
                   for own, rule in raw.get("routes", {}).items())
    return GroupCode(code, raw["name"], raw["description"], routes)


def _reviews_from(path: Path) -> dict[str, Review]:
    if not path.exists():
        return {}
    return {name: Review(tuple(v["steps"]), tuple(EvidenceKind(k) for k in v.get("evidence", ())))
            for name, v in _load_toml(path).items()}


@cache
def shipped_categories() -> dict[str, Review]:
    """Review steps by category, for reasons without their own (resources/codes/review_steps.toml)."""
    return _reviews_from(resource_path("codes", "review_steps.toml"))


@cache
def shipped_route_reviews() -> dict[Route, Review]:
    """Review steps for a reason on a route not its own (resources/codes/route_steps.toml)."""
    return {Route(name): review for name, review in _reviews_from(resource_path("codes", "route_steps.toml")).items()}


def load_codebook(folder: Path) -> CodeBook:
    """Read a code book folder (groups, claim statuses, CARCs, RARCs, review steps)."""
    groups = {c: _group_from(c, r) for c, r in _load_toml(folder / "groups.toml").items()}
    reasons = {c: _reason_from(c, r) for c, r in _load_toml(folder / "carc.toml").items()}
    remarks = {
        c: RemarkCode(c, r["description"], r.get("effect", ""), r.get("retired", ""))
        for c, r in _load_toml(folder / "rarc.toml").items()
    }
    statuses = {c: r["description"] for c, r in _load_toml(folder / "claim_status.toml").items()}
    routes = {Route(name): review for name, review in _reviews_from(folder / "route_steps.toml").items()}
    return CodeBook(groups=groups, reasons=reasons, remarks=remarks, claim_statuses=statuses,
                    categories=_reviews_from(folder / "review_steps.toml"), route_reviews=routes)


@cache
def codebook() -> CodeBook:
    """The shipped code book, loaded once."""
    return load_codebook(resource_path("codes"))
