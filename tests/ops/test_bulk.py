"""Bulk actions on chosen cases: each case in its own transaction, refusals named, the rest done."""

from __future__ import annotations

import csv
import io
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.codebook import codebook
from workstation.core.errors import InvalidValue, ReadOnly
from workstation.core.model import Adjustment, Case
from workstation.core.summary import summarize
from workstation.core.vocabulary import Route, Status
from workstation.ops.bulk import assign_cases, set_cases_status, write_off_small_balances
from workstation.ops.worklist_export import export_worklist_csv, safe_cell


def _add(ws: Workspace, make_case, name: str, *, last: str, at_stake: str, status: Status = Status.NEW,
         claim: str = "") -> Path:
    case: Case = make_case(status=status, recovered=Decimal("0.00"), assignee="",
                           adjustments=[Adjustment("CO", "50", Decimal(at_stake), None, 1, Route.APPEAL, True)])
    case.patient.last_name = last
    case.claim.payer_claim_number = claim or f"CLM-{name}"
    return CaseFile.create(ws.cases_dir / f"2026-03-{name}.appeal", case)


def _load(path: Path) -> Case:
    with CaseFile.open(path, read_only=True) as case_file:
        return case_file.load()


@pytest.fixture
def three(ws: Workspace, make_case) -> list[Path]:
    return [_add(ws, make_case, "aaaa0001", last="Small", at_stake="12.50"),
            _add(ws, make_case, "aaaa0002", last="Edge", at_stake="25.00", status=Status.LOST),
            _add(ws, make_case, "aaaa0003", last="Large", at_stake="310.00")]


def test_assigning_changes_every_case_and_logs_who(ws, three) -> None:
    result = assign_cases(ws, three, assignee="lee", actor="dana")
    assert result.done == tuple(three) and not result.refusals
    assert result.changes.worklist and result.changes.paths == frozenset(three)
    for path in three:
        case = _load(path)
        assert case.assignee == "lee"
        assert case.activity[-1].actor == "dana" and "Assignee" in case.activity[-1].message
    again = assign_cases(ws, three, assignee="lee", actor="dana")
    assert again.unchanged == tuple(three) and again.changes.nothing
    assert again.summary() == "0 cases assigned to lee; 3 already were."


def test_a_status_the_workflow_refuses_is_named_and_the_others_move(ws, make_case, three) -> None:
    sent = _add(ws, make_case, "aaaa0004", last="Sent", at_stake="40.00", status=Status.SUBMITTED)
    result = set_cases_status(ws, [*three, sent], status=Status.IN_REVIEW, actor="dana")
    assert set(result.done) == set(three)
    assert [r.path for r in result.refusals] == [sent]
    sentence = result.refusals[0].sentence
    assert sentence.startswith("Sent, Zoë (claim CLM-aaaa0004): ")
    assert "cannot go from submitted to in review" in sentence
    assert {_load(p).status for p in three} == {Status.IN_REVIEW}
    assert _load(sent).status is Status.SUBMITTED
    assert result.summary() == "3 cases moved to in review; 1 not changed."


def test_small_balances_are_written_off_with_the_reason_and_the_rest_named(ws, make_case, three) -> None:
    sent = _add(ws, make_case, "aaaa0005", last="Waiting", at_stake="5.00", status=Status.SUBMITTED)
    result = write_off_small_balances(ws, [*three, sent], limit="25", reason="  Small balance,\nnot worth it ",
                                      actor="dana")
    assert result.done == tuple(three[:2])  # 12.50 and exactly 25.00
    small = _load(three[0])
    assert small.status is Status.WRITTEN_OFF and small.route is Route.WRITE_OFF
    assert small.route_reason == "Small balance, not worth it"
    entry = small.activity[-1]
    assert entry.actor == "dana"
    assert entry.message == "Status: New -> Written off ($12.50 at stake); reason: Small balance, not worth it"
    assert _load(three[1]).status is Status.WRITTEN_OFF  # from lost: the workflow allows it
    refused = {r.path: r.sentence for r in result.refusals}
    assert refused[three[2]] == ("Large, Zoë (claim CLM-aaaa0003): $310.00 at stake is over the $25.00 limit, "
                                 "so it was not written off.")
    assert "cannot go from submitted to written off" in refused[sent]
    assert _load(three[2]).status is Status.NEW and _load(sent).status is Status.SUBMITTED


