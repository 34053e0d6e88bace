"""Submissions, decisions and escalation on real case files (ops/tracking.py), hand-edited ladders
(core/payer_kinds.py) and a payer's own ladder in the workspace (ops/deadlines.py).
Expected dates are counted by hand in the comments."""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.deadlines import DeadlineKind, Outcome, deadline_for, facts_of
from workstation.core.errors import InvalidValue
from workstation.core.model import Address
from workstation.core.payer_kinds import (
    AppealLevel,
    Ladder,
    Window,
    default_ladders,
    ladder_from_dict,
    ladder_problems,
    ladder_to_dict,
)
from workstation.core.vocabulary import EvidenceKind, PayerKind, Route, Status
from workstation.core.workspace_model import PayerEntry
from workstation.ops.deadlines import BUFFER_SETTING, due_within, with_deadlines
from workstation.ops.tracking import NeedsConfirmation, NothingSent, escalate, record_decision, record_submission

MEDICARE = default_ladders()[PayerKind.MEDICARE]
ACTOR = "dana"
SENT = date(2026, 4, 1)  # a Wednesday
TODAY = date(2026, 4, 10)


def write_pdf(path: Path, text: str) -> Path:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    drawing.drawString(72, 720, text)
    drawing.showPage()
    drawing.save()
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def case_path(tmp_path: Path, make_case) -> Path:
    # make_case(): Medicare payer 99901, appeal route, in review, notice 2026-03-02 overridden to 2026-03-03
    return CaseFile.create(tmp_path / "2026-03-abcdef01.appeal", make_case())


@pytest.fixture
def resubmit_path(tmp_path: Path, make_case) -> Path:
    return CaseFile.create(tmp_path / "2026-03-abcdef02.appeal", make_case(route=Route.RESUBMIT))


def submit(path: Path, **kwargs) -> None:
    with CaseFile.open(path) as case_file:
        record_submission(case_file, sent=kwargs.pop("sent", SENT), method=kwargs.pop("method", "mail"),
                          actor=ACTOR, today=kwargs.pop("today", TODAY), **kwargs)


def load(path: Path):
    with CaseFile.open(path) as case_file:
        return case_file.load()


def revision(path: Path) -> int:
    with CaseFile.open(path) as case_file:
        return case_file.revision()


# -- submissions ---------------------------------------------------------------------------------


def test_a_submission_moves_an_appeal_to_submitted_and_logs_it(case_path: Path):
    submit(case_path, method="fax", tracking="  FAX-CONF-77  ")
    case = load(case_path)
    assert case.status is Status.SUBMITTED
    assert len(case.submissions) == 1
    sent = case.submissions[0]
    assert (sent.date, sent.level, sent.method, sent.tracking, sent.by) == (SENT, 1, "fax", "FAX-CONF-77", ACTOR)
    assert sent.packet_doc_id is None
    logged = [a for a in case.activity if a.kind == "submission"]
    assert len(logged) == 1
    assert "level 1" in logged[0].message and "fax" in logged[0].message and "2026-04-01" in logged[0].message
    assert "FAX-CONF-77" in logged[0].message


def test_a_submission_on_the_resubmit_route_makes_the_case_resubmitted(resubmit_path: Path):
    submit(resubmit_path, method="portal")
    case = load(resubmit_path)
    assert case.status is Status.RESUBMITTED
    assert case.submissions[0].method == "portal"


def test_a_submission_becomes_a_follow_up_at_the_levels_decision_time(case_path: Path):
    # Before: Medicare level 1 from notice 2026-03-03 + 5 + 120 = Monday 2026-07-06 (see test_engine).
    before = deadline_for(facts_of(load(case_path)), MEDICARE, today=TODAY)
    assert before is not None and before.kind is DeadlineKind.APPEAL
    submit(case_path)
    # After: sent Wednesday 2026-04-01 + 60 days (redetermination decision time): 29 days to 04-30,
    # +31 May = 60 -> 2026-05-31. From today 04-10: 20 + 31 = 51 days.
    after = deadline_for(facts_of(load(case_path)), MEDICARE, today=TODAY)
    assert after is not None
    assert (after.kind, after.level, after.follow_up, after.days_left) == (DeadlineKind.FOLLOW_UP, 1,
                                                                           date(2026, 5, 31), 51)
    assert after.send_by is None


