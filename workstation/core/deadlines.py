"""The deadline engine: every date is computed from the case's dated events and the payer's
ladder (nothing stored as truth), and says how it was computed.

A request counts as filed when the payer receives it, so reminders count against the unrolled
date minus a mailing buffer; a due date on a weekend or US federal holiday is shown rolled to
the next business day (DOMAIN.md section 3).
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cache

from workstation.core.dates import iso, parse_date
from workstation.core.model import Case
from workstation.core.payer_kinds import AppealLevel, Ladder, Window
from workstation.core.vocabulary import Route, Status

DEFAULT_BUFFER_DAYS = 10
DEFAULT_DECISION_DAYS = 45
NO_DEADLINE = frozenset({Status.WON, Status.WRITTEN_OFF, Status.CLOSED})


class Outcome(StrEnum):
    WON = "won"
    PARTIALLY_WON = "partially_won"
    LOST = "lost"
    DISMISSED = "dismissed"

    @property
    def status(self) -> Status:
        return Status(self.value)

    @property
    def adverse(self) -> bool:
        return self is not Outcome.WON


@dataclass(frozen=True)
class DeadlineFacts:
    """What the engine needs to know about a case (kept in the worklist index)."""

    status: Status
    route: Route | None
    notice_date: date | None
    service_from: date | None
    service_to: date | None
    submissions: tuple[tuple[date, int], ...] = ()  # (date, level)
    decisions: tuple[tuple[date, int, Outcome], ...] = ()  # (date, level, outcome)
    recovered: Decimal = Decimal("0.00")  # what the decisions won back in all (for the reports)
    #: the first denial's notice (a later remittance that still denies moves `notice_date` on;
    #: the report counts days to appeal and to resolution from this one)
    first_notice: date | None = None


def facts_of(case: Case) -> DeadlineFacts:
    """The dated events of a case that its deadlines are computed from."""
    return DeadlineFacts(
        status=case.status, route=case.route, notice_date=case.effective_notice_date,
        service_from=case.first_service_date, service_to=case.claim.service_to or case.first_service_date,
        submissions=tuple((s.date, s.level) for s in case.submissions),
        decisions=tuple((d.date, d.level, Outcome(d.outcome)) for d in case.decisions),
        recovered=sum((d.amount_recovered for d in case.decisions), Decimal("0.00")),
        first_notice=case.notice_date_override or min(
            (r.notice_date for r in case.remittances if r.notice_date), default=case.notice_date),
    )


def facts_to_json(facts: DeadlineFacts) -> str:
    return json.dumps({
        "status": facts.status.value, "route": facts.route.value if facts.route else None,
        "notice": iso(facts.notice_date), "from": iso(facts.service_from), "to": iso(facts.service_to),
        "submissions": [[iso(d), level] for d, level in facts.submissions],
        "decisions": [[iso(d), level, outcome.value] for d, level, outcome in facts.decisions],
        "recovered": str(facts.recovered), "first": iso(facts.first_notice),
    })


def facts_from_json(text: str, day: Callable[[str | None], date | None] = parse_date) -> DeadlineFacts:
    """The facts as `facts_to_json` wrote them; `day` reads each date (the worklist index, whose
    dates are ISO, passes the fast `date.fromisoformat`: it matters for 10,000 rows at start-up)."""
    raw = json.loads(text)
    return DeadlineFacts(
        Status(raw["status"]), Route(raw["route"]) if raw["route"] else None, day(raw["notice"]),
        day(raw["from"]), day(raw["to"]),
        tuple((day(d), level) for d, level in raw["submissions"]),
        tuple((day(d), level, Outcome(o)) for d, level, o in raw["decisions"]),
        Decimal(raw.get("recovered", "0.00")),
        day(raw["first"]) if "first" in raw else day(raw["notice"]),  # rows cached before it was kept
    )


class DeadlineKind(StrEnum):
    APPEAL = "appeal"
    TIMELY_FILING = "timely_filing"
    FOLLOW_UP = "follow_up"
    UNKNOWN = "unknown"
    EXHAUSTED = "exhausted"


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    basis: str
    level: int | None = None
    level_name: str = ""
    due_unrolled: date | None = None
    due: date | None = None
    rolled: bool = False
    send_by: date | None = None
    days_left: int | None = None
    follow_up: date | None = None
    late: bool = False  # past the (rolled) due date: only a good-cause request is left

    @property
    def reminder_date(self) -> date | None:
        """The date a biller must act by: send-by for a deadline, the follow-up otherwise."""
        return self.send_by or self.follow_up


# -- calendar arithmetic ----------------------------------------------------------------------


def add_window(start: date, window: Window) -> date:
    """start + N days, or + N calendar months (clamped: 29 Feb + 12 months = 28 Feb)."""
    if not window.months:
        return start + timedelta(days=window.days)
    month = start.month - 1 + window.months
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


#: the year's US federal holidays (observed) by date, with their names
HolidaySource = Callable[[int], dict[date, str]]


def library_holidays(year: int) -> dict[date, str]:
    """The year's holidays from the `holidays` library. It is imported here, when first asked:
    its import builds every country's calendar (about 0.1 s, each time a program starts)."""
    import holidays

    return dict(holidays.country_holidays("US", years=year))


_holiday_source: HolidaySource = library_holidays


def use_holiday_source(source: HolidaySource) -> None:
    """Where the holidays come from from now on (ops keeps the library's answers between runs)."""
    global _holiday_source
    _holiday_source = source
    _us_holidays.cache_clear()


@cache
def _us_holidays(year: int) -> dict[date, str]:
    """Built once a year asked (the library builds a calendar in about 0.7 ms, and 10,000 cases
    ask thousands of times)."""
    return _holiday_source(year)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _us_holidays(day.year)


