"""The review checklist (per code, per category, merged), step states on disk, the evidence the
reasons need, the status workflow and the route guard for codes that cannot be appealed."""

from __future__ import annotations

import tomllib
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from review_docs import file_sha, write_pdf

from workstation.casefile.case_file import CaseFile
from workstation.core.codebook import CodeBook, ReasonCode, codebook
from workstation.core.errors import InvalidValue
from workstation.core.model import Adjustment, Case, Remark
from workstation.core.resources import resource_path
from workstation.core.review import StepState, checklist, evidence_needed, progress, step_key
from workstation.core.vocabulary import Appealable, EvidenceKind, Route, Status
from workstation.core.workflow import TRANSITIONS, allowed_next, transition_problem
from workstation.ops.cases import edit_case_field
from workstation.ops.evidence import attach_files
from workstation.ops.review import ReasonRequired, choose_route, review_state, set_step

NAME = "2026-03-abcdef01.appeal"


def review_steps_toml() -> dict:
    with resource_path("codes", "review_steps.toml").open("rb") as handle:
        return tomllib.load(handle)


def with_reasons(make_case, *adjustments: Adjustment, remarks: list[Remark] | None = None, **overrides) -> Case:
    return make_case(adjustments=list(adjustments), remarks=remarks or [], **overrides)


def opening(group: str, carc: str, amount: str = "100.00", line: int | None = 1,
            route: Route | None = Route.APPEAL) -> Adjustment:
    return Adjustment(group, carc, Decimal(amount), None, line, route, True)


def create(tmp_path: Path, case: Case) -> Path:
    return CaseFile.create(tmp_path / NAME, case)


def texts(steps) -> list[str]:
    return [s.text for s in steps]


# -- steps per code and per category ---------------------------------------------------------


def test_co50_gives_the_medical_necessity_steps_of_its_code_book_entry(make_case) -> None:
    case = with_reasons(make_case, opening("CO", "50"))
    steps = review_state(case).steps
    entry = codebook().reason("50")
    assert entry.category == "medical_necessity" and entry.review
    assert texts(steps) == list(entry.review)
    assert any("medical necessity" in t.lower() for t in texts(steps))
    assert all(s.codes == ("CO-50",) and s.state is StepState.OPEN for s in steps)
    assert all(s.record.by == "" and s.record.at is None and s.record.note == "" for s in steps)


def test_a_code_without_its_own_steps_falls_back_to_its_category(make_case) -> None:
    entry = codebook().reason("53")
    assert entry.review == () and entry.opens_case, "the code book changed; pick another code without steps"
    steps = review_state(with_reasons(make_case, opening("CO", "53", route=entry.route))).steps  # its own route
    assert texts(steps) == review_steps_toml()[entry.category]["steps"]
    assert {s.codes for s in steps} == {("CO-53",)}


def test_an_unknown_code_gets_the_other_category_steps(make_case) -> None:
    steps = review_state(with_reasons(make_case, opening("CO", "Q99", route=Route.INQUIRY))).steps
    assert texts(steps) == review_steps_toml()["other"]["steps"]


@pytest.mark.parametrize("category", sorted(review_steps_toml()))
def test_every_category_of_review_steps_toml_is_used_for_codes_without_steps(make_case, category: str) -> None:
    raw = review_steps_toml()[category]
    book = CodeBook(groups={}, remarks={}, reasons={
        "X1": ReasonCode("X1", "a code without steps", category, Appealable.YES, Route.APPEAL, True)})
    case = with_reasons(make_case, opening("CO", "X1"))
    assert texts(checklist(case, book, {})) == raw["steps"]
    assert [k.value for k in evidence_needed(case, book)] == raw["evidence"]


def test_a_category_missing_from_the_toml_falls_back_to_other(make_case) -> None:
    book = CodeBook(groups={}, remarks={}, reasons={
        "X2": ReasonCode("X2", "contractual code", "contractual", Appealable.NO, Route.WRITE_OFF, True)})
    case = with_reasons(make_case, opening("CO", "X2", route=Route.WRITE_OFF))
    assert texts(checklist(case, book, {})) == review_steps_toml()["other"]["steps"]


def test_adjustments_that_do_not_open_the_case_add_no_steps(make_case) -> None:
    not_opening = Adjustment("CO", "45", Decimal("30.00"), None, 2, Route.WRITE_OFF, False)
    steps = review_state(with_reasons(make_case, opening("CO", "50"), not_opening)).steps
    assert texts(steps) == list(codebook().reason("50").review)


# -- several reasons merge without duplicates ----------------------------------------------


