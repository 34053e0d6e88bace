"""Issue 9: what real-world 835 files do that our samples did not, one test per point.

Each remittance is written by hand (remit_text.py) and each expected figure is worked out from
its segments in the comment beside it, never taken from the program's output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from filelock import FileLock
from remit_text import claim, interchange, line, transaction, write
from remit_text import import_text as run

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import IMPORT_LOCK, Workspace
from workstation.core.errors import WorkspaceBusy
from workstation.core.model import Case
from workstation.core.vocabulary import Route, Status
from workstation.ops.import_remittance import import_remittances, open_case_by_hand
from workstation.ops.import_summary import ImportSummary

DOS = "20260210"
D = Decimal


def cases(ws: Workspace) -> list[Case]:
    found = []
    for path in sorted(ws.cases_dir.glob("*.appeal")):
        with CaseFile.open(path, read_only=True) as case_file:
            found.append(case_file.load())
    return found


def by_account(ws: Workspace) -> dict[str, list[Case]]:
    found: dict[str, list[Case]] = {}
    for case in cases(ws):
        found.setdefault(case.claim.account_number, []).append(case)
    return found


def denied(account: str, member: str, amount: str = "100.00", icn: str = "ICN-1") -> list[str]:
    """A CO-50 denial of its one line."""
    return claim(account, "4", amount, "0", *line("99214", amount, "0", DOS, f"CAS*CO*50*{amount}"),
                 icn=icn, member=member)


def paid(account: str, member: str, amount: str, icn: str = "ICN-2") -> list[str]:
    """The same claim paid in full on a later remittance."""
    return claim(account, "1", amount, amount, *line("99214", amount, amount, DOS), icn=icn, member=member)


def no_errors(summary: ImportSummary) -> None:
    assert summary.errors == [], summary.error_lines()


# ----------------------------------------------------------------------------------------------
# 1. Distinct transactions that share payer + TRN02 are both read


def test_two_transactions_sharing_a_trace_number_are_both_read(ws: Workspace, tmp_path: Path) -> None:
    text = interchange(transaction(denied("T-1", "M-1"), trace="SHARED", control="0001"),
                       transaction(denied("T-2", "M-2"), trace="SHARED", control="0002"))
    summary = run(ws, tmp_path, "shared.835", text)
    no_errors(summary)
    assert (summary.claims, summary.created, summary.unchanged) == (2, 2, 0)
    assert sorted(by_account(ws)) == ["T-1", "T-2"]
    assert [n for n in summary.notes if "trace number (TRN02) SHARED" in n and "both were read" in n]


def test_a_trace_number_seen_in_an_earlier_file_does_not_hide_a_new_payment(ws: Workspace, tmp_path: Path) -> None:
    no_errors(run(ws, tmp_path, "one.835", interchange(transaction(denied("T-1", "M-1"), trace="SAME"))))
    summary = run(ws, tmp_path, "two.835", interchange(transaction(denied("T-2", "M-2"), trace="SAME")))
    assert (summary.created, summary.unchanged) == (1, 0)
    assert [n for n in summary.notes if "two.835: transaction 0001 has the trace number (TRN02) SAME" in n]


def test_the_same_transaction_in_another_envelope_is_already_imported(ws: Workspace, tmp_path: Path) -> None:
    payment = transaction(denied("T-1", "M-1"), trace="ONCE", control="0001")
    no_errors(run(ws, tmp_path, "first.835", interchange(payment, control="000000001")))
    # The clearinghouse re-wraps it: other ISA and ST control numbers, other bytes, same content.
    rewrapped = transaction(denied("T-1", "M-1"), trace="ONCE", control="7777")
    again = run(ws, tmp_path, "rewrapped.835", interchange(rewrapped, control="000000555"))
    no_errors(again)
    assert (again.claims, again.created, again.updated, again.unchanged) == (1, 0, 0, 1)
    assert len(cases(ws)) == 1


# ----------------------------------------------------------------------------------------------
# 2. Claim identity never joins two patients


def test_a_payment_for_another_patient_never_decides_a_case(ws: Workspace, tmp_path: Path) -> None:
    """Same account number and date of service, another member ID: a $20 CO-50 case stays open."""
    no_errors(run(ws, tmp_path, "denial.835", interchange(transaction(denied("ACC-9", "M-AAA", "20.00")))))
    later = run(ws, tmp_path, "payment.835",
                interchange(transaction(paid("ACC-9", "M-BBB", "999.99"), trace="PAY-2")))
    no_errors(later)
    assert (later.updated, later.created) == (0, 0)
    (case,) = cases(ws)
    assert (case.status, case.recovered, case.amount_at_stake) == (Status.NEW, D("0"), D("20.00"))


def test_a_denial_for_another_patient_opens_its_own_case(ws: Workspace, tmp_path: Path) -> None:
    no_errors(run(ws, tmp_path, "a.835", interchange(transaction(denied("ACC-9", "M-AAA")))))
    later = run(ws, tmp_path, "b.835", interchange(transaction(denied("ACC-9", "M-BBB", icn="ICN-B"), trace="T-B")))
    assert (later.updated, later.created) == (0, 1)
    assert sorted(c.patient.member_id for c in by_account(ws)["ACC-9"]) == ["M-AAA", "M-BBB"]


def test_the_same_patient_is_still_recognised(ws: Workspace, tmp_path: Path) -> None:
    no_errors(run(ws, tmp_path, "a.835", interchange(transaction(denied("ACC-9", "M-AAA", "20.00")))))
    later = run(ws, tmp_path, "b.835", interchange(transaction(paid("ACC-9", "m-aaa", "20.00"), trace="T-B")))
    assert later.updated == 1
    (case,) = cases(ws)
    assert (case.status, case.recovered) == (Status.WON, D("20.00"))


def test_nothing_to_compare_the_patient_by_is_ambiguous(ws: Workspace, tmp_path: Path) -> None:
    """A case whose remittance named no patient: a payment for its claim identity changes nothing
    silently; the summary lists it and the biller may open a case for it by hand."""
    anonymous = denied("ACC-5", "")
    anonymous[1] = "NM1*QC*1"  # no name, no member ID
    no_errors(run(ws, tmp_path, "a.835", interchange(transaction(anonymous))))
    later = run(ws, tmp_path, "b.835", interchange(transaction(paid("ACC-5", "M-5", "100.00"), trace="T-B")))
    no_errors(later)
    assert (later.updated, later.created) == (0, 0)
    (ambiguous,) = later.ambiguous
    assert ambiguous.account_number == "ACC-5" and len(ambiguous.cases) == 1
    assert later.to_json()["ambiguous"][0]["account_number"] == "ACC-5"
    (item,) = later.without_case
    assert "nothing shows it is the same patient" in item.why
    assert [line for line in later.lines() if line.startswith("Not applied, the patient is not clearly the same")]
    (case,) = cases(ws)
    assert case.status is Status.NEW
    # The biller opens a case for it: the same payment delivered again is then recognised.
    open_case_by_hand(ws, item, actor="tester")
    again = run(ws, tmp_path, "b-again.835",
                interchange(transaction(paid("ACC-5", "M-5", "100.00"), trace="T-B"), control="000000002"))
    assert (again.updated, again.created, again.ambiguous) == (0, 0, [])


# ----------------------------------------------------------------------------------------------
# 3-5. Amounts at stake


def test_a_denied_claim_without_adjustments_is_worth_what_it_left_unpaid(ws: Workspace, tmp_path: Path) -> None:
    # CLP*77777777*4*72232*0**MC: billed 72,232.00, paid 0, no patient share, no CAS at all.
    bare = ["CLP*77777777*4*72232*0**MC*ICN-77*11*1", "NM1*QC*1*TESTPERSON*GAMMA****MI*M-77"]
    summary = run(ws, tmp_path, "bare.835", interchange(transaction(bare)))
    no_errors(summary)
    (case,) = cases(ws)
    assert case.amount_at_stake == D("72232.00")
    assert case.route is Route.INQUIRY
    assert "without giving a reason code" in case.route_reason
    assert case.reasons == []
    # 72,232.00 left unpaid and no adjustment says why: listed as not balancing, said plainly on the case.
    assert [u.account_number for u in summary.unbalanced] == ["77777777"]
    assert case.warnings == ["The remittance gives no adjustment and no reason code for the $72,232.00 it left "
                             "unpaid; ask the payer why."]
    (row,) = ws.index.rows()
    assert row.reason_text.startswith("No reason code")


def test_claim_and_line_adjustments_are_not_added_twice(ws: Workspace, tmp_path: Path) -> None:
    # Billed 6,225.00, paid 0; CAS*CO*97*6225 at claim level AND on its only line: 12,450.00 of
    # adjustments for 6,225.00 unpaid. It does not balance; the stake is what it left unpaid.
    twice = claim("DBL-1", "4", "6225.00", "0", "CAS*CO*97*6225",
                  *line("99215", "6225.00", "0", DOS, "CAS*CO*97*6225"), member="M-D")
    summary = run(ws, tmp_path, "twice.835", interchange(transaction(twice)))
    no_errors(summary)
    (case,) = cases(ws)
    assert case.amount_at_stake == D("6225.00")
    (warning,) = case.warnings
    assert "does not balance" in warning and "$6,225.00" in warning and "$12,450.00" in warning
    assert summary.to_json()["unbalanced"] == [{"file": "twice.835", "claim_number": "ICN-1",
                                                 "account_number": "DBL-1", "billed": "6225.00",
                                                 "paid": "0.00", "adjusted": "12450.00"}]


def test_a_balanced_claim_is_not_flagged(ws: Workspace, tmp_path: Path) -> None:
    # 100.00 - 0 = CO-50 100.00 on the line; the line: 100.00 - 0 = 100.00.
    summary = run(ws, tmp_path, "ok.835", interchange(transaction(denied("OK-1", "M-1"))))
    assert summary.unbalanced == []
    assert cases(ws)[0].warnings == []


def test_offsets_of_one_code_are_netted(ws: Workspace, tmp_path: Path) -> None:
    # CAS*OA*23*57.6*0*23*-1.08 nets to OA-23 56.52 on a 56.52 claim denied with nothing else.
    netted = claim("NET-1", "4", "56.52", "0", *line("99213", "56.52", "0", DOS, "CAS*OA*23*57.6*0*23*-1.08"),
                   member="M-N")
    summary = run(ws, tmp_path, "net.835", interchange(transaction(netted)))
    no_errors(summary)
    assert summary.unbalanced == []
    (case,) = cases(ws)
    assert [(a.code, a.amount) for a in case.adjustments] == [("OA-23", D("56.52"))]
    assert case.amount_at_stake == D("56.52")


def test_a_sequestration_inquiry_is_worth_the_excess_over_the_rate(ws: Workspace, tmp_path: Path) -> None:
    # Billed 300.00, paid 208.50, CO-45 85.00, CO-253 5.00 + 1.50 = 6.50 (300 - 208.50 = 91.50).
    # 2% of (208.50 + 6.50) = 4.30 expected; 6.50 taken is 2.20 too much: an inquiry for 2.20.
    seq = claim("SEQ-1", "1", "300.00", "208.50",
                *line("99214", "300.00", "208.50", DOS, "CAS*CO*45*85.00**253*5.00**253*1.50"), member="M-S")
    summary = run(ws, tmp_path, "seq.835", interchange(transaction(seq, total="208.50")))
    no_errors(summary)
    assert summary.sequestration_inquiries == 1
    assert summary.sequestration_total == D("6.50")
    (case,) = cases(ws)
    assert case.route is Route.INQUIRY
    assert case.amount_at_stake == D("2.20")


def test_the_stake_never_exceeds_what_the_claim_left_unpaid(ws: Workspace, tmp_path: Path) -> None:
    # Billed 100, paid 60, CO-50 on the line says 90: unbalanced, and only 40 was left unpaid.
    over = claim("OVR-1", "1", "100.00", "60.00", *line("99214", "100.00", "60.00", DOS, "CAS*CO*50*90.00"),
                 member="M-O")
    summary = run(ws, tmp_path, "over.835", interchange(transaction(over, total="60.00")))
    (case,) = cases(ws)
    assert case.amount_at_stake == D("40.00")
    assert [u.account_number for u in summary.unbalanced] == ["OVR-1"]


# ----------------------------------------------------------------------------------------------
# 9. Provider-level adjustments only for transactions read


def test_plb_is_counted_only_for_transactions_read_in_this_import(ws: Workspace, tmp_path: Path) -> None:
    payment = transaction(denied("P-1", "M-1"), trace="PLB-1", plb=["PLB*1234567893*20261231*WO:REF1*-12.34"])
    first = run(ws, tmp_path, "plb.835", interchange(payment, control="000000001"))
    assert first.plb_total == D("-12.34")
    again = run(ws, tmp_path, "plb-again.835", interchange(payment, control="000000002"))
    assert (again.unchanged, again.plb_total) == (1, D("0"))


# ----------------------------------------------------------------------------------------------
# 10. One import at a time


def test_a_second_import_waits_and_then_is_refused_with_a_sentence(ws: Workspace) -> None:
    said: list[str] = []
    with FileLock(ws.root / IMPORT_LOCK), pytest.raises(WorkspaceBusy) as refused, \
            ws.import_lock(timeout=0.2, waiting=said.append):
        pass
    assert said == ["Another import into this workspace is running; waiting for it to finish."]
    assert "try again when it has finished" in str(refused.value)


def test_cancelling_while_waiting_for_the_lock_imports_nothing(ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "one.835", interchange(transaction(denied("W-1", "M-1"))))
    with FileLock(ws.root / IMPORT_LOCK), pytest.raises(WorkspaceBusy, match="cancelled while another import"):
        import_remittances(ws, [path], actor="t", cancelled=lambda: True)
    assert list(ws.cases_dir.glob("*.appeal")) == []


def test_an_import_waits_for_the_one_before_it(ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "one.835", interchange(transaction(denied("W-1", "M-1"))))
    held = FileLock(ws.root / IMPORT_LOCK)
    held.acquire()
    said: list[str] = []
    result: list[ImportSummary] = []
    worker = threading.Thread(target=lambda: result.append(
        import_remittances(Workspace.open(ws.root, backup=False), [path], actor="t", waiting=said.append)))
    worker.start()
    worker.join(0.5)
    assert worker.is_alive() and result == []  # waiting, nothing written yet
    assert list(ws.cases_dir.glob("*.appeal")) == []
    held.release()
    worker.join(60)
    assert result[0].created == 1 and said


def _cli(*args: str | Path) -> subprocess.Popen:
    env = {**os.environ, "WORKSTATION_CONFIG_DIR": str(Path(args[-1]).parent / "cfg")}
    return subprocess.Popen([sys.executable, "-m", "workstation.cli", *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_concurrent_import_processes_make_exactly_the_cases_of_one(tmp_path: Path) -> None:
    from workstation.intake.synthetic_835 import generate_835

    root = tmp_path / "ws"
    Workspace.create(root).close()
    era = tmp_path / "big.835"
    era.write_text(generate_835(7, 3000, denied=600, sequestration=0, partial=0), encoding="utf-8")
    processes = [_cli("import", "-w", root, "--json", era) for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in processes]
    summaries = [json.loads(out) for out, _err in outputs]
    assert [p.returncode for p in processes] == [0, 0], [err for _out, err in outputs]
    created = sorted(s["created"] for s in summaries)
    alone = tmp_path / "alone"
    with Workspace.create(alone) as workspace:
        expected = import_remittances(workspace, [era], actor="tester").created
    assert expected == 600  # the 600 denied claims the generator was asked for
    assert created == [0, expected]  # the second found every claim already applied
    assert len(list((root / "cases").glob("*.appeal"))) == expected
    with Workspace.open(root, backup=False) as workspace:
        assert len(workspace.payers()) == len({p.name for p in workspace.payers()})  # no duplicate payer


# ----------------------------------------------------------------------------------------------
# 11. A follow-up is never lost when its case is busy


def test_a_follow_up_for_a_locked_case_is_applied_on_retry(ws: Workspace, tmp_path: Path) -> None:
    no_errors(run(ws, tmp_path, "denial.835", interchange(transaction(denied("L-1", "M-L", "80.00")))))
    (path,) = ws.cases_dir.glob("*.appeal")
    payment = write(tmp_path, "payment.835", interchange(transaction(paid("L-1", "M-L", "80.00"), trace="PAY")))
    import sqlite3

    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # another window is writing to the case
    try:
        busy = import_remittances(ws, [payment], actor="tester")
    finally:
        other.execute("ROLLBACK")
        other.close()
    (line,) = busy.error_lines()
    assert "in use" in line and "was not applied; import the file again" in line
    assert busy.updated == 0
    retry = import_remittances(ws, [payment], actor="tester")
    no_errors(retry)
    assert (retry.already_imported, retry.updated) == ([], 1)
    (case,) = cases(ws)
    assert (case.status, case.recovered) == (Status.WON, D("80.00"))
    third = import_remittances(ws, [payment], actor="tester")
    assert third.already_imported == ["payment.835"]


# ----------------------------------------------------------------------------------------------
# 13. What is not a file, or not X12, is refused at once


def test_a_pipe_is_refused_without_waiting_for_it(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    Workspace.create(root).close()
    fifo = tmp_path / "remit.835"
    os.mkfifo(fifo)
    process = _cli("import", "-w", root, fifo)
    _out, err = process.communicate(timeout=60)  # a reader that opened the pipe would wait forever
    assert process.returncode == 1
    assert "remit.835 is not a regular file (it is a device or a pipe)" in err


def test_a_device_is_refused(ws: Workspace) -> None:
    summary = import_remittances(ws, [Path("/dev/zero")], actor="tester")
    (line,) = summary.error_lines()
    assert "zero is not a regular file" in line


def test_a_big_file_without_terminators_is_refused_from_its_first_kilobytes(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "noterm.835"
    with path.open("w", encoding="ascii") as handle:
        handle.write("ISA*00*" + "X" * 98)
        for _ in range(20):
            handle.write("GS*HP*A*B*20260302*0800*1*X*005010X221A1" * 25_000)  # 20 MB, no ~ anywhere
    summary = import_remittances(ws, [path], actor="tester")
    (line,) = summary.error_lines()
    assert "delimiters cannot be recognised" in line or "ends inside its first (ISA)" in line
    assert list(ws.cases_dir.glob("*.appeal")) == []


def _crash_while_writing(path: Path) -> None:
    """A real process begins a change to the case and dies: a hot journal stays beside it."""
    code = (f"import os, sqlite3\nc = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
            "c.execute('PRAGMA cache_size=1'); c.execute('BEGIN IMMEDIATE')\n"
            "c.execute(\"UPDATE case_info SET assignee = hex(randomblob(3000))\")\n"
            "c.execute('CREATE TABLE junk AS SELECT randomblob(200000) AS b')\nos._exit(9)\n")
    subprocess.run([sys.executable, "-c", code], check=False)
    assert Path(f"{path}-journal").stat().st_size > 0


def test_a_follow_up_for_a_case_interrupted_by_a_crash_is_applied(ws: Workspace, tmp_path: Path) -> None:
    no_errors(run(ws, tmp_path, "denial.835", interchange(transaction(denied("H-1", "M-H", "80.00")))))
    (path,) = ws.cases_dir.glob("*.appeal")
    _crash_while_writing(path)
    summary = run(ws, tmp_path, "payment.835", interchange(transaction(paid("H-1", "M-H", "80.00"), trace="PAY")))
    no_errors(summary)
    assert summary.updated == 1
    (case,) = cases(ws)
    assert (case.status, case.recovered, case.assignee) == (Status.WON, D("80.00"), "")  # the crash rolled back


def test_while_a_case_cannot_be_read_nothing_is_remembered_as_imported(ws: Workspace, tmp_path: Path) -> None:
    no_errors(run(ws, tmp_path, "denial.835", interchange(transaction(denied("U-1", "M-U", "80.00")))))
    (path,) = ws.cases_dir.glob("*.appeal")
    good = path.read_bytes()
    path.write_bytes(good[:len(good) // 2])  # an interrupted copy
    payment = write(tmp_path, "payment.835", interchange(transaction(paid("U-1", "M-U", "80.00"), trace="PAY")))
    blind = import_remittances(ws, [payment], actor="tester")
    (line,) = blind.error_lines()
    assert line.startswith(f"{path.name}") and "cannot be recognised" in line and "import them again" in line
    path.write_bytes(good)  # restored from a backup
    retry = import_remittances(ws, [payment], actor="tester")
    no_errors(retry)
    assert (retry.already_imported, retry.updated) == ([], 1)
    assert cases(ws)[0].status is Status.WON


def test_a_later_remittance_that_does_not_balance_is_flagged_on_its_case(ws: Workspace, tmp_path: Path) -> None:
    no_errors(run(ws, tmp_path, "denial.835", interchange(transaction(denied("LB-1", "M-LB", "80.00")))))
    # Paid 80.00 of 80.00 and yet CO-45 10.00 on the line: 80 - 80 = 0, adjustments 10.00.
    odd = claim("LB-1", "1", "80.00", "80.00", *line("99214", "80.00", "80.00", DOS, "CAS*CO*45*10.00"),
                icn="ICN-2", member="M-LB")
    later = run(ws, tmp_path, "odd.835", interchange(transaction(odd, trace="ODD", total="80.00")))
    assert later.updated == 1 and [u.account_number for u in later.unbalanced] == ["LB-1"]
    (case,) = cases(ws)
    assert [w for w in case.warnings if w.startswith("Remittance odd.835: The remittance does not balance")]


def test_opening_a_case_by_hand_during_an_import_is_refused_at_once(ws: Workspace, tmp_path: Path) -> None:
    """The window calls it on its own thread: it must not wait minutes for another import's lock."""
    summary = run(ws, tmp_path, "paid.835", interchange(transaction(paid("H-9", "M-9", "50.00"), trace="P-9")))
    (item,) = summary.without_case
    with FileLock(ws.root / IMPORT_LOCK), pytest.raises(WorkspaceBusy, match="nothing was changed"):
        open_case_by_hand(ws, item, actor="tester")
    assert list(ws.cases_dir.glob("*.appeal")) == []
