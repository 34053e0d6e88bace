"""Six months of the demo practice's past (issue 13, point 7), so every chart of the report has
something true to show.

Each payer sends a remittance twice a month: mostly paid claims (the contractual write-down, the
patient's share and, from Medicare and the Medicare Advantage plan, 2% sequestration) and now and
then a denial, across reasons, payers, procedures with modifiers and rendering providers. Each
denial is then worked the way a biller works it, through the same operations the window uses: a
letter dated the day it went out, the sending, the payer's decision (won, partly won, lost), a
loss taken to the next level, a write-off with its reason, a corrected claim paid on a later
remittance. Three denials keep coming back (the prevention list shows them); the practice
answered one of them with a change a month ago, and it has come back less since.

Deterministic for a given `today`: the same day gives the same remittances and the same work.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.deadlines import Outcome
from workstation.core.errors import UserError
from workstation.core.patterns import PatternKey
from workstation.core.summary import CaseSummary
from workstation.core.vocabulary import Status
from workstation.intake.synthetic_835 import SyntheticAdjustment, SyntheticClaim, SyntheticLine, cents
from workstation.ops.bulk import write_off_small_balances
from workstation.ops.demo_letters import demo_fields
from workstation.ops.demo_world import (
    ACTOR,
    DEMO_PAYERS,
    DEMO_SEED,
    JORDAN,
    MORGAN,
    PROVIDERS,
    RILEY,
    ROBIN,
    USERS,
    patient,
    write_remittance,
)
from workstation.ops.import_remittance import import_remittances
from workstation.ops.letters import draft_letter, letter_setting, save_letter
from workstation.ops.report import adopt_pattern
from workstation.ops.tracking import escalate, record_decision, record_submission

HISTORY_SEED = DEMO_SEED + 13
SLOTS = 12  # two remittances a month from each payer: six months
PAID_PER_REMITTANCE = (12, 16)
MAC, SUNRISE, LAKESHORE, ACME, BLUEBIRD = range(5)  # DEMO_PAYERS, in order

# A fictional charge per unit of each procedure the practice bills.
FEES = {"99203": "210.00", "99204": "310.00", "99213": "128.00", "99214": "185.00", "99215": "260.00",
        "93000": "62.00", "20610": "210.00", "36415": "15.00", "80053": "48.00", "81002": "18.00",
        "97110": "72.50", "97140": "95.00", "97530": "120.00", "72148": "1240.00", "73721": "980.00",
        "G0439": "175.00", "90837": "220.00"}
# What each payer allows of the charge (the rest is the contractual CO-45).
ALLOWED = (Decimal("0.62"), Decimal("0.66"), Decimal("0.52"), Decimal("0.78"), Decimal("0.74"))
SEQUESTERED = (MAC, SUNRISE)
# Paid visits: procedure specs ("code-modifier*units") and who rendered them.
VISITS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("99213",), MORGAN), (("99214",), MORGAN), (("99213",), JORDAN), (("99214",), ROBIN), (("99203",), JORDAN),
    (("99214", "93000"), MORGAN), (("99214-25", "20610"), ROBIN), (("99213", "36415", "80053"), JORDAN),
    (("97110-GP*2", "97140-GP"), RILEY), (("97110-GP*2", "97530-GP"), RILEY), (("97110-GP*3",), RILEY),
    (("99215",), ROBIN), (("72148",), MORGAN), (("99213",), ROBIN), (("97110-GP*2",), RILEY),
)
MEDICARE_VISITS = ((("G0439",), JORDAN),)


@dataclass(frozen=True)
class Past:
    """One denial of the history and what became of it (`fate`, see _FATES)."""

    slot: int  # which remittance of the payer: 0 is the latest, 11 six months ago
    payer: int
    code: str  # "CO-197"; "CO-253" is a payment cut by twice the sequestration rate
    lines: tuple[str, ...]  # the lines denied (or, for CO-253, paid with the cut)
    fate: str
    provider: int = MORGAN
    remark: str = ""
    paid_lines: tuple[str, ...] = ()  # paid lines on the same claim: a denial in part
    note: str = ""  # the write-off's reason, or why the case was closed


_BUNDLED = "Manual therapy billed with the exercise of the same visit: resent with modifier 59 and the note."
PAST: tuple[Past, ...] = (
    # Bluebird keeps denying lumbar MRIs for want of a prior authorization: on the prevention list.
    Past(0, BLUEBIRD, "CO-197", ("72148",), "new"),
    Past(2, BLUEBIRD, "CO-197", ("72148",), "waiting"),
    Past(4, BLUEBIRD, "CO-197", ("72148",), "won"),
    Past(7, BLUEBIRD, "CO-197", ("72148",), "won"),
    Past(10, BLUEBIRD, "CO-197", ("72148",), "lost_off",
         note="Lost: no authorization was asked for and Bluebird grants none after the service."),
    # Medicare bundles manual therapy into the exercise billed the same day: on the prevention list.
    Past(0, MAC, "CO-97", ("97140-GP",), "new", RILEY, "M15", ("97110-GP*2",)),
    Past(2, MAC, "CO-97", ("97140-GP",), "corrected_wait", RILEY, "M15", ("97110-GP*2",), _BUNDLED),
    Past(4, MAC, "CO-97", ("97140-GP",), "corrected_paid", RILEY, "M15", ("97110-GP*2",), _BUNDLED),
    Past(8, MAC, "CO-97", ("97140-GP",), "corrected_paid", RILEY, "M15", ("97110-GP*3",), _BUNDLED),
    # Sunrise asks for the visit note with level-4 visits: the change adopted a month ago.
    Past(2, SUNRISE, "CO-16", ("99214",), "corrected_paid", ROBIN, "M127"),
    Past(2, SUNRISE, "CO-16", ("99214",), "corrected_wait", MORGAN, "M127"),
    Past(3, SUNRISE, "CO-16", ("99214",), "corrected_paid", MORGAN, "M127"),
    Past(3, SUNRISE, "CO-16", ("99214",), "corrected_paid", ROBIN, "M127"),
    Past(6, SUNRISE, "CO-16", ("99214",), "corrected_paid", ROBIN, "M127"),
    # The rest of the half year, newest first.
    Past(3, ACME, "CO-151", ("97530-GP",), "waiting", RILEY),
    Past(3, BLUEBIRD, "CO-29", ("99213",), "won", JORDAN),
    Past(4, MAC, "CO-119", ("G0439",), "off", JORDAN,
         note="Wellness visit within 12 months of the last one: not payable, and the patient had signed no notice."),
    Past(5, BLUEBIRD, "CO-50", ("99214",), "won", ROBIN, "N115"),
    Past(5, MAC, "CO-50", ("99214",), "partly_open", ROBIN, "N115"),  # level 2 is open to it
    Past(5, LAKESHORE, "CO-27", ("99213",), "won", JORDAN),
    Past(5, MAC, "CO-253", ("99214", "93000"), "inquiry_wait", MORGAN),
    Past(5, ACME, "CO-50", ("97110-GP*2",), "waiting", RILEY, "N115"),
    Past(5, SUNRISE, "CO-151", ("97110-GP*2",), "waiting", RILEY),
    Past(6, MAC, "CO-50", ("97110-GP*2",), "lost_l2_wait", RILEY, "N115"),
    Past(6, BLUEBIRD, "CO-96", ("97140-GP",), "partly_off", RILEY, "N130",
         note="Partly paid on appeal; the rest is outside the plan's therapy benefit: accepted."),
    Past(6, LAKESHORE, "CO-29", ("99214",), "off", ROBIN,
         note="Sent after the plan's filing limit and no proof of an earlier sending was found."),
    Past(6, ACME, "CO-4", ("99214-25",), "corrected_paid", ROBIN,
         note="Modifier 25 was on a visit with no procedure that day: resent without it."),
    Past(6, SUNRISE, "CO-27", ("99213",), "won", JORDAN),
    Past(7, ACME, "CO-198", ("73721",), "won", MORGAN, "N54"),
    Past(7, LAKESHORE, "CO-22", ("80053",), "closed", JORDAN, "MA04",
         note="Billed the primary plan the patient named at the next visit; closed here."),
    Past(7, SUNRISE, "CO-151", ("97530-GP",), "lost_off", RILEY,
         note="Lost: the visits were over the plan's limit and the note shows no change that needed more."),
    Past(7, MAC, "CO-4", ("99214-25",), "corrected_paid", ROBIN,
         note="Modifier 25 did not fit a visit with no other service: resent without it."),
    Past(7, BLUEBIRD, "CO-16", ("93000",), "corrected_paid", MORGAN, "N290",
         note="The rendering provider's NPI was missing: resent with it."),
    Past(7, LAKESHORE, "CO-197", ("73721",), "lost_off", MORGAN,
         note="Lost: the authorization was asked for after the scan; Medicaid patients may not be billed."),
    Past(8, MAC, "CO-50", ("20610",), "lost_l2_won", MORGAN),
    Past(8, ACME, "CO-170", ("90837",), "off", JORDAN,
         note="The plan does not credential nurse practitioners for psychotherapy; scheduling was told."),
    Past(8, BLUEBIRD, "CO-18", ("99213",), "closed", ROBIN,
         note="Bluebird confirmed the first claim was paid: this one was a duplicate."),
    Past(8, SUNRISE, "CO-197", ("73721",), "won", MORGAN),
    Past(8, LAKESHORE, "CO-16", ("99213",), "corrected_paid", JORDAN, "N290",
         note="The rendering provider's NPI was missing: resent with it."),
    Past(8, MAC, "CO-29", ("99214",), "won", ROBIN),
    Past(9, LAKESHORE, "CO-119", ("97110-GP*2",), "review", RILEY),
    Past(9, ACME, "CO-27", ("99203",), "lost_off", JORDAN,
         note="Lost: coverage had ended before the visit; the patient qualified for the hardship policy."),
    Past(9, BLUEBIRD, "PR-204", ("97530-GP",), "closed", RILEY, "N130",
         note="Billed the patient under the signed notice of non-coverage."),
    Past(9, SUNRISE, "CO-50", ("93000",), "partly_off", MORGAN, "N115",
         note="Partly paid on appeal; the rest is not worth a second level."),
    Past(9, MAC, "CO-185", ("99213",), "won", JORDAN),
    Past(9, ACME, "CO-97", ("97140-GP",), "corrected_paid", RILEY, "M15", ("97110-GP*2",), _BUNDLED),
    Past(9, LAKESHORE, "CO-18", ("99214",), "closed", ROBIN,
         note="The plan confirmed the first claim was paid: this one was a duplicate."),
    Past(10, MAC, "CO-16", ("93000",), "corrected_paid", ROBIN, "N290",
         note="The rendering provider's NPI was missing: resent with it."),
    Past(10, ACME, "CO-11", ("81002",), "off", JORDAN, note="Under the $25 small-balance limit."),
    Past(10, LAKESHORE, "CO-96", ("97140-GP",), "lost_off", RILEY, "N130",
         note="Lost: not a covered service for this plan; Medicaid patients may not be billed."),
    Past(10, SUNRISE, "CO-109", ("99214",), "closed", ROBIN,
         note="The patient had moved to another plan: billed that plan; closed here."),
    Past(10, BLUEBIRD, "CO-50", ("97110-GP*2",), "partly_off", RILEY, "N115",
         note="Partly paid on appeal; the plan paid the visits its policy allows: accepted."),
    Past(10, MAC, "CO-50", ("93000",), "lost_off", MORGAN, "N115",
         note="Lost: the ECG was a screening test, with no symptom on the note."),
    Past(11, MAC, "CO-151", ("97110-GP*3",), "won", RILEY),
    Past(11, ACME, "CO-50", ("99215",), "partly_off", ROBIN, "N115",
         note="Partly paid on appeal at a lower visit level: accepted."),
    Past(11, LAKESHORE, "CO-31", ("99213",), "corrected_paid", JORDAN,
         note="The member ID had a digit wrong: resent with the one on the card."),
    Past(11, BLUEBIRD, "CO-50", ("20610",), "won", MORGAN),
    Past(11, SUNRISE, "CO-170", ("90837",), "evidence", JORDAN),
    Past(11, MAC, "CO-16", ("99213",), "corrected_paid", JORDAN, "N290",
         note="The rendering provider's NPI was missing: resent with it."),
    Past(11, SUNRISE, "CO-4", ("20610-RT",), "corrected_paid", MORGAN,
         note="The knee injection needed RT, not LT: resent with the right side."),
    Past(11, ACME, "CO-27", ("99213",), "won", JORDAN),
)

#: The change the practice adopted a month before `today` against the Sunrise pattern.
ADOPTED = ("CO-16", "99214", "",
           "Sunrise asks for the visit note with level-4 visits: the coder attaches it before the claim goes out.")
ADOPTED_DAYS_AGO = 30


@dataclass
class History:
    """The denials the history's remittances carry, by account number."""

    denials: dict[str, tuple[Past, int, SyntheticClaim]]  # account -> (plan, payer index, claim)

    def claims(self) -> dict[str, tuple[int, SyntheticClaim]]:
        return {account: (payer, claim) for account, (_past, payer, claim) in self.denials.items()}


