"""Route and review checklist agree, for every code of the book under every group code (issue 9.8).

The route an adjustment gets (from its group, its reason code and its remarks) and the checklist the
review shows for it must never tell the biller two different things, as PR-16 once did: routed to
"bill patient" while its checklist said "send a corrected claim".

What each route means, and so what its checklist may and must say (DOMAIN.md sections 2 and 5):

* appeal       contest the payer's decision: some step must tell to appeal (or ask for
               reconsideration / reopening). Falling back (write off, another payer) may be mentioned.
* resubmit     the claim itself is wrong: some step must tell to correct it or send it again. It never
               tells to bill the patient (nobody bills the patient for a claim error). An appeal may be
               named as the alternative when the coding was right (DOMAIN.md: "fix coding or appeal").
* other_payer  another payer must be billed: some step must name that payer (bill it, follow up with
               it). It never tells to bill the patient.
* inquiry      ask the payer first: no step tells to bill the patient before the answer is in.
* bill_patient the patient owes it: some step must tell to bill the patient; no step tells to appeal
               or to send a corrected claim (either would mean the patient does not owe it yet).
* write_off    the practice absorbs the amount: no step tells to appeal, to send a corrected claim or
               to bill the patient. Asking the payer (an inquiry) is allowed.

And by group (DOMAIN.md section 2, group table):

* CO and PI    the provider bears it and may not bill the patient: the route is never bill_patient and
               no step tells to bill the patient.
* PR           the group does not change a claim error: a reason whose own route is resubmit keeps it
               (PR-16 is corrected and resubmitted like CO-16).

A step "tells to" do something when its words say so; a negated mention ("not an appeal", "the
patient may not be billed") tells nothing. Real code book data throughout, no mocks.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

import pytest

from workstation.core.codebook import codebook, shipped_categories, shipped_route_reviews
from workstation.core.model import Adjustment, Case, Remark
from workstation.core.review import checklist, evidence_needed, step_key
from workstation.core.vocabulary import Route

book = codebook()
GROUPS = ["CO", "PR", "OA", "PI", "CR"]
#: No remark; a remark that forbids an appeal (N211); one that says unprocessable, submit anew (MA130).
REMARK_SETS = [[], ["N211"], ["MA130"]]
AMOUNT = Decimal("125.00")

# Negated mentions are removed before looking for an instruction.
_NEGATED = re.compile(
    r"\b(?:not an appeal|no appeal(?: rights)?|cannot be appealed|may not be appealed"
    r"|(?:do not|never|may not) bill the patient|patient (?:may|must) not be billed)\b",
    re.IGNORECASE)

_ACTIONS: dict[str, re.Pattern[str]] = {
    "appeal": re.compile(r"\b(?:appeal\w*|redetermination|reconsideration|reopening|dispute\w*)\b", re.I),
    "resubmit": re.compile(
        r"\bcorrected (?:claim|bill)\b|\bresubmit\w*|\bresend\w*|\bnew claim\b|\brebill\w*|\brecode\b"
        r"|\bagain\b|\b(?:fix|correct) (?:that item on )?the claim\b|\bsplit the claim\b"
        r"|\bsend (?:the|this|both|one)\b[^.;]*\b(?:claim|bill)\b|\bsubmit the actual claim\b", re.I),
    "other_payer": re.compile(
        r"\b(?:bill|follow up with|ask)\b[^.;]*\b(?:payer|plan|insurer|carrier|contractor|facility"
        r"|hospital|authority|third party|employer|attorney)\b", re.I),
    # "bill the patient's dental plan" bills another payer, not the patient
    "bill_patient": re.compile(r"\bbill(?:ing)? the patient\b(?!'s)", re.I),
}

REQUIRED: dict[Route, str | None] = {
    Route.APPEAL: "appeal", Route.RESUBMIT: "resubmit", Route.OTHER_PAYER: "other_payer",
    Route.INQUIRY: None, Route.BILL_PATIENT: "bill_patient", Route.WRITE_OFF: None,
}
FORBIDDEN: dict[Route, tuple[str, ...]] = {
    Route.APPEAL: (),
    Route.RESUBMIT: ("bill_patient",),
    Route.OTHER_PAYER: ("bill_patient",),
    Route.INQUIRY: ("bill_patient",),
    Route.BILL_PATIENT: ("appeal", "resubmit"),
    Route.WRITE_OFF: ("appeal", "resubmit", "bill_patient"),
}
PROVIDER_BEARS_IT = {"CO", "PI"}


def tells(step: str, action: str) -> bool:
    return bool(_ACTIONS[action].search(_NEGATED.sub(" ", step)))


def disagreements(route: Route, steps: list[str], group: str | None = None) -> list[str]:
    """What is wrong with this checklist for this route (and group); empty when they agree."""
    problems = []
    if not steps:
        problems.append("no steps at all")
    required = REQUIRED[route]
    if required and not any(tells(s, required) for s in steps):
        problems.append(f"no step tells to {required}")
    forbidden = FORBIDDEN[route] + (("bill_patient",) if group in PROVIDER_BEARS_IT else ())
    problems += [f"step tells to {action}: {s!r}" for action in dict.fromkeys(forbidden)
                 for s in steps if tells(s, action)]
    if group in PROVIDER_BEARS_IT and route is Route.BILL_PATIENT:
        problems.append(f"{group} may not be billed to the patient")
    return problems


def one_adjustment_case(group: str, carc: str, route: Route | None, remarks: list[str]) -> Case:
    """A case opened by one adjustment, as intake stores it: the route the code book decided.

    Every code is checked as opening the case: a denied claim opens one for any code it carries.
    """
    return Case(case_id="agreement", created_at=datetime(2026, 3, 2, 9, 0),
                adjustments=[Adjustment(group, carc, AMOUNT, None, 1, route, True)],
                remarks=[Remark(code, 1) for code in remarks])


def decided(group: str, carc: str, remarks: list[str]) -> tuple[Route, list[str]]:
    route = book.decide(group, carc, AMOUNT, remarks).route
    steps = [s.text for s in checklist(one_adjustment_case(group, carc, route, remarks), book, {})]
    return route, steps


ALL_CODES = [*book.reasons, "Q99"]  # and one code the book does not know


# -- the rules themselves, on hand-written steps ------------------------------------------------


@pytest.mark.parametrize(("route", "steps", "group", "problem"), [
    (Route.BILL_PATIENT, ["Fix that item on the claim", "Send a corrected claim"], "PR", "resubmit"),
    (Route.BILL_PATIENT, ["Appeal with the notes"], "PR", "appeal"),
    (Route.BILL_PATIENT, ["Check the plan"], "PR", "no step tells to bill_patient"),
    (Route.RESUBMIT, ["Check the plan"], "CO", "no step tells to resubmit"),
    (Route.APPEAL, ["Chart supports the service"], "CO", "no step tells to appeal"),
    (Route.WRITE_OFF, ["Appeal only if the plan covers it"], "CO", "appeal"),
    (Route.WRITE_OFF, ["If a waiver is on file, bill the patient"], "OA", "bill_patient"),
    (Route.APPEAL, ["Appeal, or bill the patient"], "CO", "bill_patient"),
    (Route.BILL_PATIENT, ["Bill the patient"], "CO", "may not be billed"),
])
def test_the_rules_catch_a_contradiction(route, steps, group, problem):
    assert any(problem in p for p in disagreements(route, steps, group))


@pytest.mark.parametrize(("route", "steps"), [
    (Route.WRITE_OFF, ["If the amount is far off, make an inquiry (not an appeal)"]),
    (Route.APPEAL, ["Appeal with proof; without it write the amount off (the patient may not be billed)"]),
    (Route.OTHER_PAYER, ["Bill the patient's dental plan"]),
    (Route.RESUBMIT, ["Send a corrected claim; appeal if the coding was right"]),
])
def test_the_rules_let_agreeing_steps_pass(route, steps):
    assert disagreements(route, steps, "CO") == []


# -- the whole book ------------------------------------------------------------------------------


@pytest.mark.parametrize("carc", ALL_CODES)
def test_route_and_checklist_agree_for_every_code_under_every_group_and_remark(carc):
    problems = {}
    for group in GROUPS:
        for remarks in REMARK_SETS:
            route, steps = decided(group, carc, remarks)
            found = disagreements(route, steps, group)
            if found:
                problems[f"{group}-{carc} {'+'.join(remarks) or 'no remark'} -> {route}"] = found
    assert problems == {}


@pytest.mark.parametrize("carc", ALL_CODES)
def test_whatever_route_an_adjustment_carries_its_steps_agree_with_it(carc):
    """The checklist follows the adjustment's route even when it is not the code's own."""
    problems = {}
    for route in Route:
        steps = [s.text for s in checklist(one_adjustment_case("OA", carc, route, []), book, {})]
        found = disagreements(route, steps)
        if found:
            problems[f"{carc} as {route}"] = found
    assert problems == {}


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("remarks", REMARK_SETS)
def test_an_adjustment_without_a_stored_route_gets_the_steps_of_the_route_the_book_decides(group, remarks):
    for carc in ("16", "50", "96", "204", "26", "1", "45"):
        _, steps = decided(group, carc, remarks)
        unrouted = checklist(one_adjustment_case(group, carc, None, remarks), book, {})
        assert [s.text for s in unrouted] == steps, f"{group}-{carc} {remarks}"


@pytest.mark.parametrize("group", GROUPS)
def test_no_group_turns_a_claim_error_into_something_else(group):
    """A reason whose own route is a corrected claim is corrected whatever the group (PR-16 = CO-16)."""
    errors = [c for c, e in book.reasons.items() if e.route is Route.RESUBMIT and e.opens_case]
    assert "16" in errors and len(errors) > 50
    assert {c: book.decide(group, c, AMOUNT, []).route for c in errors} == dict.fromkeys(errors, Route.RESUBMIT)


def test_every_route_has_its_own_steps_for_reasons_that_take_it_from_a_group_or_remark():
    assert set(shipped_route_reviews()) == set(Route)
    for route, review in shipped_route_reviews().items():
        assert disagreements(route, list(review.steps)) == [], route


def test_step_keys_stay_distinct_with_the_route_steps():
    """Two different steps must never share a key, or ticking one would tick the other."""
    texts = {t for e in book.reasons.values() for t in e.review}
    texts |= {t for r in [*shipped_categories().values(), *shipped_route_reviews().values()] for t in r.steps}
    by_key: dict[str, set[str]] = {}
    for text in texts:
        by_key.setdefault(step_key(text), set()).add(text)
    assert {k: v for k, v in by_key.items() if len(v) > 1} == {}


# -- PR-16, the case that was reported -----------------------------------------------------------


def test_pr16_is_corrected_and_resubmitted_like_co16():
    decision = book.decide("PR", "16", AMOUNT, [])
    assert decision.route is Route.RESUBMIT and decision.opens_case
    assert decision.route is book.decide("CO", "16", AMOUNT, []).route
    assert "patient" in decision.why  # says why the patient is not billed


def test_pr16_route_and_checklist_agree():
    route, steps = decided("PR", "16", [])
    assert route is Route.RESUBMIT
    assert any(tells(s, "resubmit") for s in steps)
    assert not any(tells(s, "bill_patient") for s in steps)
    assert steps == list(book.reason("16").review)  # the code's own steps, written for its own route
    assert disagreements(route, steps, "PR") == []


def test_pr16_with_ma130_is_a_new_claim_not_a_patient_bill():
    route, steps = decided("PR", "16", ["MA130"])
    assert route is Route.RESUBMIT
    assert any("MA130" in s or "new claim" in s.lower() for s in steps)


# -- other group codes the book now routes on purpose --------------------------------------------


def test_pr_on_a_denial_the_patient_can_owe_bills_the_patient_with_bill_patient_steps():
    for carc in ("50", "96", "204"):
        decision = book.decide("PR", carc, AMOUNT, [])
        assert decision.route is Route.BILL_PATIENT and decision.opens_case and "waiver" in decision.why
        _, steps = decided("PR", carc, [])
        assert any(tells(s, "bill_patient") for s in steps)
        assert not any(tells(s, "appeal") or tells(s, "resubmit") for s in steps), steps


@pytest.mark.parametrize("carc", ["22", "109"])
def test_pr_on_a_wrong_payer_code_bills_the_right_payer_first(carc):
    assert book.decide("PR", carc, AMOUNT, []).route is Route.OTHER_PAYER


@pytest.mark.parametrize("group", sorted(PROVIDER_BEARS_IT))
@pytest.mark.parametrize("carc", ["1", "2", "3"])
def test_a_patient_share_grouped_as_the_providers_is_asked_about_not_billed(group, carc):
    decision = book.decide(group, carc, AMOUNT, [])
    assert decision.route is Route.INQUIRY and not decision.opens_case
    assert book.decide("PR", carc, AMOUNT, []).route is Route.BILL_PATIENT


def test_evidence_follows_the_route_too():
    """PR-50 bills the patient: it needs no letter of medical necessity, CO-50 does."""
    needed_co = evidence_needed(one_adjustment_case("CO", "50", None, []), book)
    needed_pr = evidence_needed(one_adjustment_case("PR", "50", None, []), book)
    assert "necessity_letter" in needed_co and "necessity_letter" not in needed_pr
