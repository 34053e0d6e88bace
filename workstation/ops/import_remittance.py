"""Import 835 remittances: every denied or actionable claim becomes a case, nothing else does.

Idempotent (a file or transaction seen before changes nothing) and atomic per transaction (its
new cases appear together or not at all); a later remittance for a known claim updates its case.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from workstation.casefile.case_file import CaseFile, create_case_files
from workstation.casefile.workspace import Workspace
from workstation.core.case_from_remittance import SourceFile, case_from_claim, case_payer, later_remittance
from workstation.core.codebook import CodeBook, Decision, codebook
from workstation.core.errors import UserError
from workstation.core.model import Case, Payer
from workstation.core.money import ZERO
from workstation.core.payer_kinds import guess_payer_kind
from workstation.core.remittance import ClaimPayment, ReadProblem, Transaction
from workstation.core.summary import summarize
from workstation.core.triage import SEQUESTRATION, AdjustmentDecision, ClaimTriage, triage_claim
from workstation.core.vocabulary import Route
from workstation.core.workspace_model import PayerEntry
from workstation.intake.csv_denials import read_csv_denials, read_mapping
from workstation.intake.era835 import Era835File
from workstation.intake.x12_segments import file_sha256
from workstation.ops.import_summary import ClaimWithoutCase, ImportSummary

__all__ = ["import_remittances", "open_case_by_hand", "payer_for", "read_mapping"]

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
_SKIP_COUNTERS = {"reversal": "reversals", "forwarded": "forwarded", "predetermination": "predeterminations"}


def import_remittances(workspace: Workspace, paths: list[Path], *, actor: str, progress: Progress | None = None,
                       cancelled: Cancelled | None = None, csv_mapping: dict[str, str] | None = None) -> ImportSummary:
    """Import each file (835, or CSV denials) in turn; a refused file or transaction is reported."""
    workspace.require_writable()
    workspace.index.rescan()
    run = _ImportRun(workspace, actor, cancelled or (lambda: False), csv_mapping)
    for done, path in enumerate(paths, start=1):
        if run.cancelled():
            run.summary.cancelled = True
            break
        run.import_file(Path(path))
        if progress:
            progress(done, len(paths))
    return run.summary


class _ImportRun:
    def __init__(self, workspace: Workspace, actor: str, cancelled: Cancelled,
                 csv_mapping: dict[str, str] | None) -> None:
        self.workspace, self.actor, self.cancelled = workspace, actor, cancelled
        self.csv_mapping = csv_mapping
        self.book: CodeBook = codebook()
        self.summary = ImportSummary()
        self.known = workspace.index.paths_by_claim()
        self.now = datetime.now().replace(microsecond=0)

    def import_file(self, path: Path) -> None:
        self.summary.files += 1
        try:
            sha = file_sha256(path)
        except OSError as error:
            self._refuse(path, f"cannot be read ({error.strerror}); check that the file exists and you may open it.")
            return
        if self.workspace.imported_file(sha):
            self.summary.already_imported.append(path.name)
            return
        if path.suffix.lower() == ".csv":
            self._import_csv(path, sha)
            return
        reader = Era835File(path)
        counts = (self.summary.claims, self.summary.created)
        for transaction in reader.transactions():
            if self.cancelled():
                self.summary.cancelled = True
                break
            self._import_transaction(transaction, SourceFile(path.name, sha))
        self.summary.errors += reader.result.problems
        self.summary.notes += [f"{path.name}: {note}" for note in reader.result.notes]
        if not reader.result.problems and not self.summary.cancelled:
            self.workspace.record_file(sha, path.name, claims=self.summary.claims - counts[0],
                                       created=self.summary.created - counts[1])

    def _import_csv(self, path: Path, sha: str) -> None:
        try:
            transactions, problems = read_csv_denials(path, self.csv_mapping)
        except UserError as error:
            self._refuse(path, str(error))
            return
        counts = (self.summary.claims, self.summary.created)
        for transaction in transactions:
            self._import_transaction(transaction, SourceFile(path.name, sha))
        self.summary.errors += problems
        if not problems:
            self.workspace.record_file(sha, path.name, claims=self.summary.claims - counts[0],
                                       created=self.summary.created - counts[1])

    def _refuse(self, path: Path, message: str) -> None:
        self.summary.errors.append(ReadProblem(path.name, None, message))

    def _import_transaction(self, transaction: Transaction, source: SourceFile) -> None:
        self.summary.notes += [f"{source.name}: {w}" for w in transaction.warnings]
        self.summary.plb_total += sum((p.amount for p in transaction.provider_adjustments), ZERO)
        trace = transaction.check_number
        if trace and self.workspace.transaction_imported(transaction.payer_key, trace):
            self.summary.claims += len(transaction.claims)
            self.summary.unchanged += len(transaction.claims)
            return
        payer = self._payer(transaction)
        new_cases: list[tuple[Path, Case]] = []
        for claim in transaction.claims:
            self._one_claim(claim, transaction, source, payer, new_cases)
        create_case_files(new_cases)
        self.workspace.index.store([(path, summarize(path, case, self.book)) for path, case in new_cases])
        self.summary.created += len(new_cases)
        self.summary.created_paths += [path for path, _case in new_cases]
        for path, case in new_cases:
            self.known.setdefault(summarize(path, case, self.book).claim_key, []).append(path)
        if trace:
            self.workspace.record_transaction(transaction.payer_key, trace, source.sha256)

    def _one_claim(self, claim: ClaimPayment, transaction: Transaction, source: SourceFile,
                   payer: Payer, new_cases: list[tuple[Path, Case]]) -> None:
        self.summary.claims += 1
        triage = triage_claim(claim, self.book)
        self._tally(triage)
        key = transaction.claim_key(claim)
        if self._update_existing(key, claim, transaction, source):
            return
        if not triage.opens_case:
            self.summary.without_case.append(ClaimWithoutCase(source, transaction, claim, triage.why))
            return
        case = case_from_claim(claim, transaction, triage, source=source, payer=payer, now=self.now)
        path = self.workspace.new_case_path(self.now.date())
        while any(path == p for p, _c in new_cases):
            path = self.workspace.new_case_path(self.now.date())
        new_cases.append((path, case))

    def _update_existing(self, key: str, claim: ClaimPayment, transaction: Transaction,
                         source: SourceFile) -> bool:
        """Record a later remittance on the claim's case; False when no case matches."""
        for path in self.known.get(key, []):
            try:
                with CaseFile.open(path) as case_file:
                    case = case_file.load()
                    if not _same_patient(case, claim):
                        continue
                    update = later_remittance(case, claim, transaction, source, self.now)
                    if update is None:
                        self.summary.unchanged += 1
                    else:
                        case_file.record_remittance(update, actor=self.actor)
                        self.summary.updated += 1
            except UserError as error:
                self.summary.errors.append(ReadProblem(source.name, claim.segment_number, str(error)))
                return True
            self.workspace.index.refresh(path, self.book)
            return True
        return False

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

    def _payer(self, transaction: Transaction) -> Payer:
        """The case payer from the directory; a payer seen for the first time is added, flagged."""
        return payer_for(self.workspace, transaction)