def write_history(today: date, folder: Path) -> History:
    """The history's remittances, written into `folder` beside the month of work's."""
    rng = random.Random(HISTORY_SEED)
    counter = iter(range(10**6))
    denials: dict[str, tuple[Past, int, SyntheticClaim]] = {}
    for slot in range(SLOTS):
        for payer, (entry, indicator) in enumerate(DEMO_PAYERS):
            produced = today - timedelta(days=5 + 15 * slot + 2 * payer + rng.randint(0, 2))
            claims = [_paid(rng, next(counter), payer, indicator, produced)
                      for _ in range(rng.randint(*PAID_PER_REMITTANCE))]
            for past in (p for p in PAST if p.slot == slot and p.payer == payer):
                claim = _denied(rng, next(counter), past, indicator, produced)
                denials[claim.account_number] = (past, payer, claim)
                claims.append(claim)
            rng.shuffle(claims)
            write_remittance(_free(folder / f"era-{entry.payer_ids[0]}-{produced:%Y%m%d}.835"), entry, claims,
                             produced, rng)
    return History(denials)


def _free(path: Path) -> Path:
    """`path`, or a numbered name beside it when a file of that name was written already."""
    candidate, number = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        number += 1
    return candidate


# -- claims ------------------------------------------------------------------------------------