def test_a_submission_dated_in_the_future_is_refused(case_path: Path):
    before = revision(case_path)
    with pytest.raises(InvalidValue, match="future"):
        submit(case_path, sent=date(2026, 4, 11), today=date(2026, 4, 10))
    assert revision(case_path) == before
    case = load(case_path)
    assert case.submissions == [] and case.status is Status.IN_REVIEW
    submit(case_path, sent=date(2026, 4, 10), today=date(2026, 4, 10))  # today itself is fine
    assert load(case_path).submissions[0].date == date(2026, 4, 10)


@pytest.mark.parametrize("method", ["pigeon", "", "Mail"])
def test_an_unknown_method_is_refused(case_path: Path, method: str):
    before = revision(case_path)
    with pytest.raises(InvalidValue, match="mail, fax, portal, other"):
        submit(case_path, method=method)
    assert revision(case_path) == before
    assert load(case_path).submissions == []


def test_the_packet_sent_is_kept_as_correspondence_out_of_the_next_packet(case_path: Path, tmp_path: Path):
    packet = write_pdf(tmp_path / "packet-level-1.pdf", "Redetermination request")
    submit(case_path, packet=packet)
    case = load(case_path)
    doc = next(d for d in case.evidence if d.id == case.submissions[0].packet_doc_id)
    assert doc.kind is EvidenceKind.CORRESPONDENCE
    assert doc.included is False
    assert doc.title == "Packet sent: Packet level 1"  # a readable title from the file name


# -- decisions -----------------------------------------------------------------------------------


def decide(path: Path, outcome: Outcome, decided: date, **kwargs):
    with CaseFile.open(path) as case_file:
        return record_decision(case_file, MEDICARE, decided=decided, outcome=outcome, actor=ACTOR,
                               today=kwargs.pop("today", date(2026, 5, 20)), **kwargs)


def test_a_loss_at_level_1_offers_level_2_from_the_decision_date(case_path: Path):
    submit(case_path)
    result = decide(case_path, Outcome.LOST, date(2026, 5, 15), reference="  RD-1234 ")
    # Decision Friday 2026-05-15 + 5 = 05-20; +180: 11 to 05-31, +30 Jun = 41, +31 Jul = 72, +31 Aug = 103,
    # +30 Sep = 133, +31 Oct = 164, +16 = 180 -> Monday 2026-11-16 (not a holiday). Send by 2026-11-06.
    next_level = result.next_level
    assert next_level is not None
    assert (next_level.kind, next_level.level, next_level.level_name) == (DeadlineKind.APPEAL, 2, "reconsideration")
    assert (next_level.due_unrolled, next_level.due, next_level.rolled) == (date(2026, 11, 16), date(2026, 11, 16),
                                                                            False)
    assert next_level.send_by == date(2026, 11, 6)
    assert next_level.basis.startswith("decision of 2026-05-15 + 5 days presumed receipt + 180 days")
    case = load(case_path)
    assert case.status is Status.LOST
    decision = case.decisions[0]
    assert (decision.date, decision.level, decision.outcome, decision.reference, decision.by) == (
        date(2026, 5, 15), 1, "lost", "RD-1234", ACTOR)
    assert [a for a in case.activity if a.kind == "decision"]
    assert result.changes.worklist is True


