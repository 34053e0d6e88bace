"""`workstation demo DIR`: an obviously fictional workspace that looks like a real practice's denials.

It is built the way a biller's workspace is: generated 835 remittances are imported (the real
import path), what a remittance never carries is filled from a demographics CSV, then work
happens. Six months of history (ops/demo_history.py: remittances twice a month from each payer,
mostly paid claims, and denials worked to their end) give the report something true to show; the
month of work (statuses, assignees, notes, and follow-up remittances that decide some appeals) is
what the worklist is busy with today.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import PayerKind, Status
from workstation.core.workspace_model import PayerEntry
from workstation.intake.synthetic_835 import SyntheticAdjustment, SyntheticClaim, SyntheticLine
from workstation.ops.demo_history import work_history, write_history
from workstation.ops.demo_letters import write_demo_letters
from workstation.ops.demo_world import (
    ACTOR,
    DEMO_PAYERS,
    DEMO_SEED,
    PRACTICE,
    USERS,
    patient,
    provider_for,
    write_remittance,
)
from workstation.ops.demographics import fill_demographics
from workstation.ops.import_remittance import import_remittances
from workstation.ops.tracking import record_submission

# (group, CARC, line remark, procedure, charge, modifiers): every reason the demo must show.
DENIALS = (
    ("CO", "50", "N115", "97110", "145.00", ("GP",)), ("CO", "197", "", "72148", "1240.00", ()),
    ("CO", "16", "M127", "99214", "185.00", ()), ("CO", "16", "N290", "93000", "62.00", ()),
    ("CO", "29", "", "99213", "128.00", ()), ("CO", "97", "M15", "20610", "210.00", ()),
    ("CO", "96", "N130", "97140", "95.00", ("GP",)), ("CO", "18", "", "99215", "260.00", ()),
    ("CO", "22", "MA04", "80053", "48.00", ()), ("CO", "27", "", "99204", "310.00", ()),
    ("PR", "204", "N130", "G0439", "175.00", ()), ("CO", "151", "", "97530", "120.00", ("GO",)),
    ("CO", "170", "N290", "90837", "220.00", ()), ("CO", "4", "", "99214", "185.00", ("25",)),
    ("CO", "198", "N54", "73721", "980.00", ()), ("CO", "11", "", "81002", "18.00", ()),
)
DENIALS_PER_PAYER = 10  # 50 cases

# The month of work, one status per case in account-number order; the last entries are decided
# by follow-up remittances (won, partially won, lost).
STATUS_MIX = (
    [Status.NEW] * 14 + [Status.IN_REVIEW] * 8 + [Status.GATHERING_EVIDENCE] * 6 + [Status.READY_TO_SEND] * 4
    + [Status.SUBMITTED] * 5 + [Status.DISMISSED] + [Status.RESUBMITTED] * 2 + [Status.WRITTEN_OFF] * 2
    + [Status.CLOSED] + [Status.WON] * 3 + [Status.PARTIALLY_WON] * 2 + [Status.LOST] * 2
)
DECIDED = {Status.WON: Decimal("1"), Status.PARTIALLY_WON: Decimal("0.5"), Status.LOST: Decimal("0")}
NOTES = ("Called the payer: the denial stands until records arrive; reference number on the call log.",
         "Asked the front desk for the signed ABN.",
         "Chart notes requested from Dr. Example's office.")


def create_demo_workspace(root: Path, *, today: date | None = None) -> Workspace:
    """Write the demo workspace; the same `today` always gives the same cases (ids apart)."""
    today = today or date.today()
    rng = random.Random(DEMO_SEED)
    workspace = Workspace.create(Path(root))
    workspace.set_practice(PRACTICE)
    workspace.set_users(list(USERS))
    for entry, _indicator in DEMO_PAYERS:
        workspace.add_payer(PayerEntry(**vars(entry) | {"id": None}))
    folder = workspace.root / "remittances"
    folder.mkdir()
    claims = _first_remittances(rng, today, folder)
    history = write_history(today, folder)
    import_remittances(workspace, sorted(folder.glob("*.835")), actor=ACTOR)
    _write_demographics(rng, claims | history.claims(), folder / "demographics.csv")
    fill_demographics(workspace, folder / "demographics.csv", actor=ACTOR)
    work_history(workspace, history, today, folder)
    month = [row for row in workspace.index.rows() if not row.problem and row.account_number in claims]
    _a_month_of_work(workspace, month, claims, today, folder)
    write_demo_letters([row.path for row in month], actor="dana", today=today)
    workspace.index.rescan()
    return workspace


def _first_remittances(rng: random.Random, today: date, folder: Path) -> dict[str, tuple[int, SyntheticClaim]]:
    """Two remittances per payer, weeks apart: denials among paid claims."""
    claims: dict[str, tuple[int, SyntheticClaim]] = {}
    number = 0
    for payer_index, (entry, indicator) in enumerate(DEMO_PAYERS):
        for batch in range(2):
            if batch == 0:  # the older one further back payer by payer: the month of work spans a season
                produced = today - timedelta(days=rng.randint(40, 70) + 6 * payer_index)
            else:
                produced = today - timedelta(days=rng.randint(3, 30))
            batch_claims = []
            for _ in range(DENIALS_PER_PAYER // 2):
                claim = _denied_claim(rng, number, produced, indicator)
                claims[claim.account_number] = (payer_index, claim)
                batch_claims.append(claim)
                number += 1
            batch_claims += [_paid_claim(rng, 500 + number * 3 + k, produced, indicator) for k in range(3)]
            rng.shuffle(batch_claims)
            write_remittance(folder / f"era-{entry.payer_ids[0]}-{produced:%Y%m%d}.835", entry, batch_claims,
                             produced, rng)
    return claims


def _denied_claim(rng: random.Random, number: int, produced: date, indicator: str) -> SyntheticClaim:
    group, carc, remark, procedure, charge, modifiers = DENIALS[number % len(DENIALS)]
    served = produced - timedelta(days=rng.randint(14, 40))
    amount = Decimal(charge)
    line = SyntheticLine(procedure, amount, Decimal("0"), served, modifiers,
                         adjustments=(SyntheticAdjustment(group, carc, amount),), remarks=(remark,) if remark else ())
    last, first, member = patient(rng)
    who = provider_for(procedure, number)
    return SyntheticClaim(f"RB{100000 + number * 37}", "4", last, first, member, f"DEMO{rng.randrange(10**11, 10**12)}",
                          (line,), filing_indicator=indicator, rendering_npi=who.npi, rendering_last=who.last,
                          rendering_first=who.first)


def _paid_claim(rng: random.Random, number: int, produced: date, indicator: str) -> SyntheticClaim:
    served = produced - timedelta(days=rng.randint(14, 40))
    billed = Decimal(rng.choice(("128.00", "185.00", "95.00")))
    allowed = (billed * Decimal("0.72")).quantize(Decimal("0.01"))
    coinsurance = (allowed * Decimal("0.20")).quantize(Decimal("0.01"))
    line = SyntheticLine("99213", billed, allowed - coinsurance, served, allowed=allowed, adjustments=(
        SyntheticAdjustment("CO", "45", billed - allowed), SyntheticAdjustment("PR", "2", coinsurance)))
    last, first, member = patient(rng)
    who = provider_for("99213", number)
    return SyntheticClaim(f"RB{100000 + number * 37}", "1", last, first, member,
                          f"DEMO{rng.randrange(10**11, 10**12)}", (line,), filing_indicator=indicator,
                          rendering_npi=who.npi, rendering_last=who.last, rendering_first=who.first)


def _write_demographics(rng: random.Random, claims: dict[str, tuple[int, SyntheticClaim]], path: Path) -> None:
    """What the practice's own system knows: birth dates, group numbers, diagnoses, the PTAN."""
    pool = ("M54.50", "M25.561", "I10", "E11.9", "J06.9", "Z00.00", "M17.11", "R07.9", "F41.1")
    rows = ["account_number,date_of_birth,group_number,diagnosis_codes,ptan"]
    for account, (payer_index, _claim) in sorted(claims.items()):
        born = date(rng.randint(1938, 2015), rng.randint(1, 12), rng.randint(1, 28))
        codes = " ".join(rng.sample(pool, k=rng.randint(1, 3)))
        ptan = "DEMO1234" if DEMO_PAYERS[payer_index][0].kind is PayerKind.MEDICARE else ""
        rows.append(f"{account},{born.isoformat()},GRP-{rng.randint(100, 999)},{codes},{ptan}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _a_month_of_work(workspace: Workspace, month: list[CaseSummary], claims: dict[str, tuple[int, SyntheticClaim]],
                     today: date, folder: Path) -> None:
    """Statuses, assignees and notes; appeals decided by follow-up remittances."""
    rows = sorted(month, key=lambda r: r.account_number)
    statuses = list(STATUS_MIX)
    random.Random(DEMO_SEED + 2).shuffle(statuses)
    decided: list[tuple[CaseSummary, Status]] = []
    for number, (row, status) in enumerate(zip(rows, statuses, strict=False)):
        target = Status.SUBMITTED if status in DECIDED else status
        with CaseFile.open(row.path) as case_file:
            if target is not Status.NEW:
                case_file.set_field("case.assignee", USERS[number % len(USERS)].login, actor="dana")
            if target in (Status.SUBMITTED, Status.RESUBMITTED):  # sent, the way a biller records it
                record_submission(case_file, sent=_sent_on(row, today, number), method="fax",
                                  tracking=f"FAX-{4100 + number}", actor=USERS[number % len(USERS)].login,
                                  today=today)
            elif target is not Status.NEW:
                case_file.set_field("case.status", target, actor=USERS[number % len(USERS)].login)
            if number % 7 == 3:
                case_file.add_note(NOTES[number % len(NOTES)], actor="dana")
        workspace.index.refresh(row.path)
        if status in DECIDED:
            decided.append((row, status))
    _decisions(workspace, claims, decided, today, folder)


