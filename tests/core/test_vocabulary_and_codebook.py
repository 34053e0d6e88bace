"""The shared vocabulary (DESIGN.md 2a), the code book, payer kinds, money and dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.core.codebook import CATEGORIES, REMARK_EFFECTS, codebook
from workstation.core.dates import iso, parse_date
from workstation.core.errors import InvalidValue
from workstation.core.money import dollars, money, money_text
from workstation.core.payer_kinds import Window, default_ladders, guess_payer_kind
from workstation.core.vocabulary import (
    Appealable,
    EvidenceKind,
    PayerKind,
    Route,
    Status,
    is_open_status,
    most_actionable,
)

# DESIGN.md section 2a, written out by hand so a renamed value is caught.
STATUSES = ["new", "in_review", "gathering_evidence", "ready_to_send", "submitted", "won",
            "partially_won", "lost", "dismissed", "resubmitted", "written_off", "closed"]
ROUTES = ["appeal", "resubmit", "other_payer", "bill_patient", "write_off", "inquiry"]
EVIDENCE_KINDS = ["medical_records", "authorization", "remittance", "necessity_letter",
                  "timely_filing_proof", "correspondence", "policy", "decision_letter", "other"]
PAYER_KINDS = ["medicare", "medicare_advantage", "medicaid", "erisa", "commercial",
               "workers_comp", "tricare", "va", "other"]
MOST_ACTIONABLE_FIRST = [Route.APPEAL, Route.RESUBMIT, Route.OTHER_PAYER, Route.INQUIRY,
                         Route.BILL_PATIENT, Route.WRITE_OFF]

# Every CARC of the table "Common denial reasons" in DOMAIN.md section 2.
DOMAIN_TABLE_CARCS = ["1", "2", "3", "4", "11", "16", "18", "22", "23", "26", "27", "29", "31",
                      "45", "50", "96", "97", "109", "119", "150", "151", "167", "170", "185",
                      "B7", "181", "182", "197", "198", "204", "226", "227", "236", "242", "243",
                      "250", "251", "252", "253"]

book = codebook()


# -- vocabulary ----------------------------------------------------------------------------


@pytest.mark.parametrize(("enum", "values"), [
    (Status, STATUSES), (Route, ROUTES), (EvidenceKind, EVIDENCE_KINDS), (PayerKind, PAYER_KINDS),
])
def test_vocabulary_values_match_the_design_exactly(enum, values):
    assert sorted(member.value for member in enum) == sorted(values)


def test_every_route_and_status_has_a_label_for_people():
    assert all(route.label for route in Route)
    assert Status.READY_TO_SEND.label == "Ready to send"


@pytest.mark.parametrize("index", range(len(MOST_ACTIONABLE_FIRST) - 1))
def test_most_actionable_route_beats_every_less_actionable_one(index):
    better = MOST_ACTIONABLE_FIRST[index]
    for worse in MOST_ACTIONABLE_FIRST[index + 1:]:
        assert most_actionable([worse, better, worse]) is better


def test_most_actionable_of_nothing_is_none():
    assert most_actionable([]) is None


# -- code book -----------------------------------------------------------------------------


def test_every_reason_code_is_complete():
    assert len(book.reasons) > 250
    for code, entry in book.reasons.items():
        assert entry.code == code
        assert entry.description.strip(), code
        assert entry.category in CATEGORIES, code
        assert isinstance(entry.route, Route), code
        assert isinstance(entry.appealable, Appealable), code
        if entry.retired:
            date.fromisoformat(entry.retired)


def test_every_remark_effect_is_known():
    assert all(remark.effect in REMARK_EFFECTS for remark in book.remarks.values())
    assert all(remark.description.strip() for remark in book.remarks.values())


@pytest.mark.parametrize("carc", DOMAIN_TABLE_CARCS)
def test_every_carc_of_the_domain_table_is_present_with_review_steps(carc):
    entry = book.reasons[carc]
    assert entry.review, f"CARC {carc} has no review steps"
    assert not entry.is_retired


@pytest.mark.parametrize(("carc", "stopped"), [("A2", "2008-01-01"), ("42", "2007-06-01")])
def test_old_codes_cited_by_old_remittances_are_known_and_marked_retired(carc, stopped):
    entry = book.reason(carc)
    assert entry.is_retired and entry.retired == stopped
    assert entry.description != book.reason("ZZZ").description
    assert book.remark("N14").retired == "2007-10-01"


def test_sequestration_is_not_service_not_covered_and_cannot_be_appealed():
    entry = book.reason("253")
    assert "sequestration" in entry.description.lower()
    assert "not covered" not in entry.description.lower()
    assert entry.appealable is Appealable.NO
    assert entry.route is Route.WRITE_OFF


@pytest.mark.parametrize("group", ["CO", "OA", "PI", "PR", "CR"])
def test_sequestration_never_opens_a_case_whatever_the_group(group):
    assert not book.decide(group, "253", Decimal("2.40"), []).opens_case


@pytest.mark.parametrize("carc", ["45", "42", "A2"])
def test_contractual_write_offs_do_not_open_a_case(carc):
    decision = book.decide("CO", carc, Decimal("30.00"), [])
    assert (decision.route, decision.opens_case) == (Route.WRITE_OFF, False)


def test_medical_necessity_opens_an_appeal():
    decision = book.decide("CO", "50", Decimal("145.00"), [])
    assert (decision.route, decision.opens_case) == (Route.APPEAL, True)


def test_remark_ma130_turns_an_appeal_into_a_corrected_claim():
    decision = book.decide("CO", "50", Decimal("145.00"), ["MA130"])
    assert (decision.route, decision.opens_case) == (Route.RESUBMIT, True)


def test_remark_n211_blocks_an_appeal_but_the_case_still_opens():
    decision = book.decide("CO", "50", Decimal("145.00"), ["n211"])
    assert decision.route is not Route.APPEAL
    assert decision.route is book.reason("50").fallback_route
    assert decision.opens_case


@pytest.mark.parametrize("carc", ["1", "2", "3"])
def test_deductible_coinsurance_and_copay_never_open_a_case(carc):
    decision = book.decide("PR", carc, Decimal("40.00"), [])
    assert (decision.route, decision.opens_case) == (Route.BILL_PATIENT, False)


def test_prior_payer_impact_does_not_open_a_case():
    assert not book.decide("OA", "23", Decimal("12.00"), []).opens_case


def test_non_covered_as_patient_responsibility_opens_a_case_to_bill_the_patient():
    decision = book.decide("PR", "204", Decimal("175.00"), ["N130"])
    assert (decision.route, decision.opens_case) == (Route.BILL_PATIENT, True)
    assert "waiver" in decision.why


@pytest.mark.parametrize("amount", ["0.00", "-145.00"])
def test_zero_or_negative_amount_never_opens_a_case(amount):
    assert not book.decide("CO", "50", Decimal(amount), []).opens_case


def test_unknown_code_is_an_inquiry_so_a_person_looks_at_it():
    decision = book.decide("CO", "Q99", Decimal("10.00"), [])
    assert (decision.route, decision.opens_case) == (Route.INQUIRY, True)
    assert book.reason("q99").route is Route.INQUIRY


def test_lookups_ignore_case_and_spaces():
    assert book.reason(" a2 ") is book.reasons["A2"]
    assert book.reason_in_words("CO", "50").startswith("CO-50 ")


# -- payer kinds ---------------------------------------------------------------------------


def _windows(kind: PayerKind) -> list[int]:
    return [level.window.days for level in default_ladders()[kind].levels]


def test_every_payer_kind_has_a_default_ladder():
    assert set(default_ladders()) == set(PayerKind)


def test_original_medicare_has_five_levels_and_five_days_presumed_receipt():
    medicare = default_ladders()[PayerKind.MEDICARE]
    assert _windows(PayerKind.MEDICARE) == [120, 180, 60, 60, 60]
    assert medicare.presumed_receipt_days == 5
    assert medicare.timely_filing == Window(months=12)
    assert not medicare.needs_check


@pytest.mark.parametrize(("kind", "first_window"), [
    (PayerKind.MEDICARE_ADVANTAGE, 60), (PayerKind.MEDICAID, 60), (PayerKind.ERISA, 180),
    (PayerKind.COMMERCIAL, 90),
])
def test_known_kinds_have_the_domain_first_level_window(kind, first_window):
    ladder = default_ladders()[kind]
    assert _windows(kind)[0] == first_window
    assert ladder.timely_filing == Window(days=90)
    assert not ladder.needs_check


@pytest.mark.parametrize("kind", [PayerKind.WORKERS_COMP, PayerKind.TRICARE, PayerKind.VA,
                                  PayerKind.OTHER])
def test_kinds_without_a_known_default_get_sixty_days_flagged(kind):
    ladder = default_ladders()[kind]
    assert _windows(kind)[0] == 60
    assert ladder.needs_check
    assert ladder.timely_filing == Window(days=90)


@pytest.mark.parametrize(("indicator", "kind"), [
    ("MA", PayerKind.MEDICARE), ("MB", PayerKind.MEDICARE), ("16", PayerKind.MEDICARE_ADVANTAGE),
    ("MC", PayerKind.MEDICAID), ("CH", PayerKind.TRICARE), ("VA", PayerKind.VA),
    ("WC", PayerKind.WORKERS_COMP), (" mb ", PayerKind.MEDICARE),
])
def test_filing_indicator_names_the_payer_kind(indicator, kind):
    assert guess_payer_kind(indicator, "") == (kind, False)


@pytest.mark.parametrize(("name", "kind"), [
    ("NORIDIAN MEDICARE PART B", PayerKind.MEDICARE),
    ("Sunrise Medicare Advantage", PayerKind.MEDICARE_ADVANTAGE),
    ("MEDICARE HMO OF ZZ", PayerKind.MEDICARE_ADVANTAGE),
    ("ACME MEDICARE PLAN", PayerKind.MEDICARE_ADVANTAGE),
])
def test_name_alone_gives_the_kind_but_is_flagged(name, kind):
    assert guess_payer_kind("", name) == (kind, True)


def test_indicator_and_name_agreeing_is_not_flagged():
    assert guess_payer_kind("16", "SUNRISE MEDICARE ADVANTAGE PLAN") == (PayerKind.MEDICARE_ADVANTAGE, False)


@pytest.mark.parametrize(("indicator", "name", "kind"), [
    # Medicare (120 days) vs Medicare Advantage (60): the shorter window wins.
    ("MB", "SUNRISE MEDICARE ADVANTAGE", PayerKind.MEDICARE_ADVANTAGE),
    ("16", "NORIDIAN MEDICARE", PayerKind.MEDICARE_ADVANTAGE),
    ("MC", "STATE MEDICARE", PayerKind.MEDICAID),
])
def test_disagreeing_signals_take_the_shorter_window_flagged(indicator, name, kind):
    assert guess_payer_kind(indicator, name) == (kind, True)


@pytest.mark.parametrize("indicator", ["", "12", "HM", "ZZ"])
def test_missing_signals_take_the_shortest_candidate_window_flagged(indicator):
    kind, flagged = guess_payer_kind(indicator, "BLUEBIRD HEALTH")
    assert flagged
    assert default_ladders()[kind].first_window_days <= 60


# -- money ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "amount"), [
    ("1,250.00", "1250.00"), ("$12", "12.00"), (12, "12.00"), (" 3.5 ", "3.50"),
    ("0.005", "0.01"), ("-12.345", "-12.35"), (None, "0.00"), ("", "0.00"),
    (Decimal("7.1"), "7.10"),
])
def test_money_parses_what_billers_type(text, amount):
    assert money(text) == Decimal(amount)
    assert money_text(money(text)) == amount


@pytest.mark.parametrize("text", ["abc", "12,5O", "NaN", "Infinity", "1.2.3"])
def test_money_refuses_non_amounts_with_a_sentence(text):
    with pytest.raises(InvalidValue, match=r"is not an amount of money; type it like 1250\.00"):
        money(text)


@pytest.mark.parametrize("text", ["9" * 40, "1e30"])
def test_money_refuses_amounts_too_large_to_hold_in_cents(text):
    with pytest.raises(InvalidValue, match="too large to be an amount of money"):
        money(text)


def test_money_text_never_prints_negative_zero():
    assert money_text(money("-0.001")) == "0.00"
    assert money_text(Decimal("-0")) == "0.00"


@pytest.mark.parametrize(("amount", "shown"), [
    ("1250", "$1,250.00"), ("-1250.5", "-$1,250.50"), ("0", "$0.00"), ("1234567.891", "$1,234,567.89"),
])
def test_dollars_is_what_people_read(amount, shown):
    assert dollars(money(amount)) == shown


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**12, max_value=10**12))
def test_money_text_round_trip_is_stable(value):
    text = money_text(money(value))
    assert money_text(money(text)) == text
    assert money(text) == money(value)
    whole, _, cents = text.lstrip("-").partition(".")
    assert whole.isdigit() and len(cents) == 2 and cents.isdigit()


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**9, max_value=10**9, places=2))
def test_dollars_with_commas_parses_back_to_the_same_amount(value):
    assert money(dollars(money(value))) == money(value)


# -- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2026-03-31", "03/31/2026", "03/31/26", "20260331", " 2026-03-31 "])
def test_dates_parse_from_iso_us_and_x12(text):
    assert parse_date(text) == date(2026, 3, 31)


@pytest.mark.parametrize("text", [None, "", "   "])
def test_empty_date_is_none(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("text", ["31/03/2026", "2026-02-30", "yesterday", "2026-13-01"])
def test_bad_date_is_refused_with_a_sentence_showing_the_forms(text):
    with pytest.raises(InvalidValue) as caught:
        parse_date(text)
    assert str(caught.value) == (f"'{text}' is not a date; type it like 2026-03-31 "
                                 "or 03/31/2026.")


def test_iso_round_trips_and_keeps_none():
    assert parse_date(iso(date(2024, 2, 29))) == date(2024, 2, 29)
    assert iso(None) is None


def test_a_stored_status_is_open_exactly_when_its_status_is() -> None:
    """The report's quick test on a stored status string agrees with Status.is_open for every
    status; only won, written off and closed are settled, and an empty status is not open."""
    assert [value for value in STATUSES if not is_open_status(value)] == ["won", "written_off", "closed"]
    assert all(is_open_status(value) == Status(value).is_open for value in STATUSES)
    assert not is_open_status("")
