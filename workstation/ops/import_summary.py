"""What an import did, for the summary dialog and `workstation import --json`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from workstation.core.case_from_remittance import SourceFile
from workstation.core.codebook import codebook
from workstation.core.money import ZERO, money_text
from workstation.core.remittance import ClaimPayment, ReadProblem, Transaction
from workstation.core.summary import CaseSummary


@dataclass
class CodeTally:
    """Adjustments of one code that opened no case (contractual write-offs, patient shares...)."""

    claims: int = 0
    amount: Decimal = ZERO


@dataclass(frozen=True)
class ClaimWithoutCase:
    """A claim the import read but did not open a case for; the biller may open one by hand."""

    source: SourceFile
    transaction: Transaction
    claim: ClaimPayment
    why: str


@dataclass(frozen=True)
class UnbalancedClaim:
    """A claim whose amounts do not add up (billed - paid != its adjustments): imported, flagged."""

    file: str
    claim_number: str
    account_number: str
    billed: Decimal
    paid: Decimal
    adjusted: Decimal

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "claim_number": self.claim_number, "account_number": self.account_number,
                "billed": money_text(self.billed), "paid": money_text(self.paid),
                "adjusted": money_text(self.adjusted)}


@dataclass(frozen=True)
class AmbiguousClaim:
    """A claim that may belong to existing cases but is not clearly theirs: nothing was changed."""

    file: str
    claim_number: str
    account_number: str
    cases: list[Path]

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "claim_number": self.claim_number, "account_number": self.account_number,
                "cases": [str(p) for p in self.cases]}


@dataclass
class ImportSummary:
    files: int = 0
    claims: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    paid_in_full: int = 0
    reversals: int = 0
    forwarded: int = 0
    predeterminations: int = 0
    sequestration_total: Decimal = ZERO
    sequestration_inquiries: int = 0
    plb_total: Decimal = ZERO
    not_appealable: dict[str, CodeTally] = field(default_factory=dict)
    errors: list[ReadProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    already_imported: list[str] = field(default_factory=list)
    without_case: list[ClaimWithoutCase] = field(default_factory=list)
    unbalanced: list[UnbalancedClaim] = field(default_factory=list)
    ambiguous: list[AmbiguousClaim] = field(default_factory=list)
    cancelled: bool = False
    created_rows: list[CaseSummary] = field(default_factory=list)  # the new cases' rows, which the window lists

    @property
    def created_paths(self) -> list[Path]:
        return [row.path for row in self.created_rows]

    def tally(self, code: str, amount: Decimal) -> None:
        entry = self.not_appealable.setdefault(code, CodeTally())
        entry.claims += 1
        entry.amount += amount

    def error_lines(self) -> list[str]:
        """One sentence per refused file or transaction, as the command line prints them."""
        return [_error_line(e) for e in self.errors]

    def to_json(self) -> dict[str, Any]:
        book = codebook()
        return {
            "files": self.files, "claims": self.claims, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "paid_in_full": self.paid_in_full, "reversals": self.reversals,
            "forwarded": self.forwarded, "predeterminations": self.predeterminations,
            "not_appealable": [
                {"code": code, "description": book.reason(code.split("-", 1)[-1]).description,
                 "claims": tally.claims, "amount": money_text(tally.amount)}
                for code, tally in sorted(self.not_appealable.items())],
            "sequestration_total": money_text(self.sequestration_total),
            "sequestration_inquiries": self.sequestration_inquiries,
            "plb_total": money_text(self.plb_total),
            "errors": [{"file": e.file, "segment": e.segment, "message": e.message} for e in self.errors],
            "notes": self.notes, "already_imported": self.already_imported,
            "created_paths": [str(p.resolve()) for p in self.created_paths], "cancelled": self.cancelled,
            "unbalanced": [u.to_json() for u in self.unbalanced],
            "ambiguous": [a.to_json() for a in self.ambiguous],
        }

    def lines(self) -> list[str]:
        """The summary in a few plain lines (window and terminal)."""
        out = [f"{self.files} file(s), {self.claims} claims read: {self.created} cases created, "
               f"{self.updated} updated, {self.unchanged} already known, "
               f"{self.paid_in_full} paid with nothing to act on."]
        if self.not_appealable:
            parts = [f"{code} x{tally.claims} (${tally.amount:,.2f})"
                     for code, tally in sorted(self.not_appealable.items(), key=lambda kv: -kv[1].amount)]
            out.append("Adjustments that open no case: " + ", ".join(parts) + ".")
        if self.reversals or self.forwarded or self.predeterminations:
            out.append(f"No case for {self.reversals} reversals, {self.forwarded} claims forwarded to another "
                       f"payer, {self.predeterminations} predeterminations.")
        seq = f"Sequestration (CO-253, never appealable) taken: ${self.sequestration_total:,.2f}"
        if self.sequestration_inquiries:
            seq += f"; {self.sequestration_inquiries} claims where it looks wrong became inquiries"
        out.append(seq + ".")
        if self.plb_total:
            out.append(f"Provider-level adjustments (PLB): ${self.plb_total:,.2f}.")
        out += [f"Does not balance (imported, flagged on its case): {u.file} claim {u.claim_number or '?'} "
                f"(account {u.account_number or '?'}): billed {u.billed:,.2f}, paid {u.paid:,.2f}, "
                f"adjustments {u.adjusted:,.2f}." for u in self.unbalanced]
        out += [f"Not applied, the patient is not clearly the same: {a.file} claim {a.claim_number or '?'} "
                f"(account {a.account_number or '?'}) may belong to {', '.join(p.name for p in a.cases)}; "
                "choose in the window or open a case for it." for a in self.ambiguous]
        out += [f"Already imported, skipped: {name}" for name in self.already_imported]
        return out + self.notes


def _error_line(problem: ReadProblem) -> str:
    """"file: segment N, message", without naming the file twice."""
    message = problem.message
    if message.startswith(problem.file):
        return message
    where = f"segment {problem.segment}, " if problem.segment else ""
    return f"{problem.file}: {where}{message}"