def _line(spec: str, day: date) -> SyntheticLine:
    """A billed line from "97110-GP*2": procedure, modifiers, units."""
    code, _star, units = spec.partition("*")
    procedure, *modifiers = code.split("-")
    count = Decimal(units or "1")
    return SyntheticLine(procedure, Decimal(FEES[procedure]) * count, Decimal("0"), day, tuple(modifiers), count)


def _adjudicate(rng: random.Random, line: SyntheticLine, payer: int, first: bool, *, cut: Decimal) -> SyntheticLine:
    """Pay a line as the payer does: CO-45 to the allowed amount, the patient's share, CO-253 at `cut`."""
    allowed = cents(line.billed * (ALLOWED[payer] + Decimal(rng.randint(-3, 3)) / 100))
    share, group = _patient_share(rng, allowed, payer, first)
    if cut and int((allowed - share) * 100) % 50 == 25:
        allowed -= Decimal("0.01")  # keep the cut off an exact half cent, so every rounding rule agrees
    co253 = cents((allowed - share) * cut)
    adjustments = [SyntheticAdjustment("CO", "45", line.billed - allowed)]
    if co253:
        adjustments.append(SyntheticAdjustment("CO", "253", co253))
    if share:
        adjustments.append(SyntheticAdjustment("PR", group, share))
    return replace(line, paid=allowed - share - co253, allowed=allowed, adjustments=tuple(adjustments))


