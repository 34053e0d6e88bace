"""`workstation demo DIR`: a deterministic, obviously fictional workspace that looks like a
real month of denials. No real person, payer or provider is in it."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.codebook import codebook
from workstation.core.model import (
    Activity,
    Address,
    Adjustment,
    Case,
    Claim,
    Payer,
    Person,
    Provider,
    Remark,
    RemittanceSeen,
    ServiceLine,
)
from workstation.core.money import ZERO, money
from workstation.core.vocabulary import PayerKind, Status
from workstation.core.workspace_model import PayerEntry, PracticeProfile, User

DEMO_SEED = 20260301
DEMO_CASES = 48


@dataclass(frozen=True)
class DemoDenial:
    group: str
    carc: str
    remarks: tuple[str, ...]
    procedure: str
    charge: str
    modifiers: tuple[str, ...] = ()


# Denial reasons the issue asks the demo to show, each with a plausible service line.
DENIALS = (
    DemoDenial("CO", "50", ("N115",), "97110", "145.00", ("GP",)),
    DemoDenial("CO", "197", (), "72148", "1240.00"),
    DemoDenial("CO", "16", ("M127",), "99214", "185.00"),
    DemoDenial("CO", "16", ("N290",), "93000", "62.00"),
    DemoDenial("CO", "29", (), "99213", "128.00"),
    DemoDenial("CO", "97", ("M15",), "20610", "210.00"),
    DemoDenial("CO", "96", ("N130",), "97140", "95.00", ("GP",)),
    DemoDenial("CO", "18", (), "99215", "260.00"),
    DemoDenial("CO", "22", ("MA04",), "80053", "48.00"),
    DemoDenial("CO", "27", (), "99204", "310.00"),
    DemoDenial("PR", "204", ("N130",), "G0439", "175.00"),
    DemoDenial("CO", "151", (), "97530", "120.00", ("GO",)),
    DemoDenial("CO", "170", ("N290",), "90837", "220.00"),
    DemoDenial("CO", "4", (), "99214", "185.00", ("25",)),
    DemoDenial("CO", "198", ("N54",), "73721", "980.00"),
    DemoDenial("CO", "11", (), "81002", "18.00"),
)

STATUS_MIX = (
    [Status.NEW] * 14 + [Status.IN_REVIEW] * 8 + [Status.GATHERING_EVIDENCE] * 6
    + [Status.READY_TO_SEND] * 4 + [Status.SUBMITTED] * 5 + [Status.WON] * 2
    + [Status.PARTIALLY_WON, Status.LOST, Status.LOST, Status.DISMISSED]
    + [Status.RESUBMITTED] * 2 + [Status.WRITTEN_OFF] * 2 + [Status.CLOSED]
)

FIRST_NAMES = ("Avery", "Zoë", "José", "Brielle", "Kai", "Marisol", "Théo", "Nadia", "Quinn",
               "Rosalind", "Émile", "Priya", "Dashiell", "Inés", "Oskar", "Wren")
LAST_NAMES = ("Testwell", "Sampleton", "O'Mockley", "Démoreau", "Fakenham", "D'Exemplo",
              "Placeholder", "Núñez-Prueba", "Dummington", "MacFictive", "Lorem", "Ipsumova",
              "Byrne-Sample", "Quintessa", "Van Démo", "Fauxley")

DEMO_PAYERS = (
    PayerEntry("Demo Medicare Administrative Contractor (Jurisdiction Z)", PayerKind.MEDICARE,
               ["99901"], Address("PO Box 1001", "Attn: Redeterminations", "Exampleton", "ZZ", "00001"),
               "555-0100", "555-0101", "https://portal.example.invalid/mac"),
    PayerEntry("Sunrise Medicare Advantage Plan (demo)", PayerKind.MEDICARE_ADVANTAGE, ["99902"],
               Address("200 Sample Parkway", "Appeals Unit", "Mockville", "ZZ", "00002"),
               "555-0110", "555-0111", "https://portal.example.invalid/sunrise"),
    PayerEntry("Lakeshore Medicaid Health Plan (demo)", PayerKind.MEDICAID, ["99903"],
               Address("3 Harbor Example Road", "Provider Disputes", "Lakeshore", "ZZ", "00003"),
               "555-0120", "555-0121"),
    PayerEntry("Acme Widgets & Gadgets Employee Health Plan (demo)", PayerKind.ERISA, ["99904"],
               Address("44 Fictional Avenue", "Claims Appeals", "Widgetown", "ZZ", "00004"),
               "555-0130", "555-0131"),
    PayerEntry("Bluebird Health & Life Insurance (demo)", PayerKind.COMMERCIAL, ["99905"],
               Address("5 Placeholder Plaza, Suite 500", "Appeals Department", "Sampleburg", "ZZ", "00005"),
               "555-0140", "555-0141", "https://portal.example.invalid/bluebird"),
)

PRACTICE = PracticeProfile(
    name="Riverbend Family Medicine & Physical Therapy (demo)",
    address=Address("123 Example Street", "Suite 4", "Sampleburg", "ZZ", "00010"),
    phone="555-0150", fax="555-0151", npi="1234567893", tin="00-0000000",
    contact_name="Dana Example", signer_name="Dana Example", signer_title="Billing Manager",
)

USERS = (User("dana", "Dana Example"), User("lee", "Lee Placeholder"), User("sam", "Sam Sampleton"))


def create_demo_workspace(root: Path, *, today: date | None = None) -> Workspace:
    """Write the demo workspace; the same `today` always gives the same cases."""
    today = today or date.today()
    workspace = Workspace.create(Path(root))
    workspace.set_practice(PRACTICE)
    workspace.set_users(list(USERS))
    for payer in DEMO_PAYERS:
        workspace.add_payer(PayerEntry(**vars(payer) | {"id": None}))
    rng = random.Random(DEMO_SEED)
    for number in range(DEMO_CASES):
        case = demo_case(rng, number, today)
        CaseFile.create(workspace.cases_dir / _file_name(case, rng), case)
    workspace.index.rescan()
    return workspace


def _file_name(case: Case, rng: random.Random) -> str:
    return f"{case.created_at:%Y-%m}-{rng.getrandbits(32):08x}.appeal"


def demo_case(rng: random.Random, number: int, today: date) -> Case:
    """One complete synthetic case: every field a letter will need is filled."""
    denial = DENIALS[number % len(DENIALS)]
    payer_entry = DEMO_PAYERS[number % len(DEMO_PAYERS)]
    notice = today - timedelta(days=rng.randint(2, 75))
    service = notice - timedelta(days=rng.randint(12, 45))
    created = datetime.combine(notice + timedelta(days=rng.randint(1, 3)), datetime.min.time()).replace(hour=9)
    patient = Person(LAST_NAMES[rng.randrange(len(LAST_NAMES))], FIRST_NAMES[rng.randrange(len(FIRST_NAMES))],
                     date_of_birth=date(rng.randint(1938, 2015), rng.randint(1, 12), rng.randint(1, 28)),
                     member_id=f"DEMO{rng.randint(10**8, 10**9 - 1)}", group_number=f"GRP-{rng.randint(100, 999)}")
    lines, adjustments = _lines(rng, denial, service)
    status = STATUS_MIX[number % len(STATUS_MIX)]
    billed = sum((line.billed for line in lines), ZERO)
    paid = sum((line.paid for line in lines), ZERO)
    case = Case(
        case_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), created_at=created,
        status=status, assignee="" if status is Status.NEW else USERS[number % len(USERS)].login,
        notice_date=notice,
        claim=Claim(account_number=f"RB{100000 + number * 37}",
                    payer_claim_number=f"DEMO{rng.randint(10**11, 10**12 - 1)}",
                    status_code="4" if paid == 0 else "1", filing_indicator=_filing(payer_entry.kind),
                    facility_code="11", frequency_code="1", service_from=service, service_to=service,
                    billed=billed, allowed=None, paid=paid,
                    patient_responsibility=sum((a.amount for a in adjustments if a.group == "PR"), ZERO),
                    diagnosis_codes=_diagnoses(rng)),
        patient=patient, insured=Person(**vars(patient)), insured_relationship="18",
        payer=Payer(payer_entry.name, payer_entry.payer_ids[0], payer_entry.kind, False,
                    payer_entry.address, payer_entry.phone),
        provider=Provider("Riverbend Family Medicine & Physical Therapy (demo)", "1234567893",
                          "00-0000000", "DEMO1234" if payer_entry.kind is PayerKind.MEDICARE else "",
                          PRACTICE.address),
        lines=lines, adjustments=adjustments,
        remarks=[Remark(code, 1) for code in denial.remarks],
    )
    case.route = case.derived_route()
    opening = next(a for a in adjustments if a.opens_case)
    case.route_reason = codebook().decide(opening.group, opening.carc, opening.amount, list(denial.remarks)).why
    case.remittances = [RemittanceSeen(f"{rng.getrandbits(256):064x}", f"demo-era-{notice:%Y%m%d}.835", notice,
                                       case.claim.payer_claim_number, case.claim.status_code, paid,
                                       f"EFT{rng.randint(10**6, 10**7 - 1)}", "0001", created)]
    case.activity = _history(case, created, today)
    if status in (Status.WON, Status.PARTIALLY_WON):
        share = Decimal("1") if status is Status.WON else Decimal("0.5")
        case.recovered = (case.amount_at_stake * share).quantize(Decimal("0.01"))
    return case


def _lines(rng: random.Random, denial: DemoDenial, service: date) -> tuple[list[ServiceLine], list[Adjustment]]:
    """A denied line, sometimes with a paid office visit beside it (with its contractual cut)."""
    book = codebook()
    charge = money(denial.charge)
    denied_line = ServiceLine(1, denial.procedure, list(denial.modifiers), Decimal("1"), service,
                              service, charge, None, ZERO)
    decision = book.decide(denial.group, denial.carc, charge, list(denial.remarks))
    adjustments = [Adjustment(denial.group, denial.carc, charge, None, 1, decision.route, decision.opens_case)]
    lines = [denied_line]
    if rng.random() < 0.5:
        billed = money(rng.choice(("128.00", "185.00", "95.00")))
        allowed = (billed * Decimal("0.72")).quantize(Decimal("0.01"))
        coinsurance = (allowed * Decimal("0.20")).quantize(Decimal("0.01"))
        lines.append(ServiceLine(2, "99213", [], Decimal("1"), service, service, billed, allowed,
                                 allowed - coinsurance))
        adjustments += [
            Adjustment("CO", "45", billed - allowed, None, 2, *_decided("CO", "45", billed - allowed)),
            Adjustment("PR", "2", coinsurance, None, 2, *_decided("PR", "2", coinsurance)),
        ]
    return lines, adjustments


def _decided(group: str, carc: str, amount: Decimal) -> tuple:
    decision = codebook().decide(group, carc, amount, [])
    return decision.route, decision.opens_case


def _filing(kind: PayerKind) -> str:
    return {PayerKind.MEDICARE: "MB", PayerKind.MEDICARE_ADVANTAGE: "16", PayerKind.MEDICAID: "MC",
            PayerKind.ERISA: "12", PayerKind.COMMERCIAL: "CI"}.get(kind, "ZZ")


def _diagnoses(rng: random.Random) -> list[str]:
    pool = ("M54.50", "M25.561", "I10", "E11.9", "J06.9", "Z00.00", "M17.11", "R07.9", "F41.1")
    return rng.sample(pool, k=rng.randint(1, 3))


def _history(case: Case, created: datetime, today: date) -> list[Activity]:
    """What a month of work on this case would have logged."""
    entries = [Activity(created, "import", "imported", "Imported from remittance demo ERA")]
    if case.status is not Status.NEW:
        when = min(created + timedelta(days=1), datetime.combine(today, datetime.min.time()))
        entries.append(Activity(when, case.assignee, "edit", f"Status: New -> {case.status.label}"))
    return entries