def test_a_win_closes_the_case_with_the_recovered_amount(case_path: Path):
    # make_case(): opened by CO-50 $200.00 and CO-97 $70.00 (CO-45 does not open the case) = $270.00,
    # already recovered $10.00 -> $260.00 at stake. Won $200.00 -> recovered $210.00, at stake $60.00.
    before = load(case_path)
    assert (before.recovered, before.amount_at_stake) == (Decimal("10.00"), Decimal("260.00"))
    submit(case_path)
    result = decide(case_path, Outcome.WON, date(2026, 5, 15), recovered=Decimal("200.00"))
    assert result.next_level is None
    case = load(case_path)
    assert case.status is Status.WON
    assert case.recovered == Decimal("210.00")
    assert case.amount_at_stake == Decimal("60.00")
    assert case.decisions[0].amount_recovered == Decimal("200.00")
    assert deadline_for(facts_of(case), MEDICARE, today=date(2026, 5, 20)) is None


def test_a_negative_recovered_amount_is_refused(case_path: Path):
    submit(case_path)
    with pytest.raises(InvalidValue):
        decide(case_path, Outcome.WON, date(2026, 5, 15), recovered=Decimal("-1.00"))
    assert load(case_path).decisions == []


def test_a_decision_dated_before_the_submission_is_questioned_and_nothing_is_saved(case_path: Path,
                                                                                   tmp_path: Path):
    submit(case_path)
    letter = write_pdf(tmp_path / "decision-early.pdf", "Redetermination: unfavorable")
    before = revision(case_path)
    with pytest.raises(NeedsConfirmation, match=r"2026-03-28.*2026-04-01"):
        decide(case_path, Outcome.LOST, date(2026, 3, 28), letter=letter)
    assert revision(case_path) == before
    case = load(case_path)
    assert case.decisions == [] and case.status is Status.SUBMITTED
    assert not [d for d in case.evidence if d.kind is EvidenceKind.DECISION_LETTER]


def test_a_confirmed_early_decision_is_saved_and_opens_the_next_level(case_path: Path):
    submit(case_path)
    result = decide(case_path, Outcome.LOST, date(2026, 3, 28), confirmed=True, today=date(2026, 4, 10))
    case = load(case_path)
    assert case.status is Status.LOST
    assert [(d.date, d.level) for d in case.decisions] == [(date(2026, 3, 28), 1)]
    # The level-1 request has been answered, so the next level counts from the decision:
    # Saturday 2026-03-28 + 5 = 04-02; +180: 28 to 04-30, +31 May = 59, +30 Jun = 89, +31 Jul = 120,
    # +31 Aug = 151, +29 = 180 -> Tuesday 2026-09-29. Send by Saturday 2026-09-19.
    next_level = result.next_level
    assert next_level is not None
    assert (next_level.kind, next_level.level) == (DeadlineKind.APPEAL, 2)
    assert (next_level.due_unrolled, next_level.due) == (date(2026, 9, 29), date(2026, 9, 29))
    assert next_level.send_by == date(2026, 9, 19)


def test_the_decision_letter_is_attached_as_evidence_and_linked(case_path: Path, tmp_path: Path):
    submit(case_path)
    letter = write_pdf(tmp_path / "redetermination-notice.pdf", "Medicare Redetermination Notice: unfavorable")
    decide(case_path, Outcome.LOST, date(2026, 5, 15), letter=letter)
    case = load(case_path)
    letter_id = case.decisions[0].letter_doc_id
    assert letter_id is not None
    doc = next(d for d in case.evidence if d.id == letter_id)
    assert doc.kind is EvidenceKind.DECISION_LETTER
    assert doc.included is True
    assert doc.media_type == "application/pdf"
    assert doc.size == letter.stat().st_size
    with CaseFile.open(case_path) as case_file:
        assert case_file.evidence.read(letter_id) == letter.read_bytes()


NOTHING_SENT_AT_1 = ("No appeal was recorded as sent at level 1 (redetermination); record the sending first, "
                     "with its date and method, or confirm that the payer decided without one.")