def test_the_same_carc_on_two_lines_gives_each_step_once(make_case) -> None:
    case = with_reasons(make_case, opening("CO", "50", line=1), opening("CO", "50", "40.00", line=2))
    steps = review_state(case).steps
    assert texts(steps) == list(codebook().reason("50").review)
    assert all(s.codes == ("CO-50",) for s in steps)


def test_two_carcs_sharing_a_step_merge_it_and_name_both_codes(make_case) -> None:
    review_26, review_27 = codebook().reason("26").review, codebook().reason("27").review
    shared = set(review_26) & set(review_27)
    assert shared, "the code book changed; pick two codes that share a step"
    steps = review_state(with_reasons(make_case, opening("CO", "26"), opening("CO", "27", line=2))).steps
    assert len(steps) == len(set(review_26) | set(review_27)) == len({s.key for s in steps})
    assert texts(steps) == list(dict.fromkeys(review_26 + review_27))  # first reason's order, then new ones
    for step in steps:
        expected = tuple(code for code, review in (("CO-26", review_26), ("CO-27", review_27))
                         if step.text in review)
        assert step.codes == expected


def test_two_reasons_of_different_categories_keep_all_their_steps(make_case) -> None:
    case = with_reasons(make_case, opening("CO", "50"), opening("CO", "197", line=2))
    steps = review_state(case).steps
    assert texts(steps) == list(codebook().reason("50").review) + list(codebook().reason("197").review)
    assert [s.codes for s in steps] == ([("CO-50",)] * len(codebook().reason("50").review)
                                        + [("CO-197",)] * len(codebook().reason("197").review))


def test_the_same_reason_under_two_groups_names_both(make_case) -> None:
    steps = review_state(with_reasons(make_case, opening("CO", "50"), opening("PR", "50", line=2))).steps
    assert all(s.codes == ("CO-50", "PR-50") for s in steps)


def test_step_keys_are_distinct_for_every_distinct_step_text_in_the_code_book() -> None:
    """Two different steps must never share one key, or ticking one would tick the other."""
    all_texts = {t for entry in codebook().reasons.values() for t in entry.review}
    all_texts |= {t for raw in review_steps_toml().values() for t in raw["steps"]}
    by_key: dict[str, set[str]] = {}
    for text in all_texts:
        by_key.setdefault(step_key(text), set()).add(text)
    assert {k: v for k, v in by_key.items() if len(v) > 1} == {}


# -- step states persist ---------------------------------------------------------------------


def test_step_states_persist_with_who_when_and_note_and_are_logged(tmp_path: Path, make_case) -> None:
    path = create(tmp_path, with_reasons(make_case, opening("CO", "50"), opening("CO", "197", line=2)))
    with CaseFile.open(path) as case_file:
        steps = review_state(case_file.load()).steps
        total = len(steps)
        assert review_state(case_file.load()).progress == (0, total)
        before = datetime.now().replace(microsecond=0)
        set_step(case_file, steps[0], StepState.DONE, actor="dana", note="  Chart notes 2026-02-01 & <p.3>  ")
        set_step(case_file, steps[1], StepState.NOT_APPLICABLE, actor="lee", note="")
        set_step(case_file, steps[2], StepState.DONE, actor="lee")
        set_step(case_file, steps[2], StepState.OPEN, actor="dana", note="reopened: wrong chart")
    with CaseFile.open(path) as case_file:
        case = case_file.load()
    state = review_state(case)
    first, second, third = state.steps[:3]
    assert (first.state, first.record.by, first.record.note) == (
        StepState.DONE, "dana", "Chart notes 2026-02-01 & <p.3>")
    assert (second.state, second.record.by, second.record.note) == (StepState.NOT_APPLICABLE, "lee", "")
    assert (third.state, third.record.by, third.record.note) == (StepState.OPEN, "dana", "reopened: wrong chart")
    for step in (first, second, third):
        assert isinstance(step.record.at, datetime) and step.record.at >= before
    assert all(s.state is StepState.OPEN and s.record.by == "" for s in state.steps[3:])
    assert state.progress == (2, total)
    messages = [a.message for a in case.activity if a.kind == "review"]
    assert messages == [f"Step done: {steps[0].text}", f"Step not applicable: {steps[1].text}",
                        f"Step done: {steps[2].text}", f"Step reopened: {steps[2].text}"]
    assert {a.actor for a in case.activity if a.kind == "review"} == {"dana", "lee"}


def test_progress_counts_done_and_not_applicable_as_settled(make_case) -> None:
    steps = review_state(with_reasons(make_case, opening("CO", "50"))).steps
    assert progress(steps) == (0, len(steps))
    assert progress([]) == (0, 0)


