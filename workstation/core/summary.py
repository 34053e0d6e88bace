"""One worklist row: what the index caches about a case and what `cases --json` prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from workstation.core.codebook import CodeBook
from workstation.core.deadlines import Deadline, DeadlineFacts, facts_of
from workstation.core.model import Case, claim_identity
from workstation.core.money import ZERO, money_text
from workstation.core.review import case_checklist, progress

NO_REASON_CODE = "No reason code: the payer denied the claim without one"


@dataclass(frozen=True)
class CaseSummary:
    path: Path
    case_id: str = ""
    patient: str = ""
    payer: str = ""
    claim_number: str = ""
    account_number: str = ""
    status: str = ""
    route: str = ""
    amount_at_stake: Decimal = ZERO
    reasons: tuple[str, ...] = field(default_factory=tuple)
    reason_text: str = ""
    assignee: str = ""
    notice_date: date | None = None
    created: date | None = None
    problem: str = ""  # why the file could not be read; empty for a sound case
    claim_key: str = ""  # claim identity (DESIGN.md 2a), to match later remittances
    review_done: int = 0
    review_total: int = 0
    payer_id: str = ""
    payer_kind: str = ""
    facts: DeadlineFacts | None = None  # the dated events deadlines are computed from
    deadline: Deadline | None = None  # computed when rows are loaded, with the workspace's ladders

    @property
    def review_text(self) -> str:
        """"3 of 5" review steps settled; empty when the reasons call for none."""
        return f"{self.review_done} of {self.review_total}" if self.review_total else ""

    @property
    def next_due_date(self) -> date | None:
        """The next date to act by: the due date of an appeal or claim, else the follow-up."""
        if self.deadline is None:
            return None
        return self.deadline.due or self.deadline.follow_up

    def age_days(self, today: date) -> int | None:
        """Days since the payer's notice (or since the case was made)."""
        start = self.notice_date or self.created
        return (today - start).days if start else None

    def to_json(self) -> dict[str, Any]:
        """The row of `workstation cases --json` (DESIGN.md section 5)."""
        row: dict[str, Any] = {
            "path": str(self.path.resolve()), "case_id": self.case_id, "patient": self.patient,
            "payer": self.payer, "claim_number": self.claim_number,
            "account_number": self.account_number, "status": self.status,
            "route": self.route or None, "amount_at_stake": money_text(self.amount_at_stake),
            "reasons": list(self.reasons),
            "next_due": self.next_due_date.isoformat() if self.next_due_date else None,
        }
        if self.problem:
            row["problem"] = self.problem
        return row


def reason_in_words(case: Case, book: CodeBook) -> str:
    """"CO-50 not medically necessary", plus how many other reasons there are."""
    reasons = [a for a in case.adjustments if a.opens_case]
    if not reasons:
        return NO_REASON_CODE if case.claim.status_code == "4" else ""
    first = book.reason_in_words(reasons[0].group, reasons[0].carc)
    others = len(case.reasons) - 1
    return f"{first} (+{others} more)" if others > 0 else first


def summarize(path: Path, case: Case, book: CodeBook) -> CaseSummary:
    """The worklist row for a case."""
    done, total = progress(case_checklist(case, book))
    return CaseSummary(
        path=path, case_id=case.case_id, patient=case.patient.display_name,
        payer=case.payer.name, claim_number=case.claim.payer_claim_number,
        account_number=case.claim.account_number, status=case.status.value,
        route=case.route.value if case.route else "", amount_at_stake=case.amount_at_stake,
        reasons=tuple(case.reasons), reason_text=reason_in_words(case, book),
        assignee=case.assignee, notice_date=case.effective_notice_date,
        created=case.created_at.date(),
        claim_key=claim_identity(case.payer.payer_id, case.payer.name, case.claim.account_number,
                                 case.first_service_date),
        review_done=done, review_total=total, payer_id=case.payer.payer_id, payer_kind=case.payer.kind.value,
        facts=facts_of(case),
    )
