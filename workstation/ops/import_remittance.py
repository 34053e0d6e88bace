"""Import 835 remittances: every denied or actionable claim becomes a case, nothing else does.

One import at a time per workspace (`Workspace.import_lock`): identity checks and case creation
happen under it. A transaction is "already imported" only when the same content was imported
whole before; it counts as imported only when every claim in it was applied, so a retry finishes
the job and never doubles it. Each transaction's new cases appear together or not at all; a later
remittance updates the one case it clearly belongs to, and an ambiguous one updates nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from workstation.casefile.case_file import CaseFile, create_case_files
from workstation.casefile.ledger_store import transaction_rows
from workstation.casefile.workspace import Workspace
from workstation.core.case_from_remittance import (
    Identity,
    SourceFile,
    already_recorded,
    case_from_claim,
    case_payer,
    later_remittance,
    patient_identity,
    remittance_seen,
)
from workstation.core.codebook import CodeBook, Decision, codebook
from workstation.core.errors import UserError
from workstation.core.model import Case, Payer
from workstation.core.money import ZERO
from workstation.core.payer_kinds import default_ladders, guess_payer_kind
from workstation.core.remittance import ClaimPayment, ReadProblem, Transaction
from workstation.core.summary import summarize
from workstation.core.triage import SEQUESTRATION, AdjustmentDecision, ClaimTriage, stake_of, triage_claim
from workstation.core.vocabulary import Route
from workstation.core.workspace_model import PayerEntry
from workstation.intake.csv_denials import read_csv_denials, read_mapping
from workstation.intake.era835 import Era835File
from workstation.intake.x12_segments import X12FileRefused, file_sha256
from workstation.ops.import_summary import AmbiguousClaim, ClaimWithoutCase, ImportSummary, UnbalancedClaim
from workstation.ops.ledger import ensure_backfilled

__all__ = ["directory_entry", "import_remittances", "open_case_by_hand", "payer_of", "read_mapping"]

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Waiting = Callable[[str], None]
_SKIP_COUNTERS = {"reversal": "reversals", "forwarded": "forwarded", "predetermination": "predeterminations"}


def import_into(root: Path, paths: list[Path], *, actor: str, **callbacks: Any) -> ImportSummary:
    """Import into the workspace at `root`, opened here: a worker thread needs its own
    connections (SQLite connections belong to the thread that made them)."""
    with Workspace.open(Path(root), backup=False) as workspace:
        return import_remittances(workspace, paths, actor=actor, **callbacks)


def import_remittances(workspace: Workspace, paths: list[Path], *, actor: str, progress: Progress | None = None,
                       cancelled: Cancelled | None = None, csv_mapping: dict[str, str] | None = None,
                       waiting: Waiting | None = None) -> ImportSummary:
    """Import each file (835, or CSV denials) in turn; a refused file, transaction or claim is reported."""
    workspace.require_writable()
    with workspace.import_lock(waiting=waiting, cancelled=cancelled):
        workspace.index.rescan()  # under the lock: cases another import just made are known
        backfill = ensure_backfilled(workspace)  # a workspace older than the ledger: once, before its first import
        run = _ImportRun(workspace, actor, cancelled or (lambda: False), csv_mapping)
        run.check_unreadable_cases()
        if backfill is not None and backfill.cases:
            run.summary.notes.append(backfill.sentence())
        for done, path in enumerate(paths, start=1):
            if run.cancelled():
                run.summary.cancelled = True
                break
            run.import_file(Path(path))
            if progress:
                progress(done, len(paths))
    return run.summary


@dataclass
class _Match:
    """Which existing case a claim on a remittance belongs to."""

    path: Path | None = None  # the one case it clearly belongs to
    recorded: bool = False  # that case already has this very payment
    ambiguous: list[Path] = field(default_factory=list)  # cases it may belong to: the biller decides


class _ImportRun:
    def __init__(self, workspace: Workspace, actor: str, cancelled: Cancelled,
                 csv_mapping: dict[str, str] | None) -> None:
        self.workspace, self.actor, self.cancelled = workspace, actor, cancelled
        self.csv_mapping = csv_mapping
        self.book: CodeBook = codebook()
        self.summary = ImportSummary()
        self.known = workspace.index.paths_by_claim()
        self.now = datetime.now().replace(microsecond=0)
        self.traces: set[tuple[str, str]] = set()  # (payer, TRN02) of the transactions read in this import
        self.names: set[str] = set()
        self.remember = True  # False while a case file cannot be read: nothing is recorded as imported

    def check_unreadable_cases(self) -> None:
        """A case that cannot be read cannot be recognised: a payment for it would pass for a new
        claim. Say so, and remember nothing as imported, so the files are read again once it is fixed."""
        for path, problem in self.workspace.index.unreadable():
            self.remember = False
            self.summary.errors.append(ReadProblem(
                path.name, None, f"{problem.rstrip('.')}. Remittances for this case cannot be recognised, so the "
                "files of this import will be read again next time: repair or restore it (workstation check), "
                "then import them again."))

    # -- files -------------------------------------------------------------------------------

    def import_file(self, path: Path) -> None:
        self.summary.files += 1
        try:
            sha = file_sha256(path)
        except OSError as error:
            self._refuse(path, f"cannot be read ({error.strerror}); check that the file exists and you may open it.")
            return
        except X12FileRefused as refused:
            self._refuse(path, str(refused))
            return
        if self.workspace.imported_file(sha):
            self.summary.already_imported.append(path.name)
            return
        if path.suffix.lower() == ".csv":
            self._import_csv(path, sha)
            return
        reader = Era835File(path)
        counts = (self.summary.claims, self.summary.created)
        whole = True
        for transaction in reader.transactions():
            if self.cancelled():
                self.summary.cancelled = True
                break
            whole = self._import_transaction(transaction, SourceFile(path.name, sha)) and whole
        self.summary.errors += reader.result.problems
        self.summary.notes += [f"{path.name}: {note}" for note in reader.result.notes]
        if whole and self.remember and not reader.result.problems and not self.summary.cancelled:
            self.workspace.record_file(sha, path.name, claims=self.summary.claims - counts[0],
                                       created=self.summary.created - counts[1])

    def _import_csv(self, path: Path, sha: str) -> None:
        try:
            transactions, problems = read_csv_denials(path, self.csv_mapping)
        except UserError as error:
            self._refuse(path, str(error))
            return
        counts = (self.summary.claims, self.summary.created)
        whole = True
        for transaction in transactions:
            whole = self._import_transaction(transaction, SourceFile(path.name, sha)) and whole
        self.summary.errors += problems
        if whole and self.remember and not problems:
            self.workspace.record_file(sha, path.name, claims=self.summary.claims - counts[0],
                                       created=self.summary.created - counts[1])

    def _refuse(self, path: Path, message: str) -> None:
        self.summary.errors.append(ReadProblem(path.name, None, message))

    # -- transactions ------------------------------------------------------------------------

    def _import_transaction(self, transaction: Transaction, source: SourceFile) -> bool:
        """Apply every claim of one transaction; True when all of it is now in the workspace."""
        self.summary.notes += [f"{source.name}: {w}" for w in transaction.warnings]
        fingerprint = transaction.fingerprint
        if fingerprint and self.workspace.transaction_read(fingerprint):  # recorded as soon as it was applied
            self.summary.claims += len(transaction.claims)
            self.summary.unchanged += len(transaction.claims)
            return True
        self._note_repeated_trace(transaction, source)
        self.summary.plb_total += sum((p.amount for p in transaction.provider_adjustments), ZERO)
        entry, new_payer = directory_entry(self.workspace, transaction)  # read only: written below, if needed
        payer = payer_of(transaction, entry)
        new_cases: list[tuple[Path, Case]] = []
        opened: dict[int, str] = {}  # a claim's place in the transaction -> the case it opened
        outcomes = []
        for n, claim in enumerate(transaction.claims):  # every claim is tried, even after one not applied
            before = len(new_cases)
            outcomes.append(self._one_claim(claim, transaction, source, payer, new_cases))
            if len(new_cases) > before:
                opened[n] = new_cases[-1][1].case_id
        applied = all(outcomes)
        if new_payer and transaction.claims:  # every claim refused (a bad amount): nothing names the payer
            self._add_payer(entry, payer, source)
        if not self._create(new_cases, source):
            return False
        read = (fingerprint, transaction.payer_key, transaction.check_number, source.sha256) \
            if applied and transaction.complete and fingerprint and self.remember else None
        self.workspace.record_ledger(transaction_rows(transaction, payer.kind.value, opened, source.sha256),
                                     transaction_read=read)
        return applied and transaction.complete

    def _add_payer(self, entry: PayerEntry, payer: Payer, source: SourceFile) -> None:
        """Add a payer new to the directory; a kind that is a guess is said once, here."""
        self.workspace.add_payer(entry)
        if payer.kind_needs_check:
            label = default_ladders()[payer.kind].label
            self.summary.notes.append(
                f"{source.name}: new payer {payer.name}: its kind was guessed as {label} from the remittance; "
                "confirm it under Settings > Payers and appeal ladders, since deadlines and letters depend on it.")

    def _note_repeated_trace(self, transaction: Transaction, source: SourceFile) -> None:
        """Distinct transactions may share payer + TRN02 (de-identified and clearinghouse files do):
        both are read, and the summary says so."""
        trace = transaction.check_number
        if not trace:
            return
        key = (transaction.payer_key, trace)
        if key in self.traces or self.workspace.trace_seen(*key):
            self.summary.notes.append(
                f"{source.name}: transaction {transaction.control_number} has the trace number (TRN02) {trace} of "
                "another payment from this payer, with different content; both were read.")
        self.traces.add(key)

    def _create(self, new_cases: list[tuple[Path, Case]], source: SourceFile) -> bool:
        try:
            create_case_files(new_cases)
        except UserError as error:  # a full disk, a read-only folder: none of them appeared
            self.summary.errors.append(ReadProblem(source.name, None, str(error)))
            return False
        rows = [(path, summarize(path, case, self.book)) for path, case in new_cases]
        self.workspace.index.store(rows)
        self.summary.created += len(new_cases)
        self.summary.created_rows += [row for _path, row in rows]
        for path, row in rows:
            self.known.setdefault(row.claim_key, []).append(path)
        return True

    # -- claims ------------------------------------------------------------------------------

    def _one_claim(self, claim: ClaimPayment, transaction: Transaction, source: SourceFile,
                   payer: Payer, new_cases: list[tuple[Path, Case]]) -> bool:
        """Apply one claim: update its case, open one, or say why not. False when it could not be
        applied now (its case is busy or damaged), so the transaction is read again next time."""
        self.summary.claims += 1
        triage = triage_claim(claim, self.book)
        self._tally(triage)
        if claim.balance_problems():
            self.summary.unbalanced.append(UnbalancedClaim(source.name, claim.payer_claim_number,
                                                           claim.account_number, claim.billed, claim.paid,
                                                           claim.adjusted))
        try:
            match = self._match(transaction.claim_key(claim), claim, transaction, source)
        except UserError as error:
            return self._not_applied(error, claim, source)
        if match.ambiguous:
            self._ambiguous(claim, transaction, source, match.ambiguous)
            return True
        if match.recorded:
            self.summary.unchanged += 1
            return True
        if match.path is not None:
            return self._update(match.path, claim, transaction, source, triage)
        if not triage.opens_case:
            self.summary.without_case.append(ClaimWithoutCase(source, transaction, claim, triage.why))
            return True
        case = case_from_claim(claim, transaction, triage, source=source, payer=payer, now=self.now)
        new_cases.append((self._new_path(), case))
        return True

    def _new_path(self) -> Path:
        """A free case file name, also unlike the names of cases not yet written."""
        path = self.workspace.new_case_path(self.now.date())
        while path.name in self.names:
            path = self.workspace.new_case_path(self.now.date())
        self.names.add(path.name)
        return path

    def _match(self, key: str, claim: ClaimPayment, transaction: Transaction, source: SourceFile) -> _Match:
        """The case this claim clearly belongs to: same claim identity and the same patient where
        both sides name one. A case that already holds this payment wins; two candidates, or one
        with nothing to compare the patient by, are ambiguous."""
        seen = remittance_seen(claim, transaction, source, self.now)
        same, unknown = [], []
        for path in self.known.get(key, []):
            with CaseFile.open(path, read_only=True) as case_file:
                case = case_file.load()
            if already_recorded(case, seen):
                return _Match(path, recorded=True)
            identity = patient_identity(case, claim)
            if identity is Identity.SAME:
                same.append(path)
            elif identity is Identity.UNKNOWN:
                unknown.append(path)
        if len(same) == 1 and not unknown:
            return _Match(same[0])
        return _Match(ambiguous=same + unknown)

    def _update(self, path: Path, claim: ClaimPayment, transaction: Transaction, source: SourceFile,
                triage: ClaimTriage) -> bool:
        """Record a later remittance on its case; False when the case cannot be changed now."""
        try:
            with CaseFile.open(path) as case_file:
                update = later_remittance(case_file.load(), claim, transaction, source, self.now, triage)
                if update is not None:
                    case_file.record_remittance(update, actor=self.actor)
        except UserError as error:
            return self._not_applied(error, claim, source)
        if update is None:
            self.summary.unchanged += 1
        else:
            self.summary.updated += 1
            self.workspace.index.refresh(path, self.book)
        return True

    def _not_applied(self, error: UserError, claim: ClaimPayment, source: SourceFile) -> bool:
        """A case that cannot be read or changed now: say so; the file stays unimported for a retry."""
        self.summary.errors.append(ReadProblem(
            source.name, claim.segment_number,
            f"{error} The remittance for claim {claim.account_number or '(no account number)'} was not applied; "
            "import the file again once the case is free."))
        return False

    def _ambiguous(self, claim: ClaimPayment, transaction: Transaction, source: SourceFile,
                   paths: list[Path]) -> None:
        why = (f"It has the account number and date of service of {len(paths)} case(s) "
               f"({', '.join(p.name for p in paths)}) but nothing shows it is the same patient; nothing was "
               "changed: open the right case and record the payment, or open a case for it here.")
        self.summary.ambiguous.append(AmbiguousClaim(source.name, claim.payer_claim_number, claim.account_number,
                                                     [p.resolve() for p in paths]))
        self.summary.without_case.append(ClaimWithoutCase(source, transaction, claim, why))

    def _tally(self, triage: ClaimTriage) -> None:
        summary = self.summary
        counter = _SKIP_COUNTERS.get(triage.skipped_because)
        if counter:
            setattr(summary, counter, getattr(summary, counter) + 1)
        if triage.skipped_because in ("paid", "contractual"):
            summary.paid_in_full += 1
        for item in triage.decisions:
            adjustment = item.adjustment
            if adjustment.carc == SEQUESTRATION:
                summary.sequestration_total += adjustment.amount
            elif not item.decision.opens_case and adjustment.amount > 0:
                summary.tally(adjustment.code, adjustment.amount)
        if triage.sequestration is not None and triage.sequestration.is_off():
            summary.sequestration_inquiries += 1


def directory_entry(workspace: Workspace, transaction: Transaction) -> tuple[PayerEntry, bool]:
    """The directory entry for a remittance's payer, and whether it is new (then it is not written
    yet: the caller adds it once something will name it). A payer whose entry could not be read
    (left out of the directory) gets a guessed one, to be checked, that is not written: the entry
    to mend is the one already there."""
    read = transaction.payer
    entry = workspace.find_payer(read.identifier, read.name)
    if entry is not None:
        return entry, False
    indicator = transaction.claims[0].filing_indicator if transaction.claims else ""
    kind, _flag = guess_payer_kind(indicator, read.name)
    return PayerEntry(read.name or read.identifier, kind, [read.identifier] if read.identifier else [],
                      read.address, read.phone, needs_check=True), \
        not workspace.payer_left_out(read.identifier, read.name)


def payer_of(transaction: Transaction, entry: PayerEntry) -> Payer:
    """The case's payer: the remittance's, with the directory's name, kind and address."""
    return case_payer(transaction, name=entry.name, kind=entry.kind, needs_check=entry.needs_check,
                      appeals_address=entry.address, phone=entry.phone)


