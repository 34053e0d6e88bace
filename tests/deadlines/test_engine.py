"""The deadline engine (core/deadlines.py): every expected date below was counted by hand on a
calendar; the comments show the counting, the weekday and the US federal holiday involved."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.core.deadlines import (
    DEFAULT_BUFFER_DAYS,
    DEFAULT_DECISION_DAYS,
    Deadline,
    DeadlineFacts,
    DeadlineKind,
    Outcome,
    add_window,
    current_level,
    deadline_for,
    facts_from_json,
    facts_of,
    facts_to_json,
    is_business_day,
    pending_submission,
    roll_forward,
    urgency,
)
from workstation.core.payer_kinds import AppealLevel, Ladder, Window, default_ladders, ladder_problems
from workstation.core.vocabulary import PayerKind, Route, Status

LADDERS = default_ladders()
MEDICARE = LADDERS[PayerKind.MEDICARE]
MA = LADDERS[PayerKind.MEDICARE_ADVANTAGE]
MEDICAID = LADDERS[PayerKind.MEDICAID]
ERISA = LADDERS[PayerKind.ERISA]
COMMERCIAL = LADDERS[PayerKind.COMMERCIAL]
TODAY = date(2026, 3, 31)  # a Tuesday

US_HOLIDAYS = holidays.country_holidays("US")
NINETY_DAYS = Window(days=90)


def facts(notice: date | None = date(2026, 3, 2), *, status: Status = Status.IN_REVIEW,
          route: Route | None = Route.APPEAL, service_from: date | None = date(2026, 2, 1),
          service_to: date | None = date(2026, 2, 2), submissions: tuple = (), decisions: tuple = ()) -> DeadlineFacts:
    return DeadlineFacts(status, route, notice, service_from, service_to, tuple(submissions), tuple(decisions))


def due(notice: date, ladder: Ladder, **kwargs) -> Deadline:
    deadline = deadline_for(facts(notice), ladder, today=kwargs.pop("today", TODAY), **kwargs)
    assert deadline is not None
    return deadline


def one_level_ladder(window: Window, *, receipt: int = 0, decision_days: int = 30,
                     timely_filing: Window = NINETY_DAYS) -> Ladder:
    return Ladder(PayerKind.COMMERCIAL, "Test plan",
                  (AppealLevel("first-level appeal", "the plan", window, "notice", decision_days),),
                  receipt, timely_filing)


# -- the shipped ladders ------------------------------------------------------------------------


def test_shipped_ladders_match_domain_section_3():
    assert [lv.window.days for lv in MEDICARE.levels] == [120, 180, 60, 60, 60]
    assert [lv.counts_from for lv in MEDICARE.levels] == ["notice"] + ["previous_decision"] * 4
    assert MEDICARE.presumed_receipt_days == 5
    assert MEDICARE.timely_filing == Window(months=12)
    assert (MA.levels[0].window.days, MA.presumed_receipt_days) == (60, 0)
    assert (ERISA.levels[0].window.days, MEDICAID.levels[0].window.days, COMMERCIAL.levels[0].window.days) \
        == (180, 60, 90)
    for ladder in LADDERS.values():
        assert ladder_problems(ladder) == [], ladder.kind


# -- Medicare level 1 ---------------------------------------------------------------------------


def test_medicare_level_1_from_the_notice_date_rolls_off_a_sunday():
    # Notice Monday 2026-03-02. Presumed receipt +5 = Saturday 2026-03-07.
    # +120 days: to 03-31 is 24, April 30 -> 54, May 31 -> 85, June 30 -> 115, July 5 -> 120.
    # 2026-07-05 is a Sunday (Independence Day was Saturday 07-04, observed Friday 07-03), so it is
    # due Monday 2026-07-06. Send by 07-05 - 10 days = Thursday 2026-06-25.
    deadline = due(date(2026, 3, 2), MEDICARE)
    assert deadline.kind is DeadlineKind.APPEAL
    assert (deadline.level, deadline.level_name) == (1, "redetermination")
    assert deadline.due_unrolled == date(2026, 7, 5)
    assert deadline.due == date(2026, 7, 6)
    assert deadline.rolled is True
    assert deadline.send_by == date(2026, 6, 25)
    assert deadline.basis == ("notice 2026-03-02 + 5 days presumed receipt + 120 days = 2026-07-05, a Sunday: "
                              "due Monday 2026-07-06; send by 2026-06-25")
    # today Tuesday 03-31 -> 06-25: 30 (to 04-30) + 31 (to 05-31) + 25 = 86 days
    assert deadline.days_left == 86
    assert deadline.late is False
    assert deadline.follow_up is None
    assert deadline.reminder_date == date(2026, 6, 25)


def test_a_due_date_on_thanksgiving_rolls_to_friday():
    # Thanksgiving 2026 is Thursday 11-26. Counting 125 days back (5 receipt + 120): 26 days to
    # 10-31 (99 left), October -> 09-30 (68), September -> 08-31 (38), August -> 07-31 (7), -7 -> 07-24.
    # Notice Friday 2026-07-24 + 5 = 07-29; + 120: 2 to 07-31, +31 Aug = 33, +30 Sep = 63, +31 Oct = 94,
    # +26 = 120 -> 2026-11-26, Thanksgiving Day. Friday 11-27 is a business day (no federal holiday).
    # Send by 11-26 - 10 = Monday 2026-11-16.
    deadline = due(date(2026, 7, 24), MEDICARE)
    assert deadline.due_unrolled == date(2026, 11, 26)
    assert deadline.due == date(2026, 11, 27)
    assert deadline.rolled is True
    assert deadline.send_by == date(2026, 11, 16)
    assert deadline.basis.endswith("= 2026-11-26, Thanksgiving Day: due Friday 2026-11-27; send by 2026-11-16")


def test_a_due_date_on_christmas_friday_rolls_over_the_weekend_to_monday():
    # Commercial plan, 90 days, no presumed receipt. Christmas Day 2026 is a Friday.
    # Notice Saturday 2026-09-26: 4 days to 09-30, +31 Oct = 35, +30 Nov = 65, +25 = 90 -> 12-25.
    # Friday 12-25 holiday, Saturday 12-26, Sunday 12-27 -> due Monday 2026-12-28.
    # Send by 12-25 - 10 = Tuesday 2026-12-15.
    deadline = due(date(2026, 9, 26), COMMERCIAL)
    assert (deadline.due_unrolled, deadline.due, deadline.rolled) == (date(2026, 12, 25), date(2026, 12, 28), True)
    assert deadline.send_by == date(2026, 12, 15)
    assert deadline.basis == ("notice 2026-09-26 + 90 days = 2026-12-25, Christmas Day: due Monday 2026-12-28; "
                              "send by 2026-12-15")


def test_year_end_new_years_day_on_a_friday():
    # ERISA plan, 180 days. New Year's Day 2027 is a Friday.
    # Notice Sunday 2026-07-05: 26 days to 07-31, +31 Aug = 57, +30 Sep = 87, +31 Oct = 118,
    # +30 Nov = 148, +31 Dec = 179, +1 = 180 -> 2027-01-01.
    # Friday holiday, Saturday 01-02, Sunday 01-03 -> due Monday 2027-01-04.
    # Send by 2027-01-01 - 10 = Tuesday 2026-12-22 (the buffer crosses back over the year end).
    deadline = due(date(2026, 7, 5), ERISA)
    assert (deadline.due_unrolled, deadline.due, deadline.rolled) == (date(2027, 1, 1), date(2027, 1, 4), True)
    assert deadline.send_by == date(2026, 12, 22)
    assert "New Year's Day: due Monday 2027-01-04" in deadline.basis


def test_year_end_observed_holiday_rolls_into_the_next_year():
    # New Year's Day 2028 is a Saturday (2027 has 365 days, 2027-01-01 was a Friday), so it is
    # observed on Friday 2027-12-31. Commercial 90 days from notice Saturday 2027-10-02:
    # 29 days to 10-31, +30 Nov = 59, +31 = 90 -> 2027-12-31.
    # Friday 12-31 observed holiday, Saturday 2028-01-01, Sunday 01-02 -> due Monday 2028-01-03.
    deadline = due(date(2027, 10, 2), COMMERCIAL)
    assert (deadline.due_unrolled, deadline.due, deadline.rolled) == (date(2027, 12, 31), date(2028, 1, 3), True)
    assert "New Year's Day (observed): due Monday 2028-01-03" in deadline.basis
    assert deadline.send_by == date(2027, 12, 21)


def test_a_business_day_is_not_rolled():
    # Commercial 90 days from notice Wednesday 2026-04-01: 29 days to 04-30, +31 May = 60, +30 = 90
    # -> Tuesday 2026-06-30, a plain business day.
    deadline = due(date(2026, 4, 1), COMMERCIAL)
    assert (deadline.due_unrolled, deadline.due, deadline.rolled) == (date(2026, 6, 30), date(2026, 6, 30), False)
    assert deadline.basis == "notice 2026-04-01 + 90 days = 2026-06-30; send by 2026-06-20"


# -- later levels --------------------------------------------------------------------------------


def test_level_2_counts_from_the_level_1_decision():
    # Sent 2026-04-01, lost at level 1 on Friday 2026-05-15. Receipt +5 = 05-20.
    # +180: 11 days to 05-31, +30 Jun = 41, +31 Jul = 72, +31 Aug = 103, +30 Sep = 133, +31 Oct = 164,
    # +16 = 180 -> Monday 2026-11-16 (Veterans Day was 11-11): not rolled. Send by Friday 2026-11-06.
    lost = facts(status=Status.LOST, submissions=((date(2026, 4, 1), 1),),
                 decisions=((date(2026, 5, 15), 1, Outcome.LOST),))
    assert current_level(lost) == (2, date(2026, 5, 15), "decision of 2026-05-15")
    deadline = deadline_for(lost, MEDICARE, today=date(2026, 5, 20))
    assert deadline is not None
    assert (deadline.kind, deadline.level, deadline.level_name) == (DeadlineKind.APPEAL, 2, "reconsideration")
    assert (deadline.due_unrolled, deadline.due, deadline.rolled) == (date(2026, 11, 16), date(2026, 11, 16), False)
    assert deadline.send_by == date(2026, 11, 6)
    assert deadline.basis == ("decision of 2026-05-15 + 5 days presumed receipt + 180 days = 2026-11-16; "
                              "send by 2026-11-06")


@pytest.mark.parametrize("outcome", [Outcome.PARTIALLY_WON, Outcome.DISMISSED])
def test_any_adverse_outcome_opens_the_next_level(outcome: Outcome):
    partly = facts(status=outcome.status, submissions=((date(2026, 4, 1), 1),),
                   decisions=((date(2026, 5, 15), 1, outcome),))
    deadline = deadline_for(partly, MEDICARE, today=date(2026, 5, 20))
    assert deadline is not None and deadline.level == 2
    assert deadline.due_unrolled == date(2026, 11, 16)  # as in the test above


def four_losses(last: date = date(2027, 3, 1)) -> tuple[tuple, tuple]:
    sent = ((date(2026, 4, 1), 1), (date(2026, 6, 1), 2), (date(2026, 9, 1), 3), (date(2027, 1, 4), 4))
    lost = ((date(2026, 5, 15), 1, Outcome.LOST), (date(2026, 8, 3), 2, Outcome.LOST),
            (date(2026, 12, 1), 3, Outcome.LOST), (last, 4, Outcome.LOST))
    return sent, lost


def test_level_5_counts_from_receipt_of_the_council_decision():
    # Council (level 4) decision Monday 2027-03-01; receipt +5 = 03-06; +60: 25 days to 03-31,
    # +30 Apr = 55, +5 = 60 -> Wednesday 2027-05-05, no holiday. Send by Sunday 2027-04-25.
    sent, lost = four_losses()
    deadline = deadline_for(facts(status=Status.LOST, submissions=sent, decisions=lost), MEDICARE,
                            today=date(2027, 3, 10))
    assert deadline is not None
    assert (deadline.level, deadline.level_name) == (5, "federal court")
    assert (deadline.due_unrolled, deadline.due, deadline.rolled) == (date(2027, 5, 5), date(2027, 5, 5), False)
    assert deadline.send_by == date(2027, 4, 25)
    assert deadline.basis.startswith("decision of 2027-03-01 + 5 days presumed receipt + 60 days = 2027-05-05")


def test_the_ladder_is_exhausted_after_level_5():
    sent, lost = four_losses()
    sent += ((date(2027, 4, 1), 5),)
    lost += ((date(2027, 9, 1), 5, Outcome.LOST),)
    deadline = deadline_for(facts(status=Status.LOST, submissions=sent, decisions=lost), MEDICARE,
                            today=date(2027, 9, 10))
    assert deadline is not None
    assert deadline.kind is DeadlineKind.EXHAUSTED
    assert deadline.level == 6
    assert deadline.due is None and deadline.send_by is None and deadline.days_left is None
    assert MEDICARE.label in deadline.basis


def test_a_one_level_ladder_is_exhausted_after_one_loss():
    lost = facts(status=Status.LOST, submissions=((date(2026, 4, 1), 1),),
                 decisions=((date(2026, 5, 15), 1, Outcome.LOST),))
    deadline = deadline_for(lost, COMMERCIAL, today=date(2026, 5, 20))
    assert deadline is not None and deadline.kind is DeadlineKind.EXHAUSTED


def two_level_ladder(second_counts_from: str) -> Ladder:
    second_window = Window(days=180 if second_counts_from == "notice" else 60)
    return Ladder(PayerKind.ERISA, "Two-level plan",
                  (AppealLevel("first-level appeal", "plan", Window(days=180), "notice", 30),
                   AppealLevel("second-level appeal", "plan", second_window, second_counts_from, 30)),
                  0, NINETY_DAYS)


def test_a_later_level_may_count_from_the_first_notice():
    lost = facts(status=Status.LOST, submissions=((date(2026, 3, 20), 1),),
                 decisions=((date(2026, 4, 15), 1, Outcome.LOST),))
    # Level 2 counts from the decision: Wednesday 2026-04-15 + 60: 15 days to 04-30, +31 May = 46, +14 = 60
    # -> Sunday 2026-06-14 -> due Monday 2026-06-15.
    from_decision = deadline_for(lost, two_level_ladder("previous_decision"), today=date(2026, 4, 20))
    assert from_decision is not None
    assert (from_decision.level, from_decision.due_unrolled, from_decision.due) == (2, date(2026, 6, 14),
                                                                                   date(2026, 6, 15))
    # The plan says its second level counts from the original notice (2026-03-02) + 180 days:
    # -> Saturday 2026-08-29 -> due Monday 2026-08-31, as in the ERISA test below.
    from_notice = deadline_for(lost, two_level_ladder("notice"), today=date(2026, 4, 20))
    assert from_notice is not None
    assert (from_notice.level, from_notice.due_unrolled, from_notice.due) == (2, date(2026, 8, 29), date(2026, 8, 31))
    assert from_notice.basis == ("notice 2026-03-02 + 180 days = 2026-08-29, a Saturday: due Monday 2026-08-31; "
                                 "send by 2026-08-19")
    # ... and without a notice date that level's deadline is unknown, not computed from the decision
    no_notice = deadline_for(dataclasses.replace(lost, notice_date=None), two_level_ladder("notice"),
                             today=date(2026, 4, 20))
    assert no_notice is not None and no_notice.kind is DeadlineKind.UNKNOWN and no_notice.level == 2


# -- other payer kinds ---------------------------------------------------------------------------


def test_medicare_advantage_60_days_without_presumed_receipt():
    # Notice Monday 2026-03-02 + 60: 29 days to 03-31, +30 Apr = 59, +1 = 60 -> Friday 2026-05-01.
    deadline = due(date(2026, 3, 2), MA)
    assert (deadline.due_unrolled, deadline.due, deadline.rolled) == (date(2026, 5, 1), date(2026, 5, 1), False)
    assert deadline.send_by == date(2026, 4, 21)
    assert deadline.basis == "notice 2026-03-02 + 60 days = 2026-05-01; send by 2026-04-21"
    assert "presumed" not in deadline.basis


def test_medicaid_60_days():
    # Same count as Medicare Advantage: Friday 2026-05-01.
    deadline = due(date(2026, 3, 2), MEDICAID)
    assert (deadline.due_unrolled, deadline.due) == (date(2026, 5, 1), date(2026, 5, 1))


def test_erisa_180_days():
    # Notice 2026-03-02 + 180: 29 (Mar) + 30 Apr = 59, +31 May = 90, +30 Jun = 120, +31 Jul = 151,
    # +29 = 180 -> Saturday 2026-08-29 -> due Monday 2026-08-31. Send by 08-29 - 10 = 2026-08-19.
    deadline = due(date(2026, 3, 2), ERISA)
    assert (deadline.due_unrolled, deadline.due, deadline.rolled) == (date(2026, 8, 29), date(2026, 8, 31), True)
    assert deadline.send_by == date(2026, 8, 19)
    assert ", a Saturday: due Monday 2026-08-31" in deadline.basis


def test_commercial_90_days():
    # Notice 2026-03-02 + 90: 29 + 30 Apr = 59, +31 = 90 -> Sunday 2026-05-31 -> due Monday 2026-06-01
    # (Memorial Day was Monday 05-25). Send by 2026-05-21.
    deadline = due(date(2026, 3, 2), COMMERCIAL)
    assert (deadline.due_unrolled, deadline.due, deadline.rolled) == (date(2026, 5, 31), date(2026, 6, 1), True)
    assert deadline.send_by == date(2026, 5, 21)


# -- windows in months and leap years -----------------------------------------------------------


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2024, 2, 29), 12, date(2025, 2, 28)),  # 2025 has no 29 February: clamped
    (date(2023, 1, 31), 1, date(2023, 2, 28)),  # February 2023 has 28 days
    (date(2024, 1, 31), 1, date(2024, 2, 29)),  # 2024 is a leap year
    (date(2024, 2, 29), 48, date(2028, 2, 29)),  # four years on: leap again
    (date(2026, 11, 15), 3, date(2027, 2, 15)),  # across the year end
    (date(2026, 12, 31), 12, date(2027, 12, 31)),
    (date(2026, 8, 31), 1, date(2026, 9, 30)),  # September has 30 days
])
def test_add_window_in_calendar_months(start: date, months: int, expected: date):
    assert add_window(start, Window(months=months)) == expected


def test_add_window_in_days():
    # 2024-02-28 + 2 days: 02-29 (leap day), 03-01.
    assert add_window(date(2024, 2, 28), Window(days=2)) == date(2024, 3, 1)
    assert add_window(date(2023, 2, 28), Window(days=2)) == date(2023, 3, 2)


def test_twelve_months_timely_filing_from_29_february():
    # A payer whose corrected-claim limit is 12 months; service on leap day 2024-02-29:
    # 2025-02-29 does not exist, so the limit is Friday 2025-02-28. Send by 2025-02-18.
    ladder = one_level_ladder(Window(days=60), timely_filing=Window(months=12))
    resubmit = facts(route=Route.RESUBMIT, service_from=date(2024, 2, 29), service_to=date(2024, 2, 29))
    deadline = deadline_for(resubmit, ladder, today=date(2024, 6, 1))
    assert deadline is not None
    assert deadline.kind is DeadlineKind.TIMELY_FILING
    assert (deadline.due_unrolled, deadline.due, deadline.rolled) == (date(2025, 2, 28), date(2025, 2, 28), False)
    assert deadline.send_by == date(2025, 2, 18)
    assert deadline.basis == ("service 2024-02-29 + 12 months timely filing = 2025-02-28; send by 2025-02-18")


def test_an_appeal_window_in_months():
    # Notice Monday 2026-03-02 + 2 months = Saturday 2026-05-02 -> due Monday 2026-05-04; send by 04-22.
    deadline = due(date(2026, 3, 2), one_level_ladder(Window(months=2)))
    assert (deadline.due_unrolled, deadline.due, deadline.rolled) == (date(2026, 5, 2), date(2026, 5, 4), True)
    assert deadline.basis == ("notice 2026-03-02 + 2 months = 2026-05-02, a Saturday: due Monday 2026-05-04; "
                              "send by 2026-04-22")


def test_leap_year_medicare_level_1():
    # Leap year: notice Wednesday 2024-02-28 + 5 = 02-29, 03-01, 03-02, 03-03, 03-04 -> 2024-03-04.
    # +120: 27 days to 03-31, +30 Apr = 57, +31 May = 88, +30 Jun = 118, +2 = 120 -> 2024-07-02.
    # 2024-01-01 was a Monday; 07-02 is day 184 of 2024, 183 days later = 26 weeks + 1 -> a Tuesday.
    # Send by 07-02 - 10 = Saturday 2024-06-22 (send-by is never rolled).
    leap = due(date(2024, 2, 28), MEDICARE, today=date(2024, 3, 1))
    assert (leap.due_unrolled, leap.due, leap.rolled) == (date(2024, 7, 2), date(2024, 7, 2), False)
    assert leap.send_by == date(2024, 6, 22)
    # The same notice day a year later: 2025-02-28 + 5 = 03-05 (no leap day); +120: 26 to 03-31,
    # +30 = 56, +31 = 87, +30 = 117, +3 = 120 -> Thursday 2025-07-03 (Independence Day is Friday 07-04).
    plain = due(date(2025, 2, 28), MEDICARE, today=date(2025, 3, 1))
    assert (plain.due_unrolled, plain.due, plain.rolled) == (date(2025, 7, 3), date(2025, 7, 3), False)


# -- timely filing for the resubmit route --------------------------------------------------------


def test_medicare_timely_filing_counts_12_months_from_the_through_date():
    # Institutional claim from 2026-01-10 through 2026-01-14: 12 months from the through date
    # -> Thursday 2027-01-14 (Martin Luther King Jr. Day 2027 is Monday 01-18). Send by Monday 2027-01-04.
    claim = facts(route=Route.RESUBMIT, service_from=date(2026, 1, 10), service_to=date(2026, 1, 14))
    deadline = deadline_for(claim, MEDICARE, today=TODAY)
    assert deadline is not None
    assert (deadline.kind, deadline.level, deadline.level_name) == (DeadlineKind.TIMELY_FILING, None,
                                                                    "corrected claim")
    assert (deadline.due_unrolled, deadline.due, deadline.rolled) == (date(2027, 1, 14), date(2027, 1, 14), False)
    assert deadline.send_by == date(2027, 1, 4)
    assert deadline.basis == "service 2026-01-14 + 12 months timely filing = 2027-01-14; send by 2027-01-04"


def test_timely_filing_from_a_case_uses_the_claims_through_date(make_case):
    # make_case(): lines 2026-02-01 and 02-02, claim through 2026-02-02 -> 12 months = Tuesday 2027-02-02.
    case = make_case(route=Route.RESUBMIT)
    deadline = deadline_for(facts_of(case), MEDICARE, today=TODAY)
    assert deadline is not None
    assert (deadline.kind, deadline.due_unrolled, deadline.due) == (DeadlineKind.TIMELY_FILING, date(2027, 2, 2),
                                                                   date(2027, 2, 2))


def test_commercial_timely_filing_is_90_days():
    # Through date Monday 2026-02-02 + 90: 26 days to 02-28, +31 Mar = 57, +30 Apr = 87, +3 = 90
    # -> Sunday 2026-05-03 -> due Monday 2026-05-04. Send by 2026-04-23.
    deadline = deadline_for(facts(route=Route.RESUBMIT), COMMERCIAL, today=TODAY)
    assert deadline is not None
    assert (deadline.due_unrolled, deadline.due, deadline.rolled) == (date(2026, 5, 3), date(2026, 5, 4), True)
    assert deadline.send_by == date(2026, 4, 23)


def test_timely_filing_without_a_service_date_is_unknown():
    deadline = deadline_for(facts(route=Route.RESUBMIT, service_from=None, service_to=None), MEDICARE, today=TODAY)
    assert deadline is not None
    assert deadline.kind is DeadlineKind.UNKNOWN
    assert "enter the date of service" in deadline.basis
    assert deadline.days_left is None


# -- follow-ups, settled and unknown cases -------------------------------------------------------


def test_a_pending_submission_gives_a_follow_up_at_the_levels_decision_time():
    # Sent Wednesday 2026-04-01 at Medicare level 1 (decision in 60 days): 29 days to 04-30, +31 = 60
    # -> 2026-05-31 (a Sunday; a follow-up is a reminder, not a filing date, so it is not rolled).
    # From today 2026-04-10: 20 days to 04-30 + 31 = 51.
    sent = facts(status=Status.SUBMITTED, submissions=((date(2026, 4, 1), 1),))
    assert pending_submission(sent) == (date(2026, 4, 1), 1)
    deadline = deadline_for(sent, MEDICARE, today=date(2026, 4, 10))
    assert deadline is not None
    assert deadline.kind is DeadlineKind.FOLLOW_UP
    assert (deadline.level, deadline.level_name) == (1, "redetermination")
    assert deadline.follow_up == date(2026, 5, 31)
    assert deadline.days_left == 51
    assert deadline.send_by is None and deadline.due is None
    assert deadline.reminder_date == date(2026, 5, 31)
    assert deadline.basis == "submitted 2026-04-01 + 60 days for the decision = follow up 2026-05-31"


def test_a_level_without_a_decision_time_waits_the_default_45_days():
    # Medicare level 5 (federal court) says 0 days. Sent Saturday 2027-05-01 + 45: 30 days to 05-31,
    # +15 = 45 -> 2027-06-15.
    assert MEDICARE.levels[4].decision_days == 0
    assert DEFAULT_DECISION_DAYS == 45
    sent, lost = four_losses()
    sent += ((date(2027, 5, 1), 5),)
    deadline = deadline_for(facts(status=Status.SUBMITTED, submissions=sent, decisions=lost), MEDICARE,
                            today=date(2027, 5, 2))
    assert deadline is not None
    assert (deadline.kind, deadline.level, deadline.follow_up) == (DeadlineKind.FOLLOW_UP, 5, date(2027, 6, 15))
    assert "+ 45 days for the decision" in deadline.basis


def test_a_ladder_with_zero_decision_days_waits_45_days():
    # Commercial-like ladder with decision_days 0: sent 2026-04-01 + 45 = 29 days to 04-30, +16 -> 2026-05-16.
    ladder = one_level_ladder(Window(days=90), decision_days=0)
    deadline = deadline_for(facts(status=Status.SUBMITTED, submissions=((date(2026, 4, 1), 1),)), ladder,
                            today=date(2026, 4, 2))
    assert deadline is not None and deadline.follow_up == date(2026, 5, 16)


def test_a_decision_after_the_submission_ends_the_follow_up():
    decided = facts(status=Status.LOST, submissions=((date(2026, 4, 1), 1),),
                    decisions=((date(2026, 5, 15), 1, Outcome.LOST),))
    assert pending_submission(decided) is None
    resent = dataclasses.replace(decided, submissions=((date(2026, 4, 1), 1), (date(2026, 6, 1), 2)))
    assert pending_submission(resent) == (date(2026, 6, 1), 2)


def test_a_confirmed_decision_dated_before_its_submission_still_answers_it():
    # The biller confirmed a level-1 decision dated 03-28 though the request went out 04-01.
    early = facts(status=Status.LOST, submissions=((date(2026, 4, 1), 1),),
                  decisions=((date(2026, 3, 28), 1, Outcome.LOST),))
    assert pending_submission(early) is None
    deadline = deadline_for(early, MEDICARE, today=date(2026, 4, 10))
    assert deadline is not None and (deadline.kind, deadline.level) == (DeadlineKind.APPEAL, 2)
    # A level-1 request sent again after that decision (a dismissal re-filed) is pending again.
    again = dataclasses.replace(early, submissions=((date(2026, 4, 1), 1), (date(2026, 4, 20), 1)),
                                status=Status.SUBMITTED)
    assert pending_submission(again) == (date(2026, 4, 20), 1)


@pytest.mark.parametrize("status", [Status.WON, Status.WRITTEN_OFF, Status.CLOSED])
def test_settled_cases_have_no_deadline(status: Status):
    assert deadline_for(facts(status=status), MEDICARE, today=TODAY) is None
    pending = facts(status=status, submissions=((date(2026, 3, 10), 1),))
    assert deadline_for(pending, MEDICARE, today=TODAY) is None


@pytest.mark.parametrize("status", [Status.NEW, Status.IN_REVIEW, Status.GATHERING_EVIDENCE, Status.READY_TO_SEND,
                                    Status.LOST, Status.PARTIALLY_WON, Status.DISMISSED])
def test_open_cases_have_a_deadline(status: Status):
    deadline = deadline_for(facts(status=status), MEDICARE, today=TODAY)
    assert deadline is not None and deadline.due == date(2026, 7, 6)


def test_an_unknown_notice_date_says_what_to_enter():
    deadline = deadline_for(facts(None), MEDICARE, today=TODAY)
    assert deadline is not None
    assert deadline.kind is DeadlineKind.UNKNOWN
    assert "enter the date on the notice" in deadline.basis
    assert (deadline.level, deadline.level_name) == (1, "redetermination")
    assert deadline.due is None and deadline.send_by is None and deadline.days_left is None
    assert deadline.late is False


def test_the_notice_date_override_wins_over_the_remittance_date(make_case):
    # make_case(): remittance notice 2026-03-02, override (a paper notice) 2026-03-03.
    # 03-03 + 5 = 03-08; +120: 23 days to 03-31, +30 = 53, +31 = 84, +30 = 114, +6 = 120 -> Monday 2026-07-06.
    case = make_case()
    assert case.notice_date == date(2026, 3, 2) and case.notice_date_override == date(2026, 3, 3)
    assert facts_of(case).notice_date == date(2026, 3, 3)
    deadline = deadline_for(facts_of(case), MEDICARE, today=TODAY)
    assert deadline is not None
    assert (deadline.due_unrolled, deadline.due, deadline.rolled) == (date(2026, 7, 6), date(2026, 7, 6), False)
    assert deadline.basis.startswith("notice 2026-03-03 + 5 days presumed receipt")
    # without the override the remittance's date counts: 2026-07-05 as in the first test
    plain = deadline_for(facts_of(make_case(notice_date_override=None)), MEDICARE, today=TODAY)
    assert plain is not None and plain.due_unrolled == date(2026, 7, 5)
    # without either: unknown
    unknown = deadline_for(facts_of(make_case(notice_date_override=None, notice_date=None)), MEDICARE, today=TODAY)
    assert unknown is not None and unknown.kind is DeadlineKind.UNKNOWN


def test_facts_survive_the_index_json_round_trip():
    sent, lost = four_losses()
    original = facts(status=Status.LOST, submissions=sent, decisions=lost)
    assert facts_from_json(facts_to_json(original)) == original
    bare = facts(None, route=None, service_from=None, service_to=None)
    assert facts_from_json(facts_to_json(bare)) == bare


# -- the buffer, days left and lateness ----------------------------------------------------------


def test_the_mailing_buffer_is_a_parameter():
    # due_unrolled Sunday 2026-07-05 (first test): buffer 0 -> send by 07-05; 30 -> 07-05 - 5 = 06-30,
    # - 25 more = 2026-06-05; the due date itself never moves with the buffer.
    assert DEFAULT_BUFFER_DAYS == 10
    none = due(date(2026, 3, 2), MEDICARE, buffer_days=0)
    month = due(date(2026, 3, 2), MEDICARE, buffer_days=30)
    assert none.send_by == date(2026, 7, 5)
    assert month.send_by == date(2026, 6, 5)
    assert none.due == month.due == date(2026, 7, 6)
    assert month.basis.endswith("send by 2026-06-05")


def test_days_left_counts_from_today_to_send_by():
    # Send by Thursday 2026-06-25 (first test).
    assert due(date(2026, 3, 2), MEDICARE, today=date(2026, 6, 25)).days_left == 0
    assert due(date(2026, 3, 2), MEDICARE, today=date(2026, 6, 24)).days_left == 1
    assert due(date(2026, 3, 2), MEDICARE, today=date(2026, 6, 1)).days_left == 24
    assert due(date(2026, 3, 2), MEDICARE, today=date(2026, 7, 1)).days_left == -6


def test_late_once_today_is_after_the_rolled_due_date():
    # Unrolled Sunday 2026-07-05, due Monday 2026-07-06.
    on_sunday = due(date(2026, 3, 2), MEDICARE, today=date(2026, 7, 5))
    on_monday = due(date(2026, 3, 2), MEDICARE, today=date(2026, 7, 6))
    on_tuesday = due(date(2026, 3, 2), MEDICARE, today=date(2026, 7, 7))
    assert (on_sunday.late, on_monday.late, on_tuesday.late) == (False, False, True)
    assert (on_sunday.days_left, on_tuesday.days_left) == (-10, -12)


# -- business days (hypothesis) ------------------------------------------------------------------


def test_is_business_day_by_hand():
    assert is_business_day(date(2026, 7, 6))  # Monday
    assert not is_business_day(date(2026, 7, 5))  # Sunday
    assert not is_business_day(date(2026, 7, 3))  # Friday, Independence Day observed
    assert not is_business_day(date(2026, 6, 19))  # Friday, Juneteenth
    assert not is_business_day(date(2026, 10, 12))  # Monday, Columbus Day
    assert not is_business_day(date(2027, 12, 31))  # Friday, New Year's Day 2028 observed
    assert roll_forward(date(2026, 7, 3)) == date(2026, 7, 6)  # Fri holiday, Sat 07-04, Sun -> Mon
    assert roll_forward(date(2026, 11, 26)) == date(2026, 11, 27)
    assert roll_forward(date(2026, 7, 6)) == date(2026, 7, 6)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
def test_roll_forward_is_the_next_business_day(day: date):
    rolled = roll_forward(day)
    assert rolled >= day
    assert rolled.weekday() < 5
    assert rolled not in US_HOLIDAYS
    between = day
    while between < rolled:
        assert between.weekday() >= 5 or between in US_HOLIDAYS, between
        between += timedelta(days=1)
    assert (rolled - day).days <= 3  # at most a long weekend: a holiday Friday (or Monday) and Sat + Sun


ladders = st.sampled_from([MEDICARE, MA, MEDICAID, ERISA, COMMERCIAL, LADDERS[PayerKind.WORKERS_COMP]])


@st.composite
def random_ladders(draw: st.DrawFn) -> Ladder:
    in_months = draw(st.booleans())
    window = Window(months=draw(st.integers(1, 24))) if in_months else Window(days=draw(st.integers(1, 400)))
    return one_level_ladder(window, receipt=draw(st.integers(0, 30)))


@settings(max_examples=300, deadline=None)
@given(notice=st.dates(min_value=date(2020, 1, 1), max_value=date(2034, 12, 31)),
       ladder=st.one_of(ladders, random_ladders()), buffer=st.integers(0, 30),
       today=st.dates(min_value=date(2020, 1, 1), max_value=date(2036, 12, 31)))
def test_due_is_never_before_unrolled_and_send_by_counts_from_unrolled(notice: date, ladder: Ladder, buffer: int,
                                                                      today: date):
    deadline = deadline_for(facts(notice), ladder, today=today, buffer_days=buffer)
    assert deadline is not None and deadline.kind is DeadlineKind.APPEAL
    assert deadline.due >= deadline.due_unrolled
    assert is_business_day(deadline.due)
    assert deadline.rolled == (deadline.due != deadline.due_unrolled)
    assert deadline.send_by == deadline.due_unrolled - timedelta(days=buffer)
    assert deadline.days_left == (deadline.send_by - today).days
    assert deadline.late == (today > deadline.due)
    assert deadline.due_unrolled > notice
    assert deadline.basis.startswith(f"notice {notice.isoformat()} + ")


# -- urgency -------------------------------------------------------------------------------------


def test_urgency_orders_unknown_overdue_soon_later_settled():
    unknown = deadline_for(facts(None), MEDICARE, today=TODAY)
    # send by 2026-06-25 (first test): overdue on 07-01, 5 days left on 06-20, 86 days left on 03-31
    overdue = due(date(2026, 3, 2), MEDICARE, today=date(2026, 7, 1))
    soon = due(date(2026, 3, 2), MEDICARE, today=date(2026, 6, 20))
    later = due(date(2026, 3, 2), MEDICARE, today=TODAY)
    assert (overdue.days_left, soon.days_left, later.days_left) == (-6, 5, 86)
    amount = 250.0
    scores = {name: urgency(amount, d) for name, d in
              [("unknown", unknown), ("overdue", overdue), ("soon", soon), ("later", later), ("settled", None)]}
    assert sorted(scores, key=scores.get, reverse=True) == ["unknown", "overdue", "soon", "later", "settled"]
    # a small overdue amount still outranks a large amount due later
    assert urgency(1.0, overdue) > urgency(1_000_000.0, later)
    # with the same days left, more money is more urgent
    assert urgency(500.0, soon) > urgency(100.0, soon)


def test_urgency_of_a_follow_up_and_an_exhausted_ladder():
    follow = deadline_for(facts(status=Status.SUBMITTED, submissions=((date(2026, 4, 1), 1),)), MEDICARE,
                          today=date(2026, 4, 10))
    assert follow is not None and urgency(100.0, follow) > 0
    sent, lost = four_losses()
    exhausted = deadline_for(facts(status=Status.LOST, submissions=(*sent, (date(2027, 4, 1), 5)),
                                   decisions=(*lost, (date(2027, 9, 1), 5, Outcome.LOST))), MEDICARE, today=TODAY)
    assert exhausted is not None
    assert urgency(100.0, exhausted) == 0.0
    assert urgency(100.0, None) < 0.0
