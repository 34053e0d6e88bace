"""The letter context: a case, the practice, the deadline and the biller's own fields as one
plain dict of strings and lists, the only thing templates see."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from workstation.core.codebook import codebook
from workstation.core.deadlines import Deadline
from workstation.core.model import Address, Case
from workstation.core.money import ZERO, dollars
from workstation.core.payer_kinds import AppealLevel, Ladder, default_ladders
from workstation.core.workspace_model import PracticeProfile

#: Fields a biller types for a letter (what no case file holds), with the label the editor shows.
LETTER_FIELDS = {
    "clinical_summary": "Clinical summary (why the service was needed)",
    "policy_reference": "Policy, LCD or NCD cited",
    "authorization_number": "Authorization number",
    "authorization_dates": "Authorization dates and units",
    "original_submission_date": "Date the claim was first sent",
    "filing_limit_days": "The payer's filing limit in days (from its contract or manual)",
    "submission_proof": "Proof of timely filing (clearinghouse report, trace number)",
    "corrected_detail": "What was corrected (codes, modifiers)",
    "distinct_service_detail": "Why the services were distinct",
    "other_coverage_detail": "Other coverage facts (primary payer, dates)",
    "eligibility_detail": "Coverage facts for the date of service",
    "enrollment_detail": "Enrollment or credentialing facts (effective dates)",
    "contract_detail": "Contract rate or clause",
    "expected_payment": "Amount the contract or policy calls for",
    "good_cause_reason": "Why the request is late (good cause)",
    "requested_records": "Records requested from the payer",
    "additional_argument": "Additional argument",
}


def _date(value: date | None) -> str:
    return value.strftime("%m/%d/%Y") if value else ""


def _long_date(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def _lines(address: Address) -> list[str]:
    return address.lines()


def letter_context(case: Case, practice: PracticeProfile, *, deadline: Deadline | None,
                   enclosures: list[str], fields: dict[str, str], today: date,
                   ladder: Ladder | None = None) -> dict[str, Any]:
    """Everything a template may use; missing facts stay empty strings (checked before rendering).
    When the level has its own address on the payer's ladder (a QIC), the letter goes there."""
    context = _context(case, practice, deadline, enclosures, fields, today)
    level = _ladder_level(ladder, deadline)
    own = level.address_lines() if level is not None else []
    if own:
        context["payer"]["address_lines"] = own
        context["payer"]["name"] = level.who or context["payer"]["name"]
    elif context["level"]["number"] > 1:
        context["payer"]["address_lines"] = []  # never the first level's office: the letter waits for it
    context["level"]["address_lines"] = list(context["payer"]["address_lines"])
    return context


def _ladder_level(ladder: Ladder | None, deadline: Deadline | None) -> AppealLevel | None:
    if ladder is None or deadline is None or not deadline.level or deadline.level > len(ladder.levels):
        return None
    return ladder.levels[deadline.level - 1]


def _context(case: Case, practice: PracticeProfile, deadline: Deadline | None, enclosures: list[str],
             fields: dict[str, str], today: date) -> dict[str, Any]:
    return {
        "today": _long_date(today),
        "practice": _practice(practice),
        "payer": _payer(case),
        "patient": _patient(case),
        "claim": _claim(case),
        "denial": _denial(case),
        "provider": {"name": written_name(case.provider.name), "npi": case.provider.npi,
                     "tin": tin_text(case.provider.tin),
                     "ptan": case.provider.ptan},
        "level": _level(case, deadline),
        "facts": _facts(case, fields),
        "enclosures": list(enclosures),
        "fields": {key: fields.get(key, "").strip() for key in LETTER_FIELDS} | {
            k: v.strip() for k, v in fields.items() if k not in LETTER_FIELDS},
    }


def _practice(p: PracticeProfile) -> dict[str, Any]:
    return {"name": p.name, "address_lines": _lines(p.address), "phone": p.phone, "fax": p.fax, "npi": p.npi,
            "tin": tin_text(p.tin), "contact_name": p.contact_name, "signer_name": p.signer_name,
            "signer_title": p.signer_title}


def _payer(case: Case) -> dict[str, Any]:
    payer = case.payer
    return {"name": payer.name, "id": payer.payer_id, "address_lines": _lines(payer.address), "phone": payer.phone,
            "kind": payer.kind.value, "kind_label": default_ladders()[payer.kind].label}


def _patient(case: Case) -> dict[str, Any]:
    p, insured = case.patient, case.insured
    first, middle, last = (written_name(x) for x in (p.first_name, p.middle_name, p.last_name))
    return {"name": " ".join(x for x in (first, middle, last) if x),
            "last_name": last, "first_name": first, "date_of_birth": _date(p.date_of_birth),
            "member_id": p.member_id, "group_number": p.group_number,
            "account_number": case.claim.account_number,
            "insured_name": " ".join(written_name(x) for x in (insured.first_name, insured.last_name) if x)}


#: Words kept in capitals when a name is rewritten: credentials and company forms.
KEPT_CAPITALS = frozenset({"LLC", "INC", "PC", "PA", "PLLC", "LLP", "LP", "MD", "DO", "DDS", "DMD", "NP", "PT",
                           "DPT", "OT", "RN", "PHD", "II", "III", "IV"})


