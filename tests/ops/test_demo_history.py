"""Issue 13, point 7: the demo carries six months of history, so every part of the report has
something true to show (built through the real import path and the operations a biller uses)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.vocabulary import Route, Status
from workstation.ops.report import ReportRequest, build_report

TODAY = date(2026, 3, 31)  # the day the session's demo is built for (tests/conftest.py)


def _report(root: Path) -> dict[str, Any]:
    with Workspace.open(root) as workspace:
        return build_report(workspace, ReportRequest(today=TODAY))


def _last_months(today: date, count: int) -> set[str]:
    """"2026-03", "2026-02"...: the month of `today` and those before it."""
    months, year, month = set(), today.year, today.month
    for _ in range(count):
        months.add(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def test_the_initial_denial_rate_is_a_practice_s_and_every_table_has_rows(demo_workspace: Path) -> None:
    report = _report(demo_workspace)
    assert report["claims"] > 800  # paid claims, not only denials, are in the denominator
    assert Decimal("0.08") <= Decimal(report["initial_denial_rate"]) <= Decimal("0.15")
    assert Decimal("0.08") <= Decimal(report["initial_denial_rate_dollars"]) <= Decimal("0.15")
    for table in ("by_reason", "by_category", "by_payer", "by_procedure", "by_provider", "by_month"):
        assert report[table], table
    assert len(report["by_payer"]) == 5 and len(report["by_provider"]) >= 4
    months = _last_months(TODAY, 6)
    assert months <= {row["key"] for row in report["by_month"]}  # six months, each with denials
    assert {"authorization", "medical_necessity", "coding", "eligibility", "timely_filing", "duplicate",
            "coordination_of_benefits", "coverage", "provider_enrollment"} <= {r["key"] for r in report["by_category"]}
    assert any("-" in row["key"] for row in report["by_procedure"])  # procedures with their modifiers
    assert set(report["sequestration_by_month"]) >= months
    assert all(Decimal(amount) > 0 for amount in report["sequestration_by_month"].values())
    assert len(report["sequestration_by_payer"]) == 2  # Medicare and the Medicare Advantage plan
    assert report["write_offs_by_reason"]
    assert report["backlog_by_age"]["over 120"]["cases"] > 0 and report["backlog_by_age"]["0-30"]["cases"] > 0


def test_a_pattern_keeps_coming_back_and_the_adopted_one_came_back_less(demo_workspace: Path) -> None:
    patterns = _report(demo_workspace)["patterns"]
    recurring = [p for p in patterns if p["adopted"] is None]
    assert recurring and all(p["count"] >= 3 for p in recurring)
    assert any(p["modifier"] for p in recurring)  # one of them is a procedure with its modifier
    adopted = [p for p in patterns if p["adopted"] is not None]
    assert len(adopted) == 1
    change = adopted[0]["adopted"]
    assert change["on"] == (TODAY - timedelta(days=30)).isoformat() and change["note"]
    assert change["before"] > change["after"] >= 0


def test_appeals_were_sent_and_decided_with_every_outcome(demo_workspace: Path) -> None:
    appeals = _report(demo_workspace)["appeals"]
    assert appeals["won"] > 0 and appeals["partially_won"] > 0 and appeals["lost"] > 0
    assert appeals["decided"] == appeals["won"] + appeals["partially_won"] + appeals["lost"]
    # corrected claims paid on a later remittance are decided too (partly won at the contracted rate)
    assert Decimal("0.4") <= Decimal(appeals["overturn_rate"]) <= Decimal("0.9")
    assert Decimal(appeals["recovered"]) > 0
    assert 0 < Decimal(appeals["days_to_appeal_median"]) < 30  # no sending before its denial arrived
    assert 20 < Decimal(appeals["days_to_resolution_median"]) < 120


def test_every_step_of_the_history_is_dated_in_order_and_in_the_past(demo_workspace: Path) -> None:
    levels: Counter[int] = Counter()
    for path in sorted((demo_workspace / "cases").glob("*.appeal")):
        with CaseFile.open(path, read_only=True) as case_file:
            case = case_file.load()
        denied = min(r.notice_date for r in case.remittances if r.notice_date)  # the first denial's notice
        assert denied <= TODAY
        sent = sorted(s.date for s in case.submissions)
        assert all(denied <= day <= TODAY for day in sent), case.claim.account_number
        for decision in case.decisions:
            assert sent and sent[0] <= decision.date <= TODAY, case.claim.account_number
            levels[decision.level] += 1
    assert levels[1] > 0 and levels[2] > 0  # a loss taken to the next level, and decided there


def test_write_offs_say_why_and_corrected_claims_were_paid_on_a_later_remittance(demo_workspace: Path) -> None:
    written_off = paid_later = 0
    for path in sorted((demo_workspace / "cases").glob("*.appeal")):
        with CaseFile.open(path, read_only=True) as case_file:
            case = case_file.load()
        if case.status is Status.WRITTEN_OFF and case.route is Route.WRITE_OFF:
            assert case.route_reason.strip(), case.claim.account_number
            written_off += 1
        if case.route is Route.RESUBMIT and len(case.remittances) > 1 and case.status is Status.CLOSED:
            paid_later += 1
    assert written_off >= 5 and paid_later >= 5
    with Workspace.open(demo_workspace) as workspace:
        ledger = workspace.ledger()
    rows_per_claim = Counter(claim.claim_key for claim in ledger)
    assert sum(1 for count in rows_per_claim.values() if count > 1) >= paid_later  # the later payments are counted