def payer_for(workspace: Workspace, transaction: Transaction) -> Payer:
    """The directory entry for a remittance's payer (added, flagged for checking, when new)."""
    read = transaction.payer
    entry = workspace.find_payer(read.identifier, read.name)
    if entry is None:
        indicator = transaction.claims[0].filing_indicator if transaction.claims else ""
        kind, _flag = guess_payer_kind(indicator, read.name)
        entry = workspace.add_payer(PayerEntry(read.name or read.identifier, kind,
                                               [read.identifier] if read.identifier else [], read.address,
                                               read.phone, needs_check=True))
    return case_payer(transaction, name=entry.name, kind=entry.kind, needs_check=entry.needs_check,
                      appeals_address=entry.address, phone=entry.phone)


def _same_patient(case: Case, claim: ClaimPayment) -> bool:
    """Claim identity plus the member ID when both have one: sample files reuse account numbers."""
    ours, theirs = case.patient.member_id.strip().upper(), claim.patient.member_id.strip().upper()
    return not ours or not theirs or ours == theirs


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
    case = case_from_claim(item.claim, item.transaction, manual, source=item.source,
                           payer=payer_for(workspace, item.transaction), now=now, actor=actor)
    path = CaseFile.create(workspace.new_case_path(now.date()), case)
    workspace.index.store([(path, summarize(path, case, book))])
    return path
