"""Synthetic X12 835 (005010X221A1) remittances for tests, the demo and benchmarks.

Everything here is fictional and deterministic: the same seed gives the same text. Standard library only.
The output balances the way a real 835 must: every service line's billed minus paid equals its CAS
amounts; the claim's billed minus paid equals all its CAS amounts (claim and line level); BPR02 is the
sum of CLP04 minus the PLB amounts; SE01 counts the segments from ST to SE.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")
SEQUESTRATION_RATE = Decimal("0.02")

ELEMENT, REPETITION, COMPONENT, TERMINATOR = "*", "^", ":", "~"
_DELIMITERS = frozenset(ELEMENT + REPETITION + COMPONENT + TERMINATOR)
_CAS_TRIPLETS_PER_SEGMENT = 6
_PLB_PAIRS_PER_SEGMENT = 6
_MOA_REMARKS = 5
_REVERSAL = "22"
_DENIED = "4"


@dataclass(frozen=True)
class SyntheticAdjustment:
    """One CAS triplet: group code, reason code (CARC), amount and optional quantity."""

    group: str
    carc: str
    amount: Decimal
    quantity: Decimal | None = None


@dataclass(frozen=True)
class SyntheticLine:
    """One service line (SVC loop); billed - paid must equal the sum of its adjustments."""

    procedure: str
    billed: Decimal
    paid: Decimal
    service_date: date
    modifiers: tuple[str, ...] = ()
    units: Decimal = Decimal("1")
    adjustments: tuple[SyntheticAdjustment, ...] = ()
    remarks: tuple[str, ...] = ()
    allowed: Decimal | None = None


@dataclass(frozen=True)
class SyntheticClaim:
    """One claim (CLP loop); amounts are written positive and negated on output for a reversal (CLP02=22)."""

    account_number: str
    status: str
    patient_last: str
    patient_first: str
    member_id: str
    payer_claim_number: str
    lines: tuple[SyntheticLine, ...]
    filing_indicator: str = "MB"
    claim_adjustments: tuple[SyntheticAdjustment, ...] = ()
    claim_remarks: tuple[str, ...] = ()
    rendering_npi: str = ""
    rendering_last: str = ""  # a person (NM1*82*1) when given; else an organisation
    rendering_first: str = ""
    facility_code: str = "11"
    frequency: str = "1"
    patient_responsibility: Decimal | None = None


@dataclass(frozen=True)
class SyntheticPayer:
    """The paying health plan (loop 1000A)."""

    name: str
    payer_id: str
    line1: str
    city: str
    state: str
    zip: str
    phone: str = ""


@dataclass(frozen=True)
class SyntheticPayee:
    """The provider being paid (loop 1000B)."""

    name: str
    npi: str
    tin: str
    line1: str
    city: str
    state: str
    zip: str


@dataclass(frozen=True)
class SyntheticTransaction:
    """One ST/SE transaction: one payment (check or EFT) from one payer to one payee."""

    payer: SyntheticPayer
    payee: SyntheticPayee
    check_number: str
    payment_date: date
    production_date: date
    claims: tuple[SyntheticClaim, ...]
    plb: tuple[tuple[str, Decimal], ...] = ()


# ----------------------------------------------------------------------------------------------------------
# Amounts the output carries (shared by the renderer and by callers that need the same figures)


def cents(amount: Decimal) -> Decimal:
    """An amount rounded half-up to whole cents."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def claim_sign(claim: SyntheticClaim) -> int:
    """-1 for a reversal (CLP02=22), whose amounts are written negative; 1 otherwise."""
    return -1 if claim.status == _REVERSAL else 1


def claim_billed(claim: SyntheticClaim) -> Decimal:
    """CLP03 as written: the sum of the lines' billed amounts (negated for a reversal)."""
    return claim_sign(claim) * sum((line.billed for line in claim.lines), ZERO)


def claim_paid(claim: SyntheticClaim) -> Decimal:
    """CLP04 as written: the lines' payments less claim-level adjustments (negated for a reversal)."""
    lines = sum((line.paid for line in claim.lines), ZERO)
    return claim_sign(claim) * (lines - sum((adj.amount for adj in claim.claim_adjustments), ZERO))


def claim_patient_responsibility(claim: SyntheticClaim) -> Decimal:
    """CLP05 as written: the explicit figure, or the sum of PR adjustments at claim and line level."""
    if claim.patient_responsibility is not None:
        return claim_sign(claim) * claim.patient_responsibility
    adjustments = [*claim.claim_adjustments, *(adj for line in claim.lines for adj in line.adjustments)]
    return claim_sign(claim) * sum((adj.amount for adj in adjustments if adj.group == "PR"), ZERO)