def _patient_share(rng: random.Random, allowed: Decimal, payer: int, first: bool) -> tuple[Decimal, str]:
    """Coinsurance (PR-2) at Medicare, a copay (PR-3) or now and then a deductible (PR-1) elsewhere."""
    if payer == MAC:
        return cents(allowed * Decimal("0.20")), "2"
    if payer == LAKESHORE or not first:
        return Decimal("0"), ""
    if payer != SUNRISE and rng.random() < 0.2:
        return min(Decimal("50.00"), cents(allowed / 2)), "1"
    return min(Decimal("20.00") if payer == SUNRISE else Decimal("25.00"), cents(allowed / 2)), "3"


def _claim(rng: random.Random, number: int, lines: list[SyntheticLine], status: str, indicator: str,
           provider: int, remarks: tuple[str, ...] = ()) -> SyntheticClaim:
    last, first, member = patient(rng)
    who = PROVIDERS[provider]
    return SyntheticClaim(f"RB{200000 + number * 7}", status, last, first, member,
                          f"DEMO{rng.randrange(10**11, 10**12)}", tuple(lines), filing_indicator=indicator,
                          claim_remarks=remarks, rendering_npi=who.npi, rendering_last=who.last,
                          rendering_first=who.first)


def _cut(payer: int) -> Decimal:
    return Decimal("0.02") if payer in SEQUESTERED else Decimal("0")


