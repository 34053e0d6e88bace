"""Issue 11, point 4: the letter the biller is typing is kept in the case file as they type, and
comes back after moving to another case or closing the window; a draft that no longer fits
(another level, a reworded template) is offered, not applied; a saved version clears it; a
read-only case keeps it in memory and says so once. Keeping a draft is no user action: no
activity entry, no revision bump."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from workstation.casefile.case_file import CaseFile
from workstation.core.deadlines import Outcome
from workstation.gui.case_view import CaseView
from workstation.ops.cases import add_case_note
from workstation.ops.letters import LetterDraft, keep_letter_draft, letter_draft, letter_setting
from workstation.ops.tracking import record_decision, record_submission

TYPED = "A paragraph typed by the biller before moving on."


def _case(path: Path):
    with CaseFile.open(path, read_only=True) as case_file:
        return case_file.load()


def _open_appeals(workspace: Path) -> list[Path]:
    """Open demo cases routed to an appeal, by account number (the demo's file names vary)."""
    paths = sorted((workspace / "cases").glob("*.appeal"), key=lambda p: _case(p).claim.account_number)
    return [p for p in paths if (c := _case(p)).route is not None and c.route.value == "appeal"
            and c.status.value in ("new", "in_review")]


def _stored(path: Path) -> LetterDraft | None:
    with CaseFile.open(path, read_only=True) as case_file:
        return letter_draft(case_file)


def _activity_and_revision(path: Path) -> tuple[int, int]:
    with CaseFile.open(path, read_only=True) as case_file:
        return len(case_file.load().activity), case_file.revision()


def _new_view(qtbot) -> CaseView:
    view = CaseView(actor="dana")
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    return view


@pytest.fixture
def view(qtbot) -> CaseView:
    return _new_view(qtbot)


def _open(view: CaseView, path: Path) -> None:
    view.open_case(path)
    view.tabs.setCurrentWidget(view.letter)


def _type_at_the_end(qtbot, view: CaseView, text: str = TYPED) -> None:
    editor = view.letter.text
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, text)


def test_typed_text_is_kept_as_a_draft_while_typing_without_an_activity_entry(qtbot, view, demo_workspace) -> None:
    path = _open_appeals(demo_workspace)[0]
    before = _activity_and_revision(path)
    _open(view, path)
    with qtbot.waitSignal(view.letter.draft_kept, timeout=10_000):  # the pause after the last keystroke
        _type_at_the_end(qtbot, view)
    kept = _stored(path)
    assert kept is not None and TYPED in (kept.text or "") and kept.by == "dana"
    assert kept.template_id == view.letter.draft.template.id
    assert _activity_and_revision(path) == before  # not a user action
    assert not view.can_undo()


def test_moving_to_another_case_and_back_brings_the_text_back(qtbot, view, demo_workspace) -> None:
    first, second = _open_appeals(demo_workspace)[:2]
    _open(view, first)
    _type_at_the_end(qtbot, view)
    _open(view, second)  # at once: no pause to wait for
    assert TYPED in (_stored(first).text or "")
    assert TYPED not in view.letter.text.markup()
    _open(view, first)
    assert TYPED in view.letter.text.markup()
    note = view.letter.draft_note
    assert note.isVisible() and "is back" in view.letter.draft_note_text.text()
    assert not view.letter.use_draft.isVisible()


def test_typed_fields_come_back_too(qtbot, view, demo_workspace) -> None:
    first, second = _open_appeals(demo_workspace)[:2]
    _open(view, first)
    box = view.letter.field_edits["additional_argument"]
    box.setFocus()
    box.clear()
    qtbot.keyClicks(box, "The chart shows two visits.")
    _open(view, second)
    _open(view, first)
    assert view.letter.field_edits["additional_argument"].text() == "The chart shows two visits."
    assert view.letter.fields()["additional_argument"] == "The chart shows two visits."


def test_closing_the_window_keeps_the_draft(qtbot, demo_workspace) -> None:
    path = _open_appeals(demo_workspace)[0]
    view = _new_view(qtbot)
    _open(view, path)
    _type_at_the_end(qtbot, view)
    view.close_case()  # at once, before the pause after typing has passed: closing keeps it
    view.close()
    again = _new_view(qtbot)
    _open(again, path)
    assert TYPED in again.letter.text.markup()


def test_saving_a_version_clears_the_draft(qtbot, view, demo_workspace) -> None:
    path = _open_appeals(demo_workspace)[0]
    _open(view, path)
    panel = view.letter
    for key, edit in panel.field_edits.items():
        if not edit.text():
            edit.setText("The notice reached us late." if key == "good_cause_reason" else "Documented need.")
    panel.regenerate()
    with qtbot.waitSignal(panel.draft_kept, timeout=10_000):
        _type_at_the_end(qtbot, view)
    assert _stored(path) is not None
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert _stored(path) is None
    with CaseFile.open(path, read_only=True) as case_file:
        assert TYPED in case_file.letters.versions()[-1].text