def transaction_total(transaction: SyntheticTransaction) -> Decimal:
    """BPR02: the sum of CLP04 less the provider-level (PLB) adjustments."""
    paid = sum((claim_paid(claim) for claim in transaction.claims), ZERO)
    return paid - sum((amount for _, amount in transaction.plb), ZERO)


def npi_check_digit(first_nine: str) -> str:
    """The Luhn check digit of an NPI (computed with the 80840 prefix, as CMS specifies)."""
    total = 24  # the 80840 prefix's contribution
    for position, char in enumerate(reversed(first_nine)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return str((10 - total % 10) % 10)


def synthetic_npi(first_nine: str) -> str:
    """A ten-digit NPI with a valid check digit; fictional when the caller picks the first nine digits."""
    return first_nine + npi_check_digit(first_nine)


# ----------------------------------------------------------------------------------------------------------
# Rendering


def _amount(value: Decimal) -> str:
    """An X12 decimal amount: two places, no separators, never '-0.00'."""
    value = cents(value)
    return f"{value:.2f}" if value else "0"


def _number(value: Decimal) -> str:
    """An X12 quantity with no exponent and no trailing zeros."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _d8(value: date) -> str:
    """A date as CCYYMMDD."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _text(value: str) -> str:
    """A data value, checked for the delimiters it must never contain."""
    if _DELIMITERS.intersection(value):
        raise ValueError(f"{value!r} contains an X12 delimiter ({''.join(sorted(_DELIMITERS))})")
    return value


def _segment(*elements: str) -> str:
    """Join elements with '*', dropping trailing empty ones (X12 forbids them)."""
    parts = list(elements)
    while parts and parts[-1] == "":
        parts.pop()
    return ELEMENT.join(parts)


def _cas_segments(adjustments: Iterable[SyntheticAdjustment], sign: int) -> list[str]:
    """CAS segments: one per group code in first-seen order, at most six triplets each."""
    by_group: dict[str, list[SyntheticAdjustment]] = {}
    for adjustment in adjustments:
        by_group.setdefault(adjustment.group, []).append(adjustment)
    segments = []
    for group, items in by_group.items():
        for start in range(0, len(items), _CAS_TRIPLETS_PER_SEGMENT):
            elements = ["CAS", _text(group)]
            for adj in items[start : start + _CAS_TRIPLETS_PER_SEGMENT]:
                quantity = "" if adj.quantity is None else _number(adj.quantity)
                elements += [_text(adj.carc), _amount(sign * adj.amount), quantity]
            segments.append(_segment(*elements))
    return segments


def _line_segments(line: SyntheticLine, sign: int) -> list[str]:
    """The SVC loop (2110): SVC, DTM*472, CAS, AMT*B6, LQ*HE."""
    procedure = COMPONENT.join(["HC", _text(line.procedure), *(_text(m) for m in line.modifiers)])
    segments = [
        _segment("SVC", procedure, _amount(sign * line.billed), _amount(sign * line.paid), "", _number(line.units)),
        _segment("DTM", "472", _d8(line.service_date)),
        *_cas_segments(line.adjustments, sign),
    ]
    if line.allowed is not None:
        segments.append(_segment("AMT", "B6", _amount(sign * line.allowed)))
    segments += [_segment("LQ", "HE", _text(remark)) for remark in line.remarks]
    return segments


def _claim_segments(claim: SyntheticClaim, production_date: date) -> list[str]:
    """The claim loop (2100) and its service lines."""
    if not claim.lines:
        raise ValueError(f"claim {claim.account_number} has no service lines")
    sign = claim_sign(claim)
    responsibility = claim_patient_responsibility(claim)
    segments = [
        _segment(
            "CLP",
            _text(claim.account_number),
            _text(claim.status),
            _amount(claim_billed(claim)),
            _amount(claim_paid(claim)),
            _amount(responsibility) if responsibility else "",
            _text(claim.filing_indicator),
            _text(claim.payer_claim_number),
            _text(claim.facility_code),
            _text(claim.frequency),
        ),
        *_cas_segments(claim.claim_adjustments, sign),
        _segment("NM1", "QC", "1", _text(claim.patient_last), _text(claim.patient_first), "", "", "", "MI",
                 _text(claim.member_id)),
    ]
    if claim.rendering_npi and claim.rendering_last:
        segments.append(_segment("NM1", "82", "1", _text(claim.rendering_last), _text(claim.rendering_first), "",
                                 "", "", "XX", _text(claim.rendering_npi)))
    elif claim.rendering_npi:
        segments.append(_segment("NM1", "82", "2", "RENDERING PROVIDER", "", "", "", "", "XX",
                                 _text(claim.rendering_npi)))
    for start in range(0, len(claim.claim_remarks), _MOA_REMARKS):
        remarks = [_text(r) for r in claim.claim_remarks[start : start + _MOA_REMARKS]]
        segments.append(_segment("MOA", "", "", *remarks))
    first = min(line.service_date for line in claim.lines)
    last = max(line.service_date for line in claim.lines)
    received = min(last + timedelta(days=5), production_date)
    segments += [
        _segment("DTM", "232", _d8(first)),
        _segment("DTM", "233", _d8(last)),
        _segment("DTM", "050", _d8(received)),
    ]
    for line in claim.lines:
        segments += _line_segments(line, sign)
    return segments


def _plb_segments(transaction: SyntheticTransaction) -> list[str]:
    """PLB segments (at most six adjustments each), identified by the payee NPI and the fiscal year end."""
    segments = []
    fiscal_end = _d8(date(transaction.payment_date.year, 12, 31))
    items = transaction.plb
    for start in range(0, len(items), _PLB_PAIRS_PER_SEGMENT):
        elements = ["PLB", _text(transaction.payee.npi), fiscal_end]
        for number, (reason, amount) in enumerate(items[start : start + _PLB_PAIRS_PER_SEGMENT], start + 1):
            reference = f"{transaction.check_number}{number:02d}"
            elements += [COMPONENT.join([_text(reason), _text(reference)]), _amount(amount)]
        segments.append(_segment(*elements))
    return segments


def _payer_tin(payer: SyntheticPayer) -> str:
    """TRN03: '1' plus a nine-digit number derived from the payer ID (the file has no real TIN)."""
    digits = "".join(ch for ch in payer.payer_id if ch.isdigit())
    number = int(digits) if digits else sum(ord(ch) for ch in payer.payer_id)
    return f"1{number % 10**9:09d}"


def _transaction_segments(transaction: SyntheticTransaction, control: str) -> list[str]:
    """ST through SE for one payment."""
    total = transaction_total(transaction)
    if total < 0:
        raise ValueError(
            f"payment {transaction.check_number} would total {total}; BPR02 cannot be negative: "
            "add a forward-balance PLB ('FB', negative amount) to carry the debit"
        )
    payer, payee = transaction.payer, transaction.payee
    bpr = ["BPR", "I", _amount(total), "C", "CHK"] if total else ["BPR", "H", "0", "C", "NON"]  # H: notice only
    bpr += [""] * (16 - len(bpr)) + [_d8(transaction.payment_date)]
    segments = [
        _segment("ST", "835", control),
        _segment(*bpr),
        _segment("TRN", "1", _text(transaction.check_number), _payer_tin(payer)),
        _segment("DTM", "405", _d8(transaction.production_date)),
        _segment("N1", "PR", _text(payer.name)),
        _segment("N3", _text(payer.line1)),
        _segment("N4", _text(payer.city), _text(payer.state), _text(payer.zip)),
        _segment("REF", "2U", _text(payer.payer_id)),
    ]
    if payer.phone:
        segments.append(_segment("PER", "CX", "PROVIDER SERVICES", "TE", _text(payer.phone)))
    segments += [
        _segment("PER", "BL", "EDI SUPPORT", "TE", _text(payer.phone or "8005550199")),
        _segment("N1", "PE", _text(payee.name), "XX", _text(payee.npi)),
        _segment("N3", _text(payee.line1)),
        _segment("N4", _text(payee.city), _text(payee.state), _text(payee.zip)),
        _segment("REF", "TJ", _text(payee.tin)),
    ]
    if transaction.claims:
        segments.append(_segment("LX", "1"))
    for claim in transaction.claims:
        segments += _claim_segments(claim, transaction.production_date)
    segments += _plb_segments(transaction)
    segments.append(_segment("SE", str(len(segments) + 1), control))
    return segments


def render_835(
    transactions: Sequence[SyntheticTransaction], *, control_number: int = 1, newline: bool = True,
    created: date | None = None,
) -> str:
    r"""One interchange (ISA/GS/.../GE/IEA) holding the transactions as ST/SE pairs; segments end with '~' plus '\n' when newline."""  # noqa: E501
    if not transactions:
        raise ValueError("an interchange needs at least one transaction")
    if not 0 < control_number < 10**9:
        raise ValueError("control_number must be between 1 and 999999999")
    when = created or max(t.production_date for t in transactions)
    isa = _segment(
        "ISA", "00", " " * 10, "00", " " * 10, "ZZ", "DEMOPAYER".ljust(15), "ZZ", "DEMOPRACTICE".ljust(15),
        when.strftime("%y%m%d"), "0800", REPETITION, "00501", f"{control_number:09d}", "0", "T", COMPONENT,
    )
    segments = [
        isa,
        _segment("GS", "HP", "DEMOPAYER", "DEMOPRACTICE", _d8(when), "0800", str(control_number), "X",
                 "005010X221A1"),
    ]
    for number, transaction in enumerate(transactions, 1):
        segments += _transaction_segments(transaction, f"{number:04d}")
    segments += [
        _segment("GE", str(len(transactions)), str(control_number)),
        _segment("IEA", "1", f"{control_number:09d}"),
    ]
    end = TERMINATOR + ("\n" if newline else "")
    return end.join(segments) + end


# ----------------------------------------------------------------------------------------------------------
# Claim mixes

# A fictional fee schedule: procedure -> charge per unit.
_FEES: tuple[tuple[str, Decimal], ...] = (
    ("99213", Decimal("150.00")), ("99214", Decimal("225.00")), ("99203", Decimal("195.00")),
    ("99204", Decimal("290.00")), ("36415", Decimal("25.00")), ("80053", Decimal("62.00")),
    ("85025", Decimal("38.00")), ("93000", Decimal("75.00")), ("71046", Decimal("118.00")),
    ("97110", Decimal("88.00")), ("20610", Decimal("182.00")), ("11721", Decimal("96.00")),
    ("G0439", Decimal("245.00")), ("J1100", Decimal("12.50")),
)
_LAST_NAMES = ("TESTPERSON", "SAMPLE", "EXAMPLE", "FICTIONAL", "DEMOPATIENT", "PLACEHOLDER", "MOCKWELL", "DUMMYSON")
_FIRST_NAMES = ("ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "FOXTROT", "GOLF", "HOTEL", "INDIA", "JULIET")
# Awkward but fictional names, used now and then: an apostrophe (basic X12 character set) and accents (outside
# every X12 character set, yet found in real files, so readers must cope with them).
_AWKWARD_NAMES = (("O'MOCK", "PAT"), ("NÚÑEZ", "JOSÉ"), ("D'EXEMPLE", "RENÉE"))
_AWKWARD_EVERY = 20
_RENDERING_NPIS = tuple(synthetic_npi(base) for base in ("199999990", "199999991", "199999992"))
_FILING = ("MB", "12", "HM", "16", "MC", "13", "14")

# Full denials, in rotation: (CARC, line remark, claim remark).
_DENIALS: tuple[tuple[str, str, str], ...] = (
    ("50", "N115", ""), ("197", "", ""), ("16", "", "MA130"), ("29", "", ""), ("97", "M15", ""),
    ("96", "N130", ""), ("18", "", ""), ("22", "MA92", ""), ("27", "", ""), ("204", "N130", ""),
    ("151", "", ""), ("170", "N95", ""), ("16", "M127", ""), ("96", "N425", ""),
)
# One line denied on an otherwise paid claim, in rotation: (CARC, line remark).
_PARTIALS: tuple[tuple[str, str], ...] = (("97", "M15"), ("151", ""), ("50", "N115"), ("97", ""), ("236", ""))


def _pick_procedures(rng: random.Random, count: int) -> list[tuple[str, Decimal]]:
    """`count` different procedures from the fee schedule."""
    return rng.sample(_FEES, count)


def _billed_line(rng: random.Random, procedure: str, fee: Decimal, day: date, first: bool) -> SyntheticLine:
    """A line with its charge and nothing decided yet (paid in full, no adjustments)."""
    units = Decimal(rng.choice((2, 3, 4))) if procedure in ("97110", "J1100") else Decimal("1")
    modifiers: tuple[str, ...] = ()
    if procedure.startswith("992") and not first:
        modifiers = ("25",)
    elif procedure == "97110" and rng.random() < 0.5:
        modifiers = ("GP",)
    billed = fee * units
    return SyntheticLine(procedure=procedure, billed=billed, paid=billed, service_date=day, modifiers=modifiers,
                         units=units)


def _adjudicate(rng: random.Random, line: SyntheticLine, *, sequester: bool, deductible: bool) -> SyntheticLine:
    """Pay a line: CO-45 down to the allowed amount, PR-1/PR-2 for the patient, CO-253 when sequestered."""
    allowed = cents(line.billed * Decimal(rng.randint(45, 85)) / 100)
    pr1 = cents(min(allowed / 2, Decimal(rng.choice((20, 35, 50))))) if deductible else ZERO  # something is paid
    pr2 = cents((allowed - pr1) * Decimal("0.20"))
    before_cut = allowed - pr1 - pr2
    if sequester and before_cut > 0 and int(before_cut * 100) % 50 == 25:
        pr2 += CENT  # keep 2% of the pre-cut payment off an exact half cent, so every rounding rule agrees
        before_cut -= CENT
    co253 = cents(before_cut * SEQUESTRATION_RATE) if sequester else ZERO
    paid = before_cut - co253
    adjustments = []
    if line.billed > allowed:
        adjustments.append(SyntheticAdjustment("CO", "45", line.billed - allowed))
    if co253:
        adjustments.append(SyntheticAdjustment("CO", "253", co253))
    if pr1:
        adjustments.append(SyntheticAdjustment("PR", "1", pr1))
    if pr2:
        adjustments.append(SyntheticAdjustment("PR", "2", pr2))
    return replace(line, paid=paid, allowed=allowed, adjustments=tuple(adjustments))


def _deny(line: SyntheticLine, carc: str, remark: str) -> SyntheticLine:
    """Deny a line in full: nothing paid, the whole charge CO-<carc>."""
    return replace(line, paid=ZERO, allowed=None, remarks=(remark,) if remark else (),
                   adjustments=(SyntheticAdjustment("CO", carc, line.billed),))


def _kinds(count: int, denied: int, reversed_: int, sequestration: int, partial: int) -> list[str]:
    """The kind of each claim, in a fixed order (shuffled later)."""
    requested = {"denied": denied, "reversed": reversed_, "sequestration": sequestration, "partial": partial}
    for name, number in requested.items():
        if number < 0:
            raise ValueError(f"{name} cannot be negative ({number})")
    if sum(requested.values()) > count:
        raise ValueError(f"asked for {sum(requested.values())} special claims in a mix of {count}")
    kinds = [kind for kind, number in requested.items() for _ in range(number)]
    return kinds + ["paid"] * (count - len(kinds))


def claim_mix(
    rng: random.Random, count: int, *, denied: int, reversed_: int = 0, sequestration: int = 0, partial: int = 0,
    start: date = date(2026, 1, 5),
) -> list[SyntheticClaim]:
    """`count` claims: `denied` fully denied (CLP02=4, CO-50/197/16(+MA130 or M127)/29/97/96/18/22/27/204/151/170 rotating, with remarks where fitting), `partial` paid with one line denied (e.g. CO-97 on one line), `reversed_` reversals (CLP02=22 with negative amounts), `sequestration` paid Medicare claims whose only reduction besides CO-45 and PR-1/2 is a CORRECT 2% CO-253 (amount = round(0.02 * (paid + co253), 2) where paid is the amount after the cut), the rest paid normally (CO-45 contractual + PR-2 coinsurance). Obviously fictional names (e.g. "TESTPERSON", "SAMPLE"); a few with apostrophes and accents (O'MOCK, NÚÑEZ)."""  # noqa: E501
    kinds = _kinds(count, denied, reversed_, sequestration, partial)
    rng.shuffle(kinds)
    counters = {"denied": 0, "partial": 0}
    claims = []
    for index, kind in enumerate(kinds):
        claims.append(_make_claim(rng, index, kind, start, counters))
    return claims


def _make_claim(rng: random.Random, index: int, kind: str, start: date, counters: dict[str, int]) -> SyntheticClaim:
    """One claim of the given kind ('paid', 'denied', 'partial', 'sequestration', 'reversed')."""
    day = start + timedelta(days=rng.randrange(28))
    line_count = rng.randint(2, 3) if kind == "partial" else rng.choice((1, 1, 2, 2, 3))
    lines = [_billed_line(rng, code, fee, day, n == 0)
             for n, (code, fee) in enumerate(_pick_procedures(rng, line_count))]
    status, filing, claim_remarks = "1", rng.choice(_FILING), ()
    if kind == "denied":
        carc, line_remark, claim_remark = _DENIALS[counters["denied"] % len(_DENIALS)]
        counters["denied"] += 1
        status, claim_remarks = _DENIED, ((claim_remark,) if claim_remark else ())
        lines = [_deny(line, carc, line_remark) for line in lines]
    else:
        if kind == "sequestration":
            filing = "MB"
        elif filing == "MB":
            filing = "12"  # a Medicare Part B payment without CO-253 would itself be worth an inquiry
        deductible = rng.random() < 0.2
        lines = [_adjudicate(rng, line, sequester=kind == "sequestration", deductible=deductible and n == 0)
                 for n, line in enumerate(lines)]
        if kind == "partial":
            carc, remark = _PARTIALS[counters["partial"] % len(_PARTIALS)]
            counters["partial"] += 1
            victim = rng.randrange(1, len(lines))
            lines[victim] = _deny(lines[victim], carc, remark)
        if kind == "reversed":
            status = _REVERSAL
    if index % _AWKWARD_EVERY == _AWKWARD_EVERY // 2:
        last, first = _AWKWARD_NAMES[(index // _AWKWARD_EVERY) % len(_AWKWARD_NAMES)]
    else:
        last, first = rng.choice(_LAST_NAMES), rng.choice(_FIRST_NAMES)
    return SyntheticClaim(
        account_number=f"DEMO{index + 1:07d}",
        status=status,
        patient_last=last,
        patient_first=first,
        member_id=f"ZZ{rng.randrange(10**9):09d}",
        payer_claim_number=f"{9 if status == _REVERSAL else 1}{start:%y%j}{index + 1:07d}",
        lines=tuple(lines),
        filing_indicator=filing,
        claim_remarks=claim_remarks,
        rendering_npi=rng.choice(_RENDERING_NPIS),
    )


# ----------------------------------------------------------------------------------------------------------
# Whole files

DEMO_PAYER = SyntheticPayer(name="DEMO HEALTH PLAN", payer_id="99999", line1="PO BOX 0000", city="ANYTOWN",
                            state="PA", zip="17000", phone="8005550100")
DEMO_PAYEE = SyntheticPayee(name="SAMPLE FAMILY PRACTICE", npi=synthetic_npi("199999999"), tin="991234567",
                            line1="1 EXAMPLE WAY", city="SAMPLETOWN", state="PA", zip="17001")


def _with_plb(rng: random.Random, claims: Sequence[SyntheticClaim]) -> tuple[tuple[str, Decimal], ...]:
    """PLB: sometimes an overpayment recovery (WO); a forward balance (FB) when reversals make the total negative."""
    paid = sum((claim_paid(claim) for claim in claims), ZERO)
    plb: list[tuple[str, Decimal]] = []
    recovery = cents(Decimal(rng.randint(1000, 9000)) / 100)
    if rng.random() < 0.5 and paid - recovery >= 0:
        plb.append(("WO", recovery))
        paid -= recovery
    if paid < 0:
        plb.append(("FB", paid))
    return tuple(plb)


def generate_835(
    rng_seed: int, claims: int, *, denied: int, per_transaction: int = 500, reversed_: int = 0,
    sequestration: int = 0, partial: int = 0,
) -> str:
    """A whole file: the claim mix split into transactions of `per_transaction` claims, fictional payer (name containing 'DEMO'), payee, dates; deterministic for a seed."""  # noqa: E501
    if claims < 1:
        raise ValueError("a file needs at least one claim")
    if per_transaction < 1:
        raise ValueError("per_transaction must be at least 1")
    rng = random.Random(rng_seed)
    start = date(2026, 1, 5)
    mix = claim_mix(rng, claims, denied=denied, reversed_=reversed_, sequestration=sequestration,
                    partial=partial, start=start)
    production = start + timedelta(days=45)
    transactions = []
    for offset in range(0, len(mix), per_transaction):
        chunk = tuple(mix[offset : offset + per_transaction])
        transactions.append(SyntheticTransaction(
            payer=DEMO_PAYER,
            payee=DEMO_PAYEE,
            check_number=f"{rng.randrange(10**8, 10**9)}",
            payment_date=production + timedelta(days=1),
            production_date=production,
            claims=chunk,
            plb=_with_plb(rng, chunk),
        ))
    return render_835(transactions, control_number=rng_seed % 999_999_999 + 1)
