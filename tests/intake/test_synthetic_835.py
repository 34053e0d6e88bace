"""The synthetic 835 generator: envelope, counts, balancing rules, determinism, and pyx12's verdict.

The text is read back with a tiny splitter written here, independent of any reader in the product.
"""

from __future__ import annotations

import io
import json
import logging
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workstation.intake.synthetic_835 import (
    SyntheticAdjustment,
    SyntheticClaim,
    SyntheticLine,
    SyntheticPayee,
    SyntheticPayer,
    SyntheticTransaction,
    claim_mix,
    generate_835,
    render_835,
)

CENT = Decimal("0.01")
AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]{1,2})?")  # no thousands separator, at most two decimals
DATE = re.compile(r"(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])")  # CCYYMMDD
AMOUNTS = {"BPR": (2,), "CLP": (3, 4, 5), "SVC": (2, 3), "CAS": (3, 6, 9, 12, 15, 18), "AMT": (2,),
           "PLB": (4, 6, 8, 10, 12, 14)}
DATES = {"BPR": (16,), "DTM": (2,), "GS": (4,), "PLB": (2,)}


# ---------------------------------------------------------------------------------------------------------
# A tiny independent reader


def segments(text: str) -> list[list[str]]:
    """Split on '~', strip, drop blanks, split on '*'."""
    return [part.strip().split("*") for part in text.split("~") if part.strip()]


def money(value: str) -> Decimal:
    return Decimal(value) if value else Decimal(0)


def cas_triplets(seg: list[str]) -> list[tuple[str, str, Decimal, str]]:
    """(group, reason, amount, quantity) for each triplet in a CAS segment."""
    group, rest = seg[1], seg[2:]
    out = []
    for start in range(0, len(rest), 3):
        chunk = [*rest[start : start + 3], "", ""][:3]
        out.append((group, chunk[0], money(chunk[1]), chunk[2]))
    return out


@dataclass
class Line:
    svc: list[str]
    cas: list[tuple[str, str, Decimal, str]] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    allowed: Decimal | None = None


