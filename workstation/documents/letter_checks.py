"""What a letter may not assert: the facts a template's conditional sentences test, read from the
case and the biller's typed fields (letter_context's `facts` section is built from these), and the
checks that refuse a letter whose facts contradict it before any PDF is made (issue 10, point 4).
Each check returns one sentence a biller can act on: what is wrong and what to fix."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from workstation.core.deadlines import add_window
from workstation.core.model import Case
from workstation.core.money import ZERO, dollars
from workstation.core.payer_kinds import Window
from workstation.core.triage import sequestration_rules

# -- reading what the biller typed ----------------------------------------------------------------

_TYPED_DATE = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"  # 2026-03-02
    r"|(?<!\d)(\d{1,2})([/.-])(\d{1,2})\5(\d{4}|\d{2})(?!\d)"  # 3/2/2026, 03-02-26
    r"|\b([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})\b")  # March 2, 2026


def _us(value: date | None) -> str:
    return value.strftime("%m/%d/%Y") if value else ""


def typed_dates(text: str) -> list[date]:
    """Every date written in a typed value, in order ("1/5/26 to 3/5/26, 12 visits" gives two);
    what cannot be a date (13/45/2026, "soon") is skipped."""
    found = []
    for m in _TYPED_DATE.finditer(text or ""):
        try:
            if m.group(1):
                found.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
            elif m.group(4):
                year = int(m.group(7)) + (2000 if len(m.group(7)) == 2 else 0)
                found.append(date(year, int(m.group(4)), int(m.group(6))))
            else:
                month = datetime.strptime(m.group(8)[:3].title(), "%b").month
                found.append(date(int(m.group(10)), month, int(m.group(9))))
        except ValueError:
            continue
    return found


def typed_window(text: str) -> Window | None:
    """A typed filing limit ("90", "90 days", "12 months", "1 year") as a Window; None if unreadable."""
    m = re.fullmatch(r"(\d{1,4})\s*(days?|d|months?|mos?|years?|yrs?)?\.?", (text or "").strip().lower())
    if not m or int(m.group(1)) == 0:
        return None
    number, unit = int(m.group(1)), m.group(2) or "days"
    if unit.startswith("y"):
        return Window(months=12 * number)
    return Window(months=number) if unit.startswith("m") else Window(days=number)


def typed_amount(text: str) -> Decimal | None:
    """The first amount of money in a typed value ("$1,240.50 under the fee schedule")."""
    found = re.search(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d{1,2})?(?![\d/])", text or "")
    return Decimal(found.group(1).replace(",", "") + (found.group(2) or "")) if found else None


# -- facts: what the case shows ---------------------------------------------------------------------


def service_span(case: Case) -> tuple[date | None, date | None]:
    """The first and the last date of service of the claim (its lines' dates included)."""
    first = case.claim.service_from or case.first_service_date
    days = [d for ln in case.lines for d in (ln.service_from, ln.service_to) if d]
    days += [d for d in (case.claim.service_to, first) if d]
    return first, (max(days) if days else None)


def modifier_25_beside_procedure(case: Case) -> bool:
    """A line with modifier 25 and another procedure on the same day (what modifier 25 is about)."""
    for line in case.lines:
        if "25" not in line.modifiers:
            continue
        day = line.service_from or case.claim.service_from
        if any(other is not line and other.procedure_code != line.procedure_code
               and (other.service_from or case.claim.service_from) == day for other in case.lines):
            return True
    return False


def filing_facts(case: Case, typed: dict[str, str]) -> dict[str, Any]:
    """The first filing against the service dates, the notice and the filing limit. Original
    Medicare's limit is 12 months from the date of service (42 CFR 424.44); another payer's only
    when typed (fields.filing_limit_days), else unknown and never claimed. "Within" is counted
    from the first date of service and "after" from the last, so neither is said of a claim whose
    lines fall on both sides of the limit."""
    first, last = service_span(case)
    sent_dates = typed_dates(typed.get("original_submission_date", ""))
    sent = sent_dates[0] if sent_dates else None
    limit = Window(months=12) if case.payer.kind.value == "medicare" else typed_window(
        typed.get("filing_limit_days", ""))
    within_end = add_window(first, limit) if limit and first else None
    after_end = add_window(last, limit) if limit and last else None
    notice = case.effective_notice_date
    return {
        "first_sent_date": _us(sent),
        "first_sent_before_service": bool(sent and first and sent < first),
        "first_sent_after_notice": bool(sent and notice and sent > notice),
        "first_sent_days_after_service": str((sent - last).days) if sent and last and sent >= last else "",
        "filing_limit_text": limit.describe() if limit else "",
        "filing_limit_end": _us(within_end),
        "filing_limit_last_end": _us(after_end),
        "filed_within_limit": bool(sent and first and within_end and first <= sent <= within_end),
        "filed_after_limit": bool(sent and after_end and sent > after_end),
    }


def authorization_facts(case: Case, typed: dict[str, str]) -> dict[str, Any]:
    """The authorization's dates and units (fields.authorization_dates) against the claim's; units
    are compared only when every line bills the same code."""
    first, last = service_span(case)
    text = typed.get("authorization_dates", "")
    days = typed_dates(text)
    start, end = (days[0], days[1]) if len(days) >= 2 else (None, None)
    units = re.search(r"(?<![\d/.-])(\d{1,4})\s*(?:units?|visits?|sessions?|treatments?)\b", text, re.IGNORECASE)
    allowed = Decimal(units.group(1)) if units else None
    billed = sum((ln.units for ln in case.lines), ZERO)
    one_code = len({ln.procedure_code for ln in case.lines}) == 1
    inside = outside = False
    if start and end and first and last and start <= end:
        inside, outside = start <= first and last <= end, first < start or last > end
    return {
        "authorization_start": _us(start),
        "authorization_end": _us(end),
        "authorization_units": f"{allowed}" if allowed is not None else "",
        "authorization_dates_reversed": bool(start and end and end < start),
        "service_inside_authorization": inside,
        "service_outside_authorization": outside,
        "units_over_authorization": bool(allowed is not None and one_code and billed > allowed),
        "units_within_authorization": bool(allowed is not None and one_code and billed <= allowed),
    }


def sequestration_facts(case: Case) -> dict[str, Any]:
    """CO-253 taken against the rate in force on the last date of service (a claim is priced as a
    whole); the rate applies to the payment before the cut (paid + the reduction)."""
    _, last = service_span(case)
    taken = sum((a.amount for a in case.adjustments if a.carc == "253"), ZERO)
    if not taken:
        return {"sequestration_taken": "", "sequestration_before": "", "sequestration_rate": "",
                "sequestration_expected": "", "sequestration_pause": "", "sequestration_as_expected": False}
    rules = sequestration_rules()
    before = case.claim.paid + taken
    period = next(((start, end, rate) for start, end, rate in rules.periods if last and start <= last <= end), None)
    rate = period[2] if period else ZERO
    expected = (before * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    pause = ""
    if last and not period:
        pause = f"sequestration applies only to services from {_us(rules.periods[0][0])} on"
    elif period and not rate:
        pause = f"sequestration was suspended for services from {_us(period[0])} through {_us(period[1])}"
    allowed = max(rules.tolerance_dollars, (expected * rules.tolerance_share).quantize(Decimal("0.01")))
    return {
        "sequestration_taken": dollars(taken),
        "sequestration_before": dollars(before),
        "sequestration_rate": f"{(rate * 100).normalize():f}%" if last else "",
        "sequestration_expected": dollars(expected) if last else "",
        "sequestration_pause": pause,
        "sequestration_as_expected": bool(last and abs(taken - expected) <= allowed),
    }


def payment_facts(case: Case, typed: dict[str, str]) -> dict[str, Any]:
    """The amount the biller expected (fields.expected_payment) against what was paid."""
    expected = typed_amount(typed.get("expected_payment", ""))
    paid = case.claim.paid
    return {
        "expected_payment_amount": dollars(expected) if expected is not None else "",
        "underpaid_by": dollars(expected - paid) if expected is not None and expected > paid else "",
        "expected_not_above_paid": bool(expected is not None and expected <= paid),
    }


# -- contradictions: what the letter may not say ------------------------------------------------------


def contradictions(template_id: str, context: dict[str, Any]) -> list[str]:
    """Sentences naming each fact of the case that contradicts what the template would assert."""
    check = _CHECKS.get(template_id)
    return check(context) if check else []


def _today(context: dict[str, Any]) -> date | None:
    try:
        return datetime.strptime(context["today"], "%B %d, %Y").date()
    except (KeyError, ValueError):
        return None


def _timely_filing(c: dict[str, Any]) -> list[str]:
    f, fields, claim = c["facts"], c["fields"], c["claim"]
    sent = f["first_sent_date"]
    if not sent:
        return []
    found = []
    today = _today(c)
    if f["first_sent_before_service"]:
        found.append(f"The claim is recorded as first sent on {sent}, before the {f['dates_label']} "
                     f"({claim['dates_of_service']}); correct the date the claim was first sent (or the service "
                     "dates): a claim cannot be filed before the care is given.")
    if today and typed_dates(sent)[0] > today:
        found.append(f"The date the claim was first sent ({sent}) is after today; correct it.")
    if f["first_sent_after_notice"]:
        found.append(f"The claim is recorded as first sent on {sent}, after the notice of "
                     f"{c['denial']['notice_date']} that denied it; type the date of the first filing, "
                     "which came before that notice.")
    if f["filed_after_limit"] and not (fields.get("good_cause_reason") or fields.get("other_coverage_detail")):
        whose = "Medicare's" if c["payer"]["kind"] == "medicare" else f"{f['payer_name'] or 'the payer'}'s"
        found.append(f"The claim was first sent on {sent}, after {whose} {f['filing_limit_text']} filing limit "
                     f"ended on {f['filing_limit_last_end']}, so the letter cannot say it was filed on time; type "
                     "why the filing was late (why the request is late, good cause) or the other payer that "
                     "held the claim first (other coverage facts), or correct the date first sent.")
    return found


def _authorization(c: dict[str, Any]) -> list[str]:
    f, fields = c["facts"], c["fields"]
    carcs = {reason["carc"] for reason in c["denial"]["reasons"]}
    found = []
    if f["authorization_dates_reversed"]:
        found.append(f"The authorization dates typed run backwards (from {f['authorization_start']} to "
                     f"{f['authorization_end']}); correct the authorization dates.")
    if "197" in carcs and fields.get("authorization_number") and f["service_outside_authorization"]:
        found.append(f"The authorization dates typed ({f['authorization_start']} to {f['authorization_end']}) do not "
                     f"cover the {f['dates_label']} ({c['claim']['dates_of_service']}), so the letter cannot say "
                     "an authorization was on file for this care; correct the authorization dates, or clear the "
                     "authorization number so the letter asks for a retroactive authorization instead.")
    return found


def _underpayment(c: dict[str, Any]) -> list[str]:
    f = c["facts"]
    if not f["expected_not_above_paid"]:
        return []
    return [f"The amount the contract calls for ({f['expected_payment_amount']}) is not more than what was paid "
            f"({c['claim']['paid']}), so there is no underpayment to ask about; correct the amount the contract "
            "calls for, or close the case instead of sending the letter."]


def _sequestration(c: dict[str, Any]) -> list[str]:
    f = c["facts"]
    if not f["sequestration_taken"]:
        return ["The claim shows no CO-253 sequestration reduction, so this inquiry has nothing to ask about; "
                "choose the letter for the adjustment the claim carries."]
    if f["sequestration_as_expected"]:
        return [f"The reduction taken ({f['sequestration_taken']}) is what the rate in force "
                f"({f['sequestration_rate']} of {f['sequestration_before']}) gives, so there is nothing to ask the "
                "payer; close the inquiry instead of sending the letter."]
    return []


_CHECKS = {
    "timely_filing": _timely_filing,
    "authorization": _authorization,
    "underpayment": _underpayment,
    "sequestration_inquiry": _sequestration,
}