def _paid(rng: random.Random, number: int, payer: int, indicator: str, produced: date) -> SyntheticClaim:
    """A visit paid as billed under the contract."""
    visits = VISITS + (MEDICARE_VISITS if payer in SEQUESTERED else ())
    specs, provider = visits[rng.randrange(len(visits))]
    day = produced - timedelta(days=rng.randint(10, 35))
    lines = [_adjudicate(rng, _line(spec, day), payer, n == 0, cut=_cut(payer)) for n, spec in enumerate(specs)]
    return _claim(rng, number, lines, "1", indicator, provider)


def _denied(rng: random.Random, number: int, past: Past, indicator: str, produced: date) -> SyntheticClaim:
    """The claim of a planned denial: denied in full, in part, or paid with too much sequestration."""
    day = produced - timedelta(days=rng.randint(10, 35))
    group, carc = past.code.split("-")
    if carc == "253":  # twice the rate: the payment inquiry the import opens
        lines = [_adjudicate(rng, _line(spec, day), past.payer, n == 0, cut=Decimal("0.04"))
                 for n, spec in enumerate(past.lines)]
        return _claim(rng, number, lines, "1", indicator, past.provider)
    paid = [_adjudicate(rng, _line(spec, day), past.payer, n == 0, cut=_cut(past.payer))
            for n, spec in enumerate(past.paid_lines)]
    denied = [replace(line, adjustments=(SyntheticAdjustment(group, carc, line.billed),),
                      remarks=(past.remark,) if past.remark else ())
              for line in (_line(spec, day) for spec in past.lines)]
    return _claim(rng, number, paid + denied, "1" if paid else "4", indicator, past.provider)


# -- the work ----------------------------------------------------------------------------------


@dataclass
class _Desk:
    """What working the history's cases needs at hand."""

    workspace: Workspace
    history: History
    today: date
    rng: random.Random
    payments: dict[tuple[int, date], list[str]] = field(default_factory=dict)  # corrected claims paid later
    to_close: list[tuple[str, str]] = field(default_factory=list)  # (account, actor): closed once paid

    def happened(self, day: date) -> bool:
        """Whether a step dated `day` has happened by today."""
        return day < self.today


def work_history(workspace: Workspace, history: History, today: date, folder: Path) -> None:
    """Work each history case as a biller would have; import the payments of corrected claims;
    adopt the change against the Sunrise pattern."""
    desk = _Desk(workspace, history, today, random.Random(HISTORY_SEED + 1))
    rows = {r.account_number: r for r in workspace.index.rows() if not r.problem}
    for number, account in enumerate(sorted(history.denials)):
        past = history.denials[account][0]
        row = rows[account]
        _FATES[past.fate](desk, row, past, USERS[number % len(USERS)].login)
        workspace.index.refresh(row.path)
    _pay_corrected_claims(desk, folder)
    key = PatternKey(DEMO_PAYERS[SUNRISE][0].name.upper(), *ADOPTED[:3])
    adopt_pattern(workspace, key, on=today - timedelta(days=ADOPTED_DAYS_AGO), note=ADOPTED[3], actor="dana")


def _letter(desk: _Desk, case_file: CaseFile, day: date, actor: str) -> None:
    """The letter the biller saved, dated the day it went out (none when no letter fits the route)."""
    case = case_file.load()
    fields = demo_fields(case)
    try:
        draft = draft_letter(case, letter_setting(case_file.path, case, today=day, workspace=desk.workspace),
                             fields=fields, today=day)
    except UserError:
        return
    if not draft.missing and not draft.contradictions:
        save_letter(case_file, draft, markup=draft.markup, fields=fields, actor=actor)