def roll_forward(day: date) -> date:
    """The next business day on or after `day` (weekends and US federal holidays, observed)."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def _why_not_business(day: date) -> str:
    if day.weekday() >= 5:
        return f"a {day:%A}"
    return _us_holidays(day.year).get(day) or "not a business day"


# -- the engine -------------------------------------------------------------------------------


def current_level(facts: DeadlineFacts) -> tuple[int, date | None, str]:
    """(level, the date its window counts from, what that date is)."""
    decisions = sorted(facts.decisions)
    if decisions and decisions[-1][2].adverse:
        when, level, _outcome = decisions[-1]
        return level + 1, when, f"decision of {when.isoformat()}"
    return 1, facts.notice_date, f"notice {facts.notice_date.isoformat()}" if facts.notice_date else ""


def pending_submission(facts: DeadlineFacts) -> tuple[date, int] | None:
    """The last submission, when no decision has come back since."""
    if not facts.submissions:
        return None
    last = max(facts.submissions)
    decided_after = any(when >= last[0] for when, _level, _o in facts.decisions)
    # a decision the biller confirmed though dated before the submission still answers it
    answered = (sum(level == last[1] for _when, level, _o in facts.decisions)
                >= sum(level == last[1] for _when, level in facts.submissions))
    return None if decided_after or answered else last


def deadline_for(facts: DeadlineFacts, ladder: Ladder, *, today: date,
                 buffer_days: int = DEFAULT_BUFFER_DAYS) -> Deadline | None:
    """The case's next date to act on; None when the case is settled."""
    if facts.status in NO_DEADLINE:
        return None
    pending = pending_submission(facts)
    if pending is not None:
        return _follow_up(pending, ladder, today)
    if facts.route is Route.RESUBMIT:
        return _timely_filing(facts, ladder, today, buffer_days)
    level, start, start_text = current_level(facts)
    if level > len(ladder.levels):
        return Deadline(DeadlineKind.EXHAUSTED, f"Every level of {ladder.label}'s ladder has been used.", level=level)
    step = ladder.levels[level - 1]
    if level > 1 and step.counts_from == "notice":  # a plan whose later level counts from the first notice
        start, start_text = facts.notice_date, f"notice {facts.notice_date.isoformat()}" if facts.notice_date else ""
    if start is None:
        return Deadline(DeadlineKind.UNKNOWN, "Deadline unknown: enter the date on the notice.", level=level,
                        level_name=step.name)
    return _appeal(step, level, start, start_text, ladder, today, buffer_days)


def _appeal(step: AppealLevel, level: int, start: date, start_text: str, ladder: Ladder, today: date,
            buffer_days: int) -> Deadline:
    receipt = start + timedelta(days=ladder.presumed_receipt_days)
    due_unrolled = add_window(receipt, step.window)
    parts = [start_text]
    if ladder.presumed_receipt_days:
        parts.append(f"{ladder.presumed_receipt_days} days presumed receipt")
    parts.append(step.window.describe())
    return _dated(DeadlineKind.APPEAL, " + ".join(parts), due_unrolled, today, buffer_days, level=level,
                  level_name=step.name)


def _timely_filing(facts: DeadlineFacts, ladder: Ladder, today: date, buffer_days: int) -> Deadline:
    service = facts.service_to or facts.service_from
    if service is None:
        return Deadline(DeadlineKind.UNKNOWN, "Timely-filing deadline unknown: enter the date of service.")
    due_unrolled = add_window(service, ladder.timely_filing)
    text = f"service {service.isoformat()} + {ladder.timely_filing.describe()} timely filing"
    return _dated(DeadlineKind.TIMELY_FILING, text, due_unrolled, today, buffer_days, level_name="corrected claim")


def _dated(kind: DeadlineKind, how: str, due_unrolled: date, today: date, buffer_days: int, *,
           level: int | None = None, level_name: str = "") -> Deadline:
    due = roll_forward(due_unrolled)
    send_by = due_unrolled - timedelta(days=buffer_days)
    basis = f"{how} = {due_unrolled.isoformat()}"
    if due != due_unrolled:
        basis += f", {_why_not_business(due_unrolled)}: due {due:%A} {due.isoformat()}"
    basis += f"; send by {send_by.isoformat()}"
    return Deadline(kind, basis, level, level_name, due_unrolled, due, due != due_unrolled, send_by,
                    (send_by - today).days, late=today > due)


def _follow_up(pending: tuple[date, int], ladder: Ladder, today: date) -> Deadline:
    submitted, level = pending
    step = ladder.levels[min(level, len(ladder.levels)) - 1]
    wait = step.decision_days or DEFAULT_DECISION_DAYS
    follow_up = submitted + timedelta(days=wait)
    basis = f"submitted {submitted.isoformat()} + {wait} days for the decision = follow up {follow_up.isoformat()}"
    return Deadline(DeadlineKind.FOLLOW_UP, basis, level=level, level_name=step.name, follow_up=follow_up,
                    days_left=(follow_up - today).days)


def urgency(amount_at_stake: float, deadline: Deadline | None) -> float:
    """Priority for sorting: dollars at stake per day left (unknown deadlines first, settled last)."""
    if deadline is None:
        return -1.0
    if deadline.kind is DeadlineKind.UNKNOWN:
        return float("inf")
    if deadline.days_left is None:
        return 0.0
    return amount_at_stake / max(deadline.days_left + 1, 1) + (1e6 if deadline.days_left < 0 else 0.0)

URGENCY_HELP = ("Sorted by urgency: dollars at stake divided by the days left before the send-by date "
                "(at least one); overdue cases and cases whose deadline is unknown come first.")