@dataclass
class Claim:
    clp: list[str]
    cas: list[tuple[str, str, Decimal, str]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    patient: list[str] = field(default_factory=list)
    moa: list[str] = field(default_factory=list)

    def all_cas(self) -> list[tuple[str, str, Decimal, str]]:
        return self.cas + [t for line in self.lines for t in line.cas]


@dataclass
class Transaction:
    st: list[str]
    bpr: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    plb: list[list[str]] = field(default_factory=list)
    se: list[str] = field(default_factory=list)
    count: int = 0


def read(text: str) -> tuple[list[list[str]], list[Transaction]]:
    """All segments, and the transactions with their claims and lines."""
    segs = segments(text)
    transactions: list[Transaction] = []
    current: Transaction | None = None
    claim: Claim | None = None
    line: Line | None = None
    for seg in segs:
        tag = seg[0]
        if tag == "ST":
            current, claim, line = Transaction(st=seg), None, None
            transactions.append(current)
        if current is None:
            continue
        current.count += 1
        if tag == "BPR":
            current.bpr = seg
        elif tag == "CLP":
            claim, line = Claim(clp=seg), None
            current.claims.append(claim)
        elif tag == "SVC":
            line = Line(svc=seg)
            assert claim is not None
            claim.lines.append(line)
        elif tag == "CAS":
            assert claim is not None
            (line.cas if line is not None else claim.cas).extend(cas_triplets(seg))
        elif tag == "NM1" and seg[1] == "QC":
            assert claim is not None
            claim.patient = seg
        elif tag == "MOA":
            assert claim is not None
            claim.moa = [r for r in seg[3:] if r]
        elif tag == "LQ":
            assert line is not None
            line.remarks.append(seg[2])
        elif tag == "AMT" and seg[1] == "B6":
            assert line is not None
            line.allowed = money(seg[2])
        elif tag == "PLB":
            current.plb.append(seg)
            claim, line = None, None
        elif tag == "SE":
            current.se = seg
            current = None
    return segs, transactions


def claims_of(text: str) -> list[Claim]:
    return [c for t in read(text)[1] for c in t.claims]


def has_co253(claim: Claim) -> bool:
    return any(group == "CO" and reason == "253" for group, reason, _, _ in claim.all_cas())


def check_file(text: str) -> None:
    """Every envelope and balancing rule the generator promises."""
    assert text.index("~") == 105, "ISA must be 106 characters including its terminator"
    segs, transactions = read(text)
    isa = segs[0]
    assert isa[0] == "ISA" and len(isa) == 17
    assert isa[11] == "^" and isa[16] == ":" and isa[12] == "00501"
    assert segs[1][0] == "GS" and segs[1][1] == "HP" and segs[1][8] == "005010X221A1"
    assert len(segs[1][4]) == 8
    assert segs[-2][0] == "GE" and int(segs[-2][1]) == len(transactions) and segs[-2][2] == segs[1][6]
    assert segs[-1][0] == "IEA" and segs[-1][1] == "1" and segs[-1][2] == isa[13]
    assert len([s for s in segs if s[0] == "ST"]) == len(transactions)
    for trn in transactions:
        assert trn.se, "every ST has its SE"
        assert int(trn.se[1]) == trn.count, "SE01 counts ST..SE"
        assert trn.se[2] == trn.st[2]
        assert len(trn.bpr) == 17 and len(trn.bpr[16]) == 8
        paid = sum((money(c.clp[4]) for c in trn.claims), Decimal(0))
        plb = sum((money(s[i]) for s in trn.plb for i in range(4, len(s), 2)), Decimal(0))
        assert money(trn.bpr[2]) == paid - plb, "BPR02 = sum CLP04 - sum PLB"
        assert money(trn.bpr[2]) >= 0
        for claim in trn.claims:
            check_claim(claim)
    for seg in segs:
        for position in AMOUNTS.get(seg[0], ()):
            if position < len(seg) and seg[position]:
                assert AMOUNT.fullmatch(seg[position]), f"amount {seg[position]!r} in {seg}"
        for position in DATES.get(seg[0], ()):
            assert DATE.fullmatch(seg[position]), f"date {seg[position]!r} in {seg}"


def check_claim(claim: Claim) -> None:
    """Balancing of one claim and its lines."""
    clp = claim.clp
    billed, paid = money(clp[3]), money(clp[4])
    line_billed = sum((money(line.svc[2]) for line in claim.lines), Decimal(0))
    line_paid = sum((money(line.svc[3]) for line in claim.lines), Decimal(0))
    claim_cas = sum((amount for _, _, amount, _ in claim.cas), Decimal(0))
    assert billed == line_billed, f"CLP03 = sum SVC02 in {clp}"
    assert paid == line_paid - claim_cas, f"CLP04 = sum SVC03 - claim-level CAS in {clp}"
    assert billed - paid == sum((a for _, _, a, _ in claim.all_cas()), Decimal(0)), f"claim balance {clp}"
    for line in claim.lines:
        assert money(line.svc[2]) - money(line.svc[3]) == sum((a for _, _, a, _ in line.cas), Decimal(0)), line
    patient = sum((a for g, _, a, _ in claim.all_cas() if g == "PR"), Decimal(0))
    assert money(clp[5] if len(clp) > 5 else "") == patient, f"CLP05 = PR adjustments in {clp}"
    if clp[2] == "4":
        assert paid == 0
    if clp[2] == "22":
        assert billed < 0 and paid <= 0


def denied_line(line: Line) -> bool:
    """Nothing paid and a CO reason other than the contractual write-offs (a deductible can also zero a line)."""
    return money(line.svc[3]) == 0 and any(g == "CO" and r not in ("45", "253") for g, r, _, _ in line.cas)


def expected_co253(paid: Decimal, co253: Decimal) -> Decimal:
    return (Decimal("0.02") * (paid + co253)).quantize(CENT, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------------------
# The generated files


MIX = {"denied": 14, "reversed_": 3, "sequestration": 9, "partial": 5}


@pytest.fixture(scope="module")
def mixed_file() -> str:
    return generate_835(11, 60, per_transaction=25, **MIX)


def test_envelope_and_balancing(mixed_file: str) -> None:
    check_file(mixed_file)
    assert len(read(mixed_file)[1]) == 3  # 60 claims in transactions of 25


def test_requested_counts(mixed_file: str) -> None:
    claims = claims_of(mixed_file)
    statuses = [c.clp[2] for c in claims]
    assert len(claims) == 60
    assert statuses.count("4") == MIX["denied"]
    assert statuses.count("22") == MIX["reversed_"]
    assert sum(has_co253(c) for c in claims) == MIX["sequestration"]
    partly = [c for c in claims if c.clp[2] == "1" and any(map(denied_line, c.lines))]
    assert len(partly) == MIX["partial"]
    assert len({c.clp[1] for c in claims}) == 60, "account numbers are unique"


def test_sequestration_is_two_percent_of_the_payment_before_the_cut(mixed_file: str) -> None:
    seen = 0
    for claim in claims_of(mixed_file):
        for line in claim.lines:
            for group, reason, amount, _ in line.cas:
                if (group, reason) == ("CO", "253"):
                    seen += 1
                    assert amount == expected_co253(money(line.svc[3]), amount)
                    others = {(g, r) for g, r, _, _ in line.cas} - {("CO", "253")}
                    assert others <= {("CO", "45"), ("PR", "1"), ("PR", "2")}
        if has_co253(claim):
            assert claim.clp[6] == "MB"
    assert seen >= MIX["sequestration"]


def test_denials_carry_codes_and_remarks(mixed_file: str) -> None:
    denied = [c for c in claims_of(mixed_file) if c.clp[2] == "4"]
    reasons = {reason for c in denied for _, reason, _, _ in c.all_cas()}
    assert {"50", "197", "16", "29", "97", "96", "18", "22", "27", "204", "151", "170"} <= reasons
    remarks = {r for c in denied for r in c.moa + [x for line in c.lines for x in line.remarks]}
    assert "MA130" in remarks and "M127" in remarks
    for claim in denied:
        assert all(group == "CO" for group, _, _, _ in claim.all_cas())


def test_reversals_are_negative(mixed_file: str) -> None:
    for claim in (c for c in claims_of(mixed_file) if c.clp[2] == "22"):
        assert money(claim.clp[3]) < 0
        assert all(money(line.svc[2]) < 0 for line in claim.lines)


def test_names_are_fictional_and_some_are_awkward() -> None:
    claims = claim_mix(random.Random(3), 80, denied=10)
    lasts = {c.patient_last for c in claims}
    assert "O'MOCK" in lasts and "NÚÑEZ" in lasts
    assert {"TESTPERSON", "SAMPLE"} & lasts
    assert all(c.member_id.startswith("ZZ") for c in claims)


def test_deterministic_for_a_seed() -> None:
    first = generate_835(5, 40, denied=8, reversed_=2, sequestration=6, partial=3)
    assert first == generate_835(5, 40, denied=8, reversed_=2, sequestration=6, partial=3)
    assert first != generate_835(6, 40, denied=8, reversed_=2, sequestration=6, partial=3)
    assert "DEMO" in next(s for s in segments(first) if s[:2] == ["N1", "PR"])[2]


def test_without_newlines_only_terminators_separate() -> None:
    transaction = _one_transaction((_claim("A1", [_line("99213", "100", "80", [("CO", "45", "20")])]),))
    flat = render_835([transaction], newline=False)
    assert "\n" not in flat
    assert flat == render_835([transaction]).replace("~\n", "~")
    check_file(flat)


def test_too_many_special_claims_is_refused() -> None:
    with pytest.raises(ValueError):
        claim_mix(random.Random(1), 5, denied=3, partial=3)


def test_delimiters_in_data_are_refused() -> None:
    transaction = _one_transaction((_claim("A*1", [_line("99213", "100", "100", [])]),))
    with pytest.raises(ValueError):
        render_835([transaction])


def test_all_reversals_carry_a_forward_balance() -> None:
    text = generate_835(9, 4, denied=0, reversed_=4)
    check_file(text)
    transaction = read(text)[1][0]
    assert money(transaction.bpr[2]) == 0 and transaction.bpr[1] == "H"
    assert any(s[3].startswith("FB:") for s in transaction.plb)


def test_claim_level_adjustments_reduce_the_claim_payment() -> None:
    claim = _claim("A2", [_line("99213", "150", "120", [("CO", "45", "30")])],
                   claim_adjustments=(SyntheticAdjustment("CO", "A2", Decimal("20")),))
    text = render_835([_one_transaction((claim,), plb=(("L6", Decimal("-1.25")),))])
    check_file(text)
    parsed = claims_of(text)[0]
    assert parsed.clp[4] == "100.00" and parsed.cas == [("CO", "A2", Decimal("20.00"), "")]


# ---------------------------------------------------------------------------------------------------------
# Property: random small mixes always balance


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=10**6),
    count=st.integers(min_value=1, max_value=14),
    shares=st.tuples(*(st.integers(min_value=0, max_value=4) for _ in range(4))),
    per_transaction=st.integers(min_value=1, max_value=6),
)
def test_random_mixes_balance(seed: int, count: int, shares: tuple[int, int, int, int],
                              per_transaction: int) -> None:
    denied, reversed_, sequestration, partial = shares
    total = denied + reversed_ + sequestration + partial
    if total > count:
        count = total
    text = generate_835(seed, count, denied=denied, reversed_=reversed_, sequestration=sequestration,
                        partial=partial, per_transaction=per_transaction)
    check_file(text)
    claims = claims_of(text)
    assert len(claims) == count
    assert [c.clp[2] for c in claims].count("4") == denied
    assert [c.clp[2] for c in claims].count("22") == reversed_
    assert sum(has_co253(c) for c in claims) == sequestration
    for claim in claims:
        for line in claim.lines:
            for group, reason, amount, _ in line.cas:
                if (group, reason) == ("CO", "253"):
                    assert amount == expected_co253(money(line.svc[3]), amount)


