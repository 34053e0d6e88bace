"""Issue 11, point 10: "the activity log says root because no one was asked who they are on
first run". The welcome asks, but it runs only when no workspace is known; a window started on
a workspace (-w, WORKSTATION_WORKSPACE, a config from before the welcome) asks once who is
working here, whatever the workspace, and never again; a name chosen before is not asked for."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from workstation.casefile.case_file import CaseFile
from workstation.casefile.workspace import Workspace
from workstation.core.workspace_model import User
from workstation.gui.app import start_window
from workstation.gui.first_run import WelcomeWizard, WhoDialog
from workstation.gui.main_window import MainWindow
from workstation.gui.worklist_model import SUMMARY_ROLE
from workstation.ops.user_config import config_dir, load_config, login_name

Button = QDialogButtonBox.StandardButton


def _start(qtbot, workspace: str | None) -> tuple[MainWindow, object]:
    window, question = start_window(workspace, welcome=True)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    return window, question


def _write_config(**values: object) -> None:
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "config.json").write_text(json.dumps(values), encoding="utf-8")


def _log_a_call_on_the_first_case(qtbot, window: MainWindow, root: Path) -> Path:
    """Through the window: the first row clicked, a call logged in its Calls tab; the case's path."""
    expected = len(list((root / "cases").glob("*.appeal")))
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == expected, timeout=10_000)
    table, proxy = window.worklist.table, window.worklist.proxy
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(proxy.index(0, 1)).center())
    path = proxy.index(0, 1).data(SUMMARY_ROLE).path
    qtbot.waitUntil(lambda: window.case_view.case_file is not None and window.case_view.case_file.path == path)
    calls = window.case_view.calls
    window.case_view.tabs.setCurrentWidget(calls)
    qtbot.mouseClick(calls.log_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(calls.dialog.reference, "REF-77")
    qtbot.mouseClick(calls.dialog.buttons.button(Button.Save), Qt.MouseButton.LeftButton)
    return path


def test_a_window_started_on_a_workspace_asks_who_once(qtbot, demo_workspace: Path) -> None:
    assert not (config_dir() / "config.json").exists()  # a machine the program never ran on
    window, question = _start(qtbot, str(demo_workspace))
    assert isinstance(question, WhoDialog) and question.isVisible()
    assert any(f"login name ({login_name()})" in label.text() for label in question.findChildren(QLabel))
    qtbot.keyClicks(question.name, "Lee Placeholder")
    assert question.initials.text() == "LP"  # suggested from the name
    qtbot.mouseClick(question.buttons.button(Button.Save), Qt.MouseButton.LeftButton)
    assert not question.isVisible()
    assert (load_config().current_user, load_config().display_name) == ("LP", "Lee Placeholder")
    assert window.case_view.actor == "LP" and window.worklist.current_user == "LP"
    with Workspace.open(demo_workspace, backup=False) as workspace:
        assert User("LP", "Lee Placeholder") in workspace.users()  # cases can be assigned to them
    assignee = window.case_view.editors["case.assignee"].combo
    assert "LP" in [assignee.itemData(i) for i in range(assignee.count())]

    path = _log_a_call_on_the_first_case(qtbot, window, demo_workspace)
    with CaseFile.open(path, read_only=True) as case_file:
        case = case_file.load()
    assert case.calls[-1].reference == "REF-77"
    assert case.activity[-1].actor == "LP"  # not the login name
    window.close()

    again, none = _start(qtbot, str(demo_workspace))
    assert none is None  # asked once: never again
    assert again.case_view.actor == "LP"
    again.close()


def test_skipped_the_changes_keep_the_login_name_and_it_is_not_asked_again(qtbot, demo_workspace: Path) -> None:
    window, question = _start(qtbot, str(demo_workspace))
    assert isinstance(question, WhoDialog)
    qtbot.mouseClick(question.buttons.button(Button.Cancel), Qt.MouseButton.LeftButton)  # "Skip"
    assert question.buttons.button(Button.Cancel).text() == "Skip"
    assert not question.isVisible()
    config = load_config()
    assert (config.current_user, config.asked_who, config.user) == ("", True, login_name())
    assert window.case_view.actor == login_name()
    window.close()
    again, none = _start(qtbot, str(demo_workspace))
    assert none is None
    again.close()


def test_a_blank_answer_keeps_the_question_open(qtbot, demo_workspace: Path) -> None:
    window, question = _start(qtbot, str(demo_workspace))
    qtbot.mouseClick(question.buttons.button(Button.Save), Qt.MouseButton.LeftButton)
    assert question.isVisible() and "press Skip" in question.problem.text()
    qtbot.keyClicks(question.initials, "d1")
    qtbot.mouseClick(question.buttons.button(Button.Save), Qt.MouseButton.LeftButton)
    assert question.isVisible() and "one to four letters" in question.problem.text()
    assert load_config().must_ask_who  # nothing answered yet: asked again next time
    window.close()


def test_a_config_from_before_the_welcome_is_asked_once(qtbot, demo_workspace: Path) -> None:
    _write_config(last_workspace=str(demo_workspace), recent=[str(demo_workspace)])  # no "welcomed", no name
    window, question = _start(qtbot, None)
    assert isinstance(question, WhoDialog) and not isinstance(question, WelcomeWizard)
    assert window.workspace.root == demo_workspace
    qtbot.keyClicks(question.initials, "rs")
    qtbot.mouseClick(question.buttons.button(Button.Save), Qt.MouseButton.LeftButton)
    assert load_config().current_user == "RS" and window.case_view.actor == "RS"
    window.close()


def test_a_name_chosen_before_is_not_asked_for(qtbot, demo_workspace: Path) -> None:
    _write_config(last_workspace=str(demo_workspace), recent=[str(demo_workspace)], current_user="DE",
                  display_name="Dana Example")
    window, question = _start(qtbot, None)
    assert question is None and window.case_view.actor == "DE"
    window.close()


def test_a_welcome_that_ran_before_the_question_existed_had_asked(qtbot, demo_workspace: Path) -> None:
    """A config written by the welcome of an earlier version: its "who are you?" step was skipped."""
    _write_config(last_workspace=str(demo_workspace), recent=[str(demo_workspace)], current_user="",
                  display_name="", welcomed=True)
    window, question = _start(qtbot, str(demo_workspace))
    assert question is None and window.case_view.actor == login_name()
    window.close()