def _send(desk: _Desk, case_file: CaseFile, day: date, actor: str) -> bool:
    """The letter and the sending on `day`; False when that day has not come yet."""
    if not desk.happened(day):
        return False
    _letter(desk, case_file, day, actor)
    record_submission(case_file, sent=day, method=desk.rng.choice(("fax", "portal", "mail")), actor=actor,
                      tracking=f"DEMO-{desk.rng.randrange(10**5, 10**6)}", today=desk.today)
    return True


def _decide(desk: _Desk, case_file: CaseFile, day: date, outcome: Outcome, share: Decimal, actor: str, *,
            then_escalate: bool = False) -> bool:
    """The payer's decision on `day`, recovering `share` of what was at stake at the payer's rate;
    False when that day has not come yet."""
    if not desk.happened(day):
        return False
    case = case_file.load()
    recovered = cents(case.amount_at_stake * ALLOWED[_payer_index(case.payer.payer_id)] * share)
    ladder = letter_setting(case_file.path, case, today=day, workspace=desk.workspace).ladder
    result = record_decision(case_file, ladder, decided=day, outcome=outcome, actor=actor, recovered=recovered,
                             reference=f"DEC-{desk.rng.randrange(10**6, 10**7)}", today=desk.today)
    if then_escalate and result.next_level is not None:
        escalate(case_file, result.next_level, actor=actor)
    return True


def _payer_index(payer_id: str) -> int:
    return next(n for n, (entry, _i) in enumerate(DEMO_PAYERS) if payer_id in entry.payer_ids)


_OUTCOMES = {"won": (Outcome.WON, Decimal("1")), "partly_off": (Outcome.PARTIALLY_WON, Decimal("0.5")),
             "partly_open": (Outcome.PARTIALLY_WON, Decimal("0.5"))}


def _appeal(desk: _Desk, row: CaseSummary, past: Past, actor: str) -> None:
    """Sent, decided, and what followed: a write-off, the next level, or nothing more yet."""
    rng, notice = desk.rng, _notice(row)
    sent = notice + timedelta(days=rng.randint(6, 16))
    decided = sent + timedelta(days=rng.randint(24, 45))
    outcome, share = _OUTCOMES.get(past.fate, (Outcome.LOST, Decimal("0")))
    later = past.fate.startswith("lost_l2")
    with CaseFile.open(row.path) as case_file:
        case_file.set_field("case.assignee", actor, actor=actor)
        if not _send(desk, case_file, sent, actor) or past.fate == "waiting" \
                or not _decide(desk, case_file, decided, outcome, share, actor, then_escalate=later):
            return
        if later:  # the next level: sent, and for one of them decided
            again = decided + timedelta(days=rng.randint(12, 24))
            if _send(desk, case_file, again, actor) and past.fate == "lost_l2_won":
                _decide(desk, case_file, again + timedelta(days=rng.randint(30, 50)), Outcome.WON, Decimal("1"),
                        actor)
            return
    if past.note:
        _write_off(desk, row, past.note, actor)


def _notice(row: CaseSummary) -> date:
    if row.notice_date is None:
        raise ValueError(f"the demo's case {row.account_number} has no notice date")
    return row.notice_date


def _write_off(desk: _Desk, row: CaseSummary, reason: str, actor: str) -> None:
    """Written off with the biller's reason, as the worklist's write-off does it."""
    with CaseFile.open(row.path, read_only=True) as case_file:
        at_stake = case_file.load().amount_at_stake
    result = write_off_small_balances(desk.workspace, [row.path], limit=at_stake, reason=reason, actor=actor)
    if result.refusals:
        raise ValueError(f"the demo could not write off {row.account_number}: {result.refusals[0].sentence}")