def test_a_decision_with_nothing_sent_is_refused_naming_what_is_missing(case_path: Path, tmp_path: Path):
    # Issue 11.3: a loss with no sending moved the case to level 2 with a deadline counted from today.
    letter = write_pdf(tmp_path / "decision.pdf", "Redetermination: unfavorable")
    before = revision(case_path)
    with pytest.raises(NothingSent) as refused:
        decide(case_path, Outcome.LOST, date(2026, 5, 15), letter=letter)
    assert str(refused.value) == NOTHING_SENT_AT_1
    assert revision(case_path) == before
    case = load(case_path)
    assert case.status is Status.IN_REVIEW and case.decisions == [] and case.submissions == []
    assert not [d for d in case.evidence if d.kind is EvidenceKind.DECISION_LETTER]
    assert not [a for a in case.activity if a.kind == "decision"]
    deadline = deadline_for(facts_of(case), MEDICARE, today=date(2026, 5, 20))
    assert deadline is not None and (deadline.kind, deadline.level) == (DeadlineKind.APPEAL, 1)
    with pytest.raises(NothingSent):  # a blank reason is no reason
        decide(case_path, Outcome.LOST, date(2026, 5, 15), without_submission_reason="   ")
    assert revision(case_path) == before


def test_a_decision_with_nothing_sent_is_saved_with_the_reason_in_the_notes(case_path: Path):
    result = decide(case_path, Outcome.LOST, date(2026, 5, 15),
                    without_submission_reason="  Payer reviewed the claim on its own after our phone call ")
    case = load(case_path)
    assert case.status is Status.LOST
    assert [(d.date, d.level, d.outcome) for d in case.decisions] == [(date(2026, 5, 15), 1, "lost")]
    assert case.notes[-1].text == ("Decision at level 1 recorded with nothing sent at that level: "
                                   "Payer reviewed the claim on its own after our phone call")
    assert case.notes[-1].author == ACTOR
    assert result.changes.notes is True and result.changes.worklist is True
    # the next level counts from the decision (as in test_a_loss_at_level_1_offers_level_2_from_the_decision_date)
    assert result.next_level is not None
    assert (result.next_level.level, result.next_level.due) == (2, date(2026, 11, 16))


def test_a_decision_after_a_loss_needs_a_sending_at_the_next_level(case_path: Path):
    # Sent and lost at level 1; a second decision with nothing sent at level 2 is refused too.
    submit(case_path)
    decide(case_path, Outcome.LOST, date(2026, 5, 15))
    before = revision(case_path)
    with pytest.raises(NothingSent, match=r"^No appeal was recorded as sent at level 2 \(reconsideration\);"):
        decide(case_path, Outcome.WON, date(2026, 6, 15), recovered=Decimal("200.00"))
    assert revision(case_path) == before
    case = load(case_path)
    assert case.status is Status.LOST and [d.level for d in case.decisions] == [1]
    submit(case_path, sent=date(2026, 6, 1), today=date(2026, 6, 1))
    decide(case_path, Outcome.WON, date(2026, 6, 15), recovered=Decimal("200.00"))
    case = load(case_path)
    assert case.status is Status.WON and [d.level for d in case.decisions] == [1, 2]
    assert not [n for n in case.notes if "nothing sent" in n.text]


def test_a_decision_with_a_sending_at_its_level_is_saved_without_a_note(case_path: Path):
    submit(case_path)
    notes_before = load(case_path).notes
    result = decide(case_path, Outcome.WON, date(2026, 5, 15), recovered=Decimal("20.00"))
    case = load(case_path)
    assert case.status is Status.WON and [d.level for d in case.decisions] == [1]
    assert case.notes == notes_before
    assert result.changes.notes is False


def test_a_corrected_claim_decided_with_nothing_sent_is_refused(resubmit_path: Path):
    with pytest.raises(NothingSent, match=r"^No corrected claim was recorded as sent; record the sending first"):
        decide(resubmit_path, Outcome.LOST, date(2026, 5, 15))
    assert load(resubmit_path).decisions == []


