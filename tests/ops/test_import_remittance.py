"""Importing 835 remittances into a real workspace: which claims open cases, with which route and
amount, idempotence, later remittances for a claim with a case, and the payer directory.

Every remittance here is a few segments written by hand (remit_text.py); the expected figures are
worked out in the comments beside them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from remit_text import claim, interchange, line, transaction, write
from remit_text import import_text as run

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.model import Case
from workstation.core.vocabulary import PayerKind, Route, Status
from workstation.core.workspace_model import PayerEntry
from workstation.ops.import_remittance import import_remittances
from workstation.ops.import_summary import ImportSummary

DOS = "20260210"

def case_paths(ws: Workspace) -> list[Path]:
    return sorted(ws.cases_dir.iterdir())


def load(path: Path) -> Case:
    with CaseFile.open(path, read_only=True) as case_file:
        return case_file.load()


def only_case(ws: Workspace) -> Case:
    paths = case_paths(ws)
    assert len(paths) == 1, paths
    return load(paths[0])


def denial(trace: str = "TRACE-1", icn: str = "ICN-1", dos: str = DOS, member: str = "MBI-1") -> str:
    """One claim denied in full: CO-50 (medical necessity) on its one 100.00 line."""
    return interchange(transaction(
        claim("A-100", "4", "100.00", "0",
              *line("99214", "100.00", "0", dos, "CAS*CO*50*100.00"), icn=icn, member=member),
        trace=trace))


def no_errors(summary: ImportSummary) -> None:
    assert summary.errors == [], summary.error_lines()


# ----------------------------------------------------------------------------------------------
# Idempotence


def test_same_file_twice_creates_nothing_the_second_time(ws: Workspace, tmp_path: Path) -> None:
    path = write(tmp_path, "era-0302.835", denial())
    first = import_remittances(ws, [path], actor="tester")
    no_errors(first)
    assert (first.claims, first.created) == (1, 1)
    second = import_remittances(ws, [path], actor="tester")
    no_errors(second)
    assert second.created == 0 and second.updated == 0
    assert second.already_imported == ["era-0302.835"]
    assert "Already imported, skipped: era-0302.835" in second.lines()
    assert len(case_paths(ws)) == 1


def test_same_transaction_in_another_file_is_unchanged(ws: Workspace, tmp_path: Path) -> None:
    no_errors(run(ws, tmp_path, "a.835", denial(trace="TRACE-7")))
    # The same payment (payer 99901 + TRN02 TRACE-7) inside another interchange: other bytes.
    other = denial(trace="TRACE-7").replace("*000000001*0*T*", "*000000002*0*T*").replace("IEA*1*000000001",
                                                                                           "IEA*1*000000002")
    again = run(ws, tmp_path, "b.835", other)
    no_errors(again)
    assert again.already_imported == []  # other bytes: not recognised as the same file
    assert (again.claims, again.unchanged, again.created, again.updated) == (1, 1, 0, 0)
    assert len(case_paths(ws)) == 1


def test_a_partly_refused_file_without_trace_numbers_can_be_imported_again(ws: Workspace, tmp_path: Path) -> None:
    # No TRN02 to recognise the payments by, and the file is not recorded as imported because its
    # second transaction is refused (CLP04 '12,5O'): importing it again must not double the case.
    text = interchange(
        transaction(claim("T-1", "4", "100.00", "0", *line("99214", "100.00", "0", DOS, "CAS*CO*50*100.00")),
                    trace=""),
        transaction(claim("T-2", "4", "100.00", "12,5O", *line("99214", "100.00", "0", DOS, "CAS*CO*50*100.00")),
                    trace="", control="0002"))
    first = run(ws, tmp_path, "notrace.835", text)
    assert (first.created, len(first.errors)) == (1, 1)
    second = run(ws, tmp_path, "notrace.835", text)
    assert second.already_imported == []
    assert (second.created, second.updated, second.unchanged, len(second.errors)) == (0, 0, 1, 1)
    assert len(case_paths(ws)) == 1


# ----------------------------------------------------------------------------------------------
# A later remittance for a claim that has a case


def submitted_case(ws: Workspace, tmp_path: Path) -> Path:
    """A CO-50 denial imported, then appealed (status set to submitted by hand)."""
    no_errors(run(ws, tmp_path, "denial.835", denial()))
    (path,) = case_paths(ws)
    with CaseFile.open(path) as case_file:
        case_file.set_field("case.status", Status.SUBMITTED, actor="tester")
    assert load(path).amount_at_stake == Decimal("100.00")
    return path


def test_payment_after_appeal_wins_and_records_what_was_recovered(ws: Workspace, tmp_path: Path) -> None:
    path = submitted_case(ws, tmp_path)
    # Same payer ID 99901 (the name printed differently), same account A-100, same first DOS: the
    # payer now pays the 100.00 in full under a new claim number.
    paid = interchange(transaction(
        claim("A-100", "1", "100.00", "100.00", *line("99214", "100.00", "100.00", DOS), icn="ICN-2"),
        trace="TRACE-2", payer=("DEMO MEDICARE CONTRACTOR JL", "99901"), total="100.00"))
    summary = run(ws, tmp_path, "paid.835", paid)
    no_errors(summary)
    assert (summary.created, summary.updated) == (0, 1)
    case = load(path)
    assert case.status is Status.WON
    assert case.recovered == Decimal("100.00")
    assert case.amount_at_stake == Decimal("0.00")  # 100.00 opened - 100.00 recovered
    assert [r.status_code for r in case.remittances] == ["4", "1"]
    assert case.claim.payer_claim_number == "ICN-2"  # follows the latest remittance
    row = ws.index.row(path)
    assert row is not None and row.status == "won" and row.amount_at_stake == Decimal("0.00")


def test_partial_payment_after_appeal_is_partially_won(ws: Workspace, tmp_path: Path) -> None:
    path = submitted_case(ws, tmp_path)
    # 60.00 of the 100.00 paid; the other 40.00 stays denied (CO-50).
    paid = interchange(transaction(
        claim("A-100", "1", "100.00", "60.00",
              *line("99214", "100.00", "60.00", DOS, "CAS*CO*50*40.00"), icn="ICN-2"),
        trace="TRACE-2", total="60.00"))
    no_errors(run(ws, tmp_path, "partial.835", paid))
    case = load(path)
    assert case.status is Status.PARTIALLY_WON
    assert case.recovered == Decimal("60.00")
    assert case.amount_at_stake == Decimal("40.00")  # 100.00 opened - 60.00 recovered


def test_reversal_adds_history_and_leaves_the_status(ws: Workspace, tmp_path: Path) -> None:
    path = submitted_case(ws, tmp_path)
    before = load(path)
    # The payer reverses its earlier decision on the claim (CLP02=22, amounts negated).
    reversal = interchange(transaction(
        claim("A-100", "22", "-100.00", "0",
              *line("99214", "-100.00", "0", DOS, "CAS*CO*50*-100.00"), icn="ICN-1"),
        trace="TRACE-3"))
    summary = run(ws, tmp_path, "reversal.835", reversal)
    no_errors(summary)
    assert (summary.created, summary.updated) == (0, 1)
    case = load(path)
    assert case.status is Status.SUBMITTED
    assert case.recovered == before.recovered
    assert [r.status_code for r in case.remittances] == ["4", "22"]
    assert len(case.activity) > len(before.activity)


def test_second_denial_of_a_submitted_case_is_lost(ws: Workspace, tmp_path: Path) -> None:
    path = submitted_case(ws, tmp_path)
    summary = run(ws, tmp_path, "again.835", denial(trace="TRACE-4", icn="ICN-2"))
    no_errors(summary)
    assert (summary.created, summary.updated) == (0, 1)
    case = load(path)
    assert case.status is Status.LOST
    assert case.recovered == Decimal("0.00")
    assert len(case.remittances) == 2


def test_reprocessed_partial_payment_recovers_only_the_difference(ws: Workspace, tmp_path: Path) -> None:
    # Opened: 125.00 billed, 100.00 paid, line 2 (25.00) bundled (CO-97): 25.00 at stake.
    first = interchange(transaction(claim(
        "B-1", "1", "125.00", "100.00", *line("99213", "100.00", "100.00", DOS),
        *line("36415", "25.00", "0", DOS, "CAS*CO*97*25.00"), icn="ICN-1"), total="100.00"))
    no_errors(run(ws, tmp_path, "first.835", first))
    (path,) = case_paths(ws)
    with CaseFile.open(path) as case_file:
        case_file.set_field("case.status", Status.SUBMITTED, actor="tester")
    # After the appeal the payer reprocesses the claim as the 5010 guide says: a reversal of the
    # first decision (CLP02=22, every amount negated: -100.00 paid back) and the new decision
    # (125.00 paid). Net new money: -100.00 + 125.00 = 25.00, exactly what was at stake.
    later = interchange(transaction(
        claim("B-1", "22", "-125.00", "-100.00", *line("99213", "-100.00", "-100.00", DOS),
              *line("36415", "-25.00", "0", DOS, "CAS*CO*97*-25.00"), icn="ICN-1"),
        claim("B-1", "1", "125.00", "125.00", *line("99213", "100.00", "100.00", DOS),
              *line("36415", "25.00", "25.00", DOS), icn="ICN-2"),
        trace="TRACE-2", total="25.00"))
    summary = run(ws, tmp_path, "later.835", later)
    no_errors(summary)
    assert (summary.created, summary.updated) == (0, 2)
    case = load(path)
    assert case.recovered == Decimal("25.00")
    assert case.status is Status.WON
    assert case.amount_at_stake == Decimal("0.00")
    assert [r.status_code for r in case.remittances] == ["1", "22", "1"]


def test_a_claim_with_another_first_date_of_service_is_another_case(ws: Workspace, tmp_path: Path) -> None:
    no_errors(run(ws, tmp_path, "first.835", denial()))
    # Same payer and account number, first date of service a day later: claim identity differs.
    summary = run(ws, tmp_path, "second.835", denial(trace="TRACE-2", dos="20260211"))
    no_errors(summary)
    assert (summary.created, summary.updated) == (1, 0)
    assert len(case_paths(ws)) == 2


# ----------------------------------------------------------------------------------------------
# Which claims open a case, and with which route (DESIGN.md 2a, issue 3)


def test_co_253_alone_opens_no_case(ws: Workspace, tmp_path: Path) -> None:
    # Billed 100.00, allowed 80.00 (CO-45 20.00), coinsurance 20% = PR-2 16.00, payment before
    # the cut 64.00, sequestration 2% of 64.00 = CO-253 1.28, paid 62.72.
    # 20.00 + 16.00 + 1.28 = 37.28 = 100.00 - 62.72.
    text = interchange(transaction(claim(
        "S-1", "1", "100.00", "62.72",
        *line("99213", "100.00", "62.72", DOS, "CAS*CO*45*20.00**253*1.28", "CAS*PR*2*16.00"),
        patient_resp="16.00"), total="62.72"))
    summary = run(ws, tmp_path, "seq.835", text)
    no_errors(summary)
    assert (summary.claims, summary.created, summary.paid_in_full) == (1, 0, 1)
    assert summary.sequestration_total == Decimal("1.28")
    assert summary.sequestration_inquiries == 0
    assert summary.to_json()["sequestration_total"] == "1.28"
    assert case_paths(ws) == []


def test_co_253_far_from_two_percent_opens_an_inquiry(ws: Workspace, tmp_path: Path) -> None:
    # As above but the payer took 5%: 5% of 64.00 = 3.20, paid 60.80.
    # 20.00 + 16.00 + 3.20 = 39.20 = 100.00 - 60.80. Expected 2% of (60.80 + 3.20) = 1.28; off by 1.92,
    # more than the larger of $0.05 and 1% of 1.28: an inquiry, never an appeal.
    text = interchange(transaction(claim(
        "S-2", "1", "100.00", "60.80",
        *line("99213", "100.00", "60.80", DOS, "CAS*CO*45*20.00**253*3.20", "CAS*PR*2*16.00"),
        patient_resp="16.00"), total="60.80"))
    summary = run(ws, tmp_path, "seq5.835", text)
    no_errors(summary)
    assert (summary.created, summary.sequestration_inquiries) == (1, 1)
    assert summary.sequestration_total == Decimal("3.20")
    case = only_case(ws)
    assert case.route is Route.INQUIRY
    assert case.reasons == ["CO-253"]
    assert case.amount_at_stake == Decimal("1.92")  # the excess over 2%, not the whole cut (issue 9, point 5)


def test_ma130_routes_to_resubmit(ws: Workspace, tmp_path: Path) -> None:
    # CO-50 alone would be an appeal; MA130 (no appeal rights) makes it a new claim.
    text = interchange(transaction(claim(
        "M-1", "4", "100.00", "0", "MOA***MA130", *line("99214", "100.00", "0", DOS, "CAS*CO*50*100.00"))))
    no_errors(run(ws, tmp_path, "ma130.835", text))
    case = only_case(ws)
    assert case.route is Route.RESUBMIT
    assert [r.code for r in case.remarks] == ["MA130"]
    assert case.amount_at_stake == Decimal("100.00")


def test_n211_with_co_50_never_routes_to_appeal(ws: Workspace, tmp_path: Path) -> None:
    text = interchange(transaction(claim(
        "N-1", "4", "100.00", "0", *line("99214", "100.00", "0", DOS, "CAS*CO*50*100.00", "LQ*HE*N211"))))
    no_errors(run(ws, tmp_path, "n211.835", text))
    case = only_case(ws)
    assert case.route is Route.WRITE_OFF  # CO-50's fallback when appeal is forbidden
    assert all(a.route is not Route.APPEAL for a in case.adjustments)


def test_co_50_without_n211_is_an_appeal(ws: Workspace, tmp_path: Path) -> None:
    """The control for the two tests above: the same denial with no remark."""
    no_errors(run(ws, tmp_path, "co50.835", denial()))
    case = only_case(ws)
    assert case.route is Route.APPEAL
    assert case.reasons == ["CO-50"]
    assert case.status is Status.NEW


def test_co_97_on_one_line_of_a_paid_claim_opens_a_case(ws: Workspace, tmp_path: Path) -> None:
    # Line 1 paid in full (100.00); line 2 (25.00) bundled: CO-97 25.00. Claim: 125.00 billed, 100.00 paid.
    text = interchange(transaction(claim(
        "B-1", "1", "125.00", "100.00",
        *line("99213", "100.00", "100.00", DOS),
        *line("36415", "25.00", "0", DOS, "CAS*CO*97*25.00")), total="100.00"))
    summary = run(ws, tmp_path, "co97.835", text)
    no_errors(summary)
    assert summary.created == 1
    case = only_case(ws)
    assert case.route is Route.RESUBMIT
    assert case.amount_at_stake == Decimal("25.00")
    assert [(a.code, a.line_number, a.opens_case) for a in case.adjustments] == [("CO-97", 2, True)]
    assert [ln.procedure_code for ln in case.lines] == ["99213", "36415"]


def test_deductible_coinsurance_copay_alone_open_no_case(ws: Workspace, tmp_path: Path) -> None:
    # One CAS, three triplets: PR-1 10.00 + PR-2 15.00 + PR-3 5.00 = 30.00 = 100.00 - 70.00.
    text = interchange(transaction(claim(
        "P-1", "1", "100.00", "70.00", *line("99213", "100.00", "70.00", DOS, "CAS*PR*1*10.00**2*15.00**3*5.00"),
        patient_resp="30.00"), total="70.00"))
    summary = run(ws, tmp_path, "pr.835", text)
    no_errors(summary)
    assert (summary.created, summary.paid_in_full) == (0, 1)
    assert [w.claim.account_number for w in summary.without_case] == ["P-1"]
    assert case_paths(ws) == []


def test_pr_204_opens_a_case_to_bill_the_patient(ws: Workspace, tmp_path: Path) -> None:
    text = interchange(transaction(claim(
        "P-2", "1", "100.00", "0", *line("99213", "100.00", "0", DOS, "CAS*PR*204*100.00"),
        patient_resp="100.00")))
    no_errors(run(ws, tmp_path, "pr204.835", text))
    case = only_case(ws)
    assert case.route is Route.BILL_PATIENT
    assert "waiver" in case.route_reason.lower()  # confirm a waiver/ABN before billing the patient
    assert case.amount_at_stake == Decimal("100.00")


def test_negative_amounts_never_open_a_case(ws: Workspace, tmp_path: Path) -> None:
    # A correction: the payer pays 10.00 more than billed, written as CO-50 -10.00 (100.00 - 110.00).
    text = interchange(transaction(claim(
        "C-1", "1", "100.00", "110.00", *line("99213", "100.00", "110.00", DOS, "CAS*CO*50*-10.00")),
        total="110.00"))
    summary = run(ws, tmp_path, "neg.835", text)
    no_errors(summary)
    assert (summary.claims, summary.created) == (1, 0)
    assert case_paths(ws) == []


def test_forwarded_and_predetermination_claims_open_no_case(ws: Workspace, tmp_path: Path) -> None:
    # Both carry a CO-50 that would open a case on any other claim status.
    text = interchange(transaction(
        claim("F-23", "23", "100.00", "0", *line("99214", "100.00", "0", DOS, "CAS*CO*50*100.00")),
        claim("F-25", "25", "100.00", "0", *line("99214", "100.00", "0", DOS, "CAS*CO*50*100.00"))))
    summary = run(ws, tmp_path, "fwd.835", text)
    no_errors(summary)
    assert (summary.claims, summary.created) == (2, 0)
    assert (summary.forwarded, summary.predeterminations) == (1, 1)
    assert case_paths(ws) == []


def test_reversal_of_a_claim_without_a_case_opens_none(ws: Workspace, tmp_path: Path) -> None:
    # Some payers write a reversal's amounts positive: the status alone must keep it out.
    text = interchange(transaction(
        claim("R-1", "22", "100.00", "0", *line("99214", "100.00", "0", DOS, "CAS*CO*50*100.00"))))
    summary = run(ws, tmp_path, "rev.835", text)
    no_errors(summary)
    assert (summary.claims, summary.created, summary.reversals) == (1, 0, 1)
    assert case_paths(ws) == []


# ----------------------------------------------------------------------------------------------
# The payer directory, the cases/ folder and the index


def test_new_payers_join_the_directory_with_a_kind_from_clp06_flagged(ws: Workspace, tmp_path: Path) -> None:
    # Names that say nothing of the kind: CLP06 MC -> medicaid, 16 -> medicare_advantage.
    text = interchange(
        transaction(claim("K-1", "4", "100.00", "0", *line("99214", "100.00", "0", DOS, "CAS*CO*50*100.00"),
                          filing="MC"), payer=("ACME HEALTH PLAN", "55501"), trace="T-MC"),
        transaction(claim("K-2", "4", "100.00", "0", *line("99214", "100.00", "0", DOS, "CAS*CO*50*100.00"),
                          filing="16"), payer=("SUNSHINE CARE", "55502"), trace="T-16", control="0002"))
    summary = run(ws, tmp_path, "payers.835", text)
    no_errors(summary)
    assert summary.created == 2
    payers = {p.name: p for p in ws.payers()}
    assert set(payers) == {"ACME HEALTH PLAN", "SUNSHINE CARE"}
    assert (payers["ACME HEALTH PLAN"].kind, payers["ACME HEALTH PLAN"].payer_ids) == (PayerKind.MEDICAID, ["55501"])
    assert payers["SUNSHINE CARE"].kind is PayerKind.MEDICARE_ADVANTAGE
    assert all(p.needs_check for p in payers.values())
    cases = {load(p).claim.account_number: load(p) for p in case_paths(ws)}
    assert cases["K-1"].payer.kind is PayerKind.MEDICAID
    assert cases["K-2"].payer.kind is PayerKind.MEDICARE_ADVANTAGE
    # The case says "check this payer's kind" as long as the directory does.
    assert cases["K-1"].payer.kind_needs_check and cases["K-2"].payer.kind_needs_check


def test_a_payer_already_in_the_directory_keeps_its_kind(ws: Workspace, tmp_path: Path) -> None:
    ws.add_payer(PayerEntry("DEMO MEDICARE CONTRACTOR", PayerKind.COMMERCIAL, ["99901"], needs_check=False))
    no_errors(run(ws, tmp_path, "known.835", denial()))  # CLP06 MB would say medicare
    assert len(ws.payers()) == 1
    case = only_case(ws)
    assert (case.payer.kind, case.payer.kind_needs_check) == (PayerKind.COMMERCIAL, False)


def test_created_count_is_the_new_files_and_the_index_shows_them(ws: Workspace, tmp_path: Path) -> None:
    # Three claims: CO-50 denial (appeal, 100.00), CO-97 on one line (resubmit, 25.00), paid in full.
    text = interchange(transaction(
        claim("I-1", "4", "100.00", "0", *line("99214", "100.00", "0", DOS, "CAS*CO*50*100.00"), icn="ICN-I1"),
        claim("I-2", "1", "125.00", "100.00", *line("99213", "100.00", "100.00", DOS),
              *line("36415", "25.00", "0", DOS, "CAS*CO*97*25.00"), icn="ICN-I2"),
        claim("I-3", "1", "80.00", "80.00", *line("99212", "80.00", "80.00", DOS), icn="ICN-I3"),
        total="180.00"))
    before = set(ws.cases_dir.iterdir())
    summary = run(ws, tmp_path, "three.835", text)
    no_errors(summary)
    new_files = set(ws.cases_dir.iterdir()) - before
    assert summary.created == len(new_files) == 2
    assert set(summary.created_paths) == new_files
    assert not [p for p in ws.cases_dir.iterdir() if p.suffix != ".appeal"]  # no .partial left behind
    rows = {row.account_number: row for row in ws.index.rows()}
    assert set(rows) == {"I-1", "I-2"}
    assert (rows["I-1"].route, rows["I-1"].amount_at_stake, rows["I-1"].reasons) == ("appeal", Decimal("100.00"),
                                                                                        ("CO-50",))
    assert (rows["I-2"].route, rows["I-2"].amount_at_stake, rows["I-2"].reasons) == ("resubmit", Decimal("25.00"),
                                                                                        ("CO-97",))
    assert rows["I-1"].claim_number == "ICN-I1" and rows["I-1"].status == "new"
    assert rows["I-1"].claim_key == "99901|I-1|2026-02-10"
    assert {row.path for row in rows.values()} == new_files
    assert (summary.claims, summary.paid_in_full) == (3, 1)


def test_notice_date_and_parties_reach_the_case(ws: Workspace, tmp_path: Path) -> None:
    no_errors(run(ws, tmp_path, "denial.835", denial()))
    case = only_case(ws)
    assert case.notice_date is not None and case.notice_date.isoformat() == "2026-03-02"  # DTM*405
    assert (case.payer.name, case.payer.payer_id) == ("DEMO MEDICARE CONTRACTOR", "99901")
    assert (case.provider.name, case.provider.npi) == ("RIVERBEND CLINIC", "1234567893")
    assert (case.patient.last_name, case.patient.member_id) == ("TESTPERSON", "MBI-1")
    assert (case.claim.account_number, case.claim.payer_claim_number, case.claim.billed) == (
        "A-100", "ICN-1", Decimal("100.00"))
    assert [r.file_name for r in case.remittances] == ["denial.835"]