def _corrected(desk: _Desk, row: CaseSummary, past: Past, actor: str) -> None:
    """A corrected claim sent; for `corrected_paid`, paid on a later remittance (then closed)."""
    rng = desk.rng
    sent = _notice(row) + timedelta(days=rng.randint(3, 9))
    with CaseFile.open(row.path) as case_file:
        case_file.set_field("case.assignee", actor, actor=actor)
        if past.note:
            case_file.add_note(past.note, actor=actor)
        if not _send(desk, case_file, sent, actor) or past.fate != "corrected_paid":
            return
    paid_on = sent + timedelta(days=rng.randint(14, 28))
    if desk.happened(paid_on + timedelta(days=2)):  # its payment date too
        desk.payments.setdefault((_payer_index(row.payer_id), paid_on), []).append(row.account_number)
        desk.to_close.append((row.account_number, actor))


def _status(status: Status) -> Callable[[_Desk, CaseSummary, Past, str], None]:
    """A case moved to `status` (with the note saying why); one still worked gets its letter ready."""
    def work(desk: _Desk, row: CaseSummary, past: Past, actor: str) -> None:
        with CaseFile.open(row.path) as case_file:
            case_file.set_field("case.assignee", actor, actor=actor)
            case_file.set_field("case.status", status, actor=actor)
            if past.note:
                case_file.add_note(past.note, actor=actor)
            if status.is_open:
                _letter(desk, case_file, desk.today, actor)
    return work


def _untouched(desk: _Desk, row: CaseSummary, past: Past, actor: str) -> None:
    """Not looked at yet; the demo has its letter ready, as it has for the month of work's cases."""
    with CaseFile.open(row.path) as case_file:
        _letter(desk, case_file, desk.today, "dana")


def _written_off(desk: _Desk, row: CaseSummary, past: Past, actor: str) -> None:
    with CaseFile.open(row.path) as case_file:
        case_file.set_field("case.assignee", actor, actor=actor)
    _write_off(desk, row, past.note, actor)


def _inquiry(desk: _Desk, row: CaseSummary, past: Past, actor: str) -> None:
    """The payment inquiry sent; the payer has not answered yet."""
    with CaseFile.open(row.path) as case_file:
        case_file.set_field("case.assignee", actor, actor=actor)
        _send(desk, case_file, _notice(row) + timedelta(days=desk.rng.randint(5, 12)), actor)


_FATES: dict[str, Callable[[_Desk, CaseSummary, Past, str], None]] = {
    "new": _untouched, "review": _status(Status.IN_REVIEW), "evidence": _status(Status.GATHERING_EVIDENCE),
    "closed": _status(Status.CLOSED), "off": _written_off, "inquiry_wait": _inquiry,
    "waiting": _appeal, "won": _appeal, "partly_off": _appeal, "partly_open": _appeal, "lost_off": _appeal,
    "lost_l2_wait": _appeal, "lost_l2_won": _appeal, "corrected_wait": _corrected, "corrected_paid": _corrected,
}


def _pay_corrected_claims(desk: _Desk, folder: Path) -> None:
    """One remittance per payer and day paying its corrected claims, imported; each case is then
    closed (the payment is the contracted rate, so the import calls it partly won)."""
    rng = random.Random(HISTORY_SEED + 2)
    paths = []
    for (payer, day), accounts in sorted(desk.payments.items()):
        claims = []
        for account in accounts:
            original = desk.history.denials[account][2]
            denied = [replace(line, adjustments=(), remarks=()) for line in original.lines if line.paid == 0]
            lines = [_adjudicate(rng, line, payer, n == 0, cut=_cut(payer)) for n, line in enumerate(denied)]
            claims.append(replace(original, status="1", payer_claim_number=original.payer_claim_number + "C",
                                  lines=tuple(lines), claim_remarks=(), frequency="7"))
        entry = DEMO_PAYERS[payer][0]
        paths.append(_free(folder / f"era-{entry.payer_ids[0]}-{day:%Y%m%d}-corrected.835"))
        write_remittance(paths[-1], entry, claims, day, rng)
    import_remittances(desk.workspace, paths, actor=ACTOR)
    rows = {r.account_number: r for r in desk.workspace.index.rows() if not r.problem}
    for account, actor in desk.to_close:
        path = rows[account].path
        with CaseFile.open(path) as case_file:
            if case_file.load().status is Status.PARTIALLY_WON:
                case_file.set_field("case.status", Status.CLOSED, actor=actor)
            case_file.add_note("The corrected claim was paid at the contracted rate.", actor=actor)
        desk.workspace.index.refresh(path)