def _sent_on(row: CaseSummary, today: date, number: int) -> date:
    """A day in the last weeks, never before the denial arrived (nor after today)."""
    sent = today - timedelta(days=5 + number % 20)
    if row.notice_date is not None:
        sent = max(sent, min(row.notice_date + timedelta(days=2), today))
    return sent


def _decisions(workspace: Workspace, claims: dict[str, tuple[int, SyntheticClaim]],
               decided: list[tuple[CaseSummary, Status]], today: date, folder: Path) -> None:
    """One follow-up remittance per payer that pays (or denies again) the appealed claims."""
    by_payer: dict[int, list[SyntheticClaim]] = {}
    for row, status in decided:
        payer_index, original = claims[row.account_number]
        line = original.lines[0]
        paid = (line.billed * DECIDED[status]).quantize(Decimal("0.01"))
        rest = line.billed - paid
        adjustments = (SyntheticAdjustment("CO", "50", rest),) if rest else ()
        redo = SyntheticLine(line.procedure, line.billed, paid, line.service_date, line.modifiers,
                             adjustments=adjustments)
        by_payer.setdefault(payer_index, []).append(SyntheticClaim(
            original.account_number, "1" if paid else "4", original.patient_last, original.patient_first,
            original.member_id, original.payer_claim_number + "R", (redo,),
            filing_indicator=original.filing_indicator, rendering_npi=original.rendering_npi,
            rendering_last=original.rendering_last, rendering_first=original.rendering_first))
    rng, produced = random.Random(DEMO_SEED + 1), today - timedelta(days=2)
    paths = []
    for payer_index, follow_ups in sorted(by_payer.items()):
        entry = DEMO_PAYERS[payer_index][0]
        paths.append(folder / f"era-{entry.payer_ids[0]}-{produced:%Y%m%d}-decisions.835")
        write_remittance(paths[-1], entry, follow_ups, produced, rng)
    import_remittances(workspace, paths, actor=ACTOR)
