"""Paper intake: a scanned EOB or payer letter read into a proposal, then, once the biller has
confirmed it, a new case (as File > New case makes one) or an addition to the case it matches."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.changes import Changes
from workstation.core.dates import parse_date
from workstation.core.deadlines import Outcome
from workstation.core.errors import UserError
from workstation.core.model import claim_identity
from workstation.core.payer_kinds import kind_from_name
from workstation.core.scan import FIELD_LABELS, ScanProposal
from workstation.core.vocabulary import EvidenceKind, PayerKind
from workstation.documents.evidence_files import check_document, media_type_of
from workstation.documents.scan_ocr import DEFAULT_CLEANUP, Cleanup
from workstation.documents.scan_pages import read_scan
from workstation.intake.scan_proposal import THRESHOLD, propose
from workstation.ops.cases import ManualCase, check_manual_case, new_manual_case
from workstation.ops.evidence import MAX_TITLE_CHARS, attach_one, attachment_limit, title_from_file_name
from workstation.ops.letters import letter_setting
from workstation.ops.tracking import record_decision

#: (pages done, pages in all, the file being read) after each page.
ScanProgress = Callable[[int, int, str], None]


def scan_files(paths: list[Path], *, progress: ScanProgress | None = None, cancelled: Callable[[], bool] | None = None,
               cleanup: Cleanup = DEFAULT_CLEANUP, threshold: float = THRESHOLD) -> ScanProposal:
    """Read every file's pages and propose the fields; refused with a sentence when no page could be read."""
    if not paths:
        raise UserError("Choose the scanned EOB or letter to read.")
    pages, notes, names = [], [], []
    for path in paths:
        read = read_scan(Path(path), cleanup=cleanup, cancelled=cancelled,
                         progress=(lambda done, total, name=Path(path).name: progress(done, total, name))
                         if progress else None)
        offset = len(pages)
        pages.extend(_renumbered(read.pages, offset))
        notes.extend(read.notes)
        names.append(read.name)
        if read.cancelled:
            raise ScanCancelled("The scan was cancelled; nothing was written.")
    proposal = propose(pages, names, threshold=threshold)
    proposal.notes[:0] = notes
    if not any(not p.problem for p in pages):
        raise UserError(" ".join(notes) + " Nothing was proposed or written." if notes else
                        "No page of the scan could be read; nothing was written.")
    return proposal