def open_case_by_hand(workspace: Workspace, item: ClaimWithoutCase, *, actor: str) -> Path:
    """Open an inquiry case on a claim the code book saw no reason to (an underpayment, say)."""
    workspace.require_writable()
    book, now = codebook(), datetime.now().replace(microsecond=0)
    triage = triage_claim(item.claim, book)
    decisions = [AdjustmentDecision(d.adjustment, Decision(Route.INQUIRY, d.adjustment.group != "PR"
                                                           and d.adjustment.amount > 0, d.decision.why))
                 for d in triage.decisions]
    why = "Opened by hand from the import summary: check the payment against the contract."
    manual = ClaimTriage(True, Route.INQUIRY, why, decisions)
    manual.stake = stake_of(item.claim, manual.opening, None)
    entry, new_payer = directory_entry(workspace, item.transaction)
    case = case_from_claim(item.claim, item.transaction, manual, source=item.source,
                           payer=payer_of(item.transaction, entry), now=now, actor=actor)
    with workspace.import_lock(timeout=0):  # called from the window: refuse at once rather than wait
        if new_payer:  # only once the lock is held: a refusal writes nothing
            workspace.add_payer(entry)
        path = CaseFile.create(workspace.new_case_path(now.date()), case)
    workspace.index.store([(path, summarize(path, case, book))])
    return path
