"""Issue 10, point 11: the demo can print its own letters.

Every demo case whose route takes a letter builds one from what the case holds (its saved
letter's fields), and every case at ready to send or later carries its saved letter."""

from __future__ import annotations

from pathlib import Path

from workstation.casefile.case_file import CaseFile
from workstation.core.errors import UserError
from workstation.core.vocabulary import Status
from workstation.ops.letters import draft_letter, last_fields, letter_bytes, letter_setting

LETTER_ROUTES = {"appeal", "resubmit", "inquiry"}
SENT_OR_READY = {Status.READY_TO_SEND, Status.SUBMITTED, Status.WON, Status.PARTIALLY_WON, Status.LOST,
                 Status.DISMISSED, Status.RESUBMITTED}


def test_every_demo_letter_builds_and_cases_ready_to_send_carry_theirs(demo_workspace: Path) -> None:
    built, refused = [], []
    for path in sorted((demo_workspace / "cases").glob("*.appeal")):
        with CaseFile.open(path, read_only=True) as case_file:
            case, fields, saved = case_file.load(), last_fields(case_file), case_file.letters.versions()
        route = case.route.value if case.route else ""
        if route not in LETTER_ROUTES:
            try:
                draft_letter(case, letter_setting(path, case), fields=fields)
            except UserError as error:
                assert "No letter fits" in str(error)
                refused.append(path.name)
            continue
        try:
            draft = draft_letter(case, letter_setting(path, case), fields=fields)
        except UserError as error:  # lost, or won in part, at the last level of its ladder
            assert case.status in (Status.LOST, Status.PARTIALLY_WON) and "every level" in str(error), path.name
            refused.append(path.name)
            continue
        assert letter_bytes(draft).startswith(b"%PDF"), (path.name, draft.missing, draft.contradictions)
        built.append(path.name)
        if case.status in SENT_OR_READY:
            assert saved, f"{path.name} is {case.status.value} but has no saved letter"
    assert len(built) >= 40  # nearly all of the 50 demo cases take a letter


BAD_SIGNS = ("____", "((", "))", "{{", "}}", "{%", "None", "[", "$0.00 remains", "dates of service 0", "  ")


def test_no_letter_for_any_fitting_template_on_any_demo_case_prints_a_placeholder(demo_workspace: Path) -> None:
    """Every template each demo case is offered, drafted with the demo's fields: nothing unfilled."""
    from workstation.ops.demo_letters import demo_fields
    from workstation.ops.letters import suggested_templates

    drafted = 0
    for path in sorted((demo_workspace / "cases").glob("*.appeal")):
        with CaseFile.open(path, read_only=True) as case_file:
            case = case_file.load()
        setting = letter_setting(path, case)
        for template in suggested_templates(case, setting):
            try:
                draft = draft_letter(case, setting, template_id=template.id, fields=demo_fields(case))
            except UserError as refused:  # past Medicare's first level only that level's own letter is
                # drafted; past a ladder's last level, none
                assert ("must carry that level's own elements" in str(refused)
                        or "every level" in str(refused)), (path.name, template.id)
                continue
            for sign in BAD_SIGNS:
                assert sign not in draft.markup, (path.name, template.id, sign)
            drafted += 1
    assert drafted >= 80
