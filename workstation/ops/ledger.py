"""Filling the claims ledger once from the case files of workspaces made before it existed (each
remittance imported since fills it as it is read: `transaction_rows` in casefile/ledger_store.py)."""

from __future__ import annotations

from dataclasses import dataclass

from workstation.casefile.case_file import CaseFile
from workstation.casefile.ledger_store import claim_rows
from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError
from workstation.core.ledger import LedgerAdjustment, LedgerClaim, LedgerLine
from workstation.core.model import Case, claim_identity

BACKFILL_SETTING = "ledger_backfilled"


@dataclass(frozen=True)
class Backfill:
    cases: int = 0
    claims: int = 0
    unreadable: int = 0

    def sentence(self) -> str:
        """What the ledger could and could not learn from older case files."""
        text = (f"The claims ledger was filled from {self.cases} case files made before it existed "
                f"({self.claims} remittance rows). Claims paid in full before then opened no case, so they "
                "are not in it: rates for that time count denied claims only.")
        if self.unreadable:
            text += f" {self.unreadable} case files could not be read and are left out."
        return text


def backfill_pending(workspace: Workspace) -> bool:
    """Whether the ledger is still to be filled from the workspace's case files."""
    return not workspace.read_only and not workspace.setting(BACKFILL_SETTING)


def ensure_backfilled(workspace: Workspace) -> Backfill | None:
    """Fill the ledger from the case files once per workspace (None when done before or read-only)."""
    if not backfill_pending(workspace):
        return None
    workspace.index.rescan()
    cases = unreadable = 0
    rows: list[LedgerClaim] = []
    for summary in workspace.index.rows():
        try:
            with CaseFile.open(summary.path, read_only=True) as case_file:
                case = case_file.load()
        except UserError:
            unreadable += 1
            continue
        cases += 1
        rows += case_ledger_rows(case)
    added = workspace.record_ledger(claim_rows(rows))
    workspace.set_setting(BACKFILL_SETTING, "1")
    return Backfill(cases, added, unreadable)


def case_ledger_rows(case: Case) -> list[LedgerClaim]:
    """A case's remittances as ledger rows. The opening adjustments go with its first remittance:
    a case file does not say which later remittance carried which adjustment."""
    claim, payer = case.claim, case.payer
    first_service = min((li.service_from for li in case.lines if li.service_from), default=claim.service_from)
    key = claim_identity(payer.payer_id, payer.name, claim.account_number, first_service)
    lines = tuple(LedgerLine(li.procedure_code, tuple(li.modifiers), li.billed, li.paid) for li in case.lines)
    adjustments = tuple(LedgerAdjustment(a.group, a.carc, a.amount, a.line_number) for a in case.adjustments)
    rows = []
    for n, seen in enumerate(case.remittances):
        rows.append(LedgerClaim(
            f"case:{case.case_id}:{seen.file_sha256}:{seen.transaction_id}:{n}", payer.name, key,
            claim.account_number, seen.payer_claim_number, payer.payer_id, payer.kind.value, first_service,
            claim.service_to, case.provider.npi, claim.billed, seen.paid, claim.patient_responsibility,
            seen.status_code, seen.notice_date, lines, adjustments if n == 0 else (),
            opened_case=n == 0, case_id=case.case_id if n == 0 else "", backfilled=True,
            rendering_name=case.provider.name))
    return rows
