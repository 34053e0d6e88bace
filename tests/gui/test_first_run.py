"""The first-run welcome: skipped, the demo, a workspace of one's own with its letterhead and its user."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWizard

from workstation.casefile.workspace import Workspace
from workstation.core.workspace_model import User
from workstation.gui.app import start_window, welcome_allowed
from workstation.gui.first_run import CHOICE, PRACTICE, WHO, WelcomeWizard
from workstation.gui.main_window import MainWindow
from workstation.gui.operations import Operations
from workstation.ops.user_config import config_dir, default_demo_dir, is_first_start, load_config, login_name

Button = QWizard.WizardButton
WORKSPACE_FILES = {"backups", "cases", "index.sqlite", "templates", "workspace.sqlite"}


@pytest.fixture
def wizard(qtbot, tmp_path: Path) -> WelcomeWizard:
    welcome = WelcomeWizard(Operations(), folder=tmp_path / "own")
    qtbot.addWidget(welcome)
    welcome.show()
    return welcome


def _press(qtbot, wizard: WelcomeWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def _type(qtbot, wizard: WelcomeWizard, name: str, text: str) -> None:
    edit = wizard.currentPage().findChild(type(wizard.choice.folder), name)
    edit.clear()
    qtbot.keyClicks(edit, text)


def _saved_config() -> dict:
    return json.loads((config_dir() / "config.json").read_text(encoding="utf-8"))


def _png(path: Path) -> Path:
    image = QImage(60, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("navy"))
    assert image.save(str(path), "PNG")
    return path


def test_cancelling_the_welcome_leaves_nothing_but_its_mark(qtbot, wizard, tmp_path) -> None:
    _press(qtbot, wizard, Button.CancelButton)
    assert not wizard.isVisible()
    assert _saved_config() == {"last_workspace": "", "recent": [], "current_user": "", "display_name": "",
                               "welcomed": True, "asked_who": False}  # cancelled before "who are you?"
    assert not (tmp_path / "own").exists()
    assert wizard.workspace_root is None
    assert load_config().user == login_name()
    assert not is_first_start(None)


def test_the_demo_then_who_are_you(qtbot, wizard, tmp_path) -> None:
    assert wizard.choice.demo.isChecked()  # the default: Enter looks around the demo
    _press(qtbot, wizard, Button.CommitButton)
    assert wizard.currentId() == WHO
    _type(qtbot, wizard, "user_name", "Dana Q. Example")
    assert wizard.who.initials.text() == "DQE"  # suggested from the name
    _press(qtbot, wizard, Button.FinishButton)
    assert not wizard.isVisible()
    assert _saved_config() == {"last_workspace": "", "recent": [], "current_user": "DQE",
                               "display_name": "Dana Q. Example", "welcomed": True, "asked_who": True}
    assert load_config().user == "DQE"
    assert not (tmp_path / "own").exists()


def test_a_new_workspace_with_its_profile_logo_and_user(qtbot, wizard, tmp_path) -> None:
    wizard.choice.own.setChecked(True)
    _press(qtbot, wizard, Button.CommitButton)
    own = (tmp_path / "own").resolve()
    assert wizard.currentId() == PRACTICE and wizard.workspace_root == own
    for name, text in (("practice_name", "Riverbend Therapy"), ("practice_line1", "1 Main St"),
                       ("practice_city", "Sampleburg"), ("practice_state", "ZZ"), ("practice_zip", "00010"),
                       ("practice_phone", "555-0100"), ("practice_fax", "555-0101"), ("practice_npi", "1234567893"),
                       ("practice_tin", "00-0000000"), ("practice_signer_name", "Dana Example"),
                       ("practice_signer_title", "Billing manager")):
        _type(qtbot, wizard, name, text)
    logo = _png(tmp_path / "logo.png")
    wizard.practice.images["logo"].load(logo)
    _press(qtbot, wizard, Button.NextButton)
    assert wizard.currentId() == WHO
    _type(qtbot, wizard, "user_name", "Dana Example")
    _type(qtbot, wizard, "user_initials", "de")
    _press(qtbot, wizard, Button.FinishButton)
    assert not wizard.isVisible()
    assert {p.name for p in own.iterdir()} == WORKSPACE_FILES
    assert list((own / "cases").iterdir()) == []
    with Workspace.open(own, backup=False) as workspace:
        practice = workspace.practice()
        assert (practice.name, practice.address.line1, practice.address.zip, practice.npi, practice.tin) == (
            "Riverbend Therapy", "1 Main St", "00010", "1234567893", "00-0000000")
        assert (practice.phone, practice.fax, practice.signer_name, practice.signer_title) == (
            "555-0100", "555-0101", "Dana Example", "Billing manager")
        assert workspace.practice_image("logo") == logo.read_bytes()
        assert workspace.practice_image("signature") is None
        assert workspace.users() == [User("DE", "Dana Example")]
    assert _saved_config() == {"last_workspace": str(own), "recent": [str(own)], "current_user": "DE",
                               "display_name": "Dana Example", "welcomed": True, "asked_who": True}


def test_each_step_of_a_new_workspace_can_be_skipped(qtbot, wizard, tmp_path) -> None:
    wizard.choice.own.setChecked(True)
    _press(qtbot, wizard, Button.CommitButton)
    _type(qtbot, wizard, "practice_name", "Typed, then skipped")
    assert wizard.button(Button.CustomButton1).isVisible()
    _press(qtbot, wizard, Button.CustomButton1)
    assert wizard.currentId() == WHO
    _type(qtbot, wizard, "user_name", "Also skipped")
    _press(qtbot, wizard, Button.CustomButton1)
    assert not wizard.isVisible()
    own = (tmp_path / "own").resolve()
    with Workspace.open(own, backup=False) as workspace:
        assert workspace.practice().name == "" and workspace.users() == []
    config = load_config()
    assert (config.current_user, config.welcomed, config.last_workspace) == ("", True, str(own))
    assert config.user == login_name()  # the actor falls back to the login, as before


def test_a_workspace_folder_chosen_is_opened_and_keeps_its_letterhead(qtbot, wizard, demo_workspace) -> None:
    with Workspace.open(demo_workspace, backup=False) as workspace:
        practice, users = workspace.practice(), workspace.users()
    wizard.choice.own.setChecked(True)
    _type(qtbot, wizard, "workspace_folder", str(demo_workspace))
    _press(qtbot, wizard, Button.CommitButton)
    assert wizard.currentId() == WHO  # its letterhead is there already: no practice step
    _type(qtbot, wizard, "user_name", "Robin Sample")
    _press(qtbot, wizard, Button.FinishButton)
    with Workspace.open(demo_workspace, backup=False) as workspace:
        assert workspace.practice() == practice
        assert workspace.users() == sorted([*users, User("RS", "Robin Sample")], key=lambda u: u.login)
    assert load_config().last_workspace == str(demo_workspace.resolve())


def test_a_folder_that_is_not_empty_is_refused_with_a_sentence(qtbot, wizard, tmp_path) -> None:
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "letter.txt").write_text("someone's file", encoding="utf-8")
    wizard.choice.own.setChecked(True)
    _type(qtbot, wizard, "workspace_folder", str(folder))
    _press(qtbot, wizard, Button.CommitButton)
    assert wizard.currentId() == CHOICE
    assert "is not empty" in wizard.choice.problem.text()
    assert sorted(p.name for p in folder.iterdir()) == ["letter.txt"]
    assert wizard.workspace_root is None


def test_a_file_that_is_not_an_image_is_refused_on_the_page(qtbot, wizard, tmp_path) -> None:
    wizard.choice.own.setChecked(True)
    _press(qtbot, wizard, Button.CommitButton)
    text = tmp_path / "logo.png"
    text.write_text("not a picture", encoding="utf-8")
    wizard.practice.images["logo"].load(text)
    assert "is not a PNG or JPEG image" in wizard.practice.problem.text()
    assert wizard.practice.images["logo"].data is None


def test_initials_that_are_not_letters_keep_the_step_open(qtbot, wizard) -> None:
    _press(qtbot, wizard, Button.CommitButton)
    _type(qtbot, wizard, "user_initials", "D1")
    _press(qtbot, wizard, Button.FinishButton)
    assert wizard.isVisible() and wizard.currentId() == WHO
    assert "one to four letters" in wizard.who.problem.text()
    assert load_config().current_user == ""


@pytest.fixture
def fresh_machine(demo_workspace: Path) -> Path:
    """No config at all; the demo already built where the window makes it (building takes seconds)."""
    shutil.copytree(demo_workspace, default_demo_dir())
    return default_demo_dir()


def test_first_start_shows_the_demo_with_the_welcome_over_it(qtbot, fresh_machine, tmp_path) -> None:
    assert is_first_start(None)
    window, welcome = start_window(None, welcome=True)
    qtbot.addWidget(window)
    assert welcome is not None and welcome.isVisible()
    demo_cases = len(list((fresh_machine / "cases").glob("*.appeal")))
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == demo_cases, timeout=10_000)  # the demo, behind it
    assert window.workspace.root == fresh_machine
    welcome.choice.own.setChecked(True)
    _type(qtbot, welcome, "workspace_folder", str(tmp_path / "mine"))
    _press(qtbot, welcome, Button.CommitButton)
    _press(qtbot, welcome, Button.CustomButton1)
    _type(qtbot, welcome, "user_name", "Lee Placeholder")
    _press(qtbot, welcome, Button.FinishButton)
    assert window.workspace.root == (tmp_path / "mine").resolve()  # the window moved to the new workspace
    assert window.case_view.actor == "LP" and window.worklist.current_user == "LP"
    assignee = window.case_view.editors["case.assignee"].combo
    assert [assignee.itemData(i) for i in range(assignee.count())] == ["", "LP"]
    window.close()
    assert not is_first_start(None)
    again, none = start_window(None, welcome=True)
    qtbot.addWidget(again)
    assert none is None and again.workspace.root == (tmp_path / "mine").resolve()
    again.close()


def test_no_welcome_when_a_workspace_is_given_or_known(qtbot, fresh_machine, monkeypatch) -> None:
    assert not is_first_start(str(fresh_machine))
    monkeypatch.setenv("WORKSTATION_WORKSPACE", str(fresh_machine))
    assert not is_first_start(None)
    window, question = start_window(None, welcome=True)
    qtbot.addWidget(window)
    assert not isinstance(question, WelcomeWizard)  # only "who is working here?" (test_who_question.py)
    window.close()


def test_the_welcome_never_waits_without_a_screen_or_when_turned_off(qtbot, monkeypatch) -> None:
    assert not welcome_allowed()  # tests run on the offscreen platform: nobody could answer it
    monkeypatch.setenv("WORKSTATION_NO_WELCOME", "1")
    assert not welcome_allowed()


def test_a_workspace_with_users_and_a_config_without_one_still_works(qtbot, demo_workspace) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_workspace(demo_workspace)
    demo_cases = len(list((demo_workspace / "cases").glob("*.appeal")))
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == demo_cases, timeout=10_000)
    assert load_config().current_user == ""
    assert window.case_view.actor == login_name()
    window.close()


@pytest.mark.slow
def test_the_window_started_for_timing_never_shows_the_welcome(tmp_path, fresh_machine) -> None:
    """`workstation gui --quit-after-loaded` on a fresh machine (as `make bench` runs it) opens the demo."""
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "workstation.cli", "gui", "--quit-after-loaded"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"loaded {len(list((fresh_machine / 'cases').glob('*.appeal')))}" in done.stdout
    assert load_config().welcomed is False and load_config().last_workspace == str(fresh_machine.resolve())