def test_a_recorded_step_keeps_its_state_when_another_reason_is_added(tmp_path: Path, make_case) -> None:
    """States are keyed by the step's words, so a later reason that shares the step keeps the tick."""
    path = create(tmp_path, with_reasons(make_case, opening("CO", "26")))
    with CaseFile.open(path) as case_file:
        shared = next(s for s in review_state(case_file.load()).steps if s.text in codebook().reason("27").review)
        set_step(case_file, shared, StepState.DONE, actor="dana")
        case = case_file.load()
    case.adjustments.append(opening("CO", "27", line=2))
    merged = next(s for s in review_state(case).steps if s.key == shared.key)
    assert merged.state is StepState.DONE and merged.codes == ("CO-26", "CO-27")


# -- the evidence the reasons need -----------------------------------------------------------


def test_co197_needs_an_authorization_until_one_is_attached(tmp_path: Path, make_case) -> None:
    path = create(tmp_path, with_reasons(make_case, opening("CO", "197")))
    with CaseFile.open(path) as case_file:
        state = review_state(case_file.load())
        assert state.needed == list(codebook().reason("197").evidence)
        assert state.missing[0] is EvidenceKind.AUTHORIZATION and state.missing == state.needed
        other = write_pdf(tmp_path / "fax cover.pdf", "fax cover")
        assert attach_files(case_file, [other], actor="dana", kind=EvidenceKind.OTHER, limit=1 << 20).added
        assert EvidenceKind.AUTHORIZATION in review_state(case_file.load()).missing
        auth = write_pdf(tmp_path / "auth 4471.pdf", "authorization 4471")
        result = attach_files(case_file, [auth], actor="dana", kind=EvidenceKind.AUTHORIZATION, limit=1 << 20)
        assert result.refused == []
        state = review_state(case_file.load())
    assert EvidenceKind.AUTHORIZATION not in state.missing
    assert state.missing == [k for k in state.needed if k is not EvidenceKind.AUTHORIZATION]


def test_evidence_needed_merges_kinds_in_first_seen_order(make_case) -> None:
    case = with_reasons(make_case, opening("CO", "50"), opening("CO", "197", line=2))
    expected = list(dict.fromkeys(codebook().reason("50").evidence + codebook().reason("197").evidence))
    assert evidence_needed(case, codebook()) == expected


# -- the status workflow ---------------------------------------------------------------------


@pytest.mark.parametrize("old", list(Status))
def test_won_only_from_submitted_or_resubmitted(old: Status) -> None:
    for outcome in (Status.WON, Status.PARTIALLY_WON):
        allowed = transition_problem(old, outcome) == ""
        assert allowed is (old in (Status.SUBMITTED, Status.RESUBMITTED, outcome)), (old, outcome)


def test_transition_problem_is_a_sentence_naming_both_statuses_and_the_choices() -> None:
    sentence = transition_problem(Status.NEW, Status.WON)
    assert sentence.startswith("A case cannot go from new to won")
    for choice in allowed_next(Status.NEW)[1:]:
        assert choice.label.lower() in sentence
    assert sentence.endswith(".")
    assert transition_problem(Status.SUBMITTED, Status.WON) == ""
    assert transition_problem(Status.WON, Status.WON) == ""


def test_every_status_has_a_way_forward_and_allowed_next_starts_with_itself() -> None:
    assert set(TRANSITIONS) == set(Status)
    for status in Status:
        choices = allowed_next(status)
        assert choices[0] is status and len(choices) == len(set(choices)) >= 2


def test_edit_status_refuses_new_to_won_and_leaves_the_file_alone(tmp_path: Path, make_case) -> None:
    path = create(tmp_path, make_case(status=Status.NEW))
    before = file_sha(path)
    with CaseFile.open(path) as case_file, pytest.raises(InvalidValue) as refused:
        edit_case_field(case_file, key="case.status", value="won", actor="dana")
    assert str(refused.value) == transition_problem(Status.NEW, Status.WON)
    assert file_sha(path) == before


def test_edit_status_allows_new_to_in_review_and_logs_it(tmp_path: Path, make_case) -> None:
    path = create(tmp_path, make_case(status=Status.NEW))
    with CaseFile.open(path) as case_file:
        edit_case_field(case_file, key="case.status", value=Status.IN_REVIEW, actor="dana")
    with CaseFile.open(path, read_only=True) as case_file:
        case = case_file.load()
    assert case.status is Status.IN_REVIEW
    assert case.activity[-1].message == "Status: New -> In review" and case.activity[-1].actor == "dana"


def test_edit_status_with_an_unknown_value_is_a_sentence_not_a_crash(tmp_path: Path, make_case) -> None:
    path = create(tmp_path, make_case(status=Status.NEW))
    before = file_sha(path)
    with CaseFile.open(path) as case_file, pytest.raises(InvalidValue) as refused:
        edit_case_field(case_file, key="case.status", value="finished", actor="dana")
    assert "finished" in str(refused.value)
    assert file_sha(path) == before