def test_escalation_puts_the_case_back_in_review_naming_the_next_level(case_path: Path):
    submit(case_path)
    result = decide(case_path, Outcome.LOST, date(2026, 5, 15))
    assert result.next_level is not None
    with CaseFile.open(case_path) as case_file:
        escalate(case_file, result.next_level, actor=ACTOR)
    case = load(case_path)
    assert case.status is Status.IN_REVIEW
    note = case.notes[-1]
    assert note.text.startswith("Escalated to level 2 (reconsideration):")
    assert "2026-11-16" in note.text
    # the case now shows the level-2 deadline (from the decision), not a follow-up
    deadline = deadline_for(facts_of(case), MEDICARE, today=date(2026, 5, 20))
    assert deadline is not None
    assert (deadline.kind, deadline.level, deadline.due) == (DeadlineKind.APPEAL, 2, date(2026, 11, 16))
    # a level-2 submission then waits for the QIC: sent Monday 2026-06-01 + 60: 29 to 06-30, +31 -> 2026-07-31
    submit(case_path, sent=date(2026, 6, 1), today=date(2026, 6, 1))
    case = load(case_path)
    assert case.submissions[-1].level == 2
    follow = deadline_for(facts_of(case), MEDICARE, today=date(2026, 6, 2))
    assert follow is not None
    assert (follow.kind, follow.level, follow.follow_up) == (DeadlineKind.FOLLOW_UP, 2, date(2026, 7, 31))


# -- ladders edited into nonsense ----------------------------------------------------------------


def edited(ladder: Ladder = MEDICARE, *, level: int = 0, **changes) -> Ladder:
    levels = list(ladder.levels)
    levels[level] = dataclasses.replace(levels[level], **changes)
    return dataclasses.replace(ladder, levels=tuple(levels))


def test_a_sound_ladder_has_no_problems():
    assert ladder_problems(MEDICARE) == []


def test_negative_days_are_reported():
    problems = ladder_problems(edited(window=Window(days=-120)))
    assert any("Level 1" in p and "more than zero" in p for p in problems)


def test_zero_days_are_reported():
    assert any("Level 2" in p for p in ladder_problems(edited(level=1, window=Window())))


def test_no_levels_are_reported():
    problems = ladder_problems(dataclasses.replace(MEDICARE, levels=()))
    assert problems == ["A ladder needs at least one appeal level."]


def test_both_days_and_months_are_reported():
    problems = ladder_problems(edited(window=Window(days=120, months=4)))
    assert any("both days and months" in p for p in problems)


def test_an_unknown_starting_event_is_reported():
    problems = ladder_problems(edited(level=2, counts_from="the moon"))
    assert any("Level 3" in p and "notice or the previous decision" in p for p in problems)


def test_level_1_cannot_count_from_a_previous_decision():
    problems = ladder_problems(edited(counts_from="previous_decision"))
    assert problems == ["Level 1 has no previous decision to count from; it counts from the notice."]
    assert ladder_problems(edited(level=1, counts_from="notice")) == []  # a later level may


def test_a_nonsense_timely_filing_limit_is_reported():
    def problems(window: Window) -> list[str]:
        return ladder_problems(dataclasses.replace(MEDICARE, timely_filing=window))

    assert problems(Window()) == ["The timely-filing limit needs more than zero days or months."]
    assert problems(Window(days=90, months=12)) == ["The timely-filing limit gives both days and months; "
                                                    "choose one."]
    assert problems(Window(days=-1)) == ["The timely-filing limit cannot be negative."]
    assert problems(Window(days=365)) == []


def test_other_nonsense_is_reported():
    assert ladder_problems(edited(name="   ")) == ["Level 1 needs a name."]
    assert any("decision time" in p for p in ladder_problems(edited(decision_days=-1)))
    assert any("Presumed receipt" in p for p in ladder_problems(dataclasses.replace(MEDICARE,
                                                                                   presumed_receipt_days=-5)))
    assert any("Presumed receipt" in p for p in ladder_problems(dataclasses.replace(MEDICARE,
                                                                                   presumed_receipt_days=31)))
    assert any("timely-filing" in p for p in ladder_problems(dataclasses.replace(MEDICARE,
                                                                                timely_filing=Window(days=-1))))


