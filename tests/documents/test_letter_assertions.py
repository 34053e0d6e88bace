"""Issue 10, points 4, 5 and 8: a letter says only what the case shows. Each template is drafted
through the real path (ops.letters.draft_letter, as the window and the command line do) over cases
built to break each of its assertions: the sentence is then absent, or the letter is refused with
a sentence naming what to fix before any PDF is made. Then a sweep over every template and a set of
varied cases for what no letter may print (unfilled values, doubled parentheses, "dates of
service" before one date, code-book wording meant for the biller, appeal words in an inquiry)."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from workstation.core.codebook import codebook
from workstation.core.deadlines import Deadline, DeadlineKind
from workstation.core.model import Address, Adjustment, Case, EvidenceDoc, Remark, ServiceLine
from workstation.core.payer_kinds import Ladder, default_ladders
from workstation.core.vocabulary import EvidenceKind, PayerKind, Route
from workstation.core.workspace_model import PracticeProfile
from workstation.documents.letter_checks import contradictions, typed_dates, typed_window
from workstation.documents.letter_markup import plain
from workstation.documents.letter_templates import load_catalog, needed_paths, render_markup
from workstation.ops.letters import Draft, LetterContradiction, LetterSetting, draft_letter, letter_bytes

TODAY = date(2026, 3, 31)
CATALOG = load_catalog()
PRACTICE = PracticeProfile("Riverbend Family Medicine", Address("12 Example Way", "", "Exampleton", "ZZ", "00001"),
                           "555-0150", "555-0151", "1234567893", "12-3456789", "Dana Example", "Dana Example",
                           "Billing manager")
#: Plain values for every field a template may print (no parentheses, so doubled ones are the template's).
FILLED = {
    "clinical_summary": "Acute low back pain with radiating symptoms after six weeks of failed home exercise.",
    "policy_reference": "Plan medical policy PT-12, version 3",
    "authorization_number": "AUTH-7788",
    "authorization_dates": "01/15/2026 to 03/15/2026, 12 units",
    "original_submission_date": "02/10/2026",
    "submission_proof": "Clearinghouse acceptance report, trace 55512.",
    "corrected_detail": "Line 1 now carries modifier GP.",
    "distinct_service_detail": "The therapy and the visit were separate encounters, at 9:00 and 15:00.",
    "other_coverage_detail": "The prior plan ended on 12/31/2025.",
    "eligibility_detail": "The member's coverage began on 01/01/2026.",
    "enrollment_detail": "Enrolled with the payer effective 01/01/2025.",
    "contract_detail": "Fee schedule exhibit B, 2026.",
    "expected_payment": "$280.00",
    "good_cause_reason": "The notice was mailed to an old address.",
    "requested_records": "the reviewer's notes",
    "additional_argument": "The services match the documentation line by line.",
}


# -- building cases and drafting ----------------------------------------------------------------


def kind_of(case: Case, kind: str) -> Case:
    case.payer.kind = PayerKind(kind)
    return case


def with_reasons(case: Case, *codes: str, route: Route = Route.APPEAL, amount: str = "100.00") -> Case:
    """The case denied (opened) for exactly these reason codes, on line 1."""
    case.adjustments = [Adjustment("CO", code, Decimal(amount), None, 1, route, True) for code in codes]
    case.route = route
    return case


def one_line(case: Case, code: str = "97110", modifiers: list[str] | None = None, units: str = "1",
             day: date = date(2026, 2, 1)) -> Case:
    """One line on one date of service."""
    case.lines = [ServiceLine(1, code, modifiers or [], Decimal(units), day, day, Decimal("200.00"), None,
                              Decimal("0.00"))]
    case.claim.service_from = case.claim.service_to = day
    return case


def draft(case: Case, template_id: str, fields: dict[str, str] | None = None, *, enclosures: int = 0,
          level: int = 1, late: bool = False) -> Draft:
    """A draft through the real path; `enclosures` documents included in the case, routed as the
    template is (the route decides the kind of letter), a contracted plan for Medicare Advantage."""
    case.evidence = [EvidenceDoc(number, f"Document {number}", EvidenceKind.MEDICAL_RECORDS, f"d{number}.pdf",
                                 "application/pdf", 10, "ab" * 32) for number in range(1, enclosures + 1)]
    routes = CATALOG.get(template_id).routes
    if routes and (case.route is None or case.route.value not in routes):
        case.route = Route(routes[0])
    deadline = Deadline(DeadlineKind.APPEAL, "test", level=level,
                        level_name="reconsideration" if level == 2 else "", due=date(2026, 6, 1), late=late)
    setting = LetterSetting(PRACTICE, deadline, CATALOG, ladder_with_qic(case), contracted="yes")
    return draft_letter(case, setting, template_id=template_id, fields=dict(FILLED if fields is None else fields),
                        today=TODAY)


def ladder_with_qic(case: Case) -> Ladder:
    """The payer kind's ladder, its level 2 with its own office (Medicare's reconsideration: a QIC)."""
    ladder = default_ladders()[case.payer.kind]
    levels = list(ladder.levels)
    if len(levels) > 1:
        levels[1] = dataclasses.replace(levels[1], address="Demo QIC / PO Box 9 / Sampleville, ZZ 00009")
    return dataclasses.replace(ladder, levels=tuple(levels))


def text(d: Draft) -> str:
    return plain(d.markup)


def refused(d: Draft, *phrases: str) -> str:
    """The letter is refused before any PDF, with one sentence naming each fix (all phrases in it)."""
    with pytest.raises(LetterContradiction) as error:
        letter_bytes(d)
    message = str(error.value)
    for phrase in phrases:
        assert phrase in message, (phrase, message)
    return message


def printable(d: Draft) -> None:
    assert d.contradictions == (), d.contradictions


# -- the readers behind the facts -----------------------------------------------------------------


def test_typed_dates_and_limits_are_read_leniently() -> None:
    assert typed_dates("1/5/26-3/5/26, 12 visits") == [date(2026, 1, 5), date(2026, 3, 5)]
    assert typed_dates("2026-01-05 through March 5, 2026") == [date(2026, 1, 5), date(2026, 3, 5)]
    assert typed_dates("13/45/2026, then 9/2/2026") == [date(2026, 9, 2)]
    assert typed_dates("see the clearinghouse report") == []
    assert typed_window("90 days").days == 90 and typed_window("1 year").months == 12
    assert typed_window("180").days == 180 and typed_window("soon") is None and typed_window("0") is None


# -- timely filing ------------------------------------------------------------------------------


def test_timely_filing_before_the_service_is_refused(make_case) -> None:
    case = one_line(with_reasons(make_case(), "29"), day=date(2025, 9, 11))
    d = draft(case, "timely_filing", {**FILLED, "original_submission_date": "09/02/2025"})
    assert "was within that limit" not in text(d)  # the sentence, for a claim sent before the service
    refused(d, "09/02/2025", "before the date of service", "correct the date the claim was first sent")


def test_timely_filing_at_medicare_claims_the_year_only_when_the_date_shows_it(make_case) -> None:
    case = one_line(with_reasons(make_case(), "29"), day=date(2025, 2, 1))
    within = draft(case, "timely_filing", {**FILLED, "original_submission_date": "01/20/2026"})
    assert "filed within 12 months" in text(within) and "ran to 02/01/2026" in text(within)
    assert "The first filing, on 01/20/2026, was within that limit." in text(within)
    printable(within)
    unreadable = draft(case, "timely_filing", {**FILLED, "original_submission_date": "see the 277CA"})
    assert "within that limit" not in text(unreadable) and "see the 277CA" in text(unreadable)
    printable(unreadable)


def test_timely_filing_past_the_limit_needs_a_reason_and_never_says_on_time(make_case) -> None:
    case = one_line(with_reasons(make_case(), "29"), day=date(2025, 2, 1))
    fields = {**FILLED, "original_submission_date": "02/20/2026", "good_cause_reason": "", "other_coverage_detail": ""}
    late = draft(case, "timely_filing", fields)
    assert "within that limit" not in text(late) and "When the claim was filed" not in text(late)
    assert "first sent on 02/20/2026, after it" in text(late)
    refused(late, "after Medicare's 12 months filing limit ended on 02/01/2026", "why the request is late")
    excused = draft(case, "timely_filing", {**fields, "good_cause_reason": "The contractor gave a wrong address."})
    printable(excused)
    assert "under the exception in 42 CFR 424.44(b); the filing was delayed for this reason: The contractor" \
        in text(excused)


def test_timely_filing_for_another_payer_states_a_limit_only_when_typed(make_case) -> None:
    case = kind_of(one_line(with_reasons(make_case(), "29")), "commercial")
    unknown = draft(case, "timely_filing")  # no limit typed: the payer's limit is unknown
    assert "within that limit" not in text(unknown) and "limit for filing this claim" not in text(unknown)
    assert "please tell us the filing limit applied" in text(unknown)
    printable(unknown)
    known = draft(case, "timely_filing", {**FILLED, "filing_limit_days": "90 days"})
    assert "Demo Medicare & Co's limit for filing this claim is 90 days" in text(known)
    assert "ran to 05/02/2026" in text(known) and "was within that limit" in text(known)
    past = draft(case, "timely_filing", {**FILLED, "filing_limit_days": "5", "good_cause_reason": "",
                                         "other_coverage_detail": ""})
    assert "within that limit" not in text(past)
    refused(past, "5 days filing limit ended on 02/06/2026")


def test_timely_filing_sent_after_the_denial_is_refused(make_case) -> None:
    case = one_line(with_reasons(make_case(), "29"))  # the notice is dated 03/03/2026
    d = draft(case, "timely_filing", {**FILLED, "original_submission_date": "03/20/2026"})
    refused(d, "after the notice of 03/03/2026", "type the date of the first filing")
    future = draft(case, "timely_filing", {**FILLED, "original_submission_date": "04/20/2026"})
    refused(future, "is after today")


# -- authorization ----------------------------------------------------------------------------------


def test_authorization_says_the_service_falls_inside_only_when_the_dates_show_it(make_case) -> None:
    case = kind_of(one_line(with_reasons(make_case(), "197")), "commercial")
    inside = draft(case, "authorization")
    assert "The date of service (02/01/2026) falls within its dates, 01/15/2026 to 03/15/2026" in text(inside)
    printable(inside)
    unreadable = draft(case, "authorization", {**FILLED, "authorization_dates": "twelve visits this spring"})
    assert "falls within" not in text(unreadable)
    printable(unreadable)
    outside = draft(case, "authorization", {**FILLED, "authorization_dates": "03/01/2026 to 04/30/2026"})
    assert "falls within" not in text(outside)
    refused(outside, "do not cover the date of service (02/01/2026)", "correct the authorization dates",
            "clear the authorization number")
    backwards = draft(case, "authorization", {**FILLED, "authorization_dates": "03/15/2026 to 01/15/2026"})
    refused(backwards, "run backwards")


def test_authorization_asks_to_extend_only_beyond_the_authorization(make_case) -> None:
    case = kind_of(one_line(with_reasons(make_case(), "198"), units="4"), "commercial")
    inside = draft(case, "authorization")  # 4 units, inside 01/15 to 03/15, 12 approved
    assert "extend the authorization" not in text(inside)
    assert "within the 12 units approved, so they did not go beyond the authorization" in text(inside)
    printable(inside)
    over = draft(case, "authorization", {**FILLED, "authorization_dates": "01/15/2026 to 03/15/2026, 2 units"})
    assert "bills 4 units where 2 were approved" in text(over) and "extend the authorization" in text(over)
    outside = draft(case, "authorization", {**FILLED, "authorization_dates": "02/05/2026 to 03/15/2026"})
    assert "outside the authorized dates" in text(outside) and "extend the authorization" in text(outside)
    printable(outside)  # a 198 beyond the dates is what the letter argues, not a contradiction
    no_units = draft(case, "authorization", {**FILLED, "authorization_dates": "01/15/2026 to 03/15/2026"})
    assert "We ask Demo Medicare & Co to extend" not in text(no_units)
    assert "If Demo Medicare & Co counts more units than were approved" in text(no_units)
    unknown = draft(case, "authorization", {**FILLED, "authorization_dates": ""})
    assert "for any service Demo Medicare & Co finds beyond it, extend" in text(unknown)


# -- coding and corrected claims --------------------------------------------------------------


def test_coding_argues_modifier_25_only_beside_another_procedure_that_day(make_case) -> None:
    alone = kind_of(one_line(with_reasons(make_case(), "4"), code="99213", modifiers=["25"]), "commercial")
    assert "separately identifiable" not in text(draft(alone, "coding_correction"))
    both = kind_of(with_reasons(make_case(), "4"), "medicaid")  # no standing page enclosed for it
    both.lines[1].modifiers, both.lines[1].service_from = ["25"], both.lines[0].service_from
    with_note = draft(both, "coding_correction", enclosures=1)
    assert "separately identifiable from the procedure billed for the same day, and the enclosed note" \
        in text(with_note)
    other_day = kind_of(with_reasons(make_case(), "4"), "medicaid")
    other_day.lines[1].modifiers = ["25"]  # the visit is on 02/02, the therapy on 02/01
    assert "separately identifiable" not in text(draft(other_day, "coding_correction"))
    assert "enclosed note" not in text(draft(both, "coding_correction"))  # nothing enclosed


def test_coding_says_distinct_only_with_the_facts(make_case) -> None:
    case = kind_of(one_line(with_reasons(make_case(), "97")), "commercial")
    without = draft(case, "coding_correction", {**FILLED, "distinct_service_detail": ""})
    assert "show that distinction" not in text(without)
    assert "why the services were distinct" in without.missing
    assert "The claim line as billed" in text(without)  # one line, said once


def test_corrected_claim_is_a_cover_letter_not_an_appeal(make_case) -> None:
    case = with_reasons(make_case(), "4", route=Route.RESUBMIT)
    d = draft(case, "corrected_claim")
    words = text(d)
    assert "claim frequency code 7" in words and "It replaces claim ICN 2026-0001" in words
    assert FILLED["corrected_detail"] in words
    assert not re.search(r"appeal|denial|redetermination|reconsider", words, re.IGNORECASE)
    printable(d)
    case.remarks = [Remark("MA130")]  # never processed: nothing to replace
    words = text(draft(case, "corrected_claim"))
    assert "frequency code 7" not in words and "sent as a new claim" in words


# -- inquiries ------------------------------------------------------------------------------------


def test_payment_inquiry_asks_only_what_the_codes_raise(make_case) -> None:
    case = kind_of(with_reasons(make_case(), "18", route=Route.INQUIRY), "commercial")
    words = text(draft(case, "payment_inquiry", {}))
    assert "Which claim was this one matched to" in words and "amount allowed figured" not in words
    assert not re.search(r"appeal|denial", words, re.IGNORECASE)
    case.claim.paid = Decimal("50.00")
    case = with_reasons(case, "45", route=Route.INQUIRY)
    words = text(draft(case, "payment_inquiry", {}))
    assert "amount allowed figured" in words and "matched to" not in words and "What we expected" not in words


def sequestration(case: Case, cut: str, paid: str = "100.00", day: date = date(2026, 1, 5)) -> Case:
    case = one_line(with_reasons(case, "253", route=Route.INQUIRY, amount=cut), day=day)
    case.remarks, case.claim.paid = [], Decimal(paid)
    return case


def test_sequestration_inquiry_never_calls_it_a_denial_and_needs_a_wrong_amount(make_case) -> None:
    wrong = draft(sequestration(make_case(), "5.00"), "sequestration_inquiry")
    words = text(wrong)
    assert "$105.00" in words and "2% of the payment before the reduction, which comes to $2.10" in words
    assert not re.search(r"denial|denied|appeal", words, re.IGNORECASE)
    assert words.splitlines()[2] == "Dear Provider Inquiry Unit:"
    printable(wrong)
    right = draft(sequestration(make_case(), "2.04", paid="100.00"), "sequestration_inquiry")
    refused(right, "is what the rate in force", "close the inquiry")
    none = draft(with_reasons(make_case(), "50"), "sequestration_inquiry")
    refused(none, "shows no CO-253", "choose the letter for the adjustment")
    paused = draft(sequestration(make_case(), "3.00", day=date(2021, 6, 1)), "sequestration_inquiry")
    assert "none; sequestration was suspended for services from 05/01/2020 through 03/31/2022" in text(paused)


def test_underpayment_needs_an_amount_above_what_was_paid(make_case) -> None:
    case = kind_of(with_reasons(make_case(), "45", route=Route.INQUIRY), "commercial")
    case.claim.paid = Decimal("150.00")
    above = draft(case, "underpayment")
    assert "the contract calls for $280.00, $130.00 more" in text(above)
    printable(above)
    unreadable = draft(case, "underpayment", {**FILLED, "expected_payment": "the contract rate"})
    assert " more." not in text(unreadable) and "difference, $" not in text(unreadable)
    below = draft(case, "underpayment", {**FILLED, "expected_payment": "$150.00"})
    refused(below, "($150.00) is not more than what was paid ($150.00)", "correct the amount")


# -- the appeal letters: one sentence each, absent without its fact ---------------------------------


def test_general_appeal_mentions_enclosures_and_arguments_only_when_there_are_some(make_case) -> None:
    case = with_reasons(make_case(), "50")
    bare = text(draft(case, "general_appeal", {}, late=True))
    assert "enclosed" not in bare.lower()  # the issue: "The enclosed documents support..." with nothing enclosed
    assert "Why the claim should be paid" not in bare and "full review of the claim" in bare
    full = text(draft(case, "general_appeal", enclosures=2))
    assert "The enclosed documents, listed below, support this request." in full
    assert FILLED["additional_argument"] in full and "full review" not in full


@pytest.mark.parametrize("template_id", ["medical_necessity", "level_of_service", "authorization",
                                         "coding_correction", "coordination_of_benefits", "duplicate",
                                         "eligibility", "non_covered", "provider_enrollment", "timely_filing",
                                         "underpayment", "medicare_redetermination", "medicare_reconsideration",
                                         "payment_inquiry", "corrected_claim"])
def test_no_letter_speaks_of_enclosures_when_nothing_is_enclosed(template_id: str, make_case) -> None:
    template = CATALOG.get(template_id)
    case = make_case()
    if template.payer_kinds and "medicare" not in template.payer_kinds:
        kind_of(case, template.payer_kinds[-1])
    level = 2 if 2 in template.levels else 1
    without = text(draft(case, template_id, level=level)).lower()
    assert "enclosed" not in without and "we send with this request" not in without, template_id
    with_docs = text(draft(case, template_id, enclosures=1, level=level)).lower()
    assert "enclosed" in with_docs or "we send with this request" in with_docs, template_id


def test_medical_necessity_claims_nothing_the_case_lacks(make_case) -> None:
    case = one_line(with_reasons(make_case(), "50", "167"))
    case.claim.diagnosis_codes, case.remarks = ["M54.50"], []
    words = text(draft(case, "medical_necessity", {**FILLED, "policy_reference": ""}))
    assert "N115" not in words and "local coverage determination" not in words
    assert "for diagnosis M54.50" in words and "The diagnosis billed, M54.50, is the condition treated" in words
    assert "The clinical facts below show" in words and "The enclosed records show" not in words
    assert "On 02/01/2026, Riverbend" in words
    assert "met the coverage criteria" not in words and "meets each of its criteria" not in words


def test_level_of_service_explains_visit_levels_only_for_a_visit(make_case) -> None:
    case = one_line(with_reasons(make_case(), "151"), code="97110", units="3")
    words = text(draft(case, "level_of_service"))
    assert "visit level" not in words and "Each unit billed was provided." in words
    case = one_line(with_reasons(make_case(), "150"), code="99214")
    words = text(draft(case, "level_of_service", enclosures=1))
    assert "How the visit level is chosen" in words and "Units and frequency" not in words


def test_duplicate_names_modifiers_only_when_the_claim_has_them(make_case) -> None:
    case = one_line(with_reasons(make_case(), "18"))
    assert "The modifiers." not in text(draft(case, "duplicate"))
    case = one_line(with_reasons(make_case(), "18"), modifiers=["91"])
    assert "modifier 91 (a laboratory test was repeated" in text(draft(case, "duplicate"))


def test_coordination_of_benefits_answers_ma04_only_when_it_is_on_the_notice(make_case) -> None:
    case = kind_of(with_reasons(make_case(), "22"), "commercial")
    case.remarks = []
    words = text(draft(case, "coordination_of_benefits", {**FILLED, "eligibility_detail": ""}))
    assert "MA04" not in words and "Coverage with" not in words
    case.remarks = [Remark("MA04")]
    assert "Remark MA04 asks" in text(draft(case, "coordination_of_benefits"))


def test_eligibility_names_a_subscriber_only_when_another_person(make_case) -> None:
    case = one_line(with_reasons(make_case(), "27"))
    case.insured.first_name, case.insured.last_name = case.patient.first_name, case.patient.last_name
    case.patient.middle_name = ""
    words = text(draft(case, "eligibility"))
    assert "subscriber" not in words and "covered on that date" in words and "on those dates" not in words


def test_non_covered_cites_the_remark_only_when_present(make_case) -> None:
    case = kind_of(with_reasons(make_case(), "96"), "commercial")
    case.remarks = []
    words = text(draft(case, "non_covered", {**FILLED, "eligibility_detail": ""}))
    assert "Remark N130" not in words and "The plan in force" not in words
    assert "They include this service" not in words  # the old flat assertion
    case.remarks = [Remark("N130")]
    assert "Remark N130 refers only in general terms" in text(draft(case, "non_covered"))


def test_provider_enrollment_cites_medicare_rules_only_for_medicare_b7(make_case) -> None:
    case = with_reasons(make_case(), "B7")
    assert "42 CFR 424.521" in text(draft(case, "provider_enrollment"))
    assert "42 CFR 424.521" not in text(draft(kind_of(case, "commercial"), "provider_enrollment"))
    assert "42 CFR 424.521" not in text(draft(with_reasons(make_case(), "185"), "provider_enrollment"))
    case.remarks = []
    assert "N290" not in text(draft(case, "provider_enrollment"))


def test_medicare_letters_name_the_elements_for_one_date_and_a_partial_payment(make_case) -> None:
    case = one_line(with_reasons(make_case(), "50"))
    case.claim.paid = Decimal("40.00")
    words = text(draft(case, "medicare_redetermination"))
    assert "Services and date of service:" in words and "reduced the payment" in words
    words = text(draft(case, "medicare_reconsideration", level=2))
    assert "Services and date of service:" in words and "first paid in part" in words


def test_reconsideration_names_the_contractor_even_when_the_qic_heads_the_letter(make_case) -> None:
    d = draft(with_reasons(make_case(), "50"), "medicare_reconsideration", level=2)
    assert d.context["payer"]["name"] != "Demo Medicare & Co"  # the QIC's office heads the letter
    words = text(d)
    assert "the redetermination that Demo Medicare & Co made" in words
    assert "Contractor that made the redetermination: Demo Medicare & Co" in words


def test_records_request_says_denied_only_when_nothing_was_paid(make_case) -> None:
    case = with_reasons(make_case(), "50")
    assert "which was denied on 03/03/2026 with CO-50." in text(draft(case, "records_request"))
    case.claim.paid = Decimal("20.00")
    words = text(draft(case, "records_request", late=True))
    assert "which was paid in part" in words and "denied" not in words


# -- the sweep: what no letter may print ----------------------------------------------------------


def varied_cases(make_case) -> list[tuple[str, Case]]:
    """Payer kinds, one and several dates and lines, partial payment, modifiers, remarks."""
    full = make_case()
    single = one_line(with_reasons(make_case(), "50"))
    single.remarks = []
    commercial = kind_of(one_line(with_reasons(make_case(), "197", "198"), code="99284", modifiers=["25"]),
                         "commercial")
    erisa = kind_of(with_reasons(make_case(), "97", "236"), "erisa")
    erisa.claim.paid = Decimal("35.00")
    advantage = kind_of(one_line(with_reasons(make_case(), "29", "22"), units="3"), "medicare_advantage")
    medicaid = kind_of(with_reasons(make_case(), "18", "4", route=Route.INQUIRY), "medicaid")
    medicaid.remarks = [Remark("MA130"), Remark("N290")]
    seq = sequestration(make_case(), "5.00")
    return [("full", full), ("single", single), ("commercial", commercial), ("erisa", erisa),
            ("advantage", advantage), ("medicaid", medicaid), ("sequestration", seq)]


UNFILLED = [
    (r"\(\s*\)", "empty parentheses"),
    (r"\(\(|\)\)", "doubled parentheses"),
    (r"_{3,}", "a blank to fill"),
    (r"\{\{|\{%|%\}|\}\}", "template syntax"),
    (r"\bNone\b|\[\]|\{\}", "a value printed as Python"),
    (r"[ ]{2,}", "a doubled space"),
    (r"\s[.,;:]", "a space before punctuation"),
    (r"\b(ID|dated|born|NPI|PTAN|TIN)\s*[.,;)]", "a label whose value is missing"),
    (r"\$(?!\d)", "a dollar sign without an amount"),
    (r"\.\.(?!\.)", "a doubled full stop"),
    (r"(?i)\bdates of service:?\s+\d{2}/\d{2}/\d{4}(?!\s+to\b)", "'dates of service' before one date"),
    (r"(?i)\bdate of service:?\s+\d{2}/\d{2}/\d{4}\s+to\b", "'date of service' before two dates"),
]


def fits(template_id: str, case: Case) -> bool:
    kinds = CATALOG.get(template_id).payer_kinds
    return not kinds or case.payer.kind.value in kinds


@pytest.mark.parametrize("template_id", sorted(CATALOG.templates))
def test_no_letter_prints_an_unfilled_value_or_a_wrong_word(template_id: str, make_case) -> None:
    template = CATALOG.get(template_id)
    level = 2 if 2 in template.levels else 1
    drafted = 0
    for name, case in varied_cases(make_case):
        if not fits(template_id, case):
            continue
        for fields, enclosures, late in ((FILLED, 2, False), (required_only(template, case, level), 0, True)):
            d = draft(case, template_id, fields, enclosures=enclosures, level=level, late=late)
            assert d.missing == [], (name, d.missing)
            words = text(d)
            for pattern, what in UNFILLED:
                found = re.search(pattern, words)
                assert not found, f"{template_id} over the {name} case prints {what}: ...{_around(words, found)}..."
            lines = [line for line in words.splitlines() if line.strip()]
            assert lines[0].startswith("# ") and re.fullmatch(r"Dear [A-Z][A-Za-z ]+:", lines[1]), lines[:2]
            unfilled = render_markup(template, with_empty_marked(d.context))
            assert EMPTY not in unfilled, f"{template_id} over the {name} case prints an empty value: " \
                                          f"...{_around(unfilled, re.search(EMPTY, unfilled))}..."
            for reason in d.context["denial"]["reasons"]:  # the code book speaks to the biller, not the payer
                assert codebook().reason(reason["carc"]).description not in words, reason["code"]
            if template.routes and "appeal" not in template.routes:  # inquiries and cover letters
                assert not re.search(r"(?i)\bappeal|redetermination|reconsideration", words), (template_id, name)
            if template_id == "sequestration_inquiry":
                assert not re.search(r"(?i)denial|denied", words), name
            drafted += 1
    assert drafted, f"no varied case fits {template_id}"


EMPTY = "<<EMPTY VALUE>>"


class _Empty(str):
    """An empty value that prints as a marker: a template that prints a value without testing it
    shows the marker, one that tests it first (`{% if x %}`) sees an empty value."""

    def __bool__(self) -> bool:
        return False


def with_empty_marked(value: Any) -> Any:
    """The context with every empty string replaced by the marker (tests still see it as empty)."""
    if isinstance(value, dict):
        return {key: with_empty_marked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [with_empty_marked(item) for item in value]
    return _Empty(EMPTY) if value == "" else value


def required_only(template, case: Case, level: int) -> dict[str, str]:
    """Only the fields this letter cannot do without (and the good-cause reason, being late)."""
    d = draft(case, template.id, {}, level=level)
    keys = {path.split(".", 1)[1] for path in needed_paths(template, d.context) if path.startswith("fields.")}
    return {key: FILLED[key] for key in keys | {"good_cause_reason"}}


def _around(words: str, found: re.Match | None) -> str:
    return words[max(found.start() - 40, 0):found.end() + 40] if found else ""


# -- the letter-facing wording of the codes -------------------------------------------------------

COMMON = ["1", "2", "3", "4", "5", "11", "16", "18", "22", "23", "27", "29", "31", "45", "50", "96", "97", "109",
          "119", "146", "167", "170", "181", "182", "183", "185", "197", "198", "204", "242", "252", "253", "B7",
          "B15"]


def test_every_code_a_letter_answers_has_a_wording_for_the_payer() -> None:
    codes = set(COMMON) | {code for t in CATALOG.templates.values() for code in t.carcs}
    for code in sorted(codes):
        entry = codebook().reason(code)
        assert entry.letter, f"CARC {code} has no letter wording"
        assert entry.letter != entry.description and entry.letter[0].islower(), code
        assert not entry.letter.endswith(".") and "says the payer" not in entry.letter, code
        assert not re.search(r"(?i)denial|\bpayer judged", entry.letter), code


def test_letters_use_the_payer_wording_of_each_reason(make_case) -> None:
    d = draft(with_reasons(make_case(), "50"), "medical_necessity")
    context: dict[str, Any] = d.context
    for reason in context["denial"]["reasons"]:  # as letter_context gives it (reason.letter_text)
        reason.setdefault("letter_text", codebook().reason(reason["carc"]).letter)
    words = plain(render_markup(d.template, context))
    assert "CO-50 on line 1, $100.00: the service was judged not medically necessary." in words
    assert "Payer judged" not in words


def test_contradictions_are_keyed_by_template() -> None:
    assert contradictions("no_such_letter", {}) == []