def test_a_write_off_needs_a_reason_and_a_sensible_limit(ws, three) -> None:
    before = [p.read_bytes() for p in three]
    with pytest.raises(InvalidValue, match="Give a reason"):
        write_off_small_balances(ws, three, limit="25", reason="   ", actor="dana")
    with pytest.raises(InvalidValue, match="not an amount"):
        write_off_small_balances(ws, three, limit="twenty", reason="small", actor="dana")
    with pytest.raises(InvalidValue, match="below zero"):
        write_off_small_balances(ws, three, limit="-1", reason="small", actor="dana")
    assert [p.read_bytes() for p in three] == before


def test_a_case_held_by_another_program_is_skipped_and_named(ws, three) -> None:
    holder = sqlite3.connect(three[1], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another window in the middle of a change
    try:
        result = assign_cases(ws, three, assignee="lee", actor="dana")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.done == (three[0], three[2])
    assert [r.path for r in result.refusals] == [three[1]]
    assert "in use by another window or program" in result.refusals[0].sentence
    assert result.refusals[0].sentence.startswith("Edge, Zoë (claim CLM-aaaa0002): ")
    assert _load(three[1]).assignee == ""


def test_read_only_and_unreadable_files_are_named(ws, three) -> None:
    three[0].chmod(0o444)
    broken = ws.cases_dir / "2026-03-broken01.appeal"
    broken.write_text("not a case", encoding="utf-8")
    try:
        result = set_cases_status(ws, [*three, broken], status="in_review", actor="dana")
    finally:
        three[0].chmod(0o644)
    refused = {r.path: r.sentence for r in result.refusals}
    assert set(refused) == {three[0], broken}
    assert "read-only" in refused[three[0]]
    assert refused[broken].startswith(broken.name)
    assert set(result.done) == {three[1], three[2]}  # from lost, in review is allowed too
    assert _load(three[0]).status is Status.NEW


def test_a_read_only_workspace_refuses_the_whole_action(tmp_path, make_case) -> None:
    root = tmp_path / "ws"
    with Workspace.create(root) as created:
        path = _add(created, make_case, "aaaa0001", last="Small", at_stake="5.00")
    for item in (root, *root.rglob("*")):
        item.chmod(0o555 if item.is_dir() else 0o444)
    try:
        with Workspace.open(root) as workspace, pytest.raises(ReadOnly):
            assign_cases(workspace, [path], assignee="lee", actor="dana")
    finally:
        for item in (root, *root.rglob("*")):
            item.chmod(0o755 if item.is_dir() else 0o644)


def test_cancelling_leaves_the_rest_as_they_were(ws, three) -> None:
    seen: list[tuple[int, int]] = []
    result = assign_cases(ws, three, assignee="lee", actor="dana", progress=lambda d, t: seen.append((d, t)),
                          cancelled=lambda: len(seen) >= 1)
    assert result.done == (three[0],) and result.not_reached == 2
    assert seen == [(1, 3)]
    assert [_load(p).assignee for p in three] == ["lee", "", ""]
    assert "cancelled before the last 2 cases" in result.summary()


def test_csv_export_is_safe_in_a_spreadsheet(ws, make_case, tmp_path) -> None:
    tricky = _add(ws, make_case, "aaaa0009", last="=HYPERLINK(\"x\") & <Sons>", at_stake="12.50", claim="+1-2")
    plain = _add(ws, make_case, "aaaa0010", last="Ñandú", at_stake="310.00", claim="ICN 7")
    rows = [summarize(p, _load(p), codebook()) for p in (tricky, plain)]
    target = export_worklist_csv(rows, tmp_path / "selected.csv")
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the accents as UTF-8
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["Patient"] for r in table] == ["'=HYPERLINK(\"x\") & <Sons>, Zoë", "Ñandú, Zoë"]
    assert [r["Claim number"] for r in table] == ["'+1-2", "ICN 7"]
    assert [r["At stake"] for r in table] == ["12.50", "310.00"]
    assert table[0]["Status"] == "New" and table[0]["Case file"] == tricky.name
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize(("text", "shown"), [("=1+1", "'=1+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
                                              ("  =cmd", "'  =cmd"), ("\tx", "'\tx"), ("O'Brien", "O'Brien"),
                                              ("", "")])
def test_safe_cell(text: str, shown: str) -> None:
    assert safe_cell(text) == shown