def test_a_ladder_survives_the_workspace_dict_round_trip():
    custom = Ladder(PayerKind.ERISA, default_ladders()[PayerKind.ERISA].label,
                    (AppealLevel("first-level appeal", "plan", Window(days=180), "notice", 60),
                     AppealLevel("second-level appeal", "plan", Window(months=2), "previous_decision", 30)),
                    3, Window(months=6))
    assert ladder_from_dict(PayerKind.ERISA, ladder_to_dict(custom)) == custom
    assert ladder_from_dict(PayerKind.MEDICARE, ladder_to_dict(MEDICARE)) == MEDICARE


# -- a payer's own ladder in the workspace -------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path, make_case):
    # Two cases: the Medicare case of make_case() (payer ID 99901) and a case of another payer (55555).
    ws = Workspace.create(tmp_path / "ws")
    CaseFile.create(ws.cases_dir / "2026-03-abcdef01.appeal", make_case())
    other = make_case(case_id="0b0c0d0e-0000-4000-8000-000000000002")
    other.payer = dataclasses.replace(other.payer, name="Another Medicare Contractor", payer_id="55555")
    CaseFile.create(ws.cases_dir / "2026-03-abcdef02.appeal", other)
    ws.index.rescan()
    yield ws
    ws.close()


def dues(ws: Workspace, today: date = date(2026, 3, 31)) -> dict[str, tuple[date | None, date | None]]:
    return {row.path.name: (row.deadline.due, row.deadline.send_by)
            for row in with_deadlines(ws, ws.index.rows(), today=today)}


def test_a_payers_own_ladder_changes_the_dates_of_its_cases(workspace: Workspace):
    # Without a directory entry both cases use Medicare's default: notice 2026-03-03 + 5 + 120
    # = Monday 2026-07-06 (test_engine); send by 2026-06-26.
    default = (date(2026, 7, 6), date(2026, 6, 26))
    assert dues(workspace) == {"2026-03-abcdef01.appeal": default, "2026-03-abcdef02.appeal": default}
    # The directory names the payer differently, so only the payer ID can match it.
    entry = workspace.add_payer(PayerEntry("Medicare J-ZZ (renamed)", PayerKind.MEDICARE, payer_ids=[" 99901 "],
                                           address=Address("PO Box 9", "", "Exampleton", "ZZ", "00001")))
    assert dues(workspace)["2026-03-abcdef01.appeal"] == default  # no own ladder yet: the kind's default
    # The biller's own ladder: no presumed receipt, 90 days. 2026-03-03 + 90: 28 to 03-31, +30 Apr = 58,
    # +31 May = 89, +1 = 90 -> Monday 2026-06-01 (Memorial Day was 05-25). Send by Friday 2026-05-22.
    entry.ladder = dataclasses.replace(edited(window=Window(days=90)), presumed_receipt_days=0)
    assert ladder_problems(entry.ladder) == []
    workspace.update_payer(entry)
    assert dues(workspace) == {"2026-03-abcdef01.appeal": (date(2026, 6, 1), date(2026, 5, 22)),
                               "2026-03-abcdef02.appeal": default}
    row = next(r for r in with_deadlines(workspace, workspace.index.rows(), today=date(2026, 3, 31))
               if r.payer_id == "99901")
    assert row.deadline.basis == "notice 2026-03-03 + 90 days = 2026-06-01; send by 2026-05-22"
    # back to the kind's default when the own ladder is dropped
    entry.ladder = None
    workspace.update_payer(entry)
    assert dues(workspace)["2026-03-abcdef01.appeal"] == default


