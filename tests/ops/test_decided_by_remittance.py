"""Issue 13: an appeal the payer answers with a later remittance (paid, paid in part, or denied
again) is decided at the level it was sent, as if the biller had recorded the decision; the report
counts it. A claim the payer reprocessed with nothing sent is no appeal decided."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from remit_text import claim, interchange, line, transaction
from remit_text import import_text as run

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.deadlines import Outcome, current_level, facts_of
from workstation.core.payer_kinds import default_ladders
from workstation.core.vocabulary import PayerKind, Status
from workstation.ops.report import ReportRequest, build_report
from workstation.ops.tracking import NeedsConfirmation, record_decision, record_submission

# A commercial plan (filing CI) denies three claims in full on 2026-03-02 (CO-50, 200.00 each).
DENIALS = interchange(transaction(
    *(claim(account, "4", "200", "0", *line("99214", "200", "0", "20260201", "CAS*CO*50*200"), icn=f"I-{account}",
            member=f"M-{account}", filing="CI") for account in ("P-1", "P-2", "P-3")),
    total="0", trace="DENY-1", notice="20260302", payment_date="20260303"))

# On 2026-04-10 the payer answers: P-1 paid in full, P-2 paid 120.00 of 200.00 (CO-50 80.00 kept),
# P-3 denied again (status 4, CO-50).
ANSWERS = interchange(transaction(
    claim("P-1", "1", "200", "200", *line("99214", "200", "200", "20260201"), icn="I-P-1-2", member="M-P-1",
          filing="CI"),
    claim("P-2", "1", "200", "120", *line("99214", "200", "120", "20260201", "CAS*CO*50*80"), icn="I-P-2-2",
          member="M-P-2", filing="CI"),
    claim("P-3", "4", "200", "0", *line("99214", "200", "0", "20260201", "CAS*CO*50*200"), icn="I-P-3-2",
          member="M-P-3", filing="CI"),
    total="320", trace="ANSWER-1", notice="20260410", payment_date="20260411"), control="000000002")


def _case(ws: Workspace, account: str) -> Path:
    return next(r.path for r in ws.index.rows() if r.account_number == account)


def _appealed(ws: Workspace, tmp_path: Path, accounts: tuple[str, ...]) -> None:
    run(ws, tmp_path, "denials.835", DENIALS)
    for account in accounts:
        with CaseFile.open(_case(ws, account)) as case_file:
            record_submission(case_file, sent=date(2026, 3, 16), method="mail", actor="dana", today=date(2026, 3, 16))
    run(ws, tmp_path, "answers.835", ANSWERS)


def test_a_later_remittance_decides_each_pending_appeal_at_its_level(ws: Workspace, tmp_path: Path) -> None:
    _appealed(ws, tmp_path, ("P-1", "P-2", "P-3"))
    decided = {}
    for account in ("P-1", "P-2", "P-3"):
        with CaseFile.open(_case(ws, account), read_only=True) as case_file:
            case = case_file.load()
        (decision,) = case.decisions
        decided[account] = (case.status, decision.date, decision.level, decision.outcome, decision.amount_recovered)
    assert decided == {
        "P-1": (Status.WON, date(2026, 4, 10), 1, "won", Decimal("200.00")),
        "P-2": (Status.PARTIALLY_WON, date(2026, 4, 10), 1, "partially_won", Decimal("120.00")),
        "P-3": (Status.LOST, date(2026, 4, 10), 1, "lost", Decimal("0.00")),
    }


def test_the_next_level_counts_from_the_remittance_that_denied_the_appeal(ws: Workspace, tmp_path: Path) -> None:
    _appealed(ws, tmp_path, ("P-3",))
    with CaseFile.open(_case(ws, "P-3"), read_only=True) as case_file:
        facts = facts_of(case_file.load())
    assert current_level(facts)[:2] == (2, date(2026, 4, 10))


def test_the_report_counts_appeals_decided_by_remittance(ws: Workspace, tmp_path: Path) -> None:
    _appealed(ws, tmp_path, ("P-1", "P-2", "P-3"))
    appeals = build_report(ws, ReportRequest(date(2026, 3, 1), date(2026, 4, 30), today=date(2026, 4, 30)))["appeals"]
    # sent 3; decided 3: won 1 (P-1), partly 1 (P-2), lost 1 (P-3); overturned 2 of 3; 200 + 120 back
    assert (appeals["sent"], appeals["decided"], appeals["won"], appeals["partially_won"], appeals["lost"]) == (
        3, 3, 1, 1, 1)
    assert appeals["overturn_rate"] == "0.6667"
    assert appeals["recovered"] == "320.00"
    # denied 2026-03-02, sent 2026-03-16 (14 days), decided 2026-04-10 (39 days)
    assert (appeals["days_to_appeal_median"], appeals["days_to_resolution_median"]) == ("14", "39")


def test_a_claim_paid_with_nothing_sent_is_no_appeal_decided(ws: Workspace, tmp_path: Path) -> None:
    _appealed(ws, tmp_path, ())
    with CaseFile.open(_case(ws, "P-1"), read_only=True) as case_file:
        case = case_file.load()
    assert case.status is Status.WON and case.decisions == []  # the payer reprocessed it on its own
    appeals = build_report(ws, ReportRequest(date(2026, 3, 1), date(2026, 4, 30), today=date(2026, 4, 30)))["appeals"]
    assert (appeals["sent"], appeals["decided"]) == (0, 0)


def test_the_same_answer_imported_twice_decides_once(ws: Workspace, tmp_path: Path) -> None:
    _appealed(ws, tmp_path, ("P-1",))
    run(ws, tmp_path, "answers-again.835", ANSWERS.replace("ANSWER-1", "ANSWER-1"))
    with CaseFile.open(_case(ws, "P-1"), read_only=True) as case_file:
        assert len(case_file.load().decisions) == 1


def test_recording_a_decision_the_remittance_already_made_asks_first(ws: Workspace, tmp_path: Path) -> None:
    _appealed(ws, tmp_path, ("P-1",))
    with CaseFile.open(_case(ws, "P-1")) as case_file:
        with pytest.raises(NeedsConfirmation, match=r"already recorded \(won, 2026-04-10\)"):
            record_decision(case_file, default_ladders()[PayerKind.COMMERCIAL], decided=date(2026, 4, 12),
                            outcome=Outcome.WON, actor="dana", today=date(2026, 4, 12))
        assert len(case_file.load().decisions) == 1  # nothing written
        record_decision(case_file, default_ladders()[PayerKind.COMMERCIAL], decided=date(2026, 4, 12),
                        outcome=Outcome.WON, actor="dana", confirmed=True, today=date(2026, 4, 12))
        assert len(case_file.load().decisions) == 2