def written_name(name: str) -> str:
    """A name as a person writes it: remittances send "D'EXEMPLO", "MCDONALD", "SMITH-JONES";
    a letter says "D'Exemplo", "McDonald", "Smith-Jones" ("LLC", "MD" stay). Names typed in mixed
    case are kept."""
    if not name or name != name.upper():
        return name
    word = re.sub(r"[^\W\d_]+", lambda m: m.group(0) if m.group(0) in KEPT_CAPITALS else m.group(0).capitalize(),
                  name)
    return re.sub(r"\bMc([a-z])", lambda m: f"Mc{m.group(1).upper()}", word)


def tin_text(tin: str) -> str:
    """A TIN as letters print it, one way everywhere: an EIN "12-3456789" (nine digits), else as typed."""
    digits = "".join(c for c in tin if c.isdigit())
    return f"{digits[:2]}-{digits[2:]}" if len(digits) == 9 and not tin.count("-") > 1 else tin.strip()


def _claim(case: Case) -> dict[str, Any]:
    c = case.claim
    start, end = c.service_from or case.first_service_date, c.service_to
    dates = _date(start) if not end or end == start else f"{_date(start)} to {_date(end)}"
    lines = [{"number": ln.line_number, "code": ln.procedure_code, "modifiers": ", ".join(ln.modifiers),
              "units": f"{ln.units.normalize()}", "date": _date(ln.service_from), "billed": dollars(ln.billed),
              "paid": dollars(ln.paid)} for ln in case.lines]
    return {"number": c.payer_claim_number, "account_number": c.account_number, "dates_of_service": dates,
            "billed": dollars(c.billed), "paid": dollars(c.paid), "at_stake": dollars(case.amount_at_stake),
            "denied": dollars(sum((a.amount for a in case.adjustments if a.opens_case), ZERO)),
            "diagnosis_codes": list(c.diagnosis_codes), "diagnosis_text": ", ".join(c.diagnosis_codes),
            "procedure_codes": ", ".join(dict.fromkeys(ln.procedure_code for ln in case.lines)),
            "procedures_with_modifiers": ", ".join(dict.fromkeys(
                "-".join([ln.procedure_code, *ln.modifiers]) for ln in case.lines)), "lines": lines}


def _denial(case: Case) -> dict[str, Any]:
    book = codebook()
    reasons = [{"code": a.code, "group": a.group, "carc": a.carc, "amount": dollars(a.amount),
                "description": book.reason(a.carc).description,
                "letter_text": book.reason(a.carc).letter or f"adjustment reason code {a.carc}",
                "line": a.line_number or ""} for a in case.adjustments if a.opens_case]
    remarks = [{"code": r.code, "description": book.remark(r.code).description} for r in case.remarks]
    words = "; ".join(f"{r['code']} ({r['letter_text'].rstrip('.')})" for r in reasons)  # the payer's voice
    return {"codes": list(dict.fromkeys(r["code"] for r in reasons)), "reasons": reasons, "remarks": remarks,
            "reasons_text": words, "notice_date": _date(case.effective_notice_date)}


def _level(case: Case, deadline: Deadline | None) -> dict[str, Any]:
    ladder = default_ladders()[case.payer.kind]
    number = deadline.level if deadline and deadline.level else 1
    name = deadline.level_name if deadline and deadline.level_name else ladder.levels[0].name
    who = ladder.levels[number - 1].who if 0 < number <= len(ladder.levels) else ""
    return {"number": number, "name": name, "who": who, "late": bool(deadline and deadline.late),
            "due": _date(deadline.due) if deadline else ""}


def _facts(case: Case, fields: dict[str, str] | None = None) -> dict[str, Any]:
    """What the case and the biller's fields show, that a template's conditional sentences test
    (issue 10, point 4): a sentence is printed only when the fact that makes it true is here, and
    letter_checks.contradictions refuses a letter whose facts contradict it. Typed dates are read
    leniently ("3/2/26", "2026-03-02", "March 2, 2026"); a fact that cannot be read stays False or ""."""
    from workstation.documents import letter_checks as check  # the facts and the checks on them live together

    typed = {key: (value or "").strip() for key, value in (fields or {}).items()}
    c = case.claim
    first, last = check.service_span(case)
    one_date = not c.service_to or c.service_to == first  # as claim.dates_of_service prints them
    return {
        "line_count": len(case.lines),
        "procedure_count": len({ln.procedure_code for ln in case.lines}),
        "first_service_date": _date(case.first_service_date),
        "first_service_iso": case.first_service_date.isoformat() if case.first_service_date else "",
        "last_service_date": _date(last),
        "one_date": one_date,
        "dates_label": "date of service" if one_date else "dates of service",
        "on_dates": f"on {_date(first)}" if one_date else f"from {_date(first)} to {_date(c.service_to)}",
        "payer_name": case.payer.name,  # the payer that decided (a later level's office may head the letter)
        "paid_nothing": c.paid == 0,
        "units_billed": f"{sum((ln.units for ln in case.lines), ZERO).normalize():f}" if case.lines else "",
        "modifier_25_with_procedure": check.modifier_25_beside_procedure(case),
        "unprocessable": any(codebook().remark(r.code).effect == "no_appeal_resubmit" for r in case.remarks),
        **check.filing_facts(case, typed),
        **check.authorization_facts(case, typed),
        **check.sequestration_facts(case),
        **check.payment_facts(case, typed),
    }