def test_a_payer_added_with_its_own_ladder(workspace: Workspace):
    # 60 days, no presumed receipt: 2026-03-03 + 60: 28 days to 03-31, +30 Apr = 58, +2 = 60 -> Saturday
    # 2026-05-02 -> due Monday 2026-05-04. Send by Wednesday 2026-04-22.
    ladder = dataclasses.replace(edited(window=Window(days=60)), presumed_receipt_days=0)
    workspace.add_payer(PayerEntry("Payer 55555", PayerKind.MEDICARE, payer_ids=["55555"], ladder=ladder))
    assert workspace.payers()[0].ladder == ladder
    assert dues(workspace) == {"2026-03-abcdef01.appeal": (date(2026, 7, 6), date(2026, 6, 26)),
                               "2026-03-abcdef02.appeal": (date(2026, 5, 4), date(2026, 4, 22))}


def test_a_submission_recorded_in_the_workspace_reaches_the_worklist(workspace: Workspace):
    path = workspace.cases_dir / "2026-03-abcdef01.appeal"
    submit(path)
    workspace.index.rescan()
    # sent 2026-04-01 + 60 days (redetermination) = 2026-05-31 (see above)
    row = next(r for r in with_deadlines(workspace, workspace.index.rows(), today=TODAY) if r.path == path)
    assert row.status == "submitted"
    assert row.deadline is not None
    assert (row.deadline.kind, row.deadline.follow_up) == (DeadlineKind.FOLLOW_UP, date(2026, 5, 31))
    assert row.next_due_date == date(2026, 5, 31)


def test_the_directory_kind_decides_the_default_ladder(workspace: Workspace):
    # The directory says payer 55555 is a commercial plan: 90 days, no presumed receipt -> as above,
    # Monday 2026-06-01.
    workspace.add_payer(PayerEntry("Some Plan", PayerKind.COMMERCIAL, payer_ids=["55555"]))
    assert dues(workspace)["2026-03-abcdef02.appeal"][0] == date(2026, 6, 1)


def test_the_mailing_buffer_is_a_workspace_setting(workspace: Workspace):
    # due_unrolled Monday 2026-07-06: buffer 20 -> 06-16; nonsense falls back to 10 -> 06-26; negative -> 0.
    workspace.set_setting(BUFFER_SETTING, "20")
    assert dues(workspace)["2026-03-abcdef01.appeal"] == (date(2026, 7, 6), date(2026, 6, 16))
    workspace.set_setting(BUFFER_SETTING, "ten")
    assert dues(workspace)["2026-03-abcdef01.appeal"] == (date(2026, 7, 6), date(2026, 6, 26))
    workspace.set_setting(BUFFER_SETTING, "-3")
    assert dues(workspace)["2026-03-abcdef01.appeal"] == (date(2026, 7, 6), date(2026, 7, 6))


def test_due_within_lists_overdue_soon_and_unknown_cases(workspace: Workspace, make_case):
    unknown = make_case(case_id="0b0c0d0e-0000-4000-8000-000000000003", notice_date=None, notice_date_override=None)
    CaseFile.create(workspace.cases_dir / "2026-03-abcdef03.appeal", unknown)
    won = make_case(case_id="0b0c0d0e-0000-4000-8000-000000000004", status=Status.WON)
    CaseFile.create(workspace.cases_dir / "2026-03-abcdef04.appeal", won)
    workspace.index.rescan()

    def names(today: date, days: int) -> list[str]:
        rows = with_deadlines(workspace, workspace.index.rows(), today=today)
        return sorted(r.path.name for r in due_within(rows, days))

    # send by Friday 2026-06-26 for both dated cases: on 03-31 that is 87 days away
    assert names(date(2026, 3, 31), 7) == ["2026-03-abcdef03.appeal"]
    # on 06-19: 7 days left, listed; on 06-18: 8 days left, not listed
    assert names(date(2026, 6, 19), 7) == ["2026-03-abcdef01.appeal", "2026-03-abcdef02.appeal",
                                           "2026-03-abcdef03.appeal"]
    assert names(date(2026, 6, 18), 7) == ["2026-03-abcdef03.appeal"]
    # overdue cases stay listed; the won case never is
    assert names(date(2026, 8, 1), 0) == ["2026-03-abcdef01.appeal", "2026-03-abcdef02.appeal",
                                          "2026-03-abcdef03.appeal"]
