"""Paper intake end to end: a scanned notice citing several reason codes, each printed with what it
took, becomes a case holding exactly those codes and amounts, with no correction typed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.benchmarks.scan_samples import amounts_sample
from workstation.casefile.workspace import Workspace
from workstation.core.errors import UserError
from workstation.ops.cases import load_case
from workstation.ops.scan import create_case_from_scan, scan_files


def _printed(truth: dict) -> list[tuple[str, Decimal]]:
    """The codes and amounts the page prints ("CO-50 120.00")."""
    return [(code, Decimal(amount)) for code, amount in (entry.split() for entry in truth["reason_codes"])]


@pytest.mark.parametrize(("layout", "style", "codes", "kind"), [
    ("eob_table", "adjustment_table", 3, "pdf"),  # born-digital: read from its text layer
    ("medicare_notice", "grp_rc_amt", 2, "png"),  # a scan: read by Tesseract
    ("denial_letter", "amount_after", 2, "png"),
])
def test_a_scan_citing_several_codes_makes_a_case_of_exactly_what_it_prints(
        ws: Workspace, tmp_path: Path, layout: str, style: str, codes: int, kind: str) -> None:
    sample = amounts_sample(layout, codes, style)
    scan = tmp_path / f"notice.{kind}"
    scan.write_bytes(sample.pdf if kind == "pdf" else sample.image)
    proposal = scan_files([scan])
    path = create_case_from_scan(ws, proposal, {}, actor="dana", scans=[scan]).path
    case = load_case(path)
    printed = _printed(sample.truth)
    assert len(printed) == codes
    assert [(a.code, a.amount) for a in case.adjustments] == printed
    assert case.reasons == [code for code, _amount in printed]
    assert case.amount_at_stake == Decimal(sample.truth["denied"]) == sum(amount for _code, amount in printed)
    assert case.claim.payer_claim_number == sample.truth["claim_number"]


def test_codes_printed_without_their_amounts_leave_the_biller_to_type_them(ws: Workspace, tmp_path: Path) -> None:
    sample = amounts_sample("eob_table", 2, "plain")  # the codes' rows carry only billed, allowed and paid
    scan = tmp_path / "eob.pdf"
    scan.write_bytes(sample.pdf)
    proposal = scan_files([scan])
    first, second = sample.truth["reason_codes"]
    assert proposal.value("reason_codes") == f"{first}, {second}"
    with pytest.raises(UserError, match="without their amounts"):
        create_case_from_scan(ws, proposal, {}, actor="dana", scans=[scan])
    denied = Decimal(sample.truth["denied"])
    typed = {"reason_codes": f"{first}, {second} 10.00"}  # what the biller reads on the notice
    case = load_case(create_case_from_scan(ws, proposal, typed, actor="dana", scans=[scan]).path)
    assert [(a.code, a.amount) for a in case.adjustments] == [(first, denied - 10), (second, Decimal("10.00"))]
