"""The demo's fictional world: the practice, its payers, billers and providers, the people it
treats, and how one remittance from one payer is written. Shared by the demo's month of work
(ops/demo.py) and its six months of history (ops/demo_history.py). Every name and number is
made up; the NPIs are valid-looking numbers in no registry."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from workstation.core.model import Address
from workstation.core.payer_kinds import default_ladders, with_level_address
from workstation.core.vocabulary import PayerKind
from workstation.core.workspace_model import PayerEntry, PracticeProfile, User
from workstation.intake.synthetic_835 import (
    SyntheticClaim,
    SyntheticPayee,
    SyntheticPayer,
    SyntheticTransaction,
    render_835,
    synthetic_npi,
)

DEMO_SEED = 20260301
ACTOR = "import"

PRACTICE = PracticeProfile(
    name="Riverbend Family Medicine & Physical Therapy (demo)",
    address=Address("123 Example Street", "Suite 4", "Sampleburg", "ZZ", "00010"),
    phone="555-0150", fax="555-0151", npi="1234567893", tin="000000000",
    contact_name="Dana Example", signer_name="Dana Example", signer_title="Billing Manager",
)
PAYEE = SyntheticPayee("RIVERBEND FAMILY MEDICINE & PHYSICAL THERAPY", "1234567893", "000000000",
                       "123 EXAMPLE STREET", "SAMPLEBURG", "ZZ", "00010")
USERS = (User("dana", "Dana Example"), User("lee", "Lee Placeholder"), User("sam", "Sam Sampleton"))

# (directory entry, claim filing indicator the payer sends)
DEMO_PAYERS: tuple[tuple[PayerEntry, str], ...] = (
    (PayerEntry("Demo Medicare Administrative Contractor (Jurisdiction Z)", PayerKind.MEDICARE, ["99901"],
                Address("PO Box 1001", "Attn: Redeterminations", "Exampleton", "ZZ", "00001"), "555-0100",
                "555-0101", "https://portal.example.invalid/mac",
                ladder=with_level_address(default_ladders()[PayerKind.MEDICARE], 2,
                                          "Demo Qualified Independent Contractor (Part B) / PO Box 2002 / "
                                          "Exampleton, ZZ 00001")), "MB"),
    (PayerEntry("Sunrise Medicare Advantage Plan (demo)", PayerKind.MEDICARE_ADVANTAGE, ["99902"],
                Address("200 Sample Parkway", "Appeals Unit", "Mockville", "ZZ", "00002"), "555-0110",
                "555-0111", "https://portal.example.invalid/sunrise", contracted="yes"), "16"),
    (PayerEntry("Lakeshore Medicaid Health Plan (demo)", PayerKind.MEDICAID, ["99903"],
                Address("3 Harbor Example Road", "Provider Disputes", "Lakeshore", "ZZ", "00003"), "555-0120",
                "555-0121"), "MC"),
    (PayerEntry("Acme Widgets & Gadgets Employee Health Plan (demo)", PayerKind.ERISA, ["99904"],
                Address("44 Fictional Avenue", "Claims Appeals", "Widgetown", "ZZ", "00004"), "555-0130",
                "555-0131", contracted="yes"), "12"),
    (PayerEntry("Bluebird Health & Life Insurance (demo)", PayerKind.COMMERCIAL, ["99905"],
                Address("5 Placeholder Plaza, Suite 500", "Appeals Department", "Sampleburg", "ZZ", "00005"),
                "555-0140", "555-0141", "https://portal.example.invalid/bluebird", contracted="no"), "13"),
)

FIRST_NAMES = ("AVERY", "ZOË", "JOSÉ", "BRIELLE", "KAI", "MARISOL", "THÉO", "NADIA", "QUINN", "ROSALIND",
               "ÉMILE", "PRIYA", "DASHIELL", "INÉS", "OSKAR", "WREN")
LAST_NAMES = ("TESTWELL", "SAMPLETON", "O'MOCKLEY", "DÉMOREAU", "FAKENHAM", "D'EXEMPLO", "PLACEHOLDER",
              "NÚÑEZ-PRUEBA", "DUMMINGTON", "MACFICTIVE", "LOREM", "IPSUMOVA", "BYRNE-SAMPLE", "QUINTESSA",
              "VAN DÉMO", "FAUXLEY")


@dataclass(frozen=True)
class Provider:
    """A clinician of the practice, as the remittance names the rendering provider."""

    last: str
    first: str
    npi: str
    title: str


# The practice's clinicians (the payee is the practice itself, NPI 1234567893).
PROVIDERS = (
    Provider("EXAMPLE", "ROBIN", synthetic_npi("123456783"), "MD"),
    Provider("EXEMPLAR", "MORGAN", synthetic_npi("123456780"), "MD"),
    Provider("PROXY", "JORDAN", synthetic_npi("123456781"), "NP"),
    Provider("SIMULA", "RILEY", synthetic_npi("123456782"), "DPT"),
)
ROBIN, MORGAN, JORDAN, RILEY = range(len(PROVIDERS))


def provider_for(procedure: str, number: int) -> Provider:
    """Who renders a procedure: therapy the physical therapist, psychotherapy and wellness visits
    the nurse practitioner, imaging and injections Dr. Exemplar, visits the three in turn."""
    if procedure.startswith("97"):
        return PROVIDERS[RILEY]
    if procedure in ("90837", "G0439"):
        return PROVIDERS[JORDAN]
    if procedure in ("72148", "73721", "20610"):
        return PROVIDERS[MORGAN]
    return PROVIDERS[(ROBIN, MORGAN, JORDAN)[number % 3]]


def patient(rng: random.Random) -> tuple[str, str, str]:
    """A fictional patient: last name, first name, member ID."""
    return rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES), f"ZZ{rng.randrange(10**9):09d}"


def write_remittance(path: Path, entry: PayerEntry, claims: list[SyntheticClaim], produced: date,
                     rng: random.Random) -> None:
    """One 835 file from the payer of `entry`, produced on `produced` and paid two days later."""
    a = entry.address
    payer = SyntheticPayer(entry.name.upper(), entry.payer_ids[0], a.line1.upper(), a.city.upper(), a.state,
                           a.zip, entry.phone.replace("-", ""))
    transaction = SyntheticTransaction(payer, PAYEE, f"EFT{rng.randrange(10**7, 10**8)}",
                                       produced + timedelta(days=2), produced, tuple(claims))
    path.write_text(render_835([transaction], control_number=rng.randrange(1, 10**8)), encoding="utf-8")