# ---------------------------------------------------------------------------------------------------------
# pyx12, an independent X12 validator


def _pyx12_errors(text: str) -> tuple[bool, list[tuple[str, str, str]]]:
    """pyx12's verdict and its errors as (segment, element name, error text)."""
    pytest.importorskip("pyx12")
    import pyx12.params
    import pyx12.x12n_document

    report = io.StringIO()
    logger = logging.getLogger("pyx12")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        valid = pyx12.x12n_document.x12n_document(
            pyx12.params.params(), io.StringIO(text), fd_997=None, fd_html=None, fd_xmldoc=None, fd_json=report
        )
    finally:
        logger.setLevel(level)
    errors: list[tuple[str, str, str]] = []

    def walk(node: object, seg_id: str = "", name: str = "") -> None:
        if isinstance(node, dict):
            seg_id = node.get("seg_id", seg_id)
            name = node.get("name", name) if "ele_pos" in node else name
            for item in node.get("errors", []):
                errors.append((seg_id, name, item.get("err_str", "")))
            for key, value in node.items():
                if key != "errors":
                    walk(value, seg_id, name)
        elif isinstance(node, list):
            for item in node:
                walk(item, seg_id, name)

    walk(json.loads(report.getvalue() or "{}"))
    return valid, errors


def _ascii(text: str) -> str:
    """The same text with accents dropped (NÚÑEZ -> NUNEZ), as a payer restricted to X12 characters sends it."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def test_pyx12_accepts_a_small_generated_file() -> None:
    text = generate_835(21, 30, denied=6, reversed_=2, sequestration=5, partial=3, per_transaction=12)
    assert text.isascii(), "30 claims hold no accented names (only an apostrophe), so the file is plain X12"
    valid, errors = _pyx12_errors(text)
    assert errors == [] and valid


def test_pyx12_accepts_a_file_with_every_kind_of_claim_and_plb() -> None:
    text = generate_835(4, 120, denied=40, reversed_=6, sequestration=30, partial=15, per_transaction=40)
    valid, errors = _pyx12_errors(_ascii(text))
    assert errors == [] and valid
    assert "PLB*" in text


def test_pyx12_objects_only_to_the_accented_names() -> None:
    """Accents are outside every X12 character set: pyx12 flags them and nothing else."""
    text = generate_835(4, 80, denied=10)
    assert not text.isascii()
    valid, errors = _pyx12_errors(text)
    assert not valid and errors
    assert {(seg, name) for seg, name, _ in errors} <= {("NM1", "Patient Last Name"), ("NM1", "Patient First Name")}
    assert all("invalid character" in message for _, _, message in errors)


# ---------------------------------------------------------------------------------------------------------
# Helpers building transactions by hand


def _line(code: str, billed: str, paid: str, cas: list[tuple[str, str, str]]) -> SyntheticLine:
    return SyntheticLine(procedure=code, billed=Decimal(billed), paid=Decimal(paid), service_date=date(2026, 1, 6),
                         adjustments=tuple(SyntheticAdjustment(g, r, Decimal(a)) for g, r, a in cas))


def _claim(account: str, lines: list[SyntheticLine], **extra: object) -> SyntheticClaim:
    return SyntheticClaim(account_number=account, status="1", patient_last="SAMPLE", patient_first="TEST",
                          member_id="ZZ000000001", payer_claim_number="1000000000001", lines=tuple(lines),
                          **extra)  # type: ignore[arg-type]


def _one_transaction(claims: tuple[SyntheticClaim, ...], **extra: object) -> SyntheticTransaction:
    return SyntheticTransaction(
        payer=SyntheticPayer("DEMO PLAN", "12345", "PO BOX 1", "ANYTOWN", "PA", "17000"),
        payee=SyntheticPayee("SAMPLE CLINIC", "1999999992", "991234567", "1 MAIN ST", "ANYTOWN", "PA", "17000"),
        check_number="123456", payment_date=date(2026, 2, 20), production_date=date(2026, 2, 19), claims=claims,
        **extra,  # type: ignore[arg-type]
    )