def test_a_draft_for_a_reworded_template_is_offered_not_applied(qtbot, view, demo_workspace) -> None:
    path = _open_appeals(demo_workspace)[0]
    case = _case(path)
    setting = letter_setting(path, case)
    template = setting.catalog.get(_suggested_id(view, path))
    with CaseFile.open(path) as case_file:
        keep_letter_draft(case_file, LetterDraft(template.id, template.version - 1, 1 if not setting.deadline
                                                 else setting.deadline.level or 1, {}, f"# Old\n\n{TYPED}\n"),
                          actor="dana")
    _open(view, path)
    panel = view.letter
    assert TYPED not in panel.text.markup()
    assert panel.draft_note.isVisible() and "reworded" in panel.draft_note_text.text()
    assert panel.use_draft.isVisible()
    qtbot.mouseClick(panel.use_draft, Qt.MouseButton.LeftButton)
    assert TYPED in panel.text.markup() and not panel.draft_note.isVisible()
    assert _stored(path).template_version == template.version  # kept again, for the letter offered now


def _suggested_id(view: CaseView, path: Path) -> str:
    _open(view, path)
    template_id = view.letter.draft.template.id
    view.close_case()
    return template_id


def _medicare_case_at_level_one(workspace: Path) -> Path:
    for path in sorted((workspace / "cases").glob("*.appeal")):
        case = _case(path)
        if case.payer.kind.value != "medicare" or not case.route or case.route.value != "appeal" \
                or case.status.value not in ("new", "in_review"):
            continue
        deadline = letter_setting(path, case).deadline
        if deadline is not None and deadline.level == 1 and deadline.kind.value == "appeal":
            return path
    raise AssertionError("the demo has no open Medicare appeal at level 1")


def test_text_typed_before_a_level_change_is_offered_back(qtbot, view, demo_workspace) -> None:
    _open(view, _medicare_case_at_level_one(demo_workspace))
    panel = view.letter
    _type_at_the_end(qtbot, view)
    case_file = view.case_file
    assert view.apply(lambda: record_submission(case_file, sent=date.today() - timedelta(days=30), method="mail",
                                                actor="dana"))
    ladder = panel.setting.ladder
    assert view.apply(lambda: record_decision(case_file, ladder, decided=date.today() - timedelta(days=2),
                                              outcome=Outcome.LOST, actor="dana", confirmed=True).changes)
    assert panel.draft.context["level"]["number"] == 2
    assert TYPED not in panel.text.markup()  # the level 2 letter, not silently the old text
    assert "appeal level 1" in panel.draft_note_text.text() and panel.use_draft.isVisible()
    qtbot.mouseClick(panel.use_draft, Qt.MouseButton.LeftButton)
    assert TYPED in panel.text.markup()
    assert _stored(view.case_file.path).level == 2


@pytest.fixture
def read_only_case(demo_workspace: Path) -> Iterator[Path]:
    """A demo case copied into a folder nobody may write to."""
    source = _open_appeals(demo_workspace)[0]
    folder = demo_workspace / "cases" / "archive"
    folder.mkdir()
    path = folder / source.name
    shutil.copy2(source, path)
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    yield path
    os.chmod(folder, stat.S_IRWXU)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def test_a_read_only_case_keeps_the_draft_in_memory_and_says_so_once(qtbot, view, demo_workspace,
                                                                      read_only_case) -> None:
    before = hashlib.sha256(read_only_case.read_bytes()).hexdigest()
    other = _open_appeals(demo_workspace)[1]
    _open(view, read_only_case)
    assert view.case_file.read_only
    _type_at_the_end(qtbot, view)
    view.letter.flush()
    said = view.letter.draft_note_text.text()
    assert "read-only" in said and "kept only while the program runs" in said
    _open(view, other)
    _open(view, read_only_case)
    assert TYPED in view.letter.text.markup()
    _type_at_the_end(qtbot, view, "More text.")
    view.letter.flush()
    assert "read-only" not in view.letter.draft_note_text.text()  # said once
    assert hashlib.sha256(read_only_case.read_bytes()).hexdigest() == before


def test_text_the_biller_edited_is_not_refilled_by_a_field_or_an_action(qtbot, view, demo_workspace) -> None:
    _open(view, _open_appeals(demo_workspace)[0])
    panel = view.letter
    _type_at_the_end(qtbot, view)
    box = panel.field_edits["additional_argument"]
    box.setText("A new argument typed after the text was edited.")
    box.editingFinished.emit()
    assert TYPED in panel.text.markup()  # kept, and the biller is told how to bring the field in
    assert "Fill again from the template" in panel.missing.text()
    assert view.apply(lambda: add_case_note(view.case_file, text="A note.", actor="dana"))  # the case reloads
    assert TYPED in panel.text.markup()