# -- the route guard -------------------------------------------------------------------------


def sequestration_only(make_case) -> Case:
    """A case opened (for the test) by CO-253 alone: the code book says it cannot be appealed."""
    return with_reasons(make_case, opening("CO", "253", "4.12", route=Route.WRITE_OFF),
                        route=Route.WRITE_OFF, route_reason="Sequestration")


def test_appeal_of_co253_alone_needs_a_reason(tmp_path: Path, make_case) -> None:
    path = create(tmp_path, sequestration_only(make_case))
    before = file_sha(path)
    with CaseFile.open(path) as case_file:
        for reason in ("", "   "):
            with pytest.raises(ReasonRequired) as refused:
                choose_route(case_file, Route.APPEAL, actor="dana", reason=reason)
            assert refused.value.blockers == ["CO-253"] and "CO-253" in str(refused.value)
    assert file_sha(path) == before


def test_appeal_of_co253_with_a_reason_is_logged_and_kept(tmp_path: Path, make_case) -> None:
    path = create(tmp_path, sequestration_only(make_case))
    reason = "Cut was 5%, not 2%: payer confirmed it as an error"
    with CaseFile.open(path) as case_file:
        choose_route(case_file, Route.APPEAL, actor="dana", reason=f"  {reason} ")
    with CaseFile.open(path, read_only=True) as case_file:
        case = case_file.load()
    assert case.route is Route.APPEAL and case.route_reason == reason
    last = case.activity[-1]
    assert (last.kind, last.actor) == ("route", "dana")
    assert "Appeal" in last.message and reason in last.message


@pytest.mark.parametrize("remark", ["MA130", "N211"])
def test_a_blocking_remark_makes_appeal_need_a_reason(tmp_path: Path, make_case, remark: str) -> None:
    path = create(tmp_path, with_reasons(make_case, opening("CO", "50"), remarks=[Remark(remark, 1)],
                                         route=Route.RESUBMIT, route_reason=""))
    with CaseFile.open(path) as case_file:
        with pytest.raises(ReasonRequired) as refused:
            choose_route(case_file, Route.APPEAL, actor="dana")
        assert refused.value.blockers == [remark] and remark in str(refused.value)
        assert case_file.load().route is Route.RESUBMIT
        choose_route(case_file, Route.APPEAL, actor="dana", reason="Payer agreed on the phone, ref 77")
        case = case_file.load()
    assert case.route is Route.APPEAL and case.route_reason == "Payer agreed on the phone, ref 77"
    assert "Payer agreed on the phone, ref 77" in case.activity[-1].message


def test_other_routes_for_a_blocked_case_need_no_reason(tmp_path: Path, make_case) -> None:
    path = create(tmp_path, sequestration_only(make_case))
    with CaseFile.open(path) as case_file:
        choose_route(case_file, Route.INQUIRY, actor="dana")
        assert case_file.load().route is Route.INQUIRY


def test_a_normal_co50_case_is_appealed_without_a_reason(tmp_path: Path, make_case) -> None:
    path = create(tmp_path, make_case(route=Route.RESUBMIT, route_reason=""))
    with CaseFile.open(path) as case_file:
        choose_route(case_file, Route.APPEAL, actor="dana")
        case = case_file.load()
    assert case.route is Route.APPEAL
    assert case.activity[-1].message.startswith("Route chosen: Appeal")


def test_going_back_to_the_advised_route_does_not_keep_the_reason_given_for_another(
        tmp_path: Path, make_case) -> None:
    path = create(tmp_path, make_case())  # CO-50: the code book advises an appeal
    with CaseFile.open(path) as case_file:
        choose_route(case_file, Route.WRITE_OFF, actor="dana", reason="Too small to fight")
        assert case_file.load().route_reason == "Too small to fight"
        choose_route(case_file, Route.APPEAL, actor="dana")
        case = case_file.load()
    assert case.route is Route.APPEAL
    assert case.route_reason == codebook().reason("50").description  # the code book's reason again
    assert "Too small to fight" not in case.activity[-1].message


def test_a_co253_that_does_not_open_the_case_does_not_block_an_appeal(tmp_path: Path, make_case) -> None:
    sequestration = Adjustment("CO", "253", Decimal("2.00"), None, 1, Route.WRITE_OFF, False)
    path = create(tmp_path, with_reasons(make_case, opening("CO", "50"), sequestration, route=None))
    with CaseFile.open(path) as case_file:
        choose_route(case_file, Route.APPEAL, actor="dana")
        assert case_file.load().route is Route.APPEAL
