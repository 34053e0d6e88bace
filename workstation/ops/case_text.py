"""`workstation show CASEFILE` without --json: the case as a biller reads it."""

from __future__ import annotations

from workstation.core.codebook import codebook
from workstation.core.model import Case
from workstation.core.money import dollars


def case_text(case: Case) -> str:
    """A plain-text page: who, which payer, what was denied and why, what to do."""
    book = codebook()
    c, p = case.claim, case.patient
    lines = [
        f"Case {case.case_id}   status: {case.status.label}   route: {case.route.label if case.route else '-'}",
        f"Patient:   {p.display_name}   born {p.date_of_birth or '?'}   member ID {p.member_id or '?'}",
        f"Payer:     {case.payer.name} ({case.payer.kind.value})",
        f"Provider:  {case.provider.name}   NPI {case.provider.npi or '?'}   TIN {case.provider.tin or '?'}",
        f"Claim:     {c.payer_claim_number or '?'}   account {c.account_number or '?'}   "
        f"service {c.service_from or '?'}   billed {dollars(c.billed)}   paid {dollars(c.paid)}",
        f"At stake:  {dollars(case.amount_at_stake)}   assignee: {case.assignee or '-'}",
        "Service lines:",
    ]
    for line in case.lines:
        modifiers = ":".join(line.modifiers)
        lines.append(f"  {line.line_number}. {line.procedure_code}{':' + modifiers if modifiers else ''}"
                     f"  {line.service_from}  billed {dollars(line.billed)}  paid {dollars(line.paid)}")
        for adj in (a for a in case.adjustments if a.line_number == line.line_number):
            lines.append(f"       {adj.code} {dollars(adj.amount)}: {book.reason(adj.carc).description}")
    lines += [f"  remark {r.code}: {book.remark(r.code).description}" for r in case.remarks]
    if case.route_reason:
        lines.append(f"Why: {case.route_reason}")
    lines += [f"Check the remittance: {warning}" for warning in case.warnings]
    lines += [f"Note ({n.author}, {n.created_at:%Y-%m-%d}): {n.text}" for n in case.notes]
    return "\n".join(lines)