def split_scans(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Files dropped on the window: (scans: PDF, PNG, JPEG, TIFF by their first bytes; the rest, such
    as 835 and CSV remittances)."""
    scans, others = [], []
    for path in paths:
        try:
            with Path(path).open("rb") as handle:
                head = handle.read(16)
            media_type_of(head, Path(path).name)
            scans.append(Path(path))
        except (OSError, UserError):
            others.append(Path(path))
    return scans, others


class ScanCancelled(UserError):
    """The biller stopped the scan before it finished."""


def _renumbered(pages: list, offset: int) -> list:
    return [replace(page, number=page.number + offset) for page in pages] if offset else pages


# -- confirming: the biller's corrections over the proposal ---------------------------------------

@dataclass(frozen=True)
class Confirmed:
    """The values the biller confirmed: the proposal's, with each correction typed over it."""

    values: dict[str, str]

    def get(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def listed(self, name: str) -> list[str]:
        return [part.strip() for part in re.split(r"[,;]", self.get(name)) if part.strip()]


def confirm(proposal: ScanProposal, corrections: dict[str, str]) -> Confirmed:
    """The proposal's values with the corrections over them; a field name we do not know is refused."""
    unknown = [name for name in corrections if name not in FIELD_LABELS and name != "payer_kind"]
    if unknown:
        raise UserError(f"--field {unknown[0]} is not a field of a scan; use one of {', '.join(FIELD_LABELS)} "
                        "or payer_kind.")
    values = {name: found.value for name, found in proposal.fields.items()}
    values.update({name: value.strip() for name, value in corrections.items()})
    return Confirmed(values)


def manual_case_of(confirmed: Confirmed) -> ManualCase:
    """The hand-typed case (File > New case) the confirmed values make; what is missing or cannot be
    read is refused with a sentence naming the field and how to give it."""
    last, _, first = confirmed.get("patient_name").partition(",")
    procedures, services = confirmed.listed("procedure_codes"), confirmed.listed("service_dates")
    billed = _money(confirmed, "billed")
    denied = _money(confirmed, "denied")
    reasons = _reasons_with_amounts(confirmed.listed("reason_codes"), denied)
    group, carc = reasons[0][0] if reasons else ("CO", "")
    payer = confirmed.get("payer_name")
    return ManualCase(
        patient_last=last.strip(), patient_first=first.strip(), payer_name=payer,
        payer_kind=_payer_kind(confirmed.get("payer_kind"), payer), procedure_code=procedures[0] if procedures else "",
        service_date=_day(services[0] if services else "", "service_dates"), billed=billed, denied=denied,
        carc=f"{group}-{carc}" if carc else "", group=group, member_id=confirmed.get("member_id"),
        claim_number=confirmed.get("claim_number"), account_number=confirmed.get("account_number"),
        notice_date=_day(confirmed.get("notice_date"), "notice_date", required=False),
        remarks=confirmed.listed("remark_codes"),
        more_reasons=[(f"{g}-{c}", amount) for (g, c), amount in reasons[1:]])


_REASON = re.compile(r"(CO|PR|OA|PI|CR)\s*-?\s*([A-Z]?\d{1,3})(?:\s+\$?\s*([\d,]+\.\d\d))?")


def _reason(text: str) -> tuple[tuple[str, str], Decimal | None]:
    """("CO", "50") and the amount written after it ("CO-50 120.00"), if any."""
    match = _REASON.fullmatch(text.strip().upper())
    if not match:
        raise UserError(f"reason_codes: '{text}' is not a group and reason code; write it as CO-50, with its "
                        "amount after it when the notice cites several (CO-50 120.00, CO-16 30.00).")
    amount = Decimal(match.group(3).replace(",", "")) if match.group(3) else None
    return (match.group(1), match.group(2)), amount


def _reasons_with_amounts(texts: list[str], denied: Decimal) -> list[tuple[tuple[str, str], Decimal]]:
    """Each reason code with what it took. One code takes the whole denied amount; of several, at
    most one may go without its amount (it takes what the others leave), since a letter states
    what each code took and a guessed split would be a wrong value."""
    read = [_reason(text) for text in texts]
    unknown = [code for code, amount in read if amount is None]
    if len(read) > 1 and len(unknown) > 1:
        codes = ", ".join(f"{g}-{c}" for g, c in unknown)
        raise UserError(f"The notice cites {codes} without their amounts; give each code's amount as the notice "
                        "shows it, for example reason_codes=CO-50 120.00, CO-16 30.00.")
    given = sum((amount for _code, amount in read if amount is not None), Decimal("0.00"))
    if not unknown and read and given != denied:
        raise UserError(f"The reason codes' amounts add up to {given:.2f}, but the denied amount is {denied:.2f}; "
                        "correct one of them.")
    rest = denied - given
    return [(code, amount if amount is not None else rest) for code, amount in read]


def _money(confirmed: Confirmed, name: str, *, required: bool = True) -> Decimal | None:
    text = confirmed.get(name).replace("$", "").replace(",", "")
    if not text:
        if required:
            raise UserError(f"The scan gave no {FIELD_LABELS[name].lower()} amount; give it with "
                            f"--field {name}=AMOUNT.")
        return None
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise UserError(f"{name}: '{confirmed.get(name)}' is not an amount; write it as 125.00.") from None


def _day(text: str, name: str, *, required: bool = True) -> date | None:
    if not text:
        if required:
            raise UserError(f"The scan gave no date of service; give it with --field {name}=YYYY-MM-DD.")
        return None
    try:
        return parse_date(text)
    except UserError:
        raise UserError(f"{name}: '{text}' is not a date; write it as YYYY-MM-DD or MM/DD/YYYY.") from None


def _payer_kind(text: str, payer: str) -> PayerKind:
    if text:
        try:
            return PayerKind(text.strip().lower())
        except ValueError:
            raise UserError(f"payer_kind: '{text}' is not a payer kind; use one of "
                            f"{', '.join(k.value for k in PayerKind)}.") from None
    return kind_from_name(payer) or PayerKind.COMMERCIAL


# -- a case from the scan, or the scan added to the case it matches --------------------------------

def matching_cases(workspace: Workspace, confirmed: Confirmed) -> list[Path]:
    """Cases with the scan's claim identity (payer, account number, first date of service), or its
    payer claim number."""
    services = sorted(confirmed.listed("service_dates"))
    first = _day(services[0], "service_dates", required=False) if services else None
    account, payer = confirmed.get("account_number").upper(), confirmed.get("payer_name").casefold()
    identity = claim_identity("", payer, account, first).split("|", 1)[1] if account and first else ""
    claim = re.sub(r"[\s-]", "", confirmed.get("claim_number")).upper()
    workspace.index.rescan()
    found: list[Path] = []
    for row in workspace.index.rows():
        same_claim = bool(claim) and re.sub(r"[\s-]", "", row.claim_number).upper() == claim
        same_identity = bool(identity) and row.claim_key.endswith(f"|{identity}") and (
            row.payer.casefold() == payer or row.claim_key.startswith(payer.upper()))
        if same_claim or same_identity:
            found.append(row.path)
    return found


@dataclass(frozen=True)
class ScanOutcome:
    path: Path
    changes: Changes
    sentence: str  # what was done, for the biller
    created: bool


def create_case_from_scan(workspace: Workspace, proposal: ScanProposal, corrections: dict[str, str], *,
                          actor: str, scans: list[Path]) -> ScanOutcome:
    """File > New case from scan, confirmed: the case as File > New case writes it, the scan stored in
    it as evidence, and the codes and deadline a hand-typed case cannot hold in a note."""
    confirmed = confirm(proposal, corrections)
    entry = manual_case_of(confirmed)
    check_manual_case(entry)
    for scan in scans:
        check_document(Path(scan))  # before anything is written: the scan must go into the case whole
    path = new_manual_case(workspace, entry, actor=actor)
    with CaseFile.open(path) as case_file:
        _store_scans(case_file, scans, proposal.kind, actor)
        if note := _scan_note(confirmed):
            case_file.add_note(note, actor=actor)
    workspace.index.refresh(path)
    return ScanOutcome(path, Changes(case_path=path, worklist=True, activity=True, notes=True),
                       f"Created {path.name} from the scan, with the scan stored in it as {_kind_words(proposal)}.",
                       True)


def add_scan_to_case(case_path: Path, proposal: ScanProposal, corrections: dict[str, str], *, actor: str,
                     scans: list[Path], record_decision_too: bool = False,
                     workspace: Workspace | None = None) -> ScanOutcome:
    """The scan stored in the case it matches; a decision letter for an appeal sent records its
    decision (the outcome and the notice's date) when the biller confirms it."""
    confirmed = confirm(proposal, corrections)
    outcome = confirmed.get("decision")
    if record_decision_too and not outcome:
        raise UserError("The scan states no decision (won, partially_won, lost or dismissed); give it with "
                        "--field decision=lost, or add the scan without recording one.")
    for scan in scans:
        check_document(Path(scan))
    with CaseFile.open(Path(case_path)) as case_file:
        if record_decision_too:
            return _record_decision(case_file, confirmed, scans, actor, workspace)
        _store_scans(case_file, scans, proposal.kind, actor)
    if workspace is not None:
        workspace.index.refresh(Path(case_path))
    return ScanOutcome(Path(case_path), Changes(case_path=Path(case_path), worklist=True, activity=True),
                       f"Added the scan to {Path(case_path).name} as {_kind_words(proposal)}.", False)


def _store_scans(case_file: CaseFile, scans: list[Path], kind: str, actor: str) -> None:
    title = "Decision letter (scanned)" if kind == EvidenceKind.DECISION_LETTER.value else "Remittance (scanned)"
    for scan in scans:
        attach_one(case_file, Path(scan), actor=actor, kind=EvidenceKind(kind),
                   title=f"{title}: {title_from_file_name(Path(scan))}"[:MAX_TITLE_CHARS], document_date=None,
                   limit=attachment_limit(case_file.path))


def _scan_note(confirmed: Confirmed) -> str:
    """What the scan says that a case typed by hand has no place for: further
    procedures, the deadline the notice states."""
    parts = []
    if extra := confirmed.listed("procedure_codes")[1:]:
        parts.append(f"further procedures {', '.join(extra)}")
    if deadline := confirmed.get("appeal_deadline"):
        parts.append(f"the notice states an appeal deadline: {deadline}"
                     f"{' from its date' if deadline.endswith('days') else ''}")
    return f"From the scan: {'; '.join(parts)}." if parts else ""


def _kind_words(proposal: ScanProposal) -> str:
    return "a decision letter" if proposal.kind == EvidenceKind.DECISION_LETTER.value else "a remittance"


def _record_decision(case_file: CaseFile, confirmed: Confirmed, scans: list[Path], actor: str,
                     workspace: Workspace | None) -> ScanOutcome:
    """The decision the letter states, dated by its notice date, with the first scan as its letter
    (tracking.record_decision: refused with a sentence when nothing was sent at the level)."""
    try:
        outcome = Outcome(confirmed.get("decision"))
    except ValueError:
        raise UserError(f"decision: '{confirmed.get('decision')}' is not an outcome; use won, partially_won, lost "
                        "or dismissed.") from None
    decided = _day(confirmed.get("notice_date"), "notice_date")
    case = case_file.load()
    ladder = letter_setting(case_file.path, case, workspace=workspace).ladder
    result = record_decision(case_file, ladder, decided=decided, outcome=outcome, actor=actor, letter=Path(scans[0]))
    for scan in scans[1:]:
        _store_scans(case_file, [scan], EvidenceKind.DECISION_LETTER.value, actor)
    if workspace is not None:
        workspace.index.refresh(case_file.path)
    words = outcome.value.replace("_", " ")
    return ScanOutcome(case_file.path, replace(result.changes, case_path=case_file.path, worklist=True),
                       f"Recorded the decision ({words}, {decided.isoformat()}) in {case_file.path.name}, with the "
                       "scan as its decision letter.", False)
