"""`workstation scan`: the proposal printed (text or JSON), and with --create or --add-to what the
biller confirmed written (ops/scan.py does the work)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workstation.core.errors import UserError
from workstation.core.scan import FIELD_LABELS, ScanProposal
from workstation.ops.scan import (
    ScanOutcome,
    ScanProgress,
    add_scan_to_case,
    confirm,
    create_case_from_scan,
    matching_cases,
    scan_files,
)
from workstation.ops.user_config import chosen_workspace, load_config
from workstation.ops.workspaces import workspace_for_command


@dataclass
class ScanCommandResult:
    proposal: ScanProposal
    matches: list[Path] = field(default_factory=list)
    outcome: ScanOutcome | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return proposal_json(self.proposal, self.matches, self.outcome)

    def lines(self) -> list[str]:
        out = [f"{FIELD_LABELS[name]:<32} {found.value:<28} {found.confidence:4.2f}  page {found.page}"
               for name in FIELD_LABELS if (found := self.proposal.fields.get(name))]
        if self.proposal.left_empty:
            empty = ", ".join(FIELD_LABELS.get(n, n) for n in self.proposal.left_empty)
            out.append(f"Left empty (read, but not surely enough): {empty}")
        out.append(f"The scan is {'a remittance' if self.proposal.kind == 'remittance' else 'a payer letter'}.")
        out.extend(f"It matches {path} (the same claim); add it there with --add-to {path}." for path in self.matches)
        if self.outcome is not None:
            out.append(self.outcome.sentence)
        return out


def proposal_json(proposal: ScanProposal, matches: list[Path], outcome: ScanOutcome | None = None) -> dict[str, Any]:
    """What `scan --json` prints: each field's value, confidence, page and boxes, and what matched."""
    return {
        "files": proposal.files, "kind": proposal.kind,
        "pages": [{"number": p.number, "width": p.width, "height": p.height, "method": p.method,
                   "problem": p.problem or None} for p in proposal.pages],
        "fields": {name: found.to_json() for name, found in proposal.fields.items()},
        "left_empty": proposal.left_empty, "notes": proposal.notes,
        "matches": [str(path.resolve()) for path in matches],
        "created": str(outcome.path.resolve()) if outcome and outcome.created else None,
        "added_to": str(outcome.path.resolve()) if outcome and not outcome.created else None,
    }


def scan_command(files: list[Path], *, workspace: str | None, corrections: dict[str, str], create: bool,
                 add_to: Path | None, record_decision: bool, new_anyway: bool,
                 progress: ScanProgress | None = None) -> ScanCommandResult:
    """Read the scan; propose, or write what the biller confirmed. A scan matching a case is not made a
    second case unless asked (--new-anyway): it is offered to that case (--add-to)."""
    proposal = scan_files(files, progress=progress)
    confirm(proposal, corrections)  # an unknown --field name is refused before anything else
    result = ScanCommandResult(proposal, notes=list(proposal.notes))
    if add_to is not None:
        result.outcome = add_scan_to_case(add_to, proposal, corrections, actor=load_config().user, scans=files,
                                          record_decision_too=record_decision)
        return result
    if chosen_workspace(workspace) is None:
        if create:
            raise UserError("No workspace is chosen, so no case can be created; give one with -w WS.")
        return result
    with workspace_for_command(workspace) as opened:
        result.matches = matching_cases(opened, confirm(proposal, corrections))
        if create and result.matches and not new_anyway:
            raise UserError(f"The scan matches {result.matches[0].name} (the same claim), so no second case was "
                            f"created; add it there with --add-to {result.matches[0]}, or give --new-anyway.")
        if create:
            result.outcome = create_case_from_scan(opened, proposal, corrections, actor=load_config().user,
                                                   scans=files)
    return result
